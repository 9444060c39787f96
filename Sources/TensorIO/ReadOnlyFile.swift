#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Helpers for C error numbers.
enum SystemError {
  /// The `strerror` text for `code`.
  static func message(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "unknown error" }
    return String(cString: text)
  }
}

/// An open regular file read with `pread`, closed when released.
///
/// Opening refuses anything but a regular file (directories, FIFOs, devices) without blocking:
/// the file is opened with `O_NONBLOCK` and checked with `fstat` before any read.
final class ReadOnlyFile: Sendable {
  let path: String
  let size: Int
  private let descriptor: Int32

  init(path: String) throws {
    let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    guard descriptor >= 0 else { throw TensorIOError.io(file: path, operation: "open", errno: errno) }
    var info = stat()
    guard fstat(descriptor, &info) == 0 else {
      let code = errno
      close(descriptor)
      throw TensorIOError.io(file: path, operation: "stat", errno: code)
    }
    guard info.st_mode & S_IFMT == S_IFREG else {
      close(descriptor)
      throw TensorIOError.notRegularFile(file: path, kind: Self.kindName(mode: info.st_mode))
    }
    self.path = path
    self.descriptor = descriptor
    self.size = Int(info.st_size)
  }

  deinit { close(descriptor) }

  /// Throws `.notRegularFile` if `path` exists and is not a regular file; does nothing if it does not exist.
  static func rejectNonRegular(path: String) throws {
    var info = stat()
    guard stat(path, &info) == 0 else { return }
    guard info.st_mode & S_IFMT == S_IFREG else {
      throw TensorIOError.notRegularFile(file: path, kind: kindName(mode: info.st_mode))
    }
  }

  /// What a file of `mode` is, as messages name it: `"a directory"`, `"a regular file"`, ….
  static func kindName(mode: mode_t) -> String {
    switch mode & S_IFMT {
    case S_IFREG: "a regular file"
    case S_IFDIR: "a directory"
    case S_IFIFO: "a FIFO"
    case S_IFCHR: "a character device"
    case S_IFBLK: "a block device"
    case S_IFSOCK: "a socket"
    default: "a special file"
    }
  }

  /// Fills `buffer` with the bytes at `offset`.
  /// - Throws: `.truncated` if the file ends first (for example because it shrank), `.io` on a read error.
  func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int, tensor: String? = nil) throws {
    var done = 0
    while done < buffer.count {
      let result = pread(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
      if result < 0 {
        if errno == EINTR { continue }
        throw TensorIOError.io(file: path, operation: "read", errno: errno)
      }
      guard result > 0 else {
        throw TensorIOError.truncated(file: path, tensor: tensor, offset: offset, needed: buffer.count, available: done)
      }
      done += result
    }
  }

  /// Reads `count` bytes at `offset` into a new array.
  func read(count: Int, at offset: Int) throws -> [UInt8] {
    try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
      try read(into: UnsafeMutableRawBufferPointer(buffer), at: offset)
      initialized = count
    }
  }

  /// Maps `count` bytes at `offset` read-only and passes them to `body`; the mapping is removed afterwards.
  ///
  /// Mapped pages are backed by the file, so they are not copied into anonymous memory. `body` also
  /// receives a function that drops the pages touched so far from the process's resident set (they
  /// stay in the page cache).
  func withMappedBytes<R>(
    offset: Int, count: Int, _ body: (_ bytes: UnsafeRawBufferPointer, _ releasePages: () -> Void) throws -> R
  ) throws -> R {
    guard count > 0 else { return try body(UnsafeRawBufferPointer(start: nil, count: 0), {}) }
    let page = Int(sysconf(Int32(_SC_PAGESIZE)))
    let start = offset - offset % page
    let length = count + (offset - start)
    guard let mapping = mmap(nil, length, PROT_READ, MAP_PRIVATE, descriptor, off_t(start)),
      mapping != MAP_FAILED
    else { throw TensorIOError.io(file: path, operation: "mmap", errno: errno) }
    defer { munmap(mapping, length) }
    return try body(UnsafeRawBufferPointer(start: mapping + (offset - start), count: count)) {
      _ = madvise(mapping, length, Int32(MADV_DONTNEED))
    }
  }
}
