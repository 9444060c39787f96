import EMPCore
import Foundation
import PropertyBased
import Synchronization
import Testing

/// How many cases property checks run and from which seed, read once from the environment.
///
/// - `EMPKIT_DEEP=1` multiplies every case count by ``deepFactor``.
/// - `EMPKIT_SEED=<decimal or 0x-hex UInt64>` replaces the fixed default base seed, to explore
///   new cases or to replay a run printed earlier.
public enum PropertyCheckSettings {
  /// The case-count multiplier of a deep run.
  public static let deepFactor = 10

  /// Whether `EMPKIT_DEEP=1` is set.
  public static let isDeep: Bool = ProcessInfo.processInfo.environment["EMPKIT_DEEP"] == "1"

  /// The base seed all checks derive theirs from: `EMPKIT_SEED`, or a fixed default.
  public static let baseSeed: UInt64 = {
    guard let text = ProcessInfo.processInfo.environment["EMPKIT_SEED"] else {
      return 0x454D_504B_6974_0001
    }
    let parsed = text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
    guard let parsed else { fatalError("EMPKIT_SEED is not a UInt64: \(text)") }
    return parsed
  }()

  /// `count`, times ``deepFactor`` in a deep run.
  public static func scaled(_ count: Int) -> Int { isDeep ? count * deepFactor : count }

  /// The seed of the check written at `location`: the base seed mixed with the file and line,
  /// so that the checks of one run draw independent streams.
  public static func seed(at location: SourceLocation) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a
    for byte in "\(location.fileID):\(location.line)".utf8 {
      hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
    }
    return baseSeed ^ hash
  }

  /// A `xoshiro256**` generator whose state is expanded from `seed` by SplitMix64.
  public static func generator(seed: UInt64) -> Xoshiro {
    var expander = SplitMix64(seed: seed)
    return Xoshiro(seed: (expander.next(), expander.next(), expander.next(), expander.next()))
  }
}

/// Runs `body` on `count` values drawn from `input` by a generator seeded deterministically
/// (``PropertyCheckSettings``); prints the seed, and on the first failing case records the
/// case number, the seed and the input, then stops.
///
/// Unlike `propertyCheck`, the default seed is fixed, so every run checks the same cases
/// unless `EMPKIT_SEED` says otherwise; there is no shrinking.
///
/// - Parameters:
///   - count: the number of cases of a normal run (scaled by `EMPKIT_DEEP`).
///   - input: the generator of inputs.
///   - body: the property; it reports failures with `#expect`/`#require` or by throwing.
public func seededPropertyCheck<Value, Shrink>(
  count: Int,
  input: Generator<Value, Shrink>,
  sourceLocation: SourceLocation = #_sourceLocation,
  perform body: (Value) throws -> Void
) async {
  let seed = PropertyCheckSettings.seed(at: sourceLocation)
  let total = PropertyCheckSettings.scaled(count)
  let seedText = "seed 0x\(String(seed, radix: 16)), EMPKIT_SEED=0x\(String(PropertyCheckSettings.baseSeed, radix: 16))"
  print("property \(sourceLocation.fileID):\(sourceLocation.line): \(total) cases, \(seedText)")

  let failed = IssueFlag()
  let handler = IssueHandlingTrait.compactMapIssues { issue in
    failed.raise()
    return issue
  }
  guard let test = Test.current else { preconditionFailure("seededPropertyCheck outside a test") }
  // The loop runs synchronously inside the scope; nothing it captures crosses a task.
  nonisolated(unsafe) let body = body
  nonisolated(unsafe) var rng = PropertyCheckSettings.generator(seed: seed)
  try? await handler.provideScope(for: test, testCase: Test.Case.current) {
    for index in 0..<total {
      let value = input.run(using: &rng)
      do {
        try body(value)
      } catch is ExpectationFailedError {
        // `#require` has recorded the failure already.
      } catch {
        Issue.record(error, sourceLocation: sourceLocation)
      }
      if failed.isRaised {
        Issue.record(
          "case \(index + 1) of \(total) failed (\(seedText)); input: \(value)",
          sourceLocation: sourceLocation)
        return
      }
    }
  }
}

/// A flag the issue handler raises from whichever thread records an issue.
private final class IssueFlag: Sendable {
  private let raised = Atomic<Bool>(false)
  func raise() { raised.store(true, ordering: .relaxed) }
  var isRaised: Bool { raised.load(ordering: .relaxed) }
}
