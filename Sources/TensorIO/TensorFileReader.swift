import Synchronization

/// Streams tensor data from a file in bounded-size chunks of whole elements.
///
/// Chunks are read with `pread` into one buffer per call (at most the chosen chunk size,
/// 64-byte aligned so it can be bound to `Float16`/`Float`/`Double`), and are always delivered
/// in the host's byte order: big-endian `.npy` data is byte-swapped inside that buffer. The
/// reader keeps the buffer of its last call for the next one: a fresh buffer of a few MiB costs
/// a page fault per 4 KiB page on every call. Memory use is therefore the chunk size (one
/// buffer per concurrent call), whatever the file size.
///
/// The reader holds the file open; it is safe to use from several threads at once.
public final class TensorFileReader: Sendable {
  /// The default chunk size, 16 MiB.
  public static let defaultChunkByteCount = 16 << 20

  private let file: ReadOnlyFile
  /// The buffer of the last call, while no call uses it.
  private let spare = Mutex<ChunkBuffer?>(nil)
  /// The path of the open file.
  public var path: String { file.path }
  /// The file's size in bytes when it was opened.
  public var fileSize: Int { file.size }

  /// Opens `path` for reading.
  /// - Throws: `.notRegularFile` for a directory, FIFO or device; `.io` if it cannot be opened.
  public init(path: String) throws {
    file = try ReadOnlyFile(path: path)
  }

  /// Calls `body` with successive chunks of `tensor`'s elements in storage order (C order, or
  /// column-major for a Fortran-order `.npy`), in host byte order.
  ///
  /// Every chunk holds a whole number of elements and at most `maxChunkByteCount` bytes; the buffer
  /// is only valid during the call. A tensor with no elements produces no call.
  /// - Precondition: `maxChunkByteCount >= tensor.dtype.byteSize`, and `tensor.byteCount` is a
  ///   multiple of the element size (always true for descriptors from the readers).
  /// - Throws: `.truncated` if the file no longer holds the tensor's bytes, `.io`, or what `body` throws.
  /// - Complexity: O(`tensor.byteCount`) time, O(`maxChunkByteCount`) memory.
  public func forEachChunk(
    of tensor: TensorDescriptor, maxChunkByteCount: Int = defaultChunkByteCount,
    _ body: (UnsafeRawBufferPointer) throws -> Void
  ) throws {
    try checkBounds(tensor, maxChunkByteCount: maxChunkByteCount)
    try stream(tensor, maxChunkByteCount: maxChunkByteCount, body) { chunk, done in
      try file.read(into: chunk, at: tensor.dataOffset + done, tensor: tensor.name)
    }
  }

  /// Like ``forEachChunk(of:maxChunkByteCount:_:)`` but always in C (row-major) order, also for
  /// Fortran-order `.npy` arrays, so consecutive elements form rows.
  ///
  /// For a Fortran-order array the tensor's bytes are memory-mapped read-only and gathered into the
  /// chunk buffer, so allocated memory stays O(`maxChunkByteCount`). The mapped file pages the
  /// gather touches are shared with the page cache (never copied) and are dropped from the resident
  /// set after each chunk, but one chunk can touch pages all over the tensor: for a 2-D array with
  /// many columns the resident mapped pages approach the tensor's size (measured: about 1 GiB for a
  /// 16384×16384 `f32` array, read in under 2 s). They are reclaimable page cache, not allocations.
  /// - Important: the file must not shrink while a Fortran-order array is read this way (a mapped
  ///   page past the end raises `SIGBUS`); storage-order reads report `.truncated` instead.
  /// - Throws: as ``forEachChunk(of:maxChunkByteCount:_:)``, plus `.io` if mapping fails.
  /// - Complexity: O(`tensor.byteCount`) time, O(`maxChunkByteCount`) allocated memory.
  public func forEachChunkInCOrder(
    of tensor: TensorDescriptor, maxChunkByteCount: Int = defaultChunkByteCount,
    _ body: (UnsafeRawBufferPointer) throws -> Void
  ) throws {
    guard tensor.memoryOrder == .fortran, tensor.shape.count > 1 else {
      return try forEachChunk(of: tensor, maxChunkByteCount: maxChunkByteCount, body)
    }
    try checkBounds(tensor, maxChunkByteCount: maxChunkByteCount)
    precondition(CheckedSize.byteCount(tensor.shape, tensor.dtype) == tensor.byteCount, "shape does not match byteCount")
    try file.withMappedBytes(offset: tensor.dataOffset, count: tensor.byteCount) { source, releasePages in
      var gather = FortranGather(shape: tensor.shape, elementSize: tensor.dtype.byteSize)
      try stream(tensor, maxChunkByteCount: maxChunkByteCount, body) { chunk, _ in
        gather.copy(from: source, into: chunk)
        releasePages()
      }
    }
  }

  /// Fills `buffer` with the elements `range` of `tensor` in C order, in host byte order:
  /// the random access that reading two tensors side by side needs.
  ///
  /// - Precondition: `buffer.count == range.count * tensor.dtype.byteSize`, and `range` lies
  ///   within the tensor's elements.
  /// - Throws: `.fortranOrderNotSupported` for a Fortran-order array of two or more
  ///   dimensions (its C-order elements are not contiguous), `.truncated` or `.io`.
  public func readElements(of tensor: TensorDescriptor, _ range: Range<Int>, into buffer: UnsafeMutableRawBufferPointer)
    throws
  {
    let elementSize = tensor.dtype.byteSize
    precondition(range.lowerBound >= 0 && range.upperBound * elementSize <= tensor.byteCount, "range out of bounds")
    precondition(buffer.count == range.count * elementSize, "buffer size does not match the range")
    guard tensor.memoryOrder != .fortran || tensor.shape.count < 2 else {
      throw TensorIOError.fortranOrderNotSupported(file: path, tensor: tensor.name)
    }
    try checkBounds(tensor, maxChunkByteCount: elementSize)
    try file.read(into: buffer, at: tensor.dataOffset + range.lowerBound * elementSize, tensor: tensor.name)
    if tensor.byteOrder != .host { ByteSwap.inPlace(buffer, elementSize: elementSize) }
  }

