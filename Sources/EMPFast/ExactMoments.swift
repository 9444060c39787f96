import Exact

/// The exact `Σ|x|` and `Σx²` of a score source, with the superaccumulator: the fallback
/// when the floating-point enclosure of `N_eff` straddles a step of `⌊β·N_eff⌋`.
///
/// Each chunk is split into one contiguous part per worker, each part accumulated on its
/// own thread, and the partial accumulators merged; merging is exact, so the result does
/// not depend on the split.
struct ExactMoments {
  var absoluteSum: Rational { accumulator.absoluteSum }
  var sumOfSquares: Rational { accumulator.sumOfSquares }
  private var accumulator = MomentAccumulator()

  /// Parts smaller than this are not worth a thread.
  private static let minimumPart = 1 << 16

  /// The exact moments of every chunk of `source`, on `workers` threads.
  init(of source: some ScoreSource, workers: Int) throws {
    try source.forEachChunk { chunk in
      let parts = max(1, min(workers, chunk.count / Self.minimumPart))
      var partial = [MomentAccumulator](repeating: MomentAccumulator(), count: parts)
      partial.withUnsafeMutableBufferPointer { partial in
        Parallel.run(workers: parts) { part in
          let range = Parallel.share(of: part, workers: parts, items: chunk.count)
          switch chunk.slice(range) {
          case .float16(let b): partial[part].add(contentsOf: b)
          case .bfloat16(let b): partial[part].add(contentsOf: b)
          case .float32(let b): partial[part].add(contentsOf: b)
          case .float64(let b): partial[part].add(contentsOf: b)
          }
        }
      }
      for part in partial { accumulator.merge(part) }
    }
  }
}
