/// Finds the cut — the `ν`-th largest magnitude `t`, how many scores lie above it, which
/// ties are kept — and the kept mass, in `O(N)` without sorting or copying the scores, and
/// writes the keep mask in the same pass (Proofs/fast-path-error-bounds.md, §5).
///
/// The histogram of the moments pass gives the bucket `[low, high)` holding `t` and the exact
/// number of scores above it. If the bucket holds more than `candidateLimit` scores, it is
/// split by histogram passes restricted to it (each reads the scores once) until it holds
/// few enough or is a single value. Then one pass classifies every score: `≥ high` kept
/// (counted, summed, marked in the mask), `< low` pruned, inside recorded; `t` is selected
/// among the recorded scores and their mask bits are set. A single value with too many
/// scores is the tie case: the ties are counted per block instead, and the kept ones marked
/// in a pass over the blocks up to the last kept tie. Without a histogram (small single
/// buffers) the bracket is `[0, +∞)`: every score is recorded.
struct CutSelection {
  var cut: Cut
  /// `Σ_{i∈π} |s_i|`, with its enclosure (Proofs §5).
  var keptSum: Enclosure
  /// When the keep mask still lacks the kept ties: the number of leading scores whose mask
  /// must be rewritten by `Cut.writeMask`.
  var unmarkedTiePrefix: Int?

  /// Single buffers up to this size skip the histogram.
  static let directLimit = 1 << 14

  /// The most scores recorded inside the bracket for `count` scores.
  static func candidateLimit(count: Int) -> Int { max(1 << 16, count >> 6) }

  init(
    _ source: some ScoreSource, moments: MomentsPass, rank: Int, mask: some InsertableKeepMask, workers: Int
  ) throws {
    let n = moments.count
    precondition(rank >= 1 && rank <= n, "CutSelection: rank out of range")
    let limit = Self.candidateLimit(count: n)
    var bracket: Bracket
    var countAbove = 0
    var capacities: [Int]
    if moments.histograms.isEmpty {
      bracket = Bracket(low: 0, high: .infinity)
      capacities = [Int](repeating: 0, count: workers)
      try source.forEachChunk { chunk in
        let blocks = Parallel.blockCount(chunk.count)
        let chunkWorkers = min(workers, blocks)
        for w in 0..<chunkWorkers {
          let share = Parallel.share(of: w, workers: chunkWorkers, items: blocks)
          capacities[w] += min(chunk.count, share.upperBound * Parallel.blockSize) - share.lowerBound * Parallel.blockSize
        }
      }
    } else {
      let (b, above) = Self.bucket(holding: rank, in: moments.histograms, count: MagnitudeBuckets.count)
      let range = MagnitudeBuckets.range(of: b)
      bracket = Bracket(low: range.low, high: range.high)
      countAbove = above
      capacities = moments.histograms.map { $0[b] }
      while capacities.reduce(0, +) > limit, bracket.high.bitPattern - bracket.low.bitPattern > 1 {
        let refinement = try RefinementPass(source, bracket: bracket, workers: workers)
        let (sub, subAbove) = Self.bucket(
          holding: rank - countAbove, in: refinement.histograms, count: RefinementPass.buckets)
        bracket = refinement.range(of: sub)
        countAbove += subAbove
        capacities = refinement.histograms.map { $0[sub] }
      }
    }
    if capacities.reduce(0, +) <= limit {
      self = try Self.recorded(
        source, bracket: bracket, countAbove: countAbove, capacities: capacities, rank: rank, mask: mask,
        workers: workers)
    } else {
      self = try Self.tied(source, threshold: bracket.low, countAbove: countAbove, rank: rank, mask: mask, workers: workers)
    }
  }

  /// The bucket holding the `rank`-th largest score, and how many scores lie in buckets above it.
  private static func bucket(holding rank: Int, in histograms: [[Int]], count: Int) -> (bucket: Int, above: Int) {
    var bucket = count - 1
    var above = 0
    while true {
      let inBucket = histograms.reduce(0) { $0 + $1[bucket] }
      if above + inBucket >= rank { return (bucket, above) }
      above += inBucket
      bucket -= 1
      precondition(bucket >= 0, "CutSelection: histogram inconsistent with the rank")
    }
  }

