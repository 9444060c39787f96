import Foundation
import Testing

@testable import EMPFast
@testable import Exact
import _ExactKernels

/// `EMPKIT_KERNEL` reaches both kernel choices: the fast path's vector kernels and the exact
/// moments' window kernels. `.ci/run` runs the fast-path and exact tests a second time with
/// `EMPKIT_KERNEL=portable`; there this test checks that every choice is the portable one
/// (and `.ci/run` checks that it saw the variable), so the portable code is what those tests
/// exercised. Without the variable it checks that the widest kernels are chosen.
@Suite("EMPKIT_KERNEL selects the kernels")
struct KernelPolicyTests {
  @Test("EMPKIT_KERNEL=portable selects the portable kernels of the fast path and of the exact moments")
  func portableSetting() {
    let setting = ProcessInfo.processInfo.environment["EMPKIT_KERNEL"]
    print(
      "kernel selection: EMPKIT_KERNEL=\(setting ?? "(unset)"); this CPU runs the \(VectorKernel.widest) vector kernel"
        + " and the \(_WindowKernel.widest) window kernel; chosen: \(VectorKernel.best) and \(_WindowKernel.best)")
    #expect(KernelPolicy.setting == setting)
    #expect(KernelPolicy.portableOnly == (setting == "portable"))
    if setting == "portable" {
      #expect(VectorKernel.best == .portable && VectorKernel.available == [.portable])
      #expect(FastEMP.Options().kernel == .portable)
      #expect(_WindowKernel.best == .scalar && _WindowKernel.available == [.scalar])
      #expect(MomentAccumulator().windowKernel == .scalar)
      #expect(!ExactRunSum.columnSumsUseAVX2)
    } else {
      #expect(VectorKernel.best == VectorKernel.widest)
      #expect(FastEMP.Options().kernel == VectorKernel.widest)
      #expect(_WindowKernel.best == _WindowKernel.widest)
      #expect(MomentAccumulator().windowKernel == _WindowKernel.widest)
      #expect(ExactRunSum.columnSumsUseAVX2 == (exact_column_sums_avx2_supported() != 0))
    }
  }
}
