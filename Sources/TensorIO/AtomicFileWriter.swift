#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes a file by writing a temporary file in the same directory and renaming it over the target.
///
/// Either the complete file appears at the target path, or (on any error, including one thrown by
/// the caller's body) the temporary file is removed and the target is left as it was.
final class AtomicFileWriter {
  private let path: String
  private let temporaryPath: String
  private let descriptor: Int32
  private var isOpen = true
  private var buffer: [UInt8] = []
  private static let bufferCapacity = 1 << 20

  /// Writes `path` atomically with the bytes `body` passes to ``write(_:)``.
  /// - Throws: `.notRegularFile` if the target exists and is not a regular file, `.io` on system
  ///   errors, and whatever `body` throws.
  static func write(to path: String, _ body: (AtomicFileWriter) throws -> Void) throws {
    try ReadOnlyFile.rejectNonRegular(path: path)
    let writer = try AtomicFileWriter(path: path)
    do {
      try body(writer)
      try writer.commit()
    } catch {
      writer.abandon()
      throw error
    }
  }

  private init(path: String) throws {
    let slash = path.lastIndex(of: "/")
    let directory = slash.map { String(path[...$0]) } ?? ""
    let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
    var template = Array((directory + "." + base + ".tmp-XXXXXX").utf8CString)
    let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard descriptor >= 0 else { throw TensorIOError.io(file: path, operation: "create temporary file", errno: errno) }
    self.path = path
    self.descriptor = descriptor
    self.temporaryPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
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

  private func commit() throws {
    try flush()
    guard fchmod(descriptor, 0o644) == 0 else { throw TensorIOError.io(file: path, operation: "chmod", errno: errno) }
    guard fsync(descriptor) == 0 else { throw TensorIOError.io(file: path, operation: "fsync", errno: errno) }
    isOpen = false
    guard close(descriptor) == 0 else { throw TensorIOError.io(file: path, operation: "close", errno: errno) }
    guard rename(temporaryPath, path) == 0 else {
      throw TensorIOError.io(file: path, operation: "rename", errno: errno)
    }
  }

  private func abandon() {
    if isOpen { close(descriptor) }
    unlink(temporaryPath)
  }
}

/// The C `write`, reachable from inside a type that has its own `write` methods.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
  write(descriptor, bytes, count)
}
