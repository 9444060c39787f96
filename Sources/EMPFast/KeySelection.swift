/// Selection of the `rank`-th largest key of a small in-memory array, in `O(n)`, and of two
/// ranks close together (the sample's bracket of the cut) through a subsample.
///
/// Keys are `Double` bit patterns of magnitudes, which order like the magnitudes. The
/// method is most-significant-digit radix selection over the bits where the keys differ
/// (found by one pass), with digits of at most 11 bits (fewer for few keys): each pass
/// counts the digit of the keys still in play, keeps the bucket holding the rank, and moves
/// those keys to the front. Keys from a narrow bracket differ in few bits, so few passes
/// run. Moving by swaps keeps the keys a permutation, so that several ranks can be selected
/// from one buffer in turn; moving by copies is cheaper when the buffer is thrown away.
enum KeySelection {
  static let digitBits = 11

  /// The fewest keys whose two-rank selection runs on more than one thread.
  static let parallelMinimum = 1 << 17

  /// The keys of the subsample that brackets two ranks.
  static let subsampleSize = 2048

  /// The `first`-th and the `last`-th largest of `keys` (1-based; ties count separately),
  /// for ranks close together, as Floyd and Rivest select: the order statistics of an evenly
  /// spaced subsample bracket both ranks; one pass over the keys (per thread) counts those
  /// above the bracket and gathers those inside; if the counts confirm that both ranks are
  /// inside, each is selected among the gathered keys alone, and otherwise (rarely) among all
  /// of them. The result does not depend on `workers`, which is lowered to 1 below
  /// `parallelMinimum` keys; tests lower both parameters.
  ///
  /// - Precondition: `1 <= first <= last <= keys.count`.
  static func largest(
    _ first: Int, _ last: Int, in keys: UnsafeBufferPointer<UInt64>, workers: Int = 1,
    parallelMinimum: Int = Self.parallelMinimum, subsampleSize: Int = Self.subsampleSize
  ) -> (first: UInt64, last: UInt64) {
    precondition(first >= 1 && first <= last && last <= keys.count, "KeySelection: ranks out of range")
    if keys.count > 4 * subsampleSize {
      let (low, high) = subsampleBracket(first, last, of: keys, size: subsampleSize)
      let workers = keys.count >= parallelMinimum ? min(max(1, workers), keys.count) : 1
      var parts = [(above: Int, inside: [UInt64])](repeating: (0, []), count: workers)
      parts.withUnsafeMutableBufferPointer { parts in
        Parallel.run(workers: workers) { worker in
          var above = 0
          var inside: [UInt64] = []
          inside.reserveCapacity(4 * keys.count / subsampleSize / workers)
          for key in keys[Parallel.share(of: worker, workers: workers, items: keys.count)] {
            above &+= key > high ? 1 : 0
            if key &- low <= high &- low { inside.append(key) }
          }
          parts[worker] = (above, inside)
        }
      }
      let above = parts.reduce(0) { $0 + $1.above }
      var gathered = parts.flatMap(\.inside)
      if above < first, last <= above + gathered.count {
        return largest(first - above, last - above, of: &gathered)
      }
    }
    var all = Array(keys)
    return largest(first, last, of: &all)
  }

  /// The `first`-th and the `last`-th largest of `keys`, selected in turn. Permutes `keys`.
  private static func largest(_ first: Int, _ last: Int, of keys: inout [UInt64]) -> (first: UInt64, last: UInt64) {
    keys.withUnsafeMutableBufferPointer { keys in
      (
        largestAndGreaterCount(first, in: keys, keepingKeys: true).key,
        largestAndGreaterCount(last, in: keys, keepingKeys: true).key
      )
    }
  }

  /// `[low, high]` holding, with high probability, the `first`-th to the `last`-th largest
  /// of `keys`: the order statistics of about `size` evenly spaced keys at the two ranks'
  /// quantiles ± 4 standard deviations (and 2 ranks), open-ended past the subsample's ends.
  private static func subsampleBracket(_ first: Int, _ last: Int, of keys: UnsafeBufferPointer<UInt64>, size: Int)
    -> (low: UInt64, high: UInt64)
  {
    let m = keys.count
    var subsample = Array(stride(from: 0, to: m, by: m / size).lazy.map { keys[$0] })
    let s = Double(subsample.count)
    func margin(_ q: Double) -> Double { 4 * (s * q * (1 - q)).squareRoot() + 2 }
    let qFirst = Double(first) / Double(m)
    let qLast = Double(last) / Double(m)
    let highRank = Int((qFirst * s - margin(qFirst)).rounded(.down))
    let lowRank = Int((qLast * s + margin(qLast)).rounded(.up))
    return subsample.withUnsafeMutableBufferPointer { subsample in
      (
        lowRank > subsample.count ? 0 : largestAndGreaterCount(lowRank, in: subsample, keepingKeys: true).key,
        highRank < 1 ? .max : largestAndGreaterCount(highRank, in: subsample, keepingKeys: true).key
      )
    }
  }

  /// Runs `body` on `buckets` zeroed counters (on the stack).
  private static func withHistogram<R>(buckets: Int, _ body: (UnsafeMutableBufferPointer<Int>) -> R) -> R {
    withUnsafeTemporaryAllocation(of: Int.self, capacity: buckets) { histogram in
      histogram.initialize(repeating: 0)
      return body(histogram)
    }
  }

  /// The `rank`-th largest of `keys` and how many keys are strictly greater than it.
  /// Overwrites `keys`, or only permutes them when `keepingKeys`.
  ///
  /// - Precondition: `1 <= rank <= keys.count`.
  static func largestAndGreaterCount(
    _ rank: Int, in keys: UnsafeMutableBufferPointer<UInt64>, keepingKeys: Bool = false
  ) -> (key: UInt64, greater: Int) {
    precondition(rank >= 1 && rank <= keys.count, "KeySelection: rank out of range")
    var all: UInt64 = .max
    var any: UInt64 = 0
    for key in keys {
      all &= key
      any |= key
    }
    let differing = all ^ any
    guard differing != 0 else { return (keys[0], 0) }
    var active = keys.count
    var remaining = rank
    var top = UInt64.bitWidth - differing.leadingZeroBitCount
    let bottom = differing.trailingZeroBitCount
    while top > bottom {
      // Digits no wider than the keys in play need: few keys, few buckets to clear and scan.
      let width = min(digitBits, top - bottom, max(4, Int.bitWidth - active.leadingZeroBitCount))
      let shift = UInt64(top - width)
      let digitMask = UInt64(1 << width - 1)
      let bucket = withHistogram(buckets: 1 << width) { histogram in
        for k in 0..<active { histogram[Int((keys[k] >> shift) & digitMask)] += 1 }
        var bucket = 1 << width - 1
        while histogram[bucket] < remaining {
          remaining -= histogram[bucket]
          bucket -= 1
        }
        return UInt64(bucket)
      }
      var kept = 0
      for k in 0..<active where (keys[k] >> shift) & digitMask == bucket {
        if keepingKeys { keys.swapAt(kept, k) } else { keys[kept] = keys[k] }
        kept += 1
      }
      active = kept
      top -= width
      if active == 1 { break }
    }
    // The survivors agree on every differing bit from the top down to `top`, and below it
    // they do not differ at all: they are equal. Keys in buckets above were greater.
    return (keys[0], rank - remaining)
  }
}
