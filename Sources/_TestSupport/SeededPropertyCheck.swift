import EMPCore
import Foundation
import PropertyBased
import Synchronization
import Testing

/// How many cases property checks run and from which seed: the one place that reads
/// `EMPKIT_DEEP` and `EMPKIT_SEED`, once.
///
/// - `EMPKIT_DEEP=1` multiplies every case count by ``deepFactor`` (and deepens the other
///   checks that ask ``isDeep``).
/// - `EMPKIT_SEED=<decimal or 0x-hex UInt64>` replaces the fixed default base seed, to explore
///   new cases or to replay a run printed earlier; `EMPKIT_SEED=random` draws a new one, which
///   every check prints.
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
    if text == "random" {
      var system = SystemRandomNumberGenerator()
      return system.next()
    }
    let parsed = text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
    guard let parsed else { fatalError("EMPKIT_SEED is not a UInt64 (decimal or 0x-hex) or `random`: \(text)") }
    return parsed
  }()

  /// `EMPKIT_SEED=0x…`: what replays this run.
  public static var replaySetting: String { "EMPKIT_SEED=0x\(String(baseSeed, radix: 16))" }

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

  /// Prints, once per call site and run, what the check or data source at `location` draws
  /// from. A call site in a loop or a parameterized test draws the same stream every time.
  static func announce(_ what: String, at location: SourceLocation, seed: UInt64) {
    let site = "\(location.fileID):\(location.line)"
    guard announced.withLock({ $0.insert(site).inserted }) else { return }
    print("\(what) \(site): seed 0x\(String(seed, radix: 16)) (\(replaySetting))")
  }

  private static let announced = Mutex<Set<String>>([])
}

/// Runs `body` on `count` values drawn from `input` (times 10 with `EMPKIT_DEEP=1`) by a
/// generator seeded deterministically (``PropertyCheckSettings``): the one entry point of every
/// property test.
///
/// It prints the seed of its call site; `EMPKIT_SEED` replays a run. The first failing case is
/// shrunk by PropertyBased's `propertyCheck` (as far as `input`'s shrinker goes) and reported
/// once, with the shrunk and the original input, the case number, the seed and the command
/// that replays it.
///
/// - Parameters:
///   - count: the number of cases of a normal run.
///   - input: the generator of inputs; several generators are combined with `zip`.
///   - body: the property; it reports failures with `#expect`/`#require` or by throwing.
public func seededPropertyCheck<Value, Shrinks>(
  count: Int,
  input: Generator<Value, Shrinks>,
  sourceLocation: SourceLocation = #_sourceLocation,
  perform body: (Value) async throws -> Void
) async {
  guard let test = Test.current else { preconditionFailure("seededPropertyCheck outside a test") }
  let seed = PropertyCheckSettings.seed(at: sourceLocation)
  let total = PropertyCheckSettings.scaled(count)
  PropertyCheckSettings.announce("property \(total) cases at", at: sourceLocation, seed: seed)

  // PropertyBased draws each case from a generator of its own, seeded by the system; the
  // first step of `seeded` swaps it for the state where the previous case ended, the last
  // step keeps the state it leaves. So the cases are one deterministic stream, and
  // PropertyBased still shrinks with `input`'s shrinker.
  let stream = CaseStream(PropertyCheckSettings.generator(seed: seed))
  let start = Generator<Void, Shrink.None<Void>> { rng in rng = stream.startCase() }
  let end = Generator<Void, Shrink.None<Void>> { rng in stream.endCase(rng) }
  let seeded = zip(start, input, end).map { $0.1 }

  let filter = (test.id.moduleName + "." + test.id.nameComponents.joined(separator: "/"))
    .replacingOccurrences(of: "'", with: "'\\''")
  let replay: @Sendable (Int) -> String = { count in
    "case \(count) of \(total) at \(sourceLocation.fileID):\(sourceLocation.line) failed (seed 0x\(String(seed, radix: 16))); "
      + "replay: \(PropertyCheckSettings.replaySetting) swift test --filter '\(filter)'"
  }
  let failure = Mutex<(failed: Bool, reported: Bool)>((false, false))
  // PropertyBased ends its report with how to replay with its own seed, which does not
  // apply here: put ours in its place.
  let handler = IssueHandlingTrait.compactMapIssues { issue in
    var issue = issue
    let text = issue.comments.first?.rawValue ?? ""
    let hint = text.range(of: "\n\nAdd `.fixedSeed")
    if let hint { issue.comments[0] = Comment(rawValue: String(text[..<hint.lowerBound]) + "\n" + replay(stream.caseCount)) }
    failure.withLock { $0 = (true, $0.reported || hint != nil) }
    return issue
  }
  // The checks run one after another inside the scope; nothing they capture crosses a task.
  nonisolated(unsafe) let body = body
  try? await handler.provideScope(for: test, testCase: Test.Case.current) {
    await propertyCheck(
      count: total, input: seeded,
      perform: { value in
        do {
          try await body(value)
        } catch is ExpectationFailedError {
          // `#require` has recorded the failure already.
        } catch {
          Issue.record(error, sourceLocation: sourceLocation)
        }
      }, sourceLocation: sourceLocation)
  }
  if failure.withLock({ $0.failed && !$0.reported }) {
    Issue.record("\(replay(stream.caseCount))", sourceLocation: sourceLocation)
  }
}

/// The generator state a property check's cases are drawn from, one case after another.
private final class CaseStream: Sendable {
  private let state: Mutex<(generator: Xoshiro, cases: Int)>

  init(_ generator: Xoshiro) { state = Mutex((generator, 0)) }

  /// The state for the next case.
  func startCase() -> Xoshiro {
    state.withLock {
      $0.cases += 1
      return $0.generator
    }
  }

  /// Keeps the state a case left.
  func endCase(_ generator: any SeededRandomNumberGenerator) {
    guard let generator = generator as? Xoshiro else { preconditionFailure("CaseStream: not the stream's generator") }
    state.withLock { $0.generator = generator }
  }

  /// How many cases have been drawn.
  var caseCount: Int { state.withLock { $0.cases } }
}

/// A random-number generator for the bulk data of a test that is not a property check (a
/// million values, say), seeded like one: from ``PropertyCheckSettings/baseSeed`` and the call
/// site, printed once. Its description names the seed and the replay setting, for failure
/// messages.
public struct SeededRandom: RandomNumberGenerator, CustomStringConvertible, Sendable {
  /// The seed of this call site in this run.
  public let seed: UInt64
  private var generator: Xoshiro

  /// The generator of the call site `sourceLocation`.
  public init(sourceLocation: SourceLocation = #_sourceLocation) {
    seed = PropertyCheckSettings.seed(at: sourceLocation)
    generator = PropertyCheckSettings.generator(seed: seed)
    PropertyCheckSettings.announce("random data at", at: sourceLocation, seed: seed)
  }

  public mutating func next() -> UInt64 { generator.next() }

  public var description: String {
    "seed 0x\(String(seed, radix: 16)) (\(PropertyCheckSettings.replaySetting))"
  }
}
