import Exact

/// One input of the conformance corpus: a score vector stored in a float format, and `β`.
///
/// Every score is exactly representable in `precision` (a `Double` holds float32 values
/// exactly), so the `.npy` file, the exact decimal text and the expected values all describe
/// the same numbers.
public struct ConformanceCase: Sendable, Equatable {
  /// A stable name, also the file name of its inputs (`inputs/<id>.npy`, `inputs/<id>.txt`).
  public let id: String
  /// One line saying what the case tests.
  public let summary: String
  /// The format the scores are stored in.
  public let precision: FloatPrecision
  /// The scores, exact.
  public let scores: [Double]
  /// The retention factor `β > 0` (dyadic in the corpus, so float candidates hold it exactly).
  public let beta: Rational

  /// A case; scores are rounded to `precision` first (a no-op for values already in it). A
  /// case whose scores have no EMP analysis (a NaN or infinite score, all zero) tests what an
  /// implementation does with such input.
  ///
  /// - Precondition: at least one score, and `β > 0`.
  public init(id: String, summary: String, precision: FloatPrecision, scores: [Double], beta: Rational = 1) {
    precondition(!scores.isEmpty && beta.signum > 0, "ConformanceCase: bad input")
    self.id = id
    self.summary = summary
    self.precision = precision
    self.scores = precision == .float32 ? scores.map { Double(Float($0)) } : scores
    self.beta = beta
  }

  /// The magnitudes `|s_i|`.
  public var magnitudes: [Double] { scores.map(\.magnitude) }

  /// Equal when every field is, scores compared by their bits (so a NaN score equals itself).
  public static func == (lhs: Self, rhs: Self) -> Bool {
    lhs.id == rhs.id && lhs.summary == rhs.summary && lhs.precision == rhs.precision && lhs.beta == rhs.beta
      && lhs.scores.map(\.bitPattern) == rhs.scores.map(\.bitPattern)
  }
}
