#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes a file by writing a temporary file beside the target (a temporary output, see
/// ``TemporaryOutputs``), then renaming it over the target or staging it in a transaction.
///
/// Either the complete file appears at the target path, or (on any error, including one thrown by
/// the caller's body) the temporary file is removed and the target is left as it was. The file
/// gets the permissions 0666 less the umask, as any new file does.
final class AtomicFileWriter {
  private let path: String
  private let temporaryPath: String
  private let descriptor: Int32
  private var isOpen = true
  private var buffer: [UInt8] = []
  private static let bufferCapacity = 1 << 20

  /// Writes `path` atomically with the bytes `body` passes to ``write(_:)``.
  ///
  /// - Parameter transaction: where to stage the complete file; without one it is renamed
  ///   over `path` at once.
  /// - Throws: `.notRegularFile` if the target exists and is not a regular file, `.io` on system
  ///   errors, `.interrupted` when the process is being interrupted, and whatever `body` throws.
  static func write(
    to path: String, in transaction: OutputTransaction? = nil, _ body: (AtomicFileWriter) throws -> Void
  ) throws {
    try ReadOnlyFile.rejectNonRegular(path: path)
    let writer = try AtomicFileWriter(path: path)
    do {
      try body(writer)
      try writer.close()
      if let transaction {
        transaction.stageFile(writer.temporaryPath, for: path)
      } else {
        try TemporaryOutputs.withLock(file: path) { forget in
          guard rename(writer.temporaryPath, path) == 0 else {
            throw TensorIOError.io(file: path, operation: "rename", errno: errno)
          }
          forget(writer.temporaryPath)
        }
      }
    } catch {
      writer.abandon()
      throw error
    }
  }

  private init(path: String) throws {
    (temporaryPath, descriptor) = try TemporaryOutputs.makeFile(beside: path)
    self.path = path
    buffer.reserveCapacity(Self.bufferCapacity)
  }

  /// Appends `bytes` to the file (buffered).
  func write(_ bytes: UnsafeRawBufferPointer) throws {
    if buffer.count + bytes.count > Self.bufferCapacity { try flush() }
    if bytes.count >= Self.bufferCapacity {
      try writeFully(bytes)
    } else {
      buffer.append(contentsOf: bytes)
    }
  }

  /// Appends `bytes` to the file (buffered).
  func write(_ bytes: [UInt8]) throws {
    try bytes.withUnsafeBytes { try write($0) }
  }

  private func flush() throws {
    guard !buffer.isEmpty else { return }
    try buffer.withUnsafeBytes { try writeFully($0) }
    buffer.removeAll(keepingCapacity: true)
  }

  private func writeFully(_ bytes: UnsafeRawBufferPointer) throws {
    var done = 0
    while done < bytes.count {
      let result = systemWrite(descriptor, bytes.baseAddress! + done, bytes.count - done)
      if result < 0 {
        if errno == EINTR { continue }
        throw TensorIOError.io(file: path, operation: "write", errno: errno)
      }
      done += result
    }
  }

  /// Flushes, syncs and closes the temporary file.
  private func close() throws {
    try flush()
    guard fsync(descriptor) == 0 else { throw TensorIOError.io(file: path, operation: "fsync", errno: errno) }
    isOpen = false
    guard systemClose(descriptor) == 0 else { throw TensorIOError.io(file: path, operation: "close", errno: errno) }
  }

  private func abandon() {
    if isOpen { systemClose(descriptor) }
    TemporaryOutputs.remove(temporaryPath)
  }
}

/// The C `write`, reachable from inside a type that has its own `write` methods.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
  write(descriptor, bytes, count)
}

/// The C `close`, reachable from inside a type that has its own `close` method.
@discardableResult
private func systemClose(_ descriptor: Int32) -> Int32 {
  close(descriptor)
}
