/// The pass over a source against a bracket `[low, high)` of the cut: per block, the count and
/// sum of the scores `≥ high` and the count of the scores inside the bracket; the keep bits
/// of the scores `≥ high` into a mask (single-chunk sources); and the scores inside, in index
/// order, while there are at most `limit` of them.
struct CutPass<Mask: KeepMask>: ScoreVisitor {
  var blockAboveCounts: [Int] = []
  var blockAboveSums: [Double] = []
  var blockInsideCounts: [Int] = []
  /// Whether the inside scores are all recorded (at most `limit` of them).
  private(set) var complete = true
  /// The recorded inside scores: each worker's record of each chunk, in index order (empty
  /// unless `complete`). Read in place, not concatenated.
  var records: [InteriorRecorder] = []
  /// How many scores `records` hold.
  private(set) var recordedCount = 0
  private var longestBlock = 0

  let limit: Int
  let bracket: Bracket
  private let mask: Mask
  private let workers: Int
  private let kernel: VectorKernel
  private var offset = 0
  private let expected: Int

  /// - Parameter mask: receives keep bits at chunk-relative indices; `NoKeepMask` for
  ///   multi-chunk sources.
  /// - Parameter expected: roughly how many scores lie inside, to size the record up front.
  /// - Parameter kernel: reads the chunks of every score format.
  init(
    _ source: some ScoreSource, bracket: Bracket, limit: Int, expected: Int = 0, mask: Mask, workers: Int,
    kernel: VectorKernel
  ) throws {
    self.kernel = kernel
    self.bracket = bracket
    self.limit = limit
    self.expected = min(limit, expected)
    self.mask = mask
    self.workers = workers
    try source.visitChunks(&self)
  }

  var countAbove: Int { blockAboveCounts.reduce(0, +) }
  var insideCount: Int { blockInsideCounts.reduce(0, +) }
  /// `Σ |x|` over `|x| ≥ high`, summed block by block then pairwise over blocks.
  var sumAbove: Double { Parallel.pairwiseSum(blockAboveSums) }
  /// The summation depth of `sumAbove`.
  var depth: Int { FastKernels.blockDepth(longestBlock) + Parallel.treeDepth(blockAboveSums.count) }

  mutating func visit<T: FastScalar>(_ scores: UnsafeBufferPointer<T>) {
    defer { offset += scores.count }
    guard let base = scores.baseAddress, scores.count > 0 else { return }
    visitBlocks(count: scores.count, forming: false) { start, _, _ in base + start }
  }

  mutating func visit(formed scores: some FormedScores) {
    defer { offset += scores.count }
    guard scores.count > 0 else { return }
    visitBlocks(count: scores.count, forming: true, scores.block)
  }

  /// The pass over a chunk of `n` scores: `block(start, length, scratch)` gives the block of
  /// `length` scores from `start`, in place or (`forming`) formed into `scratch`, the calling
  /// thread's room for one block.
  private mutating func visitBlocks<T: FastScalar>(
    count n: Int, forming: Bool, _ block: (Int, Int, UnsafeMutablePointer<Double>) -> UnsafePointer<T>
  ) {
    let blocks = Parallel.blockCount(n)
    let workers = min(self.workers, blocks)
    let first = blockAboveSums.count
    blockAboveCounts.append(contentsOf: repeatElement(0, count: blocks))
    blockAboveSums.append(contentsOf: repeatElement(0, count: blocks))
    blockInsideCounts.append(contentsOf: repeatElement(0, count: blocks))
    let room = complete ? limit - recordedCount : 0
    var recorders = [InteriorRecorder](repeating: InteriorRecorder(limit: room), count: workers)
    let (bracket, mask, offset, expected, kernel) = (bracket, mask, offset, expected, kernel)
    blockAboveCounts.withUnsafeMutableBufferPointer { aboveCounts in
      blockAboveSums.withUnsafeMutableBufferPointer { aboveSums in
        blockInsideCounts.withUnsafeMutableBufferPointer { insideCounts in
          recorders.withUnsafeMutableBufferPointer { recorders in
            Parallel.run(workers: workers) { worker in
              var recorder = InteriorRecorder(limit: room)
              recorder.reserve(min(room, expected / workers + expected / 8))
              Parallel.withBlockRoom(forming) { scratch in
                for b in Parallel.share(of: worker, workers: workers, items: blocks) {
                  let start = b * Parallel.blockSize
                  let length = min(Parallel.blockSize, n - start)
                  let before = recorder.count
                  recorder.beginBlock(at: offset + start)
                  let result = FastKernels.classify(
                    block(start, length, scratch), count: length, bracket: bracket, index: start, mask: mask,
                    inside: &recorder, kernel: kernel)
                  aboveCounts[first + b] = result.countAbove
                  aboveSums[first + b] = result.sumAbove
                  insideCounts[first + b] = recorder.count - before
                }
              }
              recorders[worker] = recorder
            }
          }
        }
      }
    }
    let found = recorders.reduce(0) { $0 + $1.count }
    if complete, found <= room {
      records += recorders
      recordedCount += found
    } else {
      complete = false
      records = []
      recordedCount = 0
    }
    longestBlock = max(longestBlock, min(n, Parallel.blockSize))
  }

  /// The index of the `k`-th score (1-based) with `|x| == threshold` in global block `block`.
  static func indexOfTie(_ k: Int, inBlock block: Int, of source: some ScoreSource, threshold: Double) throws -> Int {
    var offset = 0
    var firstBlock = 0
    var found: Int?
    try source.forEachChunk { chunk in
      let blocks = Parallel.blockCount(chunk.count)
      if found == nil, block < firstBlock + blocks {
        let start = (block - firstBlock) * Parallel.blockSize
        var finder = TieFinder(
          rank: k, range: start..<min(chunk.count, start + Parallel.blockSize), threshold: threshold)
        found = try chunk.accept(&finder).map { offset + $0 }
      }
      offset += chunk.count
      firstBlock += blocks
    }
    guard let found else { preconditionFailure("CutPass: the source changed between passes") }
    return found
  }
}

/// The index of the `rank`-th score with `|x| == threshold` in `range`, if any.
private struct TieFinder: ScoreVisitor {
  let rank: Int
  let range: Range<Int>
  let threshold: Double

  func visit<T: FastScalar>(_ scores: UnsafeBufferPointer<T>) -> Int? {
    var seen = 0
    for i in range where T.magnitude(scores[i]) == threshold {
      seen += 1
      if seen == rank { return i }
    }
    return nil
  }
}
