import EMPCore

/// The first pass over a source: per-block `(Σ|x|, Σx²)`, a positional sample of keys, and
/// what the error bounds need to know about the formats and block lengths.
struct MomentsPass: ScoreVisitor {
  /// Keys sampled per full block (evenly spaced), for bracketing the cut.
  static let samplesPerBlock = 32

  var count = 0
  /// `(Σ|x|, Σx²)` of each block, in block order across chunks.
  var blockSums: [SIMD2<Double>] = []
  /// `Double` bit patterns of sampled magnitudes.
  var sample: [UInt64] = []
  var longestBlock = 0
  /// How many scores are `Double`s, whose squares round (Proofs §3).
  var roundedSquareCount = 0
  /// Trailing key bits that are zero for every chunk's format.
  var trailingZeroKeyBits = 63

  /// Reads every chunk of `source` once.
  ///
  /// - Throws: `EMPInputError.empty`, `.nonFinite(index:)` (the first such score), or what
  ///   the source throws.
  init(_ source: some ScoreSource, workers: Int, sampling: Bool) throws {
    self.workers = workers
    self.sampling = sampling
    try source.forEachChunk { chunk in try chunk.accept(&self) }
    guard count > 0 else { throw EMPInputError.empty }
  }

  private let workers: Int
  private let sampling: Bool

  mutating func visit<T: FastScalar>(_ scores: UnsafeBufferPointer<T>) throws {
    guard let base = scores.baseAddress, scores.count > 0 else { return }
    let n = scores.count
    let blocks = Parallel.blockCount(n)
    let perBlock = sampling ? Self.samplesPerBlock : 0
    let sampleStart = sample.count
    let sumStart = blockSums.count
    blockSums.append(contentsOf: repeatElement(.zero, count: blocks))
    sample.append(contentsOf: repeatElement(0, count: perBlock * blocks))
    blockSums.withUnsafeMutableBufferPointer { sums in
      sample.withUnsafeMutableBufferPointer { keys in
        let sums = sums.baseAddress! + sumStart
        let keys = keys.baseAddress! + sampleStart
        Parallel.run(workers: min(workers, blocks)) { worker in
          for b in Parallel.share(of: worker, workers: min(workers, blocks), items: blocks) {
            let start = b * Parallel.blockSize
            let length = min(Parallel.blockSize, n - start)
            let (absolute, squares) = FastKernels.moments(base + start, count: length)
            sums[b] = SIMD2(absolute, squares)
            for j in 0..<perBlock {
              keys[b * perBlock + j] = T.magnitude(base[start + j * length / perBlock]).bitPattern
            }
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
