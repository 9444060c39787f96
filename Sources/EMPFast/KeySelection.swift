/// Selection of the `rank`-th largest key of a small in-memory array, in `O(n)`.
///
/// Keys are `Double` bit patterns of magnitudes, which order like the magnitudes. The
/// method is most-significant-digit radix selection over the bits where the keys differ
/// (found by one pass), with digits of at most 11 bits: each pass counts the digit of the
/// keys still in play, keeps the bucket holding the rank, and moves those keys to the
/// front. Keys from a narrow bracket differ in few bits, so few passes run. Moving by swaps
/// keeps the keys a permutation, so that several ranks can be selected from one buffer in
/// turn; moving by copies is cheaper when the buffer is thrown away.
enum KeySelection {
  static let digitBits = 11

  /// The `rank`-th largest of `keys` (1-based; ties count separately). Permutes `keys`.
  ///
  /// - Precondition: `1 <= rank <= keys.count`.
  static func largest(_ rank: Int, in keys: UnsafeMutableBufferPointer<UInt64>) -> UInt64 {
    largestAndGreaterCount(rank, in: keys, keepingKeys: true).key
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
    var histogram = [Int](repeating: 0, count: 1 << digitBits)
    while top > bottom {
      let width = min(digitBits, top - bottom)
      let shift = UInt64(top - width)
      let digitMask = UInt64(1 << width - 1)
      for b in 0..<1 << width { histogram[b] = 0 }
      for k in 0..<active { histogram[Int((keys[k] >> shift) & digitMask)] += 1 }
      var bucket = 1 << width - 1
      while histogram[bucket] < remaining {
        remaining -= histogram[bucket]
        bucket -= 1
      }
      var kept = 0
      for k in 0..<active where (keys[k] >> shift) & digitMask == UInt64(bucket) {
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
