/// Selection of the `rank`-th largest key of a small in-memory array, in `O(n)`.
///
/// Keys are `Double` bit patterns of magnitudes, which order like the magnitudes. The
/// method is most-significant-digit radix selection over the bits where the keys differ
/// (found by one pass), with digits of at most 11 bits (fewer for few keys): each pass
/// counts the digit of the keys still in play, keeps the bucket holding the rank, and moves
/// those keys to the front. Keys from a narrow bracket differ in few bits, so few passes run. Moving by swaps
/// keeps the keys a permutation, so that several ranks can be selected from one buffer in
/// turn; moving by copies is cheaper when the buffer is thrown away.
enum KeySelection {
  static let digitBits = 11

  /// The fewest keys whose two-rank selection runs on more than one thread.
  static let parallelMinimum = 1 << 17

  /// The `first`-th and the `last`-th largest of `keys` (1-based; ties count separately),
  /// for ranks close together: one digit pass over all the keys (per thread, the counts
  /// added) finds the buckets of both, the keys of the buckets from one to the other are
  /// gathered, and each rank is selected among those alone. The result does not depend on
  /// `workers`, which is lowered to 1 below `parallelMinimum` keys (lowered by tests).
  ///
  /// - Precondition: `1 <= first <= last <= keys.count`.
  static func largest(
    _ first: Int, _ last: Int, in keys: UnsafeBufferPointer<UInt64>, workers: Int = 1,
    parallelMinimum: Int = Self.parallelMinimum
  ) -> (first: UInt64, last: UInt64) {
    precondition(first >= 1 && first <= last && last <= keys.count, "KeySelection: ranks out of range")
    let workers = keys.count >= parallelMinimum ? min(max(1, workers), keys.count) : 1
    func share(_ worker: Int) -> UnsafeBufferPointer<UInt64> {
      UnsafeBufferPointer(rebasing: keys[Parallel.share(of: worker, workers: workers, items: keys.count)])
    }
    var masks = [(all: UInt64, any: UInt64)](repeating: (.max, 0), count: workers)
    masks.withUnsafeMutableBufferPointer { masks in
      Parallel.run(workers: workers) { worker in masks[worker] = bitMasks(of: share(worker)) }
    }
    let differing = masks.reduce(UInt64.max) { $0 & $1.all } ^ masks.reduce(0) { $0 | $1.any }
    guard differing != 0 else { return (keys[0], keys[0]) }
    let top = UInt64.bitWidth - differing.leadingZeroBitCount
    let width = min(digitBits, top - differing.trailingZeroBitCount)
    let (shift, buckets) = (UInt64(top - width), 1 << width)
    let digitMask = UInt64(buckets - 1)
    var histograms = [Int](repeating: 0, count: workers * buckets)
    histograms.withUnsafeMutableBufferPointer { histograms in
      Parallel.run(workers: workers) { worker in
        let counts = histograms.baseAddress! + worker * buckets
        for key in share(worker) { counts[Int((key >> shift) & digitMask)] += 1 }
      }
    }
    func held(_ bucket: Int) -> Int { (0..<workers).reduce(0) { $0 + histograms[$1 * buckets + bucket] } }
    var bucket = buckets - 1
    var above = 0
    while above + held(bucket) < first {
      above += held(bucket)
      bucket -= 1
    }
    let (firstBucket, aboveFirst) = (bucket, above)
    while above + held(bucket) < last {
      above += held(bucket)
      bucket -= 1
    }
    let lastBucket = bucket
    // Each thread gathers its keys of the buckets `lastBucket...firstBucket` into its own range.
    var starts = [0]
    for worker in 0..<workers {
      starts.append(starts[worker] + (lastBucket...firstBucket).reduce(0) { $0 + histograms[worker * buckets + $1] })
    }
    var gathered = [UInt64](repeating: 0, count: starts[workers])
    let (low, span) = (UInt64(lastBucket), UInt64(firstBucket - lastBucket))
    gathered.withUnsafeMutableBufferPointer { gathered in
      Parallel.run(workers: workers) { worker in
        var next = starts[worker]
        for key in share(worker) where ((key >> shift) & digitMask) &- low <= span {
          gathered[next] = key
          next += 1
        }
      }
    }
    return gathered.withUnsafeMutableBufferPointer { gathered in
      (
        largestAndGreaterCount(first - aboveFirst, in: gathered, keepingKeys: true).key,
        largestAndGreaterCount(last - aboveFirst, in: gathered, keepingKeys: true).key
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

  /// The AND and the OR of `keys`.
  private static func bitMasks(of keys: UnsafeBufferPointer<UInt64>) -> (all: UInt64, any: UInt64) {
    var all: UInt64 = .max
    var any: UInt64 = 0
    for key in keys {
      all &= key
      any |= key
    }
    return (all, any)
  }

  /// The `rank`-th largest of `keys` and how many keys are strictly greater than it.
  /// Overwrites `keys`, or only permutes them when `keepingKeys`.
  ///
  /// - Precondition: `1 <= rank <= keys.count`.
  static func largestAndGreaterCount(
    _ rank: Int, in keys: UnsafeMutableBufferPointer<UInt64>, keepingKeys: Bool = false
  ) -> (key: UInt64, greater: Int) {
    precondition(rank >= 1 && rank <= keys.count, "KeySelection: rank out of range")
    let masks = bitMasks(of: UnsafeBufferPointer(keys))
    let differing = masks.all ^ masks.any
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
