import Exact
import _FastKernels

/// A score format the fast path reads: its 8-wide SIMD load to exact `Double` magnitudes.
///
/// Every finite value of these formats is exactly a `Double`, so `|x|` needs no rounding
/// (Proofs/fast-path-error-bounds.md, §1).
protocol FastScalar {
  /// `|x|` of 8 consecutive values, exactly, as `Double`s (NaN and ±∞ stay non-finite).
  static func magnitudes(_ pointer: UnsafePointer<Self>) -> SIMD8<Double>
  /// `|x|` of a single value, exactly (non-finite values stay non-finite).
  static func magnitude(_ value: Self) -> Double
  /// Whether `x²` of every finite value is exact in `Double` (false only for `Double` itself).
  static var squaresAreExact: Bool { get }
  /// The value zero, written by in-place pruning.
  static var zero: Self { get }
  /// 8 consecutive values against a bracket: bit `k` of `high` is set when `|x_k| ≥ bracket.high`,
  /// of `low` when `|x_k| ≥ bracket.low`; `kept` holds `|x_k|` where `high` is set, 0 elsewhere.
  static func classify(_ pointer: UnsafePointer<Self>, _ bracket: Bracket) -> (kept: SIMD8<Double>, high: UInt64, low: UInt64)
  /// `classify` of 16 consecutive values: `kept` of the first 8 and of the next 8; bit `k` of
  /// `high` and `low` for value `k`.
  static func classify16(_ pointer: UnsafePointer<Self>, _ bracket: Bracket)
    -> (kept: SIMD8<Double>, nextKept: SIMD8<Double>, high: UInt64, low: UInt64)
  /// The format code (`FAST_BINARY32`, `FAST_BFLOAT16`, `FAST_BINARY16`) under which the
  /// AVX2 and AVX-512 kernels read the binary32 images of this format's magnitudes
  /// (`VectorKernel`), or `nil` when they do not read it so.
  static var imageFormat: Int32? { get }
}

extension FastScalar {
  static var imageFormat: Int32? { nil }

  /// `|x|` of the first `count` of 8 values, zero in the other lanes.
  @inline(__always)
  static func magnitudes(_ pointer: UnsafePointer<Self>, count: Int) -> SIMD8<Double> {
    var lanes = SIMD8<Double>()
    for lane in 0..<count { lanes[lane] = magnitude(pointer[lane]) }
    return lanes
  }

  /// Runs `body` on a copy of the first `count` (at most 8) values padded with zeros to 8.
  @inline(__always)
  static func padded<R>(_ pointer: UnsafePointer<Self>, count: Int, _ body: (UnsafePointer<Self>) -> R) -> R {
    withUnsafeTemporaryAllocation(of: Self.self, capacity: 8) { lanes in
      let base = lanes.baseAddress!
      base.initialize(repeating: zero, count: 8)
      base.update(from: pointer, count: count)
      return body(base)
    }
  }

  @inline(__always)
  static func classify(_ pointer: UnsafePointer<Self>, _ bracket: Bracket) -> (kept: SIMD8<Double>, high: UInt64, low: UInt64) {
    let m = magnitudes(pointer)
    let high = m .>= bracket.high
    return (SIMD8<Double>().replacing(with: m, where: high), SIMDBits.bits(high), SIMDBits.bits(m .>= bracket.low))
  }

  @inline(__always)
  static func classify16(_ pointer: UnsafePointer<Self>, _ bracket: Bracket)
    -> (kept: SIMD8<Double>, nextKept: SIMD8<Double>, high: UInt64, low: UInt64)
  {
    let first = classify(pointer, bracket)
    let second = classify(pointer + 8, bracket)
    return (first.kept, second.kept, first.high | second.high << 8, first.low | second.low << 8)
  }
}

/// Formats whose magnitudes are binary32 values, classified on their binary32 bit patterns:
/// for non-negative floats, `a ≤ b` exactly when `a.bitPattern ≤ b.bitPattern`.
protocol BinaryImageScalar: FastScalar {
  /// The binary32 bit patterns of `|x|` of 8 consecutive values (below 2^31).
  static func magnitudeImages(_ pointer: UnsafePointer<Self>) -> SIMD8<Int32>
}

extension BinaryImageScalar {
  /// Images and bracket images lie in `[0, 2^31)`, so they compare as signed integers.
  @inline(__always)
  static func classify(_ pointer: UnsafePointer<Self>, _ bracket: Bracket) -> (kept: SIMD8<Double>, high: UInt64, low: UInt64) {
    let images = magnitudeImages(pointer)
    let high = SIMDBits.atLeast(images, bracket.highImage)
    let low = SIMDBits.atLeast(images, bracket.lowImage)
    return (SIMDBits.widen(images & high), SIMDBits.signBits(high), SIMDBits.signBits(low))
  }

