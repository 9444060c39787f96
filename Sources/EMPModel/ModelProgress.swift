/// Receives the progress of work on model files, as phases of bytes. EMPModel never prints:
/// a command-line tool draws a progress bar from these calls, a service may log them.
///
/// Calls come from the thread that runs the analysis or the pruning, in order.
public protocol ModelProgress: AnyObject {
  /// A phase of work named `name` over `totalBytes` bytes begins.
  func beginPhase(_ name: String, totalBytes: Int)
  /// `bytes` more bytes of the current phase are done.
  func advance(by bytes: Int)
  /// The work has ended.
  func finish()
}

extension ModelProgress {
  /// Does nothing: most observers need no end.
  public func finish() {}
}

/// Progress that nobody watches.
public final class SilentProgress: ModelProgress {
  /// An observer that ignores every call.
  public init() {}
  /// Ignored.
  public func beginPhase(_ name: String, totalBytes: Int) {}
  /// Ignored.
  public func advance(by bytes: Int) {}
}
