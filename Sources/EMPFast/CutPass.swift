/// The pass over a source against a bracket `[low, high)` of the cut: per block, the count and
/// sum of the scores `≥ high`; the keep bits of those scores into a mask (single-chunk
/// sources); and the scores inside the bracket, either recorded (global index and magnitude)
/// or only counted per block.
///
/// Workers split every chunk as `MomentsPass` does, so `capacities[w]` (how many inside
/// scores worker `w` meets, known from the histograms) sizes the recording exactly.
struct CutPass<Mask: KeepMask>: ScoreVisitor {
  var blockAboveCounts: [Int] = []
  var blockAboveSums: [Double] = []
  /// Per block, the scores inside the bracket (when counting).
  var blockInsideCounts: [Int] = []
  /// The recorded inside scores, in index order.
  var insideIndices: [Int] = []
  var insideMagnitudes: [Double] = []
  private var longestBlock = 0

  private let bracket: Bracket
  private let mask: Mask
  private let workers: Int
  private let recording: Bool
  private var offset = 0
  private var storage: (indices: UnsafeMutablePointer<Int>, magnitudes: UnsafeMutablePointer<Double>)?
  private var regionStarts: [Int] = []
  private var regionEnds: [Int] = []
  private var recorded: [Int] = []
  private var segments: [Range<Int>] = []

  /// - Parameters:
  ///   - capacities: per worker, the number of inside scores to record; `nil` to count them.
  ///   - mask: receives keep bits at chunk-relative indices; `NoKeepMask` for multi-chunk sources.
  init(_ source: some ScoreSource, bracket: Bracket, capacities: [Int]?, mask: Mask, workers: Int) throws {
    self.bracket = bracket
    self.mask = mask
    self.workers = workers
    recording = capacities != nil
    if let capacities {
      var start = 0
      for capacity in capacities {
        regionStarts.append(start)
        start += capacity
        regionEnds.append(start)
      }
      storage = (.allocate(capacity: start), .allocate(capacity: start))
      recorded = [Int](repeating: 0, count: capacities.count)
    }
    defer {
      storage?.indices.deallocate()
      storage?.magnitudes.deallocate()
    }
    try source.forEachChunk { chunk in try chunk.accept(&self) }
    if let storage {
      for segment in segments {
        insideIndices.append(contentsOf: UnsafeBufferPointer(start: storage.indices + segment.lowerBound, count: segment.count))
        insideMagnitudes.append(
          contentsOf: UnsafeBufferPointer(start: storage.magnitudes + segment.lowerBound, count: segment.count))
      }
    }
  }

  var countAbove: Int { blockAboveCounts.reduce(0, +) }
  /// `Σ |x|` over `|x| ≥ high`, summed block by block then pairwise over blocks.
  var sumAbove: Double { Parallel.pairwiseSum(blockAboveSums) }
  /// The summation depth of `sumAbove`.
  var depth: Int { FastKernels.blockDepth(longestBlock) + Parallel.treeDepth(blockAboveSums.count) }

  mutating func visit<T: FastScalar>(_ scores: UnsafeBufferPointer<T>) {
    defer { offset += scores.count }
    guard let base = scores.baseAddress, scores.count > 0 else { return }
    let n = scores.count
    let blocks = Parallel.blockCount(n)
    let workers = min(self.workers, blocks)
    let first = blockAboveSums.count
    blockAboveCounts.append(contentsOf: repeatElement(0, count: blocks))
    blockAboveSums.append(contentsOf: repeatElement(0, count: blocks))
    if !recording { blockInsideCounts.append(contentsOf: repeatElement(0, count: blocks)) }
    let before = recorded
    let (bracket, mask, offset, storage, regionStarts, regionEnds) = (bracket, mask, offset, storage, regionStarts, regionEnds)
    blockAboveCounts.withUnsafeMutableBufferPointer { aboveCounts in
      blockAboveSums.withUnsafeMutableBufferPointer { aboveSums in
        blockInsideCounts.withUnsafeMutableBufferPointer { insideCounts in
          recorded.withUnsafeMutableBufferPointer { recorded in
            Parallel.run(workers: workers) { worker in
              func classifyShare<Inside: BracketInterior>(_ inside: inout Inside, endBlock: (Int, inout Inside) -> Void) {
                for b in Parallel.share(of: worker, workers: workers, items: blocks) {
                  let start = b * Parallel.blockSize
                  inside.beginBlock(at: offset + start)
                  let result = FastKernels.classify(
                    base + start, count: min(Parallel.blockSize, n - start), bracket: bracket, index: start,
                    mask: mask, inside: &inside)
                  aboveCounts[first + b] = result.countAbove
                  aboveSums[first + b] = result.sumAbove
                  endBlock(b, &inside)
                }
              }
              if let storage {
                let start = regionStarts[worker] + recorded[worker]
                var recorder = InteriorRecorder(
                  indices: storage.indices + start, magnitudes: storage.magnitudes + start,
                  capacity: regionEnds[worker] - start)
                classifyShare(&recorder) { _, _ in }
                recorded[worker] += recorder.count
              } else {
                var counter = InteriorCounter()
                classifyShare(&counter) { b, counter in
                  insideCounts[first + b] = counter.count
                  counter.count = 0
                }
              }
            }
          }
        }
      }
    }
    if recording {
      for w in 0..<workers where recorded[w] > before[w] {
        segments.append(regionStarts[w] + before[w] ..< regionStarts[w] + recorded[w])
      }
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
