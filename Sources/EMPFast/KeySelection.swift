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

  /// The `first`-th and the `last`-th largest of `keys` (1-based; ties count separately),
  /// for ranks close together: one digit pass over all the keys finds the buckets of both,
  /// the keys of the buckets from one to the other are moved to the front, and each rank is
  /// selected among those alone. Overwrites `keys`.
  ///
  /// - Precondition: `1 <= first <= last <= keys.count`.
  static func largest(_ first: Int, _ last: Int, in keys: UnsafeMutableBufferPointer<UInt64>)
    -> (first: UInt64, last: UInt64)
  {
    precondition(first >= 1 && first <= last && last <= keys.count, "KeySelection: ranks out of range")
    let differing = differingBits(of: keys)
    guard differing != 0 else { return (keys[0], keys[0]) }
    let top = UInt64.bitWidth - differing.leadingZeroBitCount
    let width = min(digitBits, top - differing.trailingZeroBitCount)
    let shift = UInt64(top - width)
    let digitMask = UInt64(1) << UInt64(width) - 1
    return withHistogram(buckets: 1 << width) { histogram in
      for key in keys { histogram[Int((key >> shift) & digitMask)] += 1 }
      var bucket = 1 << width - 1
      var above = 0
      while above + histogram[bucket] < first {
        above += histogram[bucket]
        bucket -= 1
      }
      let (firstBucket, aboveFirst) = (bucket, above)
      while above + histogram[bucket] < last {
        above += histogram[bucket]
        bucket -= 1
      }
      let lastBucket = UInt64(bucket)
      let span = UInt64(firstBucket) - lastBucket
      var kept = 0
      for k in 0..<keys.count where ((keys[k] >> shift) & digitMask) &- lastBucket <= span {
        keys[kept] = keys[k]
        kept += 1
      }
      let front = UnsafeMutableBufferPointer(rebasing: keys[..<kept])
      return (
        largestAndGreaterCount(first - aboveFirst, in: front, keepingKeys: true).key,
        largestAndGreaterCount(last - aboveFirst, in: front, keepingKeys: true).key
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

  /// The bits where some keys differ.
  private static func differingBits(of keys: UnsafeMutableBufferPointer<UInt64>) -> UInt64 {
    var all: UInt64 = .max
    var any: UInt64 = 0
    for key in keys {
      all &= key
      any |= key
    }
    return all ^ any
  }

  /// The `rank`-th largest of `keys` and how many keys are strictly greater than it.
  /// Overwrites `keys`, or only permutes them when `keepingKeys`.
  ///
  /// - Precondition: `1 <= rank <= keys.count`.
  static func largestAndGreaterCount(
    _ rank: Int, in keys: UnsafeMutableBufferPointer<UInt64>, keepingKeys: Bool = false
  ) -> (key: UInt64, greater: Int) {
    precondition(rank >= 1 && rank <= keys.count, "KeySelection: rank out of range")
    let differing = differingBits(of: keys)
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
