import Foundation
import TensorIO

/// SIGINT, SIGTERM and SIGHUP during a command that writes files: the temporary outputs are
/// removed, one line goes to standard error, and the process exits with 128 + the signal number.
///
/// The signal handler only writes the signal number to a pipe; a thread reading the pipe does the
/// cleanup (`TemporaryOutputs.abandonAll()`), which waits for a commit in progress to finish, so
/// the outputs of a transaction are either all in place or none is.
enum Interruption {
  /// The signals handled, with their names.
  static let signals: [(number: Int32, name: String)] = [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM"), (SIGHUP, "SIGHUP")]

  /// The pipe's write end, for the handler (a C function pointer captures nothing).
  nonisolated(unsafe) fileprivate static var writeEnd: Int32 = -1

  /// Installs the handlers and starts the cleanup thread; later calls do nothing.
  static func install() {
    _ = installation
  }

  private static let installation: Void = {
    var ends: [Int32] = [0, 0]
    guard pipe(&ends) == 0 else { return }
    writeEnd = ends[1]
    let readEnd = ends[0]
    Thread.detachNewThread {
      var number: UInt8 = 0
      while read(readEnd, &number, 1) != 1 {}
      let removed = TemporaryOutputs.abandonAll()
      let name = signals.first { $0.number == Int32(number) }?.name ?? "signal \(number)"
      let detail = removed.isEmpty ? "" : "; removed the unfinished outputs"
      let erase = isatty(2) != 0 ? "\r\u{1B}[K" : ""  // a progress bar may be showing
      FileHandle.standardError.write(Data("\(erase)emp: interrupted by \(name)\(detail)\n".utf8))
      _exit(128 + Int32(number))
    }
    for (number, _) in signals {
      var action = sigaction()
      #if canImport(Darwin)
        action.__sigaction_u.__sa_handler = handle
      #else
        action.__sigaction_handler.sa_handler = handle
      #endif
      sigemptyset(&action.sa_mask)
      sigaction(number, &action, nil)
    }
  }()
}

/// The signal handler: async-signal-safe, it only writes the signal number to the pipe.
private func handle(_ number: Int32) {
  var byte = UInt8(truncatingIfNeeded: number)
  _ = write(Interruption.writeEnd, &byte, 1)
}
