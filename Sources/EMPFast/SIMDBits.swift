#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// Lane masks as integer bit sets (bit `k` for lane `k`), with the sign-bit extraction
/// instructions where the target has them.
enum SIMDBits {
  @inline(__always)
  static func bits(_ mask: SIMDMask<SIMD8<Int64>>) -> UInt64 {
    let lanes = SIMD8<Int64>().replacing(with: -1, where: mask)
    return UInt64((lanes & SIMD8<Int64>(1, 2, 4, 8, 16, 32, 64, 128)).wrappedSum())
  }

  /// All ones in the lanes of `lanes` that are `≥ bound`, zero elsewhere, for lanes in
  /// `[0, 2^31)`: the sign of `(bound − 1) − lane`, which cannot overflow there (it lies in
  /// `(−2^31, 2^31)`). Plain vector arithmetic (a subtraction and a shift per 4 lanes); the
  /// comparison operators of `SIMD8<Int32>` are lowered lane by lane, and the SSE2 intrinsic
  /// is not always inlined.
  ///
  /// - Precondition: `bound > Int32.min`; every lane is non-negative.
  @inline(__always)
  static func atLeast(_ lanes: SIMD8<Int32>, _ bound: Int32) -> SIMD8<Int32> {
    (SIMD8<Int32>(repeating: bound &- 1) &- lanes) &>> 31
  }

  /// The sign bits of 8 lanes.
  @inline(__always)
  static func signBits(_ lanes: SIMD8<Int32>) -> UInt64 {
    #if arch(x86_64)
    let parts = unsafeBitCast(lanes, to: (SIMD4<Float>, SIMD4<Float>).self)
    return UInt64(_mm_movemask_ps(parts.0)) | UInt64(_mm_movemask_ps(parts.1)) << 4
    #else
    return UInt64(((lanes &>> 31) & SIMD8<Int32>(1, 2, 4, 8, 16, 32, 64, 128)).wrappedSum())
    #endif
  }

  /// The sign bits of 16 lanes whose values are 0 or -1: bits 0–7 from `first`, 8–15 from
  /// `second`.
  @inline(__always)
  static func signBits(_ first: SIMD8<Int32>, _ second: SIMD8<Int32>) -> UInt64 {
    #if arch(x86_64)
    let a = unsafeBitCast(first, to: (SIMD2<Int64>, SIMD2<Int64>).self)
    let b = unsafeBitCast(second, to: (SIMD2<Int64>, SIMD2<Int64>).self)
    let bytes = _mm_packs_epi16(_mm_packs_epi32(a.0, a.1), _mm_packs_epi32(b.0, b.1))
    return UInt64(UInt16(truncatingIfNeeded: _mm_movemask_epi8(bytes)))
    #else
    return signBits(first) | signBits(second) << 8
    #endif
  }

  /// The binary32 values with bit patterns `images`, widened exactly to `Double`. (The generic
  /// conversion initialiser is not always inlined.)
  @inline(__always)
  static func widen(_ images: SIMD8<Int32>) -> SIMD8<Double> {
    SIMD8<Double>(unsafeBitCast(images, to: SIMD8<Float>.self))
  }

  /// The low `count` bits set (`count` in `0...64`).
  @inline(__always)
  static func low(_ count: Int) -> UInt64 { count >= 64 ? .max : (1 << UInt64(count)) &- 1 }
}
