/// The bit layout of a binary floating-point storage format, as the exact accumulators
/// decode it: 1 sign bit, `exponentBitCount` exponent bits, `fractionBitCount` fraction bits.
///
/// A finite value with biased exponent field `e` and fraction field `f` is
/// `±m · 2^scale(e)` with the integer significand `m = f + (e ≠ 0 ? 2^fractionBitCount : 0)`
/// and `scale(e) = max(e, 1) − bias − fractionBitCount`. The field `e = exponentMask` marks
/// NaN and ±infinity. Every format here has `scale(e) ≥ −1074` (the smallest binary64
/// subnormal exponent), so all of them share one fixed-point scale, `2^−1074` for values and
/// `2^−2148` for squares.
internal protocol _FloatLayout {
  /// The integer type of a moment bin: wide enough for `m²` times a useful flush interval.
  associatedtype MomentBin: FixedWidthInteger & UnsignedInteger & Sendable

  static var exponentBitCount: Int { get }
  static var fractionBitCount: Int { get }
}

extension _FloatLayout {
  /// The all-ones exponent field (NaN, ±infinity); also the number of finite exponent fields.
  @inline(__always) static var exponentMask: Int { (1 << exponentBitCount) - 1 }

  /// The number of distinct exponent fields, `2^exponentBitCount`.
  @inline(__always) static var exponentFieldCount: Int { 1 << exponentBitCount }

  @inline(__always) static var fractionMask: UInt64 { (1 << UInt64(fractionBitCount)) - 1 }

  /// The exponent of a finite value with exponent field `e`, relative to the common scale
  /// `2^−1074`: `scale(e) + 1074 ≥ 0`.
  static func valueShift(exponentField e: Int) -> Int {
    let bias = (1 << (exponentBitCount - 1)) - 1
    return max(e, 1) - bias - fractionBitCount + _commonValueShift
  }

  /// Splits the raw bits (sign bit at position `exponentBitCount + fractionBitCount`, zero
  /// above) into the exponent field, the integer significand and the sign bit.
  @inline(__always)
  static func decode(_ bits: UInt64) -> (exponentField: Int, significand: UInt64, isNegative: Bool) {
    let e = Int(truncatingIfNeeded: bits >> UInt64(fractionBitCount)) & exponentMask
    let hidden: UInt64 = e != 0 ? 1 << UInt64(fractionBitCount) : 0
    let negative = bits >> UInt64(exponentBitCount + fractionBitCount) != 0
    return (e, (bits & fractionMask) | hidden, negative)
  }
}

/// `−scale` of the smallest binary64 subnormal: values are accumulated as integer multiples
/// of `2^−1074`, squares as multiples of `2^−2148`.
internal let _commonValueShift = 1074

internal enum _Binary16Layout: _FloatLayout {
  typealias MomentBin = UInt64
  static var exponentBitCount: Int { 5 }
  static var fractionBitCount: Int { 10 }
}

internal enum _BFloat16Layout: _FloatLayout {
  typealias MomentBin = UInt64
  static var exponentBitCount: Int { 8 }
  static var fractionBitCount: Int { 7 }
}

internal enum _Binary32Layout: _FloatLayout {
  typealias MomentBin = UInt64
  static var exponentBitCount: Int { 8 }
  static var fractionBitCount: Int { 23 }
}

internal enum _Binary64Layout: _FloatLayout {
  typealias MomentBin = UInt128
  static var exponentBitCount: Int { 11 }
  static var fractionBitCount: Int { 52 }
}
