import Foundation

/// Finds the cut — the `ν`-th largest magnitude `t`, how many scores lie above it, which
/// ties are kept — and the kept mass, in `O(N)` without sorting or copying the scores.
///
/// Usually one pass: the sample of the moments pass brackets `t` in `[low, high]`; a pass
/// counts and sums the scores above `high` and gathers the few inside the bracket, and `t`
/// is selected among those. When the bracket misses or holds too many scores (heavy ties),
/// most-significant-digit radix selection over the scores' bit patterns finds `t` in at most
/// `⌈(63 − z)/16⌉` histogram passes (`z`: trailing zero bits of the formats' keys).
struct CutSelection {
  var cut: Cut
  /// `Σ_{i∈π} |s_i|`, with its enclosure (Proofs §5).
  var keptSum: Enclosure

  /// Inputs up to this size select directly among all their keys.
  static let directLimit = 1 << 16

  init(_ source: some ScoreSource, moments: MomentsPass, rank: Int, workers: Int) throws {
    precondition(rank >= 1 && rank <= moments.count, "CutSelection: rank out of range")
    if moments.count > Self.directLimit,
      let bracketed = try Self.bracketed(source, moments: moments, rank: rank, workers: workers)
    {
      self = bracketed
      return
    }
    let threshold = moments.count <= Self.directLimit
      ? try Self.directThreshold(source, count: moments.count, rank: rank)
      : try Self.radixThreshold(source, rank: rank, trailingZeroBits: moments.trailingZeroKeyBits, workers: workers)
    self = try Self.counted(source, moments: moments, threshold: threshold, rank: rank, workers: workers)
  }

  // MARK: Threshold by bracketing

  private static func bracketed(_ source: some ScoreSource, moments: MomentsPass, rank: Int, workers: Int) throws
    -> CutSelection?
  {
    let sample = moments.sample
    let m = sample.count
    guard m > 0 else { return nil }
    let n = moments.count
    let q = Double(rank) / Double(n)
    let center = q * Double(m)
    let margin = 4 * (Double(m) * q * (1 - q)).squareRoot() + 8
    let highRank = Int((center - margin).rounded(.down))
    let lowRank = Int((center + margin).rounded(.up))
    func sampleLargest(_ rank: Int) -> Double {
      var scratch = sample
      return Double(bitPattern: scratch.withUnsafeMutableBufferPointer { KeySelection.largest(rank, in: $0) })
    }
    let high = highRank < 1 ? Double.infinity : sampleLargest(highRank)
    let low = lowRank > m ? 0 : sampleLargest(lowRank)
    let cap = max(1 << 16, n / 8)
    let pass = try ClassificationPass(source, low: low, high: high, candidateCap: cap, workers: workers)
    guard pass.candidateTotal <= cap, pass.countAbove < rank, rank <= pass.countAbove + pass.candidateTotal else {
      return nil
    }
    let r = rank - pass.countAbove
    let magnitudes = pass.candidateMagnitudes
    var keys = magnitudes.map(\.bitPattern)
    let t = Double(bitPattern: keys.withUnsafeMutableBufferPointer { KeySelection.largest(r, in: $0) })
    let greater = magnitudes.filter { $0 > t }
    let ties = r - greater.count
    var seen = 0
    var lastTie = -1
    for (index, magnitude) in zip(pass.candidateIndices, magnitudes) where magnitude == t {
      seen += 1
      if seen == ties {
        lastTie = index
        break
      }
    }
    let estimate = (pass.sumAbove + Parallel.pairwiseSum(greater)) + Double(ties) * t
    let depth = max(pass.depth, Parallel.treeDepth(greater.count)) + 2
    return CutSelection(
      cut: Cut(threshold: t, countAbove: pass.countAbove + greater.count, tiesKept: ties, lastKeptTieIndex: lastTie),
      keptSum: Directed.enclosure(ofSum: estimate, relativeError: Directed.gamma(depth), absoluteError: 0))
  }

  // MARK: Threshold by direct or radix selection

  private static func directThreshold(_ source: some ScoreSource, count: Int, rank: Int) throws -> Double {
    var collector = KeyCollector()
    collector.keys.reserveCapacity(count)
    try source.forEachChunk { chunk in try chunk.accept(&collector) }
    return Double(bitPattern: collector.keys.withUnsafeMutableBufferPointer { KeySelection.largest(rank, in: $0) })
  }