  /// As `classify`, with the lane bits of both halves packed together.
  @inline(__always)
  static func classify16(_ pointer: UnsafePointer<Self>, _ bracket: Bracket)
    -> (kept: SIMD8<Double>, nextKept: SIMD8<Double>, high: UInt64, low: UInt64)
  {
    let images = magnitudeImages(pointer)
    let nextImages = magnitudeImages(pointer + 8)
    let high = SIMDBits.atLeast(images, bracket.highImage)
    let nextHigh = SIMDBits.atLeast(nextImages, bracket.highImage)
    let low = SIMDBits.atLeast(images, bracket.lowImage)
    let nextLow = SIMDBits.atLeast(nextImages, bracket.lowImage)
    return (
      SIMDBits.widen(images & high), SIMDBits.widen(nextImages & nextHigh),
      SIMDBits.signBits(high, nextHigh), SIMDBits.signBits(low, nextLow)
    )
  }
}

extension Float: BinaryImageScalar {
  @inline(__always)
  static func magnitudes(_ pointer: UnsafePointer<Float>) -> SIMD8<Double> {
    SIMDBits.widen(magnitudeImages(pointer))
  }
  @inline(__always) static func magnitudeImages(_ pointer: UnsafePointer<Float>) -> SIMD8<Int32> {
    UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Int32>.self) & 0x7fff_ffff
  }
  @inline(__always) static func magnitude(_ value: Float) -> Double { Double(value.magnitude) }
  static var squaresAreExact: Bool { true }
  static var imageFormat: Int32? { FAST_BINARY32 }
}

extension Double: FastScalar {
  @inline(__always)
  static func magnitudes(_ pointer: UnsafePointer<Double>) -> SIMD8<Double> {
    let bits = UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<UInt64>.self) & 0x7fff_ffff_ffff_ffff
    return unsafeBitCast(bits, to: SIMD8<Double>.self)
  }
  @inline(__always) static func magnitude(_ value: Double) -> Double { value.magnitude }
  static var squaresAreExact: Bool { false }
}

extension BFloat16: BinaryImageScalar {
  @inline(__always)
  static func magnitudes(_ pointer: UnsafePointer<BFloat16>) -> SIMD8<Double> {
    SIMDBits.widen(magnitudeImages(pointer))
  }
  @inline(__always) static func magnitudeImages(_ pointer: UnsafePointer<BFloat16>) -> SIMD8<Int32> {
    let raw = UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<UInt16>.self) & 0x7fff
    return SIMD8<Int32>(truncatingIfNeeded: raw) &<< 16
  }
  @inline(__always) static func magnitude(_ value: BFloat16) -> Double { Double(value.floatValue.magnitude) }
  static var squaresAreExact: Bool { true }
  static var zero: BFloat16 { BFloat16(bitPattern: 0) }
  static var imageFormat: Int32? { FAST_BFLOAT16 }
}

extension Float16: BinaryImageScalar {
  @inline(__always)
  static func magnitudes(_ pointer: UnsafePointer<Float16>) -> SIMD8<Double> {
    SIMDBits.widen(magnitudeImages(pointer))
  }
  /// Shifting the 15 magnitude bits of a binary16 into a binary32 pattern gives the value
  /// times 2^-112, subnormals included, and one binary32 multiplication by 2^112 gives the
  /// value, exactly (every binary16 is a normal binary32); NaN and ±∞ (exponent field 31)
  /// get the image of +∞.
  @inline(__always) static func magnitudeImages(_ pointer: UnsafePointer<Float16>) -> SIMD8<Int32> {
    let raw = UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<UInt16>.self) & 0x7fff
    let bits = SIMD8<Int32>(truncatingIfNeeded: raw)
    let values = unsafeBitCast(bits &<< 13, to: SIMD8<Float>.self) * 0x1p112
    let nonFinite = SIMDBits.atLeast(bits, 0x7c00)
    return unsafeBitCast(values, to: SIMD8<Int32>.self) & ~nonFinite | (0x7f80_0000 & nonFinite)
  }
  @inline(__always) static func magnitude(_ value: Float16) -> Double {
    value.isFinite ? Double(value.magnitude) : .infinity
  }
  static var squaresAreExact: Bool { true }
  static var imageFormat: Int32? { FAST_BINARY16 }
}
