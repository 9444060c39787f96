import _ExactKernels

/// How `MomentAccumulator` adds binary32 values: with the scalar bins alone, or with an
/// AVX-512 window kernel of `_ExactKernels`, which sums most values in wide integer lanes
/// and hands the rest (outside its exponent window, subnormal, NaN, ±infinity, a ragged
/// tail) to the scalar bins. The exactness argument (every value summed exactly once, no
/// lane overflows) is in `_ExactKernels/binary32_window.c`.
internal enum _Binary32Kernel: Int, Sendable, Comparable {
  case scalar, avx512f, avx512ifma

  /// The widest kernel this CPU runs, chosen once at run time (the package is built for
  /// baseline x86-64; only the kernels themselves are compiled for AVX-512).
  static let best = _Binary32Kernel(rawValue: Int(exact_binary32_window_kernel_level())) ?? .scalar

  /// Every kernel this CPU runs, the scalar one first.
  static var available: [_Binary32Kernel] { [.scalar, .avx512f, .avx512ifma].filter { $0 <= best } }

  static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

extension MomentAccumulator {
  /// Adds `bytes.count / 4` little-endian binary32 values at any alignment, through
  /// `binary32Kernel`; `scalar` reads the same values for the scalar kernel.
  internal mutating func addBinary32(_ bytes: UnsafeRawBufferPointer, scalar: some _FloatBitsSource<_Binary32Layout>) {
    let count = bytes.count / 4
    guard binary32Kernel != .scalar, let start = bytes.baseAddress else {
      record(count, nonFinite: binary32.add(scalar, flushingInto: &sums))
      return
    }
    let chunk = Int(EXACT_BINARY32_WINDOW_CHUNK)
    let nonFinite = withUnsafeTemporaryAllocation(of: UInt32.self, capacity: chunk) { spill in
      var nonFinite = 0
      var window = exact_binary32_window_sums()
      for offset in stride(from: 0, to: count, by: chunk) {
        let n = min(chunk, count - offset)
        #if arch(x86_64)
        switch binary32Kernel {
        case .avx512ifma: exact_binary32_window_moments_avx512ifma(start + 4 * offset, n, spill.baseAddress!, &window)
        case .avx512f: exact_binary32_window_moments_avx512f(start + 4 * offset, n, spill.baseAddress!, &window)
        case .scalar: preconditionFailure("MomentAccumulator: the scalar kernel has no window")
        }
        #else
        preconditionFailure("MomentAccumulator: no vector kernel on this architecture")
        #endif
        let shift = _Binary32Layout.valueShift(exponentField: Int(window.base))
        sums.absolute.add(UInt128(window.absolute_high) << 64 | UInt128(window.absolute_low), shiftedBy: shift)
        sums.squares.add(UInt128(window.squares_high) << 64 | UInt128(window.squares_low), shiftedBy: 2 * shift)
        if window.spilled_count > 0 {
          let spilled = UnsafeRawBufferPointer(start: spill.baseAddress!, count: 4 * window.spilled_count)
          nonFinite += binary32.add(_UnalignedFloatBits<_Binary32Layout, UInt32>(bytes: spilled), flushingInto: &sums)
        }
      }
      return nonFinite
    }
    record(count, nonFinite: nonFinite)
  }
}
