#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Several outputs written to temporary files beside their targets, then put in place together:
/// after ``commit()`` every output is complete at its path; after a failure, or ``abandon()``,
/// none is, and each target is as it was.
///
/// Pass a transaction to a writer (`SafeTensorsFile.write(to:…, in:)`, `NPYFile.write(to:…, in:)`)
/// to stage a file, or stage a directory with ``stageDirectory(for:)`` and write into it without
/// the transaction (the directory is staged whole). Staged
/// outputs are temporary outputs (see ``TemporaryOutputs``) until the commit.
///
/// What exists at a target is replaced only when the transaction was made with
/// `replacingExisting: true`, and only by its own kind: a file replaces a regular file; a staged
/// directory is merged into an existing directory, each of its files replacing the file of the
/// same name there, every other file of that directory left alone.
public final class OutputTransaction {
  private enum Staged {
    case file(temporary: String, target: String)
    case directory(temporary: String, target: String)

    var temporary: String {
      switch self {
      case .file(let temporary, _), .directory(let temporary, _): temporary
      }
    }

    var target: String {
      switch self {
      case .file(_, let target), .directory(_, let target): target
      }
    }
  }

  private let replacingExisting: Bool
  private var staged: [Staged] = []

  /// A transaction with nothing staged.
  ///
  /// - Parameter replacingExisting: whether an output may replace what exists at its target.
  public init(replacingExisting: Bool = false) {
    self.replacingExisting = replacingExisting
  }

  /// Creates a temporary directory beside `path` (permissions 0777 less the umask) that the
  /// commit puts at `path`.
  ///
  /// - Returns: the temporary directory's path, to write into.
  /// - Throws: `TensorIOError.io` or `.interrupted`.
  public func stageDirectory(for path: String) throws -> String {
    let temporary = try TemporaryOutputs.makeDirectory(beside: path)
    let (directory, name) = FileTree.split(path)
    staged.append(.directory(temporary: temporary, target: directory + name))
    return temporary
  }

  /// Records the complete temporary file `temporary`, to be renamed to `target` at the commit.
  func stageFile(_ temporary: String, for target: String) {
    staged.append(.file(temporary: temporary, target: target))
  }

  /// Puts every staged output at its target; on any failure undoes what it did, removes the
  /// temporary outputs and throws.
  ///
  /// Runs under the lock of ``TemporaryOutputs``: an interruption waits for it to finish.
  ///
  /// - Throws: `TensorIOError.outputExists` when a target exists and may not be replaced;
  ///   `.io` when a rename fails; `.interrupted` after `TemporaryOutputs.abandonAll()`.
  public func commit() throws {
    let staged = self.staged
    self.staged = []
    let first = staged.first.map(\.target) ?? ""
    do {
      try TemporaryOutputs.withLock(file: first) { forget in
        var log = CommitLog()
        do {
          for item in staged {
            switch item {
            case .file(let temporary, let target):
              try place(temporary, at: target, log: &log)
            case .directory(let temporary, let target):
              try placeDirectory(temporary, at: target, log: &log)
            }
          }
        } catch {
          log.undo()
          throw error
        }
        log.finish()
        for item in staged {
          FileTree.remove(item.temporary)
          forget(item.temporary)
        }
      }
    } catch {
      for item in staged { TemporaryOutputs.remove(item.temporary) }
      throw error
    }
  }

  /// Removes every staged output; their targets are left as they were.
  public func abandon() {
    for item in staged { TemporaryOutputs.remove(item.temporary) }
    staged = []
  }

  // MARK: - Placing

  /// What a commit did, to undo on failure and to finish on success.
  private struct CommitLog {
    /// Undo actions, in the order done.
    var undoActions: [() -> Void] = []
    /// Previous files kept while their replacements were put in place.
    var previousFiles: [String] = []

    /// Undoes every action, in reverse; each previous file is renamed back over its target.
    func undo() {
      for action in undoActions.reversed() { action() }
    }

    func finish() {
      for previous in previousFiles { unlink(previous) }
    }
  }

  /// Renames the file `temporary` to `target`, keeping what `target` held until the commit ends.
  private func place(_ temporary: String, at target: String, log: inout CommitLog) throws {
    if let mode = FileTree.mode(target) {
      guard replacingExisting, mode & S_IFMT == S_IFREG else {
        throw TensorIOError.outputExists(file: target, kind: ReadOnlyFile.kindName(mode: mode))
      }
      // Keep the previous file under a second name: a hard link, so the target never disappears.
      let previous = temporary + ".old"
      if link(target, previous) != 0 {
        guard rename(target, previous) == 0 else {
          throw TensorIOError.io(file: target, operation: "keep the previous file", errno: errno)
        }
      }
      log.previousFiles.append(previous)
      guard rename(temporary, target) == 0 else {
        let code = errno
        rename(previous, target)
        log.previousFiles.removeLast()
        throw TensorIOError.io(file: target, operation: "rename", errno: code)
      }
      log.undoActions.append { rename(previous, target) }
    } else {
      guard rename(temporary, target) == 0 else {
        throw TensorIOError.io(file: target, operation: "rename", errno: errno)
      }
      log.undoActions.append { rename(target, temporary) }
    }
  }

  /// Renames the directory `temporary` to `target`, or merges it into an existing directory.
  private func placeDirectory(_ temporary: String, at target: String, log: inout CommitLog) throws {
    guard let mode = FileTree.mode(target) else {
      guard rename(temporary, target) == 0 else {
        throw TensorIOError.io(file: target, operation: "rename", errno: errno)
      }
      log.undoActions.append { rename(target, temporary) }
      return
    }
    guard replacingExisting, mode & S_IFMT == S_IFDIR else {
      throw TensorIOError.outputExists(file: target, kind: ReadOnlyFile.kindName(mode: mode))
    }
    for entry in try FileTree.entries(of: temporary) {
      let (source, destination) = (temporary + "/" + entry, target + "/" + entry)
      if FileTree.isDirectory(source) {
        if FileTree.mode(destination) == nil {
          guard mkdir(destination, 0o777) == 0 else {
            throw TensorIOError.io(file: destination, operation: "create directory", errno: errno)
          }
          log.undoActions.append { rmdir(destination) }
        }
        try placeDirectory(source, at: destination, log: &log)
      } else {
        try place(source, at: destination, log: &log)
      }
    }
  }
}
