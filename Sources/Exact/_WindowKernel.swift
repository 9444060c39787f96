import _ExactKernels

/// How `MomentAccumulator` adds binary32 and bfloat16 values: with the scalar bins alone,
/// or with an AVX-512 window kernel of `_ExactKernels`, which sums most values in wide
/// integer lanes and hands the rest (outside its exponent window, subnormal, NaN,
/// ±infinity, a ragged tail) to the scalar binary32 bins. The exactness argument (every
/// value summed exactly once, no lane overflows) is in `_ExactKernels/binary32_window.c`.
internal enum _WindowKernel: Int, Sendable, Comparable {
  case scalar, avx512f, avx512ifma

  /// The widest kernel this CPU runs, chosen once at run time (the package is built for
  /// baseline x86-64; only the kernels themselves are compiled for AVX-512).
  static let widest = _WindowKernel(rawValue: Int(exact_binary32_window_kernel_level())) ?? .scalar

  /// The kernel `MomentAccumulator` uses: `widest`, or `scalar` under
  /// `EMPKIT_KERNEL=portable` (`KernelPolicy`).
  static let best: _WindowKernel = KernelPolicy.portableOnly ? .scalar : widest

  /// Every kernel up to `best`, the scalar one first.
  static var available: [_WindowKernel] { [.scalar, .avx512f, .avx512ifma].filter { $0 <= best } }

  static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

extension MomentAccumulator {
  /// Adds `bytes.count / elementSize` little-endian binary32 (`elementSize` 4) or bfloat16
  /// (2) values at any alignment through `windowKernel`, which must not be `.scalar`.
  /// Spilled values arrive as the binary32 of the same value and go to the binary32 bins.
  internal mutating func addThroughWindowKernel(_ bytes: UnsafeRawBufferPointer, elementSize: Int) {
    #if arch(x86_64)
    let count = bytes.count / elementSize
    guard let start = bytes.baseAddress else { return }
    let chunk = Int(EXACT_BINARY32_WINDOW_CHUNK)
    let nonFinite = withUnsafeTemporaryAllocation(of: UInt32.self, capacity: chunk) { spill in
      var nonFinite = 0
      var window = exact_binary32_window_sums()
      for offset in stride(from: 0, to: count, by: chunk) {
        let elements = start + elementSize * offset, n = min(chunk, count - offset)
        switch (windowKernel, elementSize) {
        case (.avx512ifma, 4): exact_binary32_window_moments_avx512ifma(elements, n, spill.baseAddress!, &window)
        case (.avx512ifma, _): exact_bfloat16_window_moments_avx512ifma(elements, n, spill.baseAddress!, &window)
        case (.avx512f, 4): exact_binary32_window_moments_avx512f(elements, n, spill.baseAddress!, &window)
        case (.avx512f, _): exact_bfloat16_window_moments_avx512f(elements, n, spill.baseAddress!, &window)
        case (.scalar, _): preconditionFailure("MomentAccumulator: the scalar kernel has no window")
        }
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
    #else
    // Off x86-64 `_WindowKernel.best` is `.scalar`, so no caller gets here.
    preconditionFailure("MomentAccumulator: no window kernel on this architecture")
    #endif
  }
}
