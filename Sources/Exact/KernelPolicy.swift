#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#elseif canImport(ucrt)
  import ucrt
#endif

/// Which kernels the package may choose: the one place that reads the environment variable
/// `EMPKIT_KERNEL`, once per process, for the exact moments (`MomentAccumulator`'s AVX-512
/// window kernels), the exact column sums (`ExactRunSum`'s AVX2 kernel) and the fast path
/// (its AVX2 and AVX-512 kernels).
///
/// - `EMPKIT_KERNEL=portable`: only the portable code (Swift SIMD and scalar bins), as on a
///   CPU without AVX2 or AVX-512 or off x86-64. Results are the same bits either way; this
///   exists so that the portable code is tested on machines that have the vector kernels.
/// - unset, empty or `auto`: the widest kernels this CPU runs (chosen at run time).
/// - any other value: ignored, as `auto` (no error and no message).
package enum KernelPolicy {
  /// The value of `EMPKIT_KERNEL` when the process first asked, or `nil` when unset.
  package static let setting: String? = {
    guard let value = getenv("EMPKIT_KERNEL") else { return nil }
    return String(cString: value)
  }()

  /// Whether `EMPKIT_KERNEL=portable` restricts every choice to the portable code.
  package static let portableOnly: Bool = setting == "portable"
}
