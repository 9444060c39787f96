/// One pass over a source against a bracket `[low, high]`: per block, the count and sum of
/// the scores above `high` and the count equal to `high`; and the scores inside the bracket
/// (index and magnitude, in index order) while there are at most `candidateCap` of them.
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
    var indices = [[Int]](repeating: [], count: workers)
    var magnitudes = [[Double]](repeating: [], count: workers)
    var inside = [Int](repeating: 0, count: workers)
    let collecting = cap > 0
    blockAboveCounts.withUnsafeMutableBufferPointer { aboveCounts in
      blockAboveSums.withUnsafeMutableBufferPointer { aboveSums in
        blockEqualCounts.withUnsafeMutableBufferPointer { equalCounts in
          indices.withUnsafeMutableBufferPointer { indices in
            magnitudes.withUnsafeMutableBufferPointer { magnitudes in
              inside.withUnsafeMutableBufferPointer { inside in
                Parallel.run(workers: workers) { worker in
                  for b in Parallel.share(of: worker, workers: workers, items: blocks) {
                    let start = b * Parallel.blockSize
                    let length = min(Parallel.blockSize, n - start)
                    let result = FastKernels.classify(
                      base + start, count: length, low: low, high: high,
                      collecting: collecting
                    ) { i, magnitude in
                      inside[worker] += 1
                      if inside[worker] <= cap {
                        indices[worker].append(offset + start + i)
                        magnitudes[worker].append(magnitude)
                      }
                    }
                    aboveCounts[first + b] = result.countAbove
                    aboveSums[first + b] = result.sumAbove
                    equalCounts[first + b] = result.countEqual
                  }
                }
              }
            }
          }
        }
      }
    }
    longestBlock = max(longestBlock, min(n, Parallel.blockSize))
    candidateTotal += inside.reduce(0, +)
    if candidateTotal <= cap {
      for worker in 0..<workers {
        candidateIndices += indices[worker]
        candidateMagnitudes += magnitudes[worker]
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
