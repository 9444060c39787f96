import _ExactKernels

/// How `MomentAccumulator` adds binary32 values: with the scalar bins alone, or with the
/// AVX-512F window kernel of `_ExactKernels`, which sums most values in wide integer lanes
/// and hands the rest (below its exponent window, NaN, ±infinity, a ragged tail) to the
/// scalar bins. The exactness argument (every value summed exactly once, no lane overflows)
/// is in `_ExactKernels/binary32_window.c`.
internal enum _Binary32Kernel: Sendable, CaseIterable {
  case scalar, avx512

  /// The kernel for this CPU, chosen once at run time (the package is built for baseline
  /// x86-64; only the kernel itself is compiled for AVX-512F).
  static let best: _Binary32Kernel = exact_cpu_has_avx512f() != 0 ? .avx512 : .scalar

  /// Every kernel this CPU runs, the scalar one first.
  static var available: [_Binary32Kernel] { best == .scalar ? [.scalar] : [.scalar, best] }
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
        exact_binary32_window_moments_avx512(start + 4 * offset, n, spill.baseAddress!, &window)
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
