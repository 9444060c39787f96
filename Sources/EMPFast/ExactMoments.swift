import Exact

/// The exact `Σ|x|` and `Σx²` of a score source, with the superaccumulator: the fallback
/// when the floating-point enclosure of `N_eff` straddles a step of `⌊β·N_eff⌋`.
struct ExactMoments {
  var absoluteSum: Rational { accumulator.absoluteSum }
  var sumOfSquares: Rational { accumulator.sumOfSquares }
  private var accumulator = MomentAccumulator()

  /// The exact moments of every chunk of `source`.
  init(of source: some ScoreSource) throws {
    try source.forEachChunk { chunk in
      switch chunk {
      case .float16(let b): accumulator.add(contentsOf: b)
      case .bfloat16(let b): accumulator.add(contentsOf: b)
      case .float32(let b): accumulator.add(contentsOf: b)
      case .float64(let b): accumulator.add(contentsOf: b)
      }
    }
  }
}
