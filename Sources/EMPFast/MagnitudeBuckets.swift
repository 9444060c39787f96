/// The histogram of the first pass: 8192 buckets of magnitudes, each a monotone range.
///
/// Bucket 0 holds `[0, 2^-126)`; bucket `b ≥ 32` holds the magnitudes whose binary64 bit
/// pattern, shifted right by 47 (the exponent and the top 5 fraction bits), equals
/// `b + 896·32`, i.e. 1/32 of a binade; the last bucket also holds everything from there up
/// (binary64 values of `2^129` and more, and non-finite values). Buckets 1–31 stay empty.
/// For a binary32 magnitude `≥ 2^-126` the bucket is its bit pattern shifted right by 18,
/// so the common formats are bucketed without converting (`buckets(binary32:)`).
/// Buckets are ordered like the magnitudes: `a < b` implies `bucket(a) ≤ bucket(b)`.
enum MagnitudeBuckets {
  static let fractionBits = 5
  static let count = 256 << fractionBits
  private static let exponentOffset = Int64(896 << fractionBits)
  private static let binary64Shift: UInt64 = UInt64(52 - fractionBits)

  /// The buckets of 8 binary64 magnitudes.
  @inline(__always)
  static func buckets(_ magnitudes: SIMD8<Double>) -> SIMD8<Int32> {
    let top = SIMD8<Int64>(truncatingIfNeeded: unsafeBitCast(magnitudes, to: SIMD8<UInt64>.self) &>> binary64Shift)
    let shifted = top &- exponentOffset
    let clamped = shifted.replacing(with: Int64(count - 1), where: shifted .> Int64(count - 1))
    return SIMD8<Int32>(truncatingIfNeeded: clamped.replacing(with: 0, where: shifted .< Int64(1 << fractionBits)))
  }

  /// The buckets of 8 magnitudes given as binary32 bit patterns (below 2^31).
  @inline(__always)
  static func buckets(binary32 images: SIMD8<Int32>) -> SIMD8<Int32> {
    let top = images &>> Int32(23 - fractionBits)
    return top.replacing(with: 0, where: top .< Int32(1 << fractionBits))
  }

  /// The bucket of one magnitude.
  static func bucket(of magnitude: Double) -> Int {
    Int(buckets(SIMD8(repeating: magnitude))[0])
  }

  /// The magnitudes of bucket `b`: `[low, high)`, `high = +∞` for the last bucket.
  static func range(of b: Int) -> (low: Double, high: Double) {
    func start(_ b: Int) -> Double { Double(bitPattern: UInt64(Int64(b) + exponentOffset) << binary64Shift) }
    if b == 0 { return (0, 0x1p-126) }
    precondition(b >= 1 << fractionBits && b < count, "MagnitudeBuckets: no such bucket")
    return (start(b), b == count - 1 ? .infinity : start(b + 1))
  }
}

/// A half-open range `[low, high)` of magnitudes that brackets the cut, with the binary32
/// bit patterns that decide `|x| ≥ low` and `|x| ≥ high` for binary32-valued formats.
struct Bracket {
  let low: Double
  let high: Double
  /// The pattern of the smallest binary32 value `≥ low` (`+∞` when there is none).
  let lowImage: Int32
  /// The pattern of the smallest binary32 value `≥ high`.
  let highImage: Int32

  /// - Precondition: `0 ≤ low < high`.
  init(low: Double, high: Double) {
    precondition(low >= 0 && low < high, "Bracket: empty range")
    self.low = low
    self.high = high
    lowImage = Self.image(atLeast: low)
    highImage = Self.image(atLeast: high)
  }

  /// For a binary32 `f ≥ 0`: `f ≥ x` exactly when `f.bitPattern ≥ image(atLeast: x)`.
  private static func image(atLeast x: Double) -> Int32 {
    var f = Float(x)
    if Double(f) < x { f = f.nextUp }
    return Int32(bitPattern: f.bitPattern)
  }
}
