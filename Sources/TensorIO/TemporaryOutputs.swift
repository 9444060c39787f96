#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif
import Synchronization

/// The temporary files and directories this process has made for its outputs and not yet
/// renamed into place or removed; what an interrupted process removes before it exits.
///
/// Every temporary output of `path` sits beside it, hidden, and is named
/// `.NAME.tmp-XXXXXX` (six letters or digits; `NAME` is the last component of `path`), or
/// `.NAME.tmp-XXXXXX.old` for the previous file kept while a replacement is committed. A process
/// killed outright (SIGKILL, power loss) leaves such names behind; ``removeLeftovers(of:)``
/// removes them.
///
/// Creating, committing and removing temporary outputs take one lock, so ``abandonAll()``
/// sees every temporary output that exists, and none is made or committed after it.
public enum TemporaryOutputs {
  private struct State {
    /// Path → whether it is a directory.
    var paths: [String: Bool] = [:]
    var isAbandoned = false
  }

  private static let state = Mutex(State())

  /// Removes every temporary output of this process, and makes every later attempt to create
  /// or commit one throw `TensorIOError.interrupted`.
  ///
  /// Meant for a process about to exit on a signal: call it from an ordinary thread (not a
  /// signal handler), then exit.
  ///
  /// - Returns: the paths removed.
  @discardableResult
  public static func abandonAll() -> [String] {
    state.withLock { state in
      state.isAbandoned = true
      let paths = state.paths.keys.sorted()
      for path in paths { FileTree.remove(path) }
      state.paths = [:]
      return paths
    }
  }

  /// Removes the temporary outputs of `path` that a killed process left beside it (see the
  /// naming above).
  ///
  /// Any process still writing `path` loses its temporary outputs too: run this only when none is.
  ///
  /// - Returns: the paths removed.
  /// - Throws: `TensorIOError.io` when the directory cannot be listed.
  public static func removeLeftovers(of path: String) throws -> [String] {
    let (directory, name) = FileTree.split(path)
    let prefix = "." + name + ".tmp-"
    let entries = try FileTree.entries(of: directory.isEmpty ? "." : directory)
    let leftovers = entries.filter { entry in
      guard entry.hasPrefix(prefix) else { return false }
      var suffix = entry.dropFirst(prefix.count)
      if suffix.hasSuffix(".old") { suffix = suffix.dropLast(4) }
      return suffix.count == suffixLength && suffix.allSatisfy { suffixAlphabet.contains($0) }
    }
    return state.withLock { _ in
      leftovers.map { entry in
        let leftover = directory + entry
        FileTree.remove(leftover)
        return leftover
      }
    }
  }

  // MARK: - Within TensorIO

  /// Creates a new temporary file beside `path` (permissions 0666 less the umask), open for writing.
  ///
  /// - Throws: `.interrupted` after ``abandonAll()``; `.io` when it cannot be created.
  static func makeFile(beside path: String) throws -> (path: String, descriptor: Int32) {
    var descriptor: Int32 = -1
    let temporary = try make(beside: path, isDirectory: false) { candidate in
      descriptor = open(candidate, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o666)
      return descriptor >= 0
    }
    return (temporary, descriptor)
  }

  /// Creates a new temporary directory beside `path` (permissions 0777 less the umask).
  ///
  /// - Throws: `.interrupted` after ``abandonAll()``; `.io` when it cannot be created.
  static func makeDirectory(beside path: String) throws -> String {
    try make(beside: path, isDirectory: true) { mkdir($0, 0o777) == 0 }
  }

  /// Runs `body` under the lock, after checking that the outputs were not abandoned; `body`
  /// gets a function that stops tracking a temporary output (it was renamed or removed).
  ///
  /// - Throws: `.interrupted(file: path)` after ``abandonAll()``, or what `body` throws.
  static func withLock<Result>(
    file path: String, _ body: (_ forget: (String) -> Void) throws -> Result
  ) throws -> Result {
    try state.withLock { state in
      guard !state.isAbandoned else { throw TensorIOError.interrupted(file: path) }
      return try body { state.paths[$0] = nil }
    }
  }

  /// Removes the temporary output `path` (a whole tree for a directory) and stops tracking it.
  static func remove(_ path: String) {
    state.withLock { state in
      FileTree.remove(path)
      state.paths[path] = nil
    }
  }

  private static let suffixAlphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
  private static let suffixLength = 6

  /// Tries fresh names `.NAME.tmp-XXXXXX` beside `path` until `create` succeeds on one, and
  /// tracks it.
  private static func make(beside path: String, isDirectory: Bool, _ create: (String) -> Bool) throws -> String {
    let (directory, name) = FileTree.split(path)
    var generator = SystemRandomNumberGenerator()
    return try state.withLock { state in
      guard !state.isAbandoned else { throw TensorIOError.interrupted(file: path) }
      for _ in 0..<100 {
        let suffix = String((0..<suffixLength).map { _ in suffixAlphabet.randomElement(using: &generator)! })
        let candidate = directory + "." + name + ".tmp-" + suffix
        if create(candidate) {
          state.paths[candidate] = isDirectory
          return candidate
        }
        guard errno == EEXIST else { break }
      }
      throw TensorIOError.io(
        file: path, operation: isDirectory ? "create temporary directory" : "create temporary file", errno: errno)
    }
  }
}

/// Small file-system helpers over the C library.
enum FileTree {
  /// `path` split into its directory (with the trailing `/`, or empty) and last component;
  /// trailing slashes are ignored.
  static func split(_ path: String) -> (directory: String, name: String) {
    var trimmed = Substring(path)
    while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
    guard let slash = trimmed.lastIndex(of: "/") else { return ("", String(trimmed)) }
    return (String(trimmed[...slash]), String(trimmed[trimmed.index(after: slash)...]))
  }

  /// The `lstat` mode of `path`, or `nil` when nothing is there.
  static func mode(_ path: String) -> mode_t? {
    var info = stat()
    return lstat(path, &info) == 0 ? info.st_mode : nil
  }

  /// Whether `path` is a directory (not following a final symbolic link).
  static func isDirectory(_ path: String) -> Bool {
    mode(path).map { $0 & S_IFMT == S_IFDIR } ?? false
  }

  /// The names in `directory`, without `.` and `..`.
  ///
  /// - Throws: `TensorIOError.io` when it cannot be opened.
  static func entries(of directory: String) throws -> [String] {
    guard let stream = opendir(directory) else {
      throw TensorIOError.io(file: directory, operation: "list directory", errno: errno)
    }
    defer { closedir(stream) }
    var names: [String] = []
    while let entry = readdir(stream) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
  }

  /// Removes `path`: a file, or a directory with everything in it (symbolic links are
  /// removed, never followed). Errors are ignored: this is cleanup.
  static func remove(_ path: String) {
    if isDirectory(path) {
      for entry in (try? entries(of: path)) ?? [] { remove(path + "/" + entry) }
      rmdir(path)
    } else {
      unlink(path)
    }
  }
}
