import Exact
import EMPCore

/// The first pass over a source: per-block `(Σ|x|, Σx²)`, a positional sample of keys, and
/// what the error bounds need to know about the formats and block lengths.
struct MomentsPass: ScoreVisitor {
  /// Keys sampled per full block (evenly spaced) for a source of unknown length.
  static let samplesPerBlock = 32

  /// Keys to sample per block of a buffer of `count` scores: 32 (1 in 256), or more for
  /// smaller buffers so that the sample holds about 2^17 keys (at most 1 in 16). With `m` keys
  /// the sampled bracket holds about `8·√(q(1 − q)/m)` of the scores around the quantile
  /// `q` of the cut; 2^17 keys keep that below `CutSelection.candidateLimit`'s `1/64` at every
  /// `q` (2^15 did not near `q = 1/2`, and the bracket then needed histogram passes).
  static func samplesPerBlock(count: Int) -> Int {
    min(Parallel.blockSize / 16, max(samplesPerBlock, (1 << 17) / max(1, Parallel.blockCount(count))))
  }

  var count = 0
  /// `(Σ|x|, Σx²)` of each block, in block order across chunks.
  var blockSums: [SIMD2<Double>] = []
  /// `Double` bit patterns of sampled magnitudes, for bracketing the cut (Proofs §5).
  var sample: [UInt64] = []
  var longestBlock = 0
  /// How many scores are `Double`s, whose squares round (Proofs §3).
  var roundedSquareCount = 0

  /// Reads every chunk of `source` once.
  ///
  /// - Throws: `EMPInputError.empty`, `.nonFinite(index:)` (the first such score), or what
  ///   the source throws.
  /// - Parameter samplesPerBlock: keys to sample per full block (0: none).
  /// - Parameter kernel: reads the chunks of every score format.
  init(_ source: some ScoreSource, workers: Int, samplesPerBlock: Int, kernel: VectorKernel) throws {
    self.workers = workers
    self.samplesPerBlock = samplesPerBlock
    self.kernel = kernel
    if samplesPerBlock > 0 { sample = SparePools.keys.take(capacity: 0) }
    try source.visitChunks(&self)
    guard count > 0 else { throw EMPInputError.empty }
  }

  private let workers: Int
  private let samplesPerBlock: Int
  private let kernel: VectorKernel

  mutating func visit<T: FastScalar>(_ scores: UnsafeBufferPointer<T>) throws {
    guard let base = scores.baseAddress, scores.count > 0 else { return }
    try visitBlocks(count: scores.count, forming: false) { start, _, _ in base + start }
  }

  mutating func visit(formed scores: some FormedScores) throws {
    guard scores.count > 0 else { return }
    try visitBlocks(count: scores.count, forming: true, scores.block)
  }

  /// The pass over a chunk of `n` scores: `block(start, length, scratch)` gives the block of
  /// `length` scores from `start`, in place or (`forming`) formed into `scratch`, the calling
  /// thread's room for one block.
  private mutating func visitBlocks<T: FastScalar>(
    count n: Int, forming: Bool, _ block: (Int, Int, UnsafeMutablePointer<Double>) -> UnsafePointer<T>
  ) throws {
    let blocks = Parallel.blockCount(n)
    let (perBlock, kernel) = (samplesPerBlock, kernel)
    let sampleStart = sample.count
    let sumStart = blockSums.count
    blockSums.append(contentsOf: repeatElement(.zero, count: blocks))
    sample.append(contentsOf: repeatElement(0, count: perBlock * blocks))
    // The strata of a full block, `[j·blockSize/perBlock, (j + 1)·blockSize/perBlock)`, divided
    // once here.
    let fullBlockStrata = perBlock == 0 ? [] : (0...perBlock).map { $0 * Parallel.blockSize / perBlock }
    blockSums.withUnsafeMutableBufferPointer { sums in
      sample.withUnsafeMutableBufferPointer { keys in
        let sums = sums.baseAddress! + sumStart
        let keys = keys.baseAddress! + sampleStart
        Parallel.run(workers: min(workers, blocks)) { worker in
          Parallel.withBlockRoom(forming) { scratch in
            for b in Parallel.share(of: worker, workers: min(workers, blocks), items: blocks) {
              let start = b * Parallel.blockSize
              let length = min(Parallel.blockSize, n - start)
              let scores = block(start, length, scratch)
              sums[b] = FastKernels.moments(scores, count: length, kernel: kernel)
              for j in 0..<perBlock {
                let (low, high) =
                  length == Parallel.blockSize
                  ? (fullBlockStrata[j], fullBlockStrata[j + 1]) : (j * length / perBlock, (j + 1) * length / perBlock)
                let position = low + Self.offset(inStratum: high - low, block: sumStart + b, key: j)
                keys[b * perBlock + j] = T.magnitude(scores[position]).bitPattern
              }
            }
          }
        }
      }
    }
    if let bad = blockSums[sumStart...].firstIndex(where: { !$0.x.isFinite }) {
      let start = (bad - sumStart) * Parallel.blockSize
      let length = min(Parallel.blockSize, n - start)
      try Parallel.withBlockRoom(forming) { scratch in
        let scores = block(start, length, scratch)
        for i in 0..<length where !T.magnitude(scores[i]).isFinite {
          throw EMPInputError.nonFinite(index: count + start + i)
        }
      }
    }
    count += n
    longestBlock = max(longestBlock, min(n, Parallel.blockSize))
    if !T.squaresAreExact { roundedSquareCount += n }
  }

  /// Where in its stratum of `width` scores key `key` of block `block` is sampled: a fixed
  /// pseudo-random offset, so that the sample does not alias with a period of the scores
  /// (evenly spaced keys of a matrix whose rows divide the spacing all fall in a few
  /// columns, and Wanda's scores differ by column).
  @inline(__always)
  private static func offset(inStratum width: Int, block: Int, key: Int) -> Int {
    guard width > 1 else { return 0 }
    let mixed = (UInt64(block) &* 0x9E37_79B9_7F4A_7C15) ^ (UInt64(key) &* 0xC2B2_AE3D_27D4_EB4F)
    let hash = (mixed ^ (mixed >> 29)) &* 0xBF58_476D_1CE4_E5B9
    return Int(((hash >> 32) &* UInt64(width)) >> 32)
  }

  /// The summation depth of the block tree: block depth plus the depth of the tree over blocks.
  var depth: Int { FastKernels.blockDepth(longestBlock) + Parallel.treeDepth(blockSums.count) }

  /// Enclosures of `Σ|x|` and `Σx²` (Proofs §3).
  var enclosures: (absoluteSum: Enclosure<Double>, sumOfSquares: Enclosure<Double>) {
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
