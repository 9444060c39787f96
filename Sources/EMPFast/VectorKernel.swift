import Exact
import _FastKernels

/// How the moments and classification passes read scores (binary16, bfloat16, binary32 and
/// binary64): with the portable SIMD code of `FastKernels`, or with the AVX2 or AVX-512
/// kernels of `_FastKernels`, which compute the same bits, counts and sums (same order of
/// additions; see `_FastKernels`).
/// (Package access: the fast-path fuzzer runs each kernel in turn.)
package enum VectorKernel: Int, CaseIterable, Sendable, Comparable, CustomStringConvertible {
  /// Baseline x86-64 (or any architecture) SIMD code.
  case portable
  /// AVX2: the moments and the classification, inside scores listed by a bit scan.
  case avx2
  /// AVX-512F, BW and VL: the moments and the classification, inside scores listed by a
  /// bit scan.
  case avx512
  /// As `avx512`, inside scores listed from the interior bits by VBMI2 16-bit compresses.
  case avx512vbmi2

  /// The widest kernel this CPU runs, chosen once at run time (the package is built for
  /// baseline x86-64; only the kernels themselves are compiled for AVX2 and AVX-512).
  static let widest = VectorKernel(rawValue: Int(fast_kernel_level())) ?? .portable

  /// The kernel the fast path uses by default: `widest`, or `portable` under
  /// `EMPKIT_KERNEL=portable` (`KernelPolicy`).
  package static let best: VectorKernel = KernelPolicy.portableOnly ? .portable : widest

  /// Every kernel up to `best`, the portable one first: under `EMPKIT_KERNEL=portable`
  /// only the portable one.
  package static var available: [VectorKernel] { allCases.filter { $0 <= best } }

  package static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

  package var description: String {
    switch self {
    case .portable: "portable"
    case .avx2: "AVX2"
    case .avx512: "AVX-512"
    case .avx512vbmi2: "AVX-512 VBMI2"
    }
  }
}
