import Exact

/// The rules that reproduce a candidate's `ν` and kept set exactly on one case: a retention
/// rule and a selection rule, possibly after a transform of the scores, and with `β` applied or
/// ignored.
public struct Explanation: Hashable, Sendable {
  /// How `ν` was computed.
  public let retention: RetentionRule
  /// How the kept indices were chosen.
  public let selection: SelectionRule
  /// Whether `β` was ignored (`β = 1` in the retention rule: the official KAN and
  /// nearest-neighbour code have none).
  public let ignoresBeta: Bool
  /// What was done to the scores first (the other rules then apply to the vector it
  /// substitutes, if any), or `nil`.
  public let transform: ScoreTransform?
  /// The `ν` the rules were applied with.
  public let retentionCount: Int

  init(
    retention: RetentionRule, selection: SelectionRule, ignoresBeta: Bool = false, transform: ScoreTransform? = nil,
    retentionCount: Int
  ) {
    self.retention = retention
    self.selection = selection
    self.ignoresBeta = ignoresBeta
    self.transform = transform
    self.retentionCount = retentionCount
  }

  /// This explanation applied after `transform` substituted the case's vector.
  func after(_ transform: ScoreTransform) -> Explanation {
    Explanation(
      retention: retention, selection: selection, ignoresBeta: ignoresBeta, transform: transform,
      retentionCount: retentionCount)
  }

  /// The explanation without its transform: what applies to the substituted vector.
  var withoutTransform: Explanation {
    Explanation(retention: retention, selection: selection, ignoresBeta: ignoresBeta, retentionCount: retentionCount)
  }

  /// The identifier and label of ignoring `β`.
  static let betaIgnored = (identifier: "beta.ignored", label: "β ignored (ν from N_eff alone)")

  /// How many rules differ from the reference (0 means the output is the reference's).
  public var deviationCount: Int {
    (transform == nil ? 0 : 1) + (ignoresBeta ? 1 : 0) + (retention == .reference ? 0 : 1) + (selection == .reference ? 0 : 1)
  }

  /// The deviation class: the non-reference rules joined with " + ".
  public var label: String { key.parts.map(\.label).joined(separator: " + ") }

  /// The class's stable identifier: the non-reference rules' identifiers joined with "+".
  public var identifier: String { key.parts.map(\.identifier).joined(separator: "+") }

  var key: Key { Key(retention: retention, selection: selection, ignoresBeta: ignoresBeta, transform: transform) }

  /// The rules without `ν`, as the corpus-level cover counts them.
  struct Key: Hashable {
    let retention: RetentionRule
    let selection: SelectionRule
    var ignoresBeta = false
    var transform: ScoreTransform?

    /// Whether agreeing cases can refute these rules: a deviating one is refutable, and no
    /// transform is exempt (a float rule beside a selection rule leaves the selection refutable).
    var isRefutable: Bool {
      (transform?.isRefutable ?? true)
        && (ignoresBeta || retention != .reference && retention.isRefutable || selection != .reference && selection.isRefutable)
    }

    /// The deviating rules as (identifier, label), in the order they apply.
    var parts: [(identifier: String, label: String)] {
      [
        transform.map { ($0.identifier, $0.explanation) }, ignoresBeta ? Explanation.betaIgnored : nil,
        retention == .reference ? nil : (retention.identifier, retention.explanation),
        selection == .reference ? nil : (selection.identifier, selection.explanation),
      ].compactMap { $0 }
    }

    /// The identifiers of its deviating rules.
    var atoms: Set<String> { Set(parts.map(\.identifier)) }

    /// Earlier rules first (their declaration order; β applied before β ignored).
    static func precedes(_ a: Key, _ b: Key) -> Bool {
      let order = { (k: Key) in
        [
          k.transform.map { ScoreTransform.allCases.firstIndex(of: $0)! + 1 } ?? 0, k.ignoresBeta ? 1 : 0,
          RetentionRule.allCases.firstIndex(of: k.retention)!, SelectionRule.allCases.firstIndex(of: k.selection)!,
        ]
      }
      return order(a).lexicographicallyPrecedes(order(b))
    }
  }
}

