/// The byte order of the elements of a tensor as stored in a file.
public enum ByteOrder: Sendable, Hashable {
  /// Least significant byte first (safetensors always, `.npy` with `<` or `|`).
  case little
  /// Most significant byte first (`.npy` with `>`).
  case big
}

/// The order in which a multi-dimensional tensor's elements are laid out in a file.
public enum MemoryOrder: Sendable, Hashable {
  /// Row-major: the last index varies fastest.
  case c
  /// Column-major: the first index varies fastest (`.npy` with `fortran_order: True`).
  case fortran
}

/// Where and how one tensor is stored in a file.
///
/// Descriptors produced by the readers are validated: `byteCount == elementCount * dtype.byteSize`
/// and `dataOffset + byteCount` fits in the file that was parsed.
public struct TensorDescriptor: Sendable, Hashable {
  /// The tensor's name (for `.npy`, the file name without its extension).
  public var name: String
  /// The element type.
  public var dtype: DType
  /// The dimensions; `[]` is a scalar holding one element, a zero dimension means no elements.
  public var shape: [Int]
  /// The absolute byte offset of the first element in the file.
  public var dataOffset: Int
  /// The number of bytes the tensor occupies.
  public var byteCount: Int
  /// The byte order of the stored elements.
  public var byteOrder: ByteOrder
  /// The layout of the stored elements.
  public var memoryOrder: MemoryOrder

  /// Creates a descriptor. The readers create validated ones; this initializer does not validate.
  public init(
    name: String, dtype: DType, shape: [Int], dataOffset: Int, byteCount: Int,
    byteOrder: ByteOrder = .little, memoryOrder: MemoryOrder = .c
  ) {
    self.name = name
    self.dtype = dtype
    self.shape = shape
    self.dataOffset = dataOffset
    self.byteCount = byteCount
    self.byteOrder = byteOrder
    self.memoryOrder = memoryOrder
  }

  /// The number of elements, `byteCount / dtype.byteSize`.
  public var elementCount: Int { byteCount / dtype.byteSize }
}
