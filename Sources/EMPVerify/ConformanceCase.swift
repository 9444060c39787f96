import Exact

/// One EMP analysis of the conformance corpus: a score vector stored in a float format, `β`,
/// and where the vector sits in its input file.
///
/// Every score is exactly representable in `precision` (a `Double` holds float32 values
/// exactly), so the input file, the exact decimal text and the expected values all describe
/// the same numbers.
public struct ConformanceCase: Sendable, Equatable {
  /// How an implementation is asked to read an input: what one EMP analysis covers.
  public enum Mode: String, Sendable, CaseIterable, Codable {
    /// A 1-D `.npy` input is one score vector.
    case perTensor = "per-tensor"
    /// Each row of a 2-D `.npy` input is a score vector of its own.
    case perRow = "per-row"
    /// The tensors of a `.safetensors` input, each flattened in row-major order and
    /// concatenated in the order listed, are one score vector.
    case global
  }

  /// A tensor of a global input: its name and shape.
  public struct NamedShape: Sendable, Equatable, Codable {
    /// The tensor's name in the `.safetensors` file.
    public let name: String
    /// Its dimensions.
    public let shape: [Int]

    /// A tensor of a global input.
    public init(name: String, shape: [Int]) {
      self.name = name
      self.shape = shape
    }

    /// The number of elements.
    public var count: Int { shape.reduce(1, *) }
  }

  /// Where a case's scores sit in its input file.
  public enum Layout: Sendable, Equatable {
    /// The whole 1-D input (`per-tensor`).
    case vector
    /// Row `index` of the 2-D input named `input`, which has `rows` rows (`per-row`).
    case row(input: String, index: Int, rows: Int)
    /// The concatenation of these tensors, in name order (`global`), which is the order a
    /// safetensors reader lists them in.
    case tensors([NamedShape])
  }

  /// A stable name: for a per-row case `<input>#<row>`, otherwise the input's name.
  public let id: String
  /// One line saying what the case tests.
  public let summary: String
  /// The format the scores are stored in.
  public let precision: FloatPrecision
  /// The scores, exact.
  public let scores: [Double]
  /// The retention factor `β > 0` (dyadic in the corpus, so float candidates hold it exactly).
  public let beta: Rational
  /// Where the scores sit in the input file.
  public let layout: Layout

  /// A case; scores are rounded to `precision` first (a no-op for values already in it). A
  /// case whose scores have no EMP analysis (a NaN or infinite score, all zero) tests what an
  /// implementation does with such input.
  ///
  /// - Precondition: at least one score, `β > 0`, a row's id is `<input>#<index>`, and the
  ///   tensors of a global case are in strictly increasing name order and hold exactly the scores.
  public init(
    id: String, summary: String, precision: FloatPrecision, scores: [Double], beta: Rational = 1, layout: Layout = .vector
  ) {
    precondition(!scores.isEmpty && beta.signum > 0, "ConformanceCase: bad input")
    switch layout {
    case .vector: break
    case .row(let input, let index, let rows):
      precondition(id == "\(input)#\(index)" && (0..<rows).contains(index), "ConformanceCase: a row's id is <input>#<index>")
    case .tensors(let tensors):
      precondition(
        zip(tensors, tensors.dropFirst()).allSatisfy { $0.name < $1.name } && tensors.reduce(0) { $0 + $1.count } == scores.count,
        "ConformanceCase: the tensors are not in name order or do not hold the scores")
    }
    self.id = id
    self.summary = summary
    self.precision = precision
    self.scores = precision == .float32 ? scores.map { Double(Float($0)) } : scores
    self.beta = beta
    self.layout = layout
  }

  /// The cases of a 2-D per-row input named `input`, one per row, each with the input's summary.
  ///
  /// - Precondition: at least one row, all of the same length.
  public static func rows(
    input: String, summary: String, precision: FloatPrecision, _ rows: [[Double]], beta: Rational = 1
  ) -> [ConformanceCase] {
    precondition(!rows.isEmpty && rows.allSatisfy { $0.count == rows[0].count }, "ConformanceCase.rows: ragged rows")
    return rows.enumerated().map { index, scores in
      ConformanceCase(
        id: "\(input)#\(index)", summary: summary, precision: precision, scores: scores,
        beta: beta, layout: .row(input: input, index: index, rows: rows.count))
    }
  }

  /// How an implementation reads this case's input.
  public var mode: Mode {
    switch layout {
    case .vector: .perTensor
    case .row: .perRow
    case .tensors: .global
    }
  }

  /// The name of the input file this case is read from (shared by the rows of a per-row input).
  public var input: String {
    if case .row(let input, _, _) = layout { return input }
    return id
  }

  /// The magnitudes `|s_i|`.
  public var magnitudes: [Double] { scores.map(\.magnitude) }

  /// Equal when every field is, scores compared by their bits (so a NaN score equals itself).
  public static func == (lhs: Self, rhs: Self) -> Bool {
    lhs.id == rhs.id && lhs.summary == rhs.summary && lhs.precision == rhs.precision && lhs.beta == rhs.beta
      && lhs.layout == rhs.layout && lhs.scores.map(\.bitPattern) == rhs.scores.map(\.bitPattern)
  }
}
