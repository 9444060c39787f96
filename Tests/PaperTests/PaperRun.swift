import Exact
import Testing
import _TestSupport

/// What the paper's property tests share.
enum PaperRun {
  /// Records an issue naming the statement and the exact point when it is violated.
  static func expectHolds(
    _ statement: SimplexStatement, at scores: [Rational], sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let violation = statement.violation(of: scores, form: .corrected)
    #expect(violation == nil, "\(statement.rawValue): \(violation ?? "")", sourceLocation: sourceLocation)
  }
}
