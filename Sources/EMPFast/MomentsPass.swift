import EMPCore

/// The first pass over a source: per-block `(Σ|x|, Σx²)`, optionally the histogram of the
/// magnitudes over `MagnitudeBuckets` (one per worker, so that the next pass, which splits
/// every chunk among the same workers, knows how many scores of a bucket each worker meets),
/// and what the error bounds need to know about the formats and block lengths.
struct MomentsPass: ScoreVisitor {
  var count = 0
  /// `(Σ|x|, Σx²)` of each block, in block order across chunks.
  var blockSums: [SIMD2<Double>] = []
  /// `histograms[w][b]`: how many scores of bucket `b` worker `w` read (empty without histogram).
  private(set) var histograms: [[Int]] = []
  var longestBlock = 0
  /// How many scores are `Double`s, whose squares round (Proofs §3).
  var roundedSquareCount = 0
  /// Trailing key bits that are zero for every chunk's format.
  var trailingZeroKeyBits = 63

  /// Reads every chunk of `source` once.
  ///
  /// - Throws: `EMPInputError.empty`, `.nonFinite(index:)` (the first such score), or what
  ///   the source throws.
  init(_ source: some ScoreSource, workers: Int, histogram: Bool) throws {
    self.workers = workers
    if histogram {
      narrow = [UInt32](repeating: 0, count: workers * MagnitudeBuckets.count)
      pending = [Int](repeating: 0, count: workers)
      histograms = [[Int]](repeating: [Int](repeating: 0, count: MagnitudeBuckets.count), count: workers)
    }
    try source.forEachChunk { chunk in try chunk.accept(&self) }
    guard count > 0 else { throw EMPInputError.empty }
    for w in pending.indices { flush(worker: w) }
  }

  private let workers: Int
  /// Per-worker 32-bit bucket counts since the last flush into `histograms`.
  private var narrow: [UInt32] = []
  /// Per-worker number of scores counted into `narrow` since the last flush.
  private var pending: [Int] = []

  private mutating func flush(worker w: Int) {
    let buckets = MagnitudeBuckets.count
    for b in 0..<buckets {
      histograms[w][b] += Int(narrow[w * buckets + b])
      narrow[w * buckets + b] = 0
    }
    pending[w] = 0
  }

  mutating func visit<T: FastScalar>(_ scores: UnsafeBufferPointer<T>) throws {
    guard let base = scores.baseAddress, scores.count > 0 else { return }
    let n = scores.count
    let blocks = Parallel.blockCount(n)
    let workers = min(self.workers, blocks)
    let counting = !narrow.isEmpty
    if counting {
      for w in 0..<workers {
        let share = Parallel.share(of: w, workers: workers, items: blocks)
        let scoresInShare = min(n, share.upperBound * Parallel.blockSize) - share.lowerBound * Parallel.blockSize
        if pending[w] + scoresInShare > Int(UInt32.max) { flush(worker: w) }
        pending[w] += scoresInShare
      }
    }
    let sumStart = blockSums.count
    blockSums.append(contentsOf: repeatElement(.zero, count: blocks))
    blockSums.withUnsafeMutableBufferPointer { sums in
      narrow.withUnsafeMutableBufferPointer { narrow in
        let sums = sums.baseAddress! + sumStart
        let narrow = narrow.baseAddress
        Parallel.run(workers: workers) { worker in
          for b in Parallel.share(of: worker, workers: workers, items: blocks) {
            let start = b * Parallel.blockSize
            let length = min(Parallel.blockSize, n - start)
            let (absolute, squares) = counting
              ? FastKernels.moments(
                base + start, count: length, histogram: narrow! + worker * MagnitudeBuckets.count)
              : FastKernels.moments(base + start, count: length)
            sums[b] = SIMD2(absolute, squares)
          }
        }
      }
    }
    if let bad = blockSums[sumStart...].firstIndex(where: { !$0.x.isFinite }) {
      let start = (bad - sumStart) * Parallel.blockSize
      for i in start..<min(n, start + Parallel.blockSize) where !T.magnitude(base[i]).isFinite {
        throw EMPInputError.nonFinite(index: count + i)
      }
    }
    count += n
    longestBlock = max(longestBlock, min(n, Parallel.blockSize))
    if !T.squaresAreExact { roundedSquareCount += n }
    trailingZeroKeyBits = min(trailingZeroKeyBits, T.trailingZeroKeyBits)
  }

  /// The summation depth of the block tree: block depth plus the depth of the tree over blocks.
  var depth: Int { FastKernels.blockDepth(longestBlock) + Parallel.treeDepth(blockSums.count) }

  /// Enclosures of `Σ|x|` and `Σx²` (Proofs §3).
  var enclosures: (absoluteSum: Enclosure, sumOfSquares: Enclosure) {
    let absolute = Parallel.pairwiseSum(blockSums.lazy.map(\.x))
    let squares = Parallel.pairwiseSum(blockSums.lazy.map(\.y))
    let gamma = Directed.gamma(depth)
    let squareGamma = roundedSquareCount > 0 ? Directed.gamma(depth + 1) : gamma
    // Each rounded square may lose up to 2^-1074 to underflow; the sum scales that by ≤ 1 + γ.
    let underflow = roundedSquareCount > 0
      ? Directed.up(Directed.up(1 + gamma) * (Double(roundedSquareCount) * 0x1p-1074)) : 0
    return (
      Directed.enclosure(ofSum: absolute, relativeError: gamma, absoluteError: 0),
      Directed.enclosure(ofSum: squares, relativeError: squareGamma, absoluteError: underflow)
    )
  }
}