/// The verdict on one case: agreement, or each deviation with its class and evidence.
public struct CaseVerdict: Sendable {
  /// What was wrong, if anything.
  public enum Status: Sendable, Equatable {
    /// The output is the reference's (and any reported N_eff or s_eff is within float rounding),
    /// or the candidate refused scores that have no EMP analysis, as the reference does.
    case agrees
    /// The output differs; see ``explanation`` and ``findings``.
    case deviates
    /// The candidate gave no result for this case.
    case missing
    /// The candidate failed on this case (its reason).
    case failed(String)
  }

  /// A reported number beyond what float rounding can explain.
  public enum Finding: String, Sendable, CaseIterable {
    /// The reported N_eff is outside every certified float bound around the exact value.
    case effectiveSampleSizeBeyondRounding
    /// The reported s_eff is outside every float bound around the exact mass of the kept set.
    case massBeyondRounding

    /// The deviation class.
    public var label: String {
      switch self {
      case .effectiveSampleSizeBeyondRounding: "N_eff beyond float rounding"
      case .massBeyondRounding: "s_eff beyond float rounding"
      }
    }

    /// The stable identifier of the class.
    public var identifier: String {
      switch self {
      case .effectiveSampleSizeBeyondRounding: "report.neff_beyond_rounding"
      case .massBeyondRounding: "report.s_eff_beyond_rounding"
      }
    }
  }

  /// The case id.
  public let id: String
  /// The case's status.
  public internal(set) var status: Status
  /// The reference `ν` (`nil` where the scores have no EMP analysis).
  public let expectedRetentionCount: Int?
  /// The reference kept-set size (`nil` where the scores have no EMP analysis).
  public let expectedKeptCount: Int?
  /// What the candidate reported.
  public let output: CandidateOutput?
  /// Every explanation with the fewest deviating rules (empty when the ν/kept output agrees,
  /// or when nothing explains it); the next fewest when the corpus refutes all of those.
  public internal(set) var explanations: [Explanation]
  /// The explanations with more deviating rules, grouped by their number, fewest first: a
  /// chain such as centring, then an overflow, then a clamp, tried only when the agreeing
  /// cases refute every shorter one.
  var longerExplanations: [[Explanation]] = []
  /// The explanation chosen across the corpus (the one that explains the most cases).
  public internal(set) var explanation: Explanation?
  /// Reported numbers beyond float rounding.
  public let findings: [Finding]
  /// Why: the rule applied to this case's numbers.
  public internal(set) var evidence: String

  /// Whether `ν` or the kept set differs from the reference.
  public var outputDiffers: Bool { !explanations.isEmpty || isUnexplained }
  /// Whether `ν` or the kept set differs and no known deviation reproduces it (or only rules
  /// that the cases the candidate got right refute).
  public internal(set) var isUnexplained: Bool

  /// Replaces the explanations by the next fewest-rule ones, if there are any.
  mutating func lengthenExplanations() -> Bool {
    guard !longerExplanations.isEmpty else { return false }
    explanations = longerExplanations.removeFirst()
    return true
  }

  /// The deviation classes of this case ("agree" when there are none).
  public var classes: [String] { classList.map(\.label) }

  /// The stable identifiers of ``classes``, in the same order (`agree`, `missing`, `failed`,
  /// `unexplained`, or the rules' and findings' identifiers).
  public var classIdentifiers: [String] { classList.map(\.identifier) }

  private var classList: [(identifier: String, label: String)] {
    switch status {
    case .agrees: return [("agree", "agree")]
    case .missing: return [("missing", "missing result")]
    case .failed: return [("failed", "candidate failed")]
    case .deviates:
      var classes = findings.map { ($0.identifier, $0.label) }
      if let explanation { classes.insert((explanation.identifier, explanation.label), at: 0) }
      if isUnexplained { classes.insert(("unexplained", "unexplained"), at: 0) }
      return classes
    }
  }

  init(
    id: String, status: Status, expected: ExpectedOutcome?, output: CandidateOutput?, explanations: [Explanation] = [],
    isUnexplained: Bool = false, findings: [Finding] = [], evidence: String = ""
  ) {
    self.id = id
    self.status = status
    self.expectedRetentionCount = expected?.retentionCount
    self.expectedKeptCount = expected?.keptIndices.count
    self.output = output
    self.explanations = explanations
    self.isUnexplained = isUnexplained
    self.findings = findings
    self.evidence = evidence
  }
}
