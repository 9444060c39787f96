import Exact

/// The exact `Σ|x|` and `Σx²` of a score source: the fallback when the floating-point
/// enclosure of `N_eff` straddles a step of `⌊β·N_eff⌋`.
struct ExactMoments: ScoreVisitor {
  var absoluteSum = Rational.zero
  var sumOfSquares = Rational.zero

  /// The exact moments of every chunk of `source`.
  ///
  /// - Precondition: every score is finite (the reduction pass has checked).
  init(of source: some ScoreSource) throws {
    try source.forEachChunk { chunk in try chunk.accept(&self) }
  }

  mutating func visit<T: FastScalar>(_ scores: UnsafeBufferPointer<T>) {
    for score in scores {
      let value = try! Rational(exactly: T.magnitude(score))
      absoluteSum += value
      sumOfSquares += value * value
    }
  }
}