  /// Reads a whole tensor in C order and host byte order.
  /// - Throws: as ``forEachChunkInCOrder(of:maxChunkByteCount:_:)``.
  /// - Complexity: O(`tensor.byteCount`) time and memory; meant for small tensors.
  public func readBytes(of tensor: TensorDescriptor) throws -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(tensor.byteCount)
    try forEachChunkInCOrder(of: tensor) { bytes.append(contentsOf: $0) }
    return bytes
  }

  /// Takes a chunk buffer and calls `fill` then `body` for each chunk, byte-swapping in between.
  private func stream(
    _ tensor: TensorDescriptor, maxChunkByteCount: Int, _ body: (UnsafeRawBufferPointer) throws -> Void,
    fill: (_ chunk: UnsafeMutableRawBufferPointer, _ bytesDone: Int) throws -> Void
  ) throws {
    let elementSize = tensor.dtype.byteSize
    let chunkSize = min(tensor.byteCount, maxChunkByteCount / elementSize * elementSize)
    guard chunkSize > 0 else { return }
    // Taken from `spare` for the call, so that concurrent and nested calls each have their own.
    let kept = spare.withLock { spare -> ChunkBuffer? in
      guard let kept = spare, kept.bytes.count >= chunkSize else { return nil }
      spare = nil
      return kept
    }
    let owner = kept ?? ChunkBuffer(byteCount: chunkSize)
    defer { spare.withLock { if ($0?.bytes.count ?? 0) <= owner.bytes.count { $0 = owner } } }
    let buffer = owner.bytes
    var done = 0
    while done < tensor.byteCount {
      let chunk = UnsafeMutableRawBufferPointer(rebasing: buffer[..<min(chunkSize, tensor.byteCount - done)])
      try fill(chunk, done)
      if tensor.byteOrder != .host { ByteSwap.inPlace(chunk, elementSize: elementSize) }
      try body(UnsafeRawBufferPointer(chunk))
      done += chunk.count
    }
  }

  private func checkBounds(_ tensor: TensorDescriptor, maxChunkByteCount: Int) throws {
    precondition(maxChunkByteCount >= tensor.dtype.byteSize, "chunk size smaller than one element")
    precondition(tensor.byteCount >= 0 && tensor.dataOffset >= 0 && tensor.byteCount % tensor.dtype.byteSize == 0)
    guard let end = CheckedSize.sum(tensor.dataOffset, tensor.byteCount), end <= file.size else {
      throw TensorIOError.truncated(
        file: path, tensor: tensor.name, offset: tensor.dataOffset, needed: tensor.byteCount,
        available: max(0, file.size - tensor.dataOffset))
    }
  }
}

extension ByteOrder {
  /// The byte order of the machine running this code.
  public static var host: ByteOrder { 1.littleEndian == 1 ? .little : .big }
}

/// Reverses the bytes of each element of a buffer.
package enum ByteSwap {
  package static func inPlace(_ buffer: UnsafeMutableRawBufferPointer, elementSize: Int) {
    switch elementSize {
    case 2: swap(buffer, UInt16.self)
    case 4: swap(buffer, UInt32.self)
    case 8: swap(buffer, UInt64.self)
    default: precondition(elementSize == 1, "unsupported element size")
    }
  }

  private static func swap<T: FixedWidthInteger>(_ buffer: UnsafeMutableRawBufferPointer, _: T.Type) {
    for offset in stride(from: 0, to: buffer.count, by: MemoryLayout<T>.size) {
      buffer.storeBytes(of: buffer.loadUnaligned(fromByteOffset: offset, as: T.self).byteSwapped, toByteOffset: offset, as: T.self)
    }
  }
}

/// Walks a column-major array in row-major order, one chunk at a time.
package struct FortranGather {
  private let shape: [Int]
  private let strides: [Int]
  private let elementSize: Int
  private var index: [Int]
  private var sourceOffset = 0

  package init(shape: [Int], elementSize: Int) {
    self.shape = shape
    self.elementSize = elementSize
    var strides: [Int] = []
    var stride = elementSize
    for dimension in shape {
      strides.append(stride)
      stride *= dimension
    }
    self.strides = strides
    self.index = Array(repeating: 0, count: shape.count)
  }

  /// Copies the next `chunk.count / elementSize` elements in row-major order into `chunk`.
  package mutating func copy(from source: UnsafeRawBufferPointer, into chunk: UnsafeMutableRawBufferPointer) {
    for offset in stride(from: 0, to: chunk.count, by: elementSize) {
      precondition(sourceOffset + elementSize <= source.count)
      (chunk.baseAddress! + offset).copyMemory(from: source.baseAddress! + sourceOffset, byteCount: elementSize)
      var axis = shape.count - 1
      while axis >= 0 {
        index[axis] += 1
        sourceOffset += strides[axis]
        if index[axis] < shape[axis] { break }
        sourceOffset -= strides[axis] * shape[axis]
        index[axis] = 0
        axis -= 1
      }
    }
  }
}

/// A chunk buffer (64-byte aligned), owned by one call of a reader at a time.
private final class ChunkBuffer: @unchecked Sendable {
  let bytes: UnsafeMutableRawBufferPointer

  init(byteCount: Int) { bytes = .allocate(byteCount: byteCount, alignment: 64) }

  deinit { bytes.deallocate() }
}