  private static func radixThreshold(_ source: some ScoreSource, rank: Int, trailingZeroBits: Int, workers: Int)
    throws -> Double
  {
    let bits = 63 - trailingZeroBits
    let digits = (bits + 15) / 16
    var top = 63
    var prefix: UInt64 = 0
    var remaining = rank
    for digit in 0..<digits {
      let width = bits / digits + (digit < bits % digits ? 1 : 0)
      let shift = top - width
      var pass = HistogramPass(prefix: prefix, top: top, shift: shift, workers: workers)
      try source.forEachChunk { chunk in try chunk.accept(&pass) }
      let histogram = pass.histogram
      var bucket = histogram.count - 1
      while histogram[bucket] < remaining {
        remaining -= histogram[bucket]
        bucket -= 1
      }
      prefix = prefix << UInt64(width) | UInt64(bucket)
      top = shift
    }
    return Double(bitPattern: prefix << UInt64(top))
  }

  /// The cut and kept mass for a known threshold: one classification pass, then the tie
  /// that is kept last is located.
  private static func counted(
    _ source: some ScoreSource, moments: MomentsPass, threshold t: Double, rank: Int, workers: Int
  ) throws -> CutSelection {
    let pass = try ClassificationPass(source, low: t, high: t, candidateCap: 0, workers: workers)
    let ties = rank - pass.countAbove
    precondition(ties >= 1 && ties <= pass.blockEqualCounts.reduce(0, +), "CutSelection: threshold inconsistent")
    var block = 0
    var before = 0
    while before + pass.blockEqualCounts[block] < ties {
      before += pass.blockEqualCounts[block]
      block += 1
    }
    let lastTie = try pass.indexOfTie(ties - before, inBlock: block, of: source, threshold: t)
    let estimate = pass.sumAbove + Double(ties) * t
    return CutSelection(
      cut: Cut(threshold: t, countAbove: pass.countAbove, tiesKept: ties, lastKeptTieIndex: lastTie),
      keptSum: Directed.enclosure(ofSum: estimate, relativeError: Directed.gamma(pass.depth + 2), absoluteError: 0))
  }

  private init(cut: Cut, keptSum: Enclosure) {
    self.cut = cut
    self.keptSum = keptSum
  }
}

/// The magnitude keys of all scores, in order.
private struct KeyCollector: ScoreVisitor {
  var keys: [UInt64] = []

  mutating func visit<T: FastScalar>(_ scores: UnsafeBufferPointer<T>) {
    for score in scores { keys.append(T.magnitude(score).bitPattern) }
  }
}

/// The histogram of the digit `key[shift..<top]` over the keys whose bits from `top` up
/// equal `prefix`, with one histogram per thread, merged in thread order.
private struct HistogramPass: ScoreVisitor {
  let prefix: UInt64
  let top: Int
  let shift: Int
  let workers: Int
  var histogram: [Int]

  init(prefix: UInt64, top: Int, shift: Int, workers: Int) {
    (self.prefix, self.top, self.shift, self.workers) = (prefix, top, shift, workers)
    histogram = [Int](repeating: 0, count: 1 << (top - shift))
  }

  mutating func visit<T: FastScalar>(_ scores: UnsafeBufferPointer<T>) {
    guard let base = scores.baseAddress, scores.count > 0 else { return }
    let n = scores.count
    let buckets = histogram.count
    let workers = max(1, min(workers, Parallel.blockCount(n)))
    let (prefix, top, shift) = (prefix, top, shift)
    var partial = [Int](repeating: 0, count: buckets * workers)
    partial.withUnsafeMutableBufferPointer { partial in
      let partial = partial.baseAddress!
      Parallel.run(workers: workers) { worker in
        let counts = partial + worker * buckets
        for i in Parallel.share(of: worker, workers: workers, items: n) {
          let key = T.magnitude(base[i]).bitPattern
          if top == 63 || key >> UInt64(top) == prefix {
            counts[Int((key >> UInt64(shift)) & UInt64(buckets - 1))] += 1
          }
        }
      }
    }
    for worker in 0..<workers {
      for b in 0..<buckets { histogram[b] += partial[worker * buckets + b] }
    }
  }
}
