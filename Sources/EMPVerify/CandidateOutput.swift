import Exact

/// What an implementation under test reported for one case.
public struct CandidateOutput: Sendable, Equatable {
  /// The reported `ν`.
  public var retentionCount: Int
  /// The reported `N_eff` (the exact value of what was written), if any.
  public var effectiveSampleSize: Rational?
  /// The kept indices (0-based), if reported; order and duplicates are ignored.
  public var keptIndices: Set<Int>?
  /// The reported kept mass `s_eff`, if any.
  public var preservedMass: Rational?

  /// An output with the given reported values; only `ν` is required.
  public init(
    retentionCount: Int, effectiveSampleSize: Rational? = nil, keptIndices: Set<Int>? = nil, preservedMass: Rational? = nil
  ) {
    self.retentionCount = retentionCount
    self.effectiveSampleSize = effectiveSampleSize
    self.keptIndices = keptIndices
    self.preservedMass = preservedMass
  }
}

/// All results of one implementation over a corpus.
public struct CandidateResults: Sendable {
  /// The implementation's name, as it reports it.
  public var implementation: String
  /// The outputs by case id.
  public var outputs: [String: CandidateOutput]
  /// Cases the implementation failed on or refused (a command that exited non-zero), with its
  /// reason; the name of a per-row input stands for all of its rows.
  public var failures: [String: String]

  /// Results of `implementation`, possibly empty.
  public init(implementation: String, outputs: [String: CandidateOutput] = [:], failures: [String: String] = [:]) {
    self.implementation = implementation
    self.outputs = outputs
    self.failures = failures
  }

  /// Why the implementation failed on or refused `c` (or the whole input `c` is a row of), if it did.
  public func failure(_ c: ConformanceCase) -> String? { failures[c.id] ?? failures[c.input] }
}
