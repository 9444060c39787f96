#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// Lane masks as integer bit sets (bit `k` for lane `k`), with the sign-bit extraction
/// instructions where the target has them.
enum SIMDBits {
  @inline(__always)
  static func bits(_ mask: SIMDMask<SIMD8<Int64>>) -> UInt64 {
    let lanes = SIMD8<Int64>().replacing(with: -1, where: mask)
    #if arch(x86_64)
    let parts = unsafeBitCast(lanes, to: (SIMD2<Double>, SIMD2<Double>, SIMD2<Double>, SIMD2<Double>).self)
    return UInt64(_mm_movemask_pd(parts.0)) | UInt64(_mm_movemask_pd(parts.1)) << 2
      | UInt64(_mm_movemask_pd(parts.2)) << 4 | UInt64(_mm_movemask_pd(parts.3)) << 6
    #else
    return UInt64((lanes & SIMD8<Int64>(1, 2, 4, 8, 16, 32, 64, 128)).wrappedSum())
    #endif
  }

  @inline(__always)
  static func bits(_ mask: SIMDMask<SIMD8<Int32>>) -> UInt64 {
    let lanes = SIMD8<Int32>().replacing(with: -1, where: mask)
    #if arch(x86_64)
    let parts = unsafeBitCast(lanes, to: (SIMD4<Float>, SIMD4<Float>).self)
    return UInt64(_mm_movemask_ps(parts.0)) | UInt64(_mm_movemask_ps(parts.1)) << 4
    #else
    return UInt64((lanes & SIMD8<Int32>(1, 2, 4, 8, 16, 32, 64, 128)).wrappedSum())
    #endif
  }

  /// The low `count` bits set (`count` in `0...64`).
  @inline(__always)
  static func low(_ count: Int) -> UInt64 { count >= 64 ? .max : (1 << UInt64(count)) &- 1 }
}
