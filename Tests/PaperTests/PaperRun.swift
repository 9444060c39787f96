import Exact
import Foundation
import PropertyBased
import Testing
import _TestSupport

/// How many cases a property runs: the default, or ten times as many with EMPKIT_DEEP=1.
enum PaperRun {
  static let scale = ProcessInfo.processInfo.environment["EMPKIT_DEEP"] == "1" ? 10 : 1

  static func cases(_ base: Int) -> Int { base * scale }

  /// Records an issue naming the statement and the exact point when it is violated.
  static func expectHolds(
    _ statement: SimplexStatement, at scores: [Rational], sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let violation = statement.violation(of: scores, form: .corrected)
    #expect(violation == nil, "\(statement.rawValue): \(violation ?? "")", sourceLocation: sourceLocation)
  }
}
