import Exact

/// A score format the fast path reads: its 8-wide SIMD load to exact `Double` magnitudes.
///
/// Every finite value of these formats is exactly a `Double`, so `|x|` needs no rounding
/// (Proofs/fast-path-error-bounds.md, §1).
@usableFromInline
protocol FastScalar {
  /// `|x|` of 8 consecutive values, exactly, as `Double`s (NaN and ±∞ stay non-finite).
  static func magnitudes(_ pointer: UnsafePointer<Self>) -> SIMD8<Double>
  /// `|x|` of a single value, exactly (non-finite values stay non-finite).
  static func magnitude(_ value: Self) -> Double
  /// Whether `x²` of every finite value is exact in `Double` (false only for `Double` itself).
  static var squaresAreExact: Bool { get }
  /// Trailing bits of `magnitude(x).bitPattern` that are zero for every value of the format.
  static var trailingZeroKeyBits: Int { get }
  /// The value zero, written by in-place pruning.
  static var zero: Self { get }
}

extension FastScalar {
  /// `|x|` of the first `count` of 8 values, zero in the other lanes.
  @inlinable @inline(__always)
  static func magnitudes(_ pointer: UnsafePointer<Self>, count: Int) -> SIMD8<Double> {
    var lanes = SIMD8<Double>()
    for lane in 0..<count { lanes[lane] = magnitude(pointer[lane]) }
    return lanes
  }
}

extension Float: FastScalar {
  @inlinable @inline(__always)
  static func magnitudes(_ pointer: UnsafePointer<Float>) -> SIMD8<Double> {
    let bits = UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<UInt32>.self) & 0x7fff_ffff
    return SIMD8<Double>(unsafeBitCast(bits, to: SIMD8<Float>.self))
  }
  @inlinable @inline(__always) static func magnitude(_ value: Float) -> Double { Double(value.magnitude) }
  @usableFromInline static var squaresAreExact: Bool { true }
  @usableFromInline static var trailingZeroKeyBits: Int { 29 }
}

extension Double: FastScalar {
  @inlinable @inline(__always)
  static func magnitudes(_ pointer: UnsafePointer<Double>) -> SIMD8<Double> {
    let bits = UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<UInt64>.self) & 0x7fff_ffff_ffff_ffff
    return unsafeBitCast(bits, to: SIMD8<Double>.self)
  }
  @inlinable @inline(__always) static func magnitude(_ value: Double) -> Double { value.magnitude }
  @usableFromInline static var squaresAreExact: Bool { false }
  @usableFromInline static var trailingZeroKeyBits: Int { 0 }
}

extension BFloat16: FastScalar {
  @inlinable @inline(__always)
  static func magnitudes(_ pointer: UnsafePointer<BFloat16>) -> SIMD8<Double> {
    let raw = UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<UInt16>.self) & 0x7fff
    let bits = SIMD8<UInt32>(truncatingIfNeeded: raw) &<< 16
    return SIMD8<Double>(unsafeBitCast(bits, to: SIMD8<Float>.self))
  }
  @inlinable @inline(__always) static func magnitude(_ value: BFloat16) -> Double { Double(value.floatValue.magnitude) }
  @usableFromInline static var squaresAreExact: Bool { true }
  @usableFromInline static var trailingZeroKeyBits: Int { 45 }
  @usableFromInline static var zero: BFloat16 { BFloat16(bitPattern: 0) }
}

extension Float16: FastScalar {
  /// Shifting the 15 magnitude bits of a binary16 into a binary32 pattern gives the value
  /// times 2^-112, subnormals included; NaN and ±∞ (exponent field 31) are mapped to +∞.
  @inlinable @inline(__always)
  static func magnitudes(_ pointer: UnsafePointer<Float16>) -> SIMD8<Double> {
    let raw = UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<UInt16>.self) & 0x7fff
    let bits = SIMD8<UInt32>(truncatingIfNeeded: raw)
    let scaled = SIMD8<Double>(unsafeBitCast(bits &<< 13, to: SIMD8<Float>.self)) * 0x1p112
    return scaled.replacing(with: .infinity, where: SIMD8<Double>(bits) .>= 0x7c00)
  }
  @inlinable @inline(__always) static func magnitude(_ value: Float16) -> Double {
    value.isFinite ? Double(value.magnitude) : .infinity
  }
  @usableFromInline static var squaresAreExact: Bool { true }
  @usableFromInline static var trailingZeroKeyBits: Int { 42 }
}
