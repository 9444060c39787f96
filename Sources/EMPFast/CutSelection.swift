import Exact
/// Finds the cut — the `ν`-th largest magnitude `t`, how many scores lie above it, which
/// ties are kept — and the kept mass, in `O(N)` without sorting or copying the scores, and
/// writes the keep mask in the same pass (Proofs/fast-path-error-bounds.md, §5).
///
/// Usually one pass: the positional sample of the moments pass brackets `t` in `[low, high)`;
/// one pass classifies every score — `≥ high` kept (counted, summed, marked in the mask),
/// `< low` pruned, inside recorded — then `t` is selected among the recorded scores and their
/// mask bits are set. When the bracket misses `t` or holds more than `candidateLimit` scores,
/// histogram passes (`RefinementPass`) narrow the range the counts put `t` in (above, inside
/// or below the bracket) down to a bracket that holds few enough scores or a single value,
/// and the classification runs again. A single value with
/// too many scores is the tie case: ties are counted per block, the last kept one located,
/// and the kept ones marked by the caller. Without a sample (small single buffers) the
/// bracket is `[0, +∞)`: every score is recorded.
struct CutSelection {
  var cut: Cut
  /// `Σ_{i∈π} |s_i|`, with its enclosure (Proofs §5).
  var keptSum: Enclosure<Double>
  /// When the keep mask still lacks the kept ties: the number of leading scores whose mask
  /// must be rewritten by `Cut.writeMask`.
  var unmarkedTiePrefix: Int?

  /// Single buffers up to this size skip the sample and record every score.
  static let directLimit = 1 << 14

  /// The fewest recorded scores resolved on more than one thread: below, waking the threads
  /// costs more than they save.
  static let parallelResolveMinimum = 1 << 16

  /// The most scores recorded inside the bracket, for `count` scores.
  static func candidateLimit(count: Int) -> Int { max(1 << 16, count >> 6) }

  /// - Parameter sample: the positional sample of the moments pass (`MomentsPass.sample`).
  /// - Parameter kernel: reads the chunks of every score format in the classification passes.
  /// - Parameter parallelResolveMinimum: the fewest recorded scores resolved on more than one
  ///   thread (lowered by tests, to run the threaded resolve on small inputs).
  init(
    _ source: some ScoreSource, count n: Int, sample: [UInt64], rank: Int, mask: some InsertableKeepMask,
    workers: Int, kernel: VectorKernel, parallelResolveMinimum: Int = Self.parallelResolveMinimum
  ) throws {
    precondition(rank >= 1 && rank <= n, "CutSelection: rank out of range")
    guard !sample.isEmpty else {
      var pass = try CutPass(source, bracket: Bracket(low: 0, high: .infinity), limit: n, mask: mask, workers: workers, kernel: kernel)
      self = try Self.resolved(&pass, source: source, rank: rank, mask: mask, workers: workers, parallelResolveMinimum: parallelResolveMinimum)!
      return
    }
    let limit = Self.candidateLimit(count: n)
    var bracket = Bracket(low: 0, high: .infinity)
    var remaining = rank
    if let (sampled, expected) = sample.withUnsafeBufferPointer({
      Self.sampledBracket($0, count: n, rank: rank, workers: workers)
    }) {
      var pass = try CutPass(source, bracket: sampled, limit: limit, expected: expected, mask: mask, workers: workers, kernel: kernel)
      if let selection = try Self.resolved(&pass, source: source, rank: rank, mask: mask, workers: workers, parallelResolveMinimum: parallelResolveMinimum) {
        self = selection
        return
      }
      // The refinement starts from the part the counts put the rank in: above the sampled
      // bracket, inside it (too many to record), or below it.
      let (above, inside) = (pass.countAbove, pass.insideCount)
      if rank <= above {
        bracket = Bracket(low: sampled.high, high: .infinity)
      } else if rank <= above + inside {
        (bracket, remaining) = (sampled, rank - above)
      } else {
        (bracket, remaining) = (Bracket(low: 0, high: sampled.low), rank - above - inside)
      }
    }
    while true {
      let refinement = try RefinementPass(source, bracket: bracket, workers: workers)
      var b = refinement.histogram.count - 1
      while refinement.histogram[b] < remaining {
        remaining -= refinement.histogram[b]
        b -= 1
      }
      bracket = refinement.range(of: b)
      if refinement.histogram[b] <= limit || bracket.low.nextUp == bracket.high { break }
    }
    var pass = try CutPass(source, bracket: bracket, limit: limit, mask: mask, workers: workers, kernel: kernel)
    guard let selection = try Self.resolved(&pass, source: source, rank: rank, mask: mask, workers: workers, parallelResolveMinimum: parallelResolveMinimum) else {
      preconditionFailure("CutSelection: the source changed between passes")
    }
    self = selection
  }

