/// One pass over a source against a bracket `[low, high]`: per block, the count and sum of
/// the scores above `high` and the count equal to `high`; and the scores inside the bracket
/// (index and magnitude, in index order) while there are at most `candidateCap` of them;
/// with `low == high` it gathers none and counts the scores equal to `high` per block.
struct ClassificationPass: ScoreVisitor {
  var blockAboveCounts: [Int] = []
  var blockAboveSums: [Double] = []
  var blockEqualCounts: [Int] = []
  /// The number of scores inside the bracket (counted even beyond the cap).
  var candidateTotal = 0
  var candidateIndices: [Int] = []
  var candidateMagnitudes: [Double] = []
  private var longestBlock = 0

  private let low: Double
  private let high: Double
  private let cap: Int
  private let workers: Int
  private var offset = 0

  init(_ source: some ScoreSource, low: Double, high: Double, candidateCap: Int, workers: Int) throws {
    self.low = low
    self.high = high
    self.cap = candidateCap
    self.workers = workers
    try source.forEachChunk { chunk in try chunk.accept(&self) }
  }

  var countAbove: Int { blockAboveCounts.reduce(0, +) }
  /// `Σ |x|` over `|x| > high`, summed block by block then pairwise over blocks.
  var sumAbove: Double { Parallel.pairwiseSum(blockAboveSums) }
  /// The summation depth of `sumAbove`.
  var depth: Int { FastKernels.blockDepth(longestBlock) + Parallel.treeDepth(blockAboveSums.count) }

  mutating func visit<T: FastScalar>(_ scores: UnsafeBufferPointer<T>) {
    defer { offset += scores.count }
    guard let base = scores.baseAddress, scores.count > 0 else { return }
    let n = scores.count
    let (low, high, cap, offset) = (low, high, cap, offset)
    let blocks = Parallel.blockCount(n)
    let workers = max(1, min(workers, blocks))
    let first = blockAboveSums.count
    blockAboveCounts.append(contentsOf: repeatElement(0, count: blocks))
    blockAboveSums.append(contentsOf: repeatElement(0, count: blocks))
    blockEqualCounts.append(contentsOf: repeatElement(0, count: blocks))
    var found = [FastKernels.Candidates](repeating: FastKernels.Candidates(capacity: cap), count: workers)
    blockAboveCounts.withUnsafeMutableBufferPointer { aboveCounts in
      blockAboveSums.withUnsafeMutableBufferPointer { aboveSums in
        blockEqualCounts.withUnsafeMutableBufferPointer { equalCounts in
          found.withUnsafeMutableBufferPointer { found in
            Parallel.run(workers: workers) { worker in
              var candidates = FastKernels.Candidates(capacity: cap)
              for b in Parallel.share(of: worker, workers: workers, items: blocks) {
                let start = b * Parallel.blockSize
                let result = FastKernels.classify(
                  base + start, count: min(Parallel.blockSize, n - start), low: low, high: high,
                  offset: offset + start, candidates: &candidates)
                aboveCounts[first + b] = result.countAbove
                aboveSums[first + b] = result.sumAbove
                equalCounts[first + b] = result.countEqual
              }
              found[worker] = candidates
            }
          }
        }
      }
    }
    longestBlock = max(longestBlock, min(n, Parallel.blockSize))
    candidateTotal += found.reduce(0) { $0 + $1.total }
    if candidateTotal <= cap {
      for candidates in found {
        candidateIndices += candidates.indices
        candidateMagnitudes += candidates.magnitudes
      }
    }
  }

  /// The index of the `k`-th score (1-based) with `|x| == threshold` in global block `block`.
  func indexOfTie(_ k: Int, inBlock block: Int, of source: some ScoreSource, threshold: Double) throws -> Int {
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
    guard let found else { preconditionFailure("ClassificationPass: the source changed between passes") }
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
