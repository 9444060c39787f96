import Exact

/// The exact `Σ|x|` and `Σx²` of a score source: the fallback when the floating-point
/// enclosure of `N_eff` straddles a step of `⌊β·N_eff⌋`.
struct ExactMoments {
  var absoluteSum = Rational.zero
  var sumOfSquares = Rational.zero

  /// The exact moments of every chunk of `source`.
  ///
  /// - Precondition: every score is finite (the reduction pass has checked).
  init(of source: some ScoreSource) throws {
    try source.forEachChunk { chunk in
      chunk.withTyped { typed in add(typed) }
    }
  }

  private mutating func add<S: TypedScores>(_ scores: S) {
    guard let base = scores.baseAddress else { return }
    for i in 0..<scores.count {
      let value = try! Rational(exactly: S.Scalar.magnitude(base[i]))
      absoluteSum += value
      sumOfSquares += value * value
    }
  }
}