  /// The cut from the scores recorded inside the bracket.
  private static func recorded(
    _ source: some ScoreSource, bracket: Bracket, countAbove: Int, capacities: [Int], rank: Int,
    mask: some InsertableKeepMask, workers: Int
  ) throws -> CutSelection {
    let pass = try CutPass(source, bracket: bracket, capacities: capacities, mask: mask, workers: workers)
    precondition(
      pass.countAbove == countAbove && pass.insideIndices.count == capacities.reduce(0, +),
      "CutSelection: the source changed between passes")
    let r = rank - countAbove
    let magnitudes = pass.insideMagnitudes
    var keys = magnitudes.map(\.bitPattern)
    let t = Double(bitPattern: keys.withUnsafeMutableBufferPointer { KeySelection.largest(r, in: $0) })
    var greater: [Double] = []
    var ties = r
    for m in magnitudes where m > t {
      greater.append(m)
      ties -= 1
    }
    var seen = 0
    var lastTie = -1
    for (index, m) in zip(pass.insideIndices, magnitudes) {
      if m == t, seen < ties {
        seen += 1
        lastTie = index
      }
      if m > t || (m == t && index <= lastTie) { mask.insert(index) }
    }
    let estimate = (pass.sumAbove + Parallel.pairwiseSum(greater)) + Double(ties) * t
    let depth = max(pass.depth, Parallel.treeDepth(greater.count)) + 2
    return CutSelection(
      cut: Cut(threshold: t, countAbove: countAbove + greater.count, tiesKept: ties, lastKeptTieIndex: lastTie),
      keptSum: Directed.enclosure(ofSum: estimate, relativeError: Directed.gamma(depth), absoluteError: 0),
      unmarkedTiePrefix: nil)
  }

  /// The cut when more than the candidate limit of scores equal the threshold `t`.
  private static func tied(
    _ source: some ScoreSource, threshold t: Double, countAbove: Int, rank: Int, mask: some InsertableKeepMask,
    workers: Int
  ) throws -> CutSelection {
    let pass = try CutPass(
      source, bracket: Bracket(low: t, high: t.nextUp), capacities: nil, mask: mask, workers: workers)
    precondition(pass.countAbove == countAbove, "CutSelection: the source changed between passes")
    let ties = rank - countAbove
    var block = 0
    var before = 0
    while before + pass.blockInsideCounts[block] < ties {
      before += pass.blockInsideCounts[block]
      block += 1
    }
    let lastTie = try CutPass<NoKeepMask>.indexOfTie(ties - before, inBlock: block, of: source, threshold: t)
    let estimate = pass.sumAbove + Double(ties) * t
    return CutSelection(
      cut: Cut(threshold: t, countAbove: countAbove, tiesKept: ties, lastKeptTieIndex: lastTie),
      keptSum: Directed.enclosure(ofSum: estimate, relativeError: Directed.gamma(pass.depth + 2), absoluteError: 0),
      unmarkedTiePrefix: lastTie + 1)
  }

  private init(cut: Cut, keptSum: Enclosure, unmarkedTiePrefix: Int?) {
    self.cut = cut
    self.keptSum = keptSum
    self.unmarkedTiePrefix = unmarkedTiePrefix
  }
}

/// A histogram pass restricted to a bracket: the bracket's keys (magnitude bit patterns) are
/// split into at most `buckets` equal ranges, counted per worker (workers split each chunk
/// as `MomentsPass` does).
struct RefinementPass: ScoreVisitor {
  static let buckets = 4096

  private(set) var histograms: [[Int]]
  private let lowKey: UInt64
  private let highKey: UInt64
  private let shift: UInt64
  private let workers: Int

  init(_ source: some ScoreSource, bracket: Bracket, workers: Int) throws {
    lowKey = bracket.low.bitPattern
    highKey = bracket.high.bitPattern
    let span = highKey - lowKey
    let bits = UInt64.bitWidth - (span - 1).leadingZeroBitCount
    shift = UInt64(max(0, bits - 12))
    self.workers = workers
    histograms = [[Int]](repeating: [Int](repeating: 0, count: Self.buckets + 1), count: workers)
    try source.forEachChunk { chunk in try chunk.accept(&self) }
  }

  /// The magnitudes of sub-bucket `b`.
  func range(of b: Int) -> Bracket {
    let low = lowKey + UInt64(b) << shift
    let high = min(highKey, lowKey + UInt64(b + 1) << shift)
    return Bracket(low: Double(bitPattern: low), high: Double(bitPattern: high))
  }

  mutating func visit<T: FastScalar>(_ scores: UnsafeBufferPointer<T>) {
    guard let base = scores.baseAddress, scores.count > 0 else { return }
    let n = scores.count
    let blocks = Parallel.blockCount(n)
    let workers = min(self.workers, blocks)
    let (lowKey, span, shift) = (lowKey, highKey - lowKey, shift)
    var partial = [Int](repeating: 0, count: (Self.buckets + 1) * workers)
    partial.withUnsafeMutableBufferPointer { partial in
      let partial = partial.baseAddress!
      Parallel.run(workers: workers) { worker in
        let counts = partial + worker * (Self.buckets + 1)
        let share = Parallel.share(of: worker, workers: workers, items: blocks)
        for i in share.lowerBound * Parallel.blockSize..<min(n, share.upperBound * Parallel.blockSize) {
          let key = T.magnitude(base[i]).bitPattern &- lowKey
          counts[key < span ? Int(key >> shift) : Self.buckets] += 1
        }
      }
    }
    for w in 0..<workers {
      for b in 0..<Self.buckets { histograms[w][b] += partial[w * (Self.buckets + 1) + b] }
    }
  }
}
