/// A problem with a corpus or a candidate's results; its description is one line.
public enum ConformanceError: Error, Equatable, CustomStringConvertible {
  /// A file that cannot be read or written.
  case io(path: String, reason: String)
  /// A file whose content is not what the format requires.
  case malformed(path: String, reason: String)
  /// A manifest value that the exact reference does not reproduce.
  case expectationMismatch(caseID: String, field: String)
  /// A candidate command that could not be started.
  case commandFailed(String)

  public var description: String {
    switch self {
    case .io(let path, let reason): "\(path): \(reason)"
    case .malformed(let path, let reason): "\(path): \(reason)"
    case .expectationMismatch(let id, let field):
      "case \(id): the manifest's \(field) differs from what the exact reference derives; regenerate the corpus"
    case .commandFailed(let reason): "candidate command: \(reason)"
    }
  }
}