  /// `[low, high)` from the sample: its order statistics at the cut's quantile ± 4 standard
  /// deviations (and 8 ranks), with the number of scores it is expected to hold; `nil` when
  /// the sample gives no bracket.
  private static func sampledBracket(_ sample: UnsafeBufferPointer<UInt64>, count n: Int, rank: Int, workers: Int)
    -> (Bracket, expected: Int)?
  {
    let m = sample.count
    let q = Double(rank) / Double(n)
    let center = q * Double(m)
    let margin = 4 * (Double(m) * q * (1 - q)).squareRoot() + 8
    let highRank = Int((center - margin).rounded(.down))
    let lowRank = Int((center + margin).rounded(.up))
    let (first, last) = KeySelection.largest(max(1, highRank), min(m, lowRank), in: sample, workers: workers)
    let high = highRank < 1 ? Double.infinity : Double(bitPattern: first).nextUp
    let low = lowRank > m ? 0 : Double(bitPattern: last)
    let expected = Int(Double(n) * Double(lowRank - highRank) / Double(m))
    return low < high && low.isFinite ? (Bracket(low: low, high: high), expected) : nil
  }

  /// The cut from a classification, or `nil` when its bracket does not hold the `rank`-th
  /// largest score, or holds too many scores that are not all equal.
  private static func resolved(
    _ pass: inout CutPass<some KeepMask>, source: some ScoreSource, rank: Int, mask: some InsertableKeepMask,
    workers: Int, parallelResolveMinimum: Int
  ) throws -> CutSelection? {
    let countAbove = pass.countAbove
    guard countAbove < rank, rank <= countAbove + pass.insideCount else { return nil }
    if pass.complete {
      let workers = pass.recordedCount >= parallelResolveMinimum ? workers : 1
      return recorded(&pass, rank: rank, mask: mask, workers: workers)
    }
    guard pass.bracket.low.nextUp == pass.bracket.high else { return nil }
    return try tied(pass, source: source, rank: rank)
  }

  /// The cut from the scores recorded inside the bracket, on `workers` threads with the same
  /// bits for any count: `t` by selection (`RecordedSelection`), then one pass over each
  /// record marks the kept ones above `t` and moves the magnitudes above `t` and the indices
  /// of the ties to its front; the ties kept are the lowest indices, and the magnitudes above
  /// `t` are summed in index order.
  private static func recorded(
    _ pass: inout CutPass<some KeepMask>, rank: Int, mask: some InsertableKeepMask, workers: Int
  ) -> CutSelection {
    let countAbove = pass.countAbove
    let r = rank - countAbove
    let selected = RecordedSelection(r, in: pass.records, bracket: pass.bracket, workers: workers)
    let t = Double(bitPattern: selected.key)
    let ties = r - selected.greater
    let recordCount = pass.records.count
    var fronts = [(greater: Int, tied: Int)](repeating: (0, 0), count: recordCount)
    fronts.withUnsafeMutableBufferPointer { fronts in
      pass.records.withUnsafeMutableBufferPointer { records in
        let workers = min(workers, recordCount)
        Parallel.run(workers: workers) { worker in
          for k in Parallel.share(of: worker, workers: workers, items: recordCount) {
            fronts[k] = records[k].partitionAbout(t, mask: mask)
          }
        }
      }
    }
    var seen = 0
    var lastTie = -1
    let tieCount = fronts.reduce(0) { $0 + $1.tied }
    var terms = SparePools.keys.take(capacity: selected.greater)
    for (record, front) in zip(pass.records, fronts) {
      let marked = min(front.tied, ties - seen)
      for index in record.indices.prefix(marked) { mask.insert(index) }
      if marked > 0 { lastTie = record.indices[marked - 1] }
      seen += marked
      record.magnitudes.withUnsafeBufferPointer { magnitudes in
        magnitudes.withMemoryRebound(to: UInt64.self) { terms += $0.prefix(front.greater) }
      }
    }
    precondition(terms.count == selected.greater && seen == ties, "CutSelection: records disagree with the selection")
    SparePools.keep(&pass.records)
    let greaterSum = terms.withUnsafeBufferPointer { BlockedSum(ofBitPatterns: $0) }
    SparePools.keys.keep(&terms)
    let estimate = (pass.sumAbove + greaterSum.total) + Double(ties) * t
    let depth = max(pass.depth, greaterSum.depth) + 2
    return CutSelection(
      cut: Cut(threshold: t, countAbove: countAbove + selected.greater, tiesKept: ties, lastKeptTieIndex: lastTie, tieCount: tieCount),
      keptSum: Directed.enclosure(ofSum: estimate, relativeError: Directed.gamma(depth), absoluteError: 0),
      unmarkedTiePrefix: nil)
  }

