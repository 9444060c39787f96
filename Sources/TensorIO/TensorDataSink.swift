/// Receives one tensor's bytes, in order and in chunks of any size, from a writer's data producer.
///
/// A sink is valid only during the producer call it is passed to. It counts the bytes: supplying
/// more than the tensor needs throws at once, and the writer checks for too few when the producer returns.
public final class TensorDataSink {
  private let writer: AtomicFileWriter
  private let file: String
  /// The tensor this sink receives data for.
  public let tensorName: String
  /// The number of bytes the tensor needs.
  public let expectedByteCount: Int
  /// The number of bytes received so far.
  public private(set) var byteCount = 0
  private var isActive = true

  init(writer: AtomicFileWriter, file: String, tensorName: String, expectedByteCount: Int) {
    self.writer = writer
    self.file = file
    self.tensorName = tensorName
    self.expectedByteCount = expectedByteCount
  }

  /// Appends `bytes` to the tensor's data.
  /// - Throws: `TensorIOError.dataSizeMismatch` if this exceeds the tensor's size; `.io` on a write error.
  /// - Complexity: O(`bytes.count`).
  public func write(_ bytes: UnsafeRawBufferPointer) throws {
    precondition(isActive, "TensorDataSink used after its producer returned")
    guard let total = CheckedSize.sum(byteCount, bytes.count), total <= expectedByteCount else {
      throw TensorIOError.dataSizeMismatch(
        file: file, tensor: tensorName, expected: expectedByteCount, provided: byteCount &+ bytes.count)
    }
    try writer.write(bytes)
    byteCount = total
  }

  /// Appends `bytes` to the tensor's data.
  /// - Throws: see ``write(_:)-(UnsafeRawBufferPointer)``.
  public func write(_ bytes: [UInt8]) throws {
    try bytes.withUnsafeBytes { try write($0) }
  }

  /// Runs `producer` with a fresh sink and checks it received exactly `expectedByteCount` bytes.
  static func fill(
    _ writer: AtomicFileWriter, file: String, tensorName: String, expectedByteCount: Int,
    _ producer: (TensorDataSink) throws -> Void
  ) throws {
    let sink = TensorDataSink(writer: writer, file: file, tensorName: tensorName, expectedByteCount: expectedByteCount)
    defer { sink.isActive = false }
    try producer(sink)
    guard sink.byteCount == expectedByteCount else {
      throw TensorIOError.dataSizeMismatch(
        file: file, tensor: tensorName, expected: expectedByteCount, provided: sink.byteCount)
    }
  }
}
