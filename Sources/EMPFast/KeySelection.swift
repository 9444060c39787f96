/// Selection of the `rank`-th largest key of a small in-memory array, in `O(n)`.
///
/// Keys are `Double` bit patterns of magnitudes, which order like the magnitudes. The
/// method is most-significant-digit radix selection with 8-bit digits: each pass counts the
/// digit of the keys still in play, keeps the bucket holding the rank, and compacts those
/// keys to the front. At most 8 passes, each over fewer keys.
enum KeySelection {
  /// The `rank`-th largest of `keys` (1-based; ties count separately). Overwrites `keys`.
  ///
  /// - Precondition: `1 <= rank <= keys.count`.
  static func largest(_ rank: Int, in keys: UnsafeMutableBufferPointer<UInt64>) -> UInt64 {
    precondition(rank >= 1 && rank <= keys.count, "KeySelection: rank out of range")
    var active = keys.count
    var remaining = rank
    var prefix: UInt64 = 0
    var histogram = [Int](repeating: 0, count: 256)
    for shift in stride(from: 56, through: 0, by: -8) {
      for b in 0..<256 { histogram[b] = 0 }
      for k in 0..<active { histogram[Int((keys[k] >> UInt64(shift)) & 0xff)] += 1 }
      var bucket = 255
      while histogram[bucket] < remaining {
        remaining -= histogram[bucket]
        bucket -= 1
      }
      prefix |= UInt64(bucket) << UInt64(shift)
      var kept = 0
      for k in 0..<active where (keys[k] >> UInt64(shift)) & 0xff == UInt64(bucket) {
        keys[kept] = keys[k]
        kept += 1
      }
      active = kept
      if active == 1 { return keys[0] }
    }
    return prefix
  }
}
