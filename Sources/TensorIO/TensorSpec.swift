/// The name, dtype and shape of a tensor to write.
public struct TensorSpec: Sendable, Hashable {
  /// The tensor's name (ignored by the `.npy` writer, which stores one unnamed array).
  public var name: String
  /// The element type.
  public var dtype: DType
  /// The dimensions; `[]` is a scalar.
  public var shape: [Int]

  /// Creates a spec.
  public init(name: String, dtype: DType, shape: [Int]) {
    self.name = name
    self.dtype = dtype
    self.shape = shape
  }

  /// A spec with the name, dtype and shape of an existing tensor.
  public init(_ descriptor: TensorDescriptor) {
    self.init(name: descriptor.name, dtype: descriptor.dtype, shape: descriptor.shape)
  }

  /// The number of data bytes, overflow-checked.
  /// - Throws: `.invalidTensorSpec` naming `file` if a dimension is negative or the size overflows.
  func byteCount(file: String) throws -> Int {
    guard let count = CheckedSize.byteCount(shape, dtype) else {
      throw TensorIOError.invalidTensorSpec(file: file, tensor: name, reason: "shape \(shape) is negative or too large")
    }
    return count
  }
}
