extension MomentAccumulator {
  /// A storage format of floats in raw memory.
  public enum ElementFormat: Sendable, Hashable, CaseIterable {
    /// IEEE 754 binary16 (`Float16`), 2 bytes.
    case float16
    /// bfloat16, 2 bytes: the upper half of a binary32.
    case bfloat16
    /// IEEE 754 binary32 (`Float`), 4 bytes.
    case float32
    /// IEEE 754 binary64 (`Double`), 8 bytes.
    case float64

    /// The size of one element in bytes.
    public var byteCount: Int {
      switch self {
      case .float16, .bfloat16: 2
      case .float32: 4
      case .float64: 8
      }
    }
  }

  /// Adds every element of `bytes`, little-endian floats of `format` at any alignment
  /// (as read from a file or a memory map).
  ///
  /// - Precondition: `bytes.count` is a multiple of `format.byteCount`.
  /// - Complexity: O(`bytes.count`).
  public mutating func add(contentsOf bytes: UnsafeRawBufferPointer, format: ElementFormat) {
    precondition(bytes.count % format.byteCount == 0, "MomentAccumulator: partial element")
    let n = bytes.count / format.byteCount
    switch format {
    case .float16:
      record(n, nonFinite: binary16.add(_UnalignedFloatBits<_Binary16Layout, UInt16>(bytes: bytes), flushingInto: &sums))
    case .bfloat16:
      guard windowKernel == .scalar else { return addThroughWindowKernel(bytes, elementSize: 2) }
      record(n, nonFinite: bfloat16.add(_UnalignedFloatBits<_BFloat16Layout, UInt16>(bytes: bytes), flushingInto: &sums))
    case .float32:
      guard windowKernel == .scalar else { return addThroughWindowKernel(bytes, elementSize: 4) }
      record(n, nonFinite: binary32.add(_UnalignedFloatBits<_Binary32Layout, UInt32>(bytes: bytes), flushingInto: &sums))
    case .float64:
      record(n, nonFinite: binary64.add(_UnalignedFloatBits<_Binary64Layout, UInt64>(bytes: bytes), flushingInto: &sums))
    }
  }
}