  /// The cut when the bracket is the single value `t` and holds too many scores to record.
  private static func tied(_ pass: CutPass<some KeepMask>, source: some ScoreSource, rank: Int) throws -> CutSelection {
    let t = pass.bracket.low
    let countAbove = pass.countAbove
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
      cut: Cut(
        threshold: t, countAbove: countAbove, tiesKept: ties, lastKeptTieIndex: lastTie, tieCount: pass.insideCount),
      keptSum: Directed.enclosure(ofSum: estimate, relativeError: Directed.gamma(pass.depth + 2), absoluteError: 0),
      unmarkedTiePrefix: lastTie + 1)
  }

  private init(cut: Cut, keptSum: Enclosure<Double>, unmarkedTiePrefix: Int?) {
    self.cut = cut
    self.keptSum = keptSum
    self.unmarkedTiePrefix = unmarkedTiePrefix
  }
}

/// A sum of non-negative terms in the shape of the block kernels (Proofs §3): runs of
/// `Parallel.blockSize` terms go round-robin into 8 lanes, folded pairwise; the run totals
/// are summed pairwise.
private struct BlockedSum {
  let total: Double
  /// The summation depth of `total`.
  let depth: Int

  /// The sum of the `Double`s with bit patterns `terms`.
  init(ofBitPatterns terms: UnsafeBufferPointer<UInt64>) {
    var runs: [Double] = []
    for start in stride(from: 0, to: terms.count, by: Parallel.blockSize) {
      let run = UnsafeBufferPointer(rebasing: terms[start..<min(terms.count, start + Parallel.blockSize)])
      var lanes = SIMD8<Double>()
      var i = 0
      while i + 8 <= run.count {
        lanes += unsafeBitCast(UnsafeRawPointer(run.baseAddress! + i).loadUnaligned(as: SIMD8<UInt64>.self), to: SIMD8<Double>.self)
        i += 8
      }
      // The last partial group: lanes past the run get +0, which changes no lane.
      for lane in 0..<run.count - i { lanes[lane] += Double(bitPattern: run[i + lane]) }
      runs.append(FastKernels.fold(lanes))
    }
    total = Parallel.pairwiseSum(runs)
    depth = FastKernels.blockDepth(min(terms.count, Parallel.blockSize)) + Parallel.treeDepth(max(1, runs.count))
  }
}

/// A histogram pass restricted to a bracket: the bracket's keys (magnitude bit patterns) are
/// split into at most 4096 equal ranges (the last one possibly shorter), and the scores of
/// each range counted.
struct RefinementPass: ScoreVisitor {
  /// `histogram[b]`: the scores in `range(of: b)`.
  private(set) var histogram: [Int]
  private let lowKey: UInt64
  private let highKey: UInt64
  private let shift: UInt64
  private let workers: Int

  init(_ source: some ScoreSource, bracket: Bracket, workers: Int) throws {
    lowKey = bracket.low.bitPattern
    highKey = bracket.high.bitPattern
    let bits = UInt64.bitWidth - (highKey - lowKey - 1).leadingZeroBitCount
    shift = UInt64(max(0, bits - 12))  // at most 4096 ranges
    self.workers = workers
    histogram = [Int](repeating: 0, count: Int((highKey - lowKey - 1) >> shift) + 1)
    try source.visitChunks(&self)
  }

  /// The magnitudes of bucket `b`.
  func range(of b: Int) -> Bracket {
    let low = lowKey + UInt64(b) << shift
    let high = min(highKey, lowKey + UInt64(b + 1) << shift)
    return Bracket(low: Double(bitPattern: low), high: Double(bitPattern: high))
  }

  mutating func visit<T: FastScalar>(_ scores: UnsafeBufferPointer<T>) {
    guard let base = scores.baseAddress, scores.count > 0 else { return }
    let n = scores.count
    let workers = min(self.workers, Parallel.blockCount(n))
    let buckets = histogram.count
    let (lowKey, span, shift) = (lowKey, highKey - lowKey, shift)
    var partial = [Int](repeating: 0, count: (buckets + 1) * workers)
    partial.withUnsafeMutableBufferPointer { partial in
      let partial = partial.baseAddress!
      Parallel.run(workers: workers) { worker in
        let counts = partial + worker * (buckets + 1)
        for i in Parallel.share(of: worker, workers: workers, items: n) {
          let key = T.magnitude(base[i]).bitPattern &- lowKey
          counts[key < span ? Int(key >> shift) : buckets] += 1
        }
      }
    }
    for w in 0..<workers {
      for b in 0..<buckets { histogram[b] += partial[w * (buckets + 1) + b] }
    }
  }
}
