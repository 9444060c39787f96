import _FastKernels

/// How the classification pass reads binary32 and bfloat16 scores: with the portable SIMD
/// code of `FastKernels.classify`, or with the AVX-512 kernel of `_FastKernels`, which
/// computes the same bits, counts and sums (same order of additions; see
/// `_FastKernels/classify.c`). Other formats always take the portable code.
enum ClassifyKernel: Int, Sendable, Comparable {
  case portable, avx512

  /// The widest kernel this CPU runs, chosen once at run time (the package is built for
  /// baseline x86-64; only the kernel itself is compiled for AVX-512).
  static let best = ClassifyKernel(rawValue: Int(fast_classify_kernel_level())) ?? .portable

  /// Every kernel this CPU runs, the portable one first.
  static var available: [ClassifyKernel] { [.portable, .avx512].filter { $0 <= best } }

  static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}
