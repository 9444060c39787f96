import Exact

/// Compares a candidate's results with the corpus and classifies every deviation.
///
/// For each case, the known deviation hypotheses are pairs of a ``RetentionRule`` (how ν is
/// computed) and a ``SelectionRule`` (how the kept indices are chosen), with `β` applied or
/// ignored, possibly after a ``ScoreTransform`` of the scores, each evaluated exactly. On a
/// case whose scores have no EMP analysis, a refusal agrees, and an output is explained by a
/// transform (−∞ as 0, non-finite dropped, the uniform fallback, one, all or none kept).
/// A hypothesis explains the case when it reproduces the reported `ν` and kept set exactly (a
/// threshold or complement candidate may report the size of its kept set as `ν`). Float
/// rounding rules allow exactly the `ν` values within the proven bound of
/// ``FloatRoundingBound``, and only when the candidate's own reported N_eff (if any) is inside
/// that bound; an uncertified float bound allows any `ν`, so it explains a case only when
/// nothing else does. Any other rule explains a case only when the candidate's N_eff (if any)
/// is within float32 rounding of the N_eff the rule computes, unless no explanation is; a rule
/// whose own N_eff is the reported one also explains that N_eff. Of the explanations, those
/// with the fewest deviating rules are kept; across the corpus, the hypothesis that explains
/// the most cases, less those it would have got wrong among the cases the candidate got right,
/// is chosen first (greedy cover), so that one systematic mistake is named once rather than
/// coincidences case by case. A case whose every shortest explanation those agreeing cases
/// refute is tried with its longer ones (a chain of rules); a case no hypothesis reproduces,
/// or only refuted ones, is "unexplained". A hypothesis is refuted through its rules whose
/// effect does not hang on a float format (a float rule beside a selection rule leaves the
/// selection refutable).
///
/// Independently, a reported N_eff outside every certified float bound around the exact
/// value, or a reported s_eff outside every bound around the exact mass of the reported
/// kept set, is a finding of its own.
public struct VerificationReport: Sendable {
  /// The implementation's name.
  public let implementation: String
  /// One verdict per corpus case, in corpus order.
  public let verdicts: [CaseVerdict]
  /// Result ids that are not in the corpus.
  public let unknownCaseIDs: [String]

  /// Whether every case agrees.
  public var isClean: Bool { verdicts.allSatisfy { $0.status == .agrees } }

  /// The number of cases per class, the most frequent first ("agree" included), with the
  /// class's stable identifier.
  public var classCounts: [(label: String, identifier: String, count: Int)] {
    var counts: [String: Int] = [:]
    var order: [(label: String, identifier: String)] = []
    for verdict in verdicts {
      for (label, identifier) in zip(verdict.classes, verdict.classIdentifiers) {
        if counts[identifier] == nil { order.append((label, identifier)) }
        counts[identifier, default: 0] += 1
      }
    }
    return order.map { ($0.label, $0.identifier, counts[$0.identifier]!) }.sorted { $0.count > $1.count }
  }

  /// Classifies `results` against `corpus`.
  ///
  /// - Complexity: O(N log N) per case and hypothesis tried, with exact arithmetic.
  public init(corpus: [ConformanceCorpus.Entry], results: CandidateResults) {
    implementation = results.implementation
    let ids = Set(corpus.map(\.conformanceCase.id))
    unknownCaseIDs = results.outputs.keys.filter { !ids.contains($0) }.sorted()
    var verdicts = corpus.map { entry -> CaseVerdict in
      let id = entry.conformanceCase.id
      guard let expected = entry.expected else { return Self.classifyUndefined(entry, results) }
      if let reason = results.failure(entry.conformanceCase) {
        let uncertified = expected.roundingBounds.values.sorted { $0.precision > $1.precision }
          .compactMap { $0.uncertifiedReason.map { "; float rounding is not certified on this input: \($0)" } }.first
        return CaseVerdict(
          id: id, status: .failed(reason), expected: expected, output: nil, evidence: reason + (uncertified ?? ""))
      }
      guard let output = results.outputs[id] else {
        return CaseVerdict(id: id, status: .missing, expected: expected, output: nil, evidence: "no result for this case")
      }
      return Self.classify(entry, output)
    }
    Self.chooseExplanations(&verdicts, corpus: corpus)
    for i in verdicts.indices where verdicts[i].status == .deviates {
      let entry = corpus[i]
      verdicts[i].evidence = Evidence(entry: entry, output: verdicts[i].output!).describe(verdicts[i])
    }
    self.verdicts = verdicts
  }

  /// The verdict of a case with no EMP analysis: a refusal agrees; an output is explained by
  /// a ``ScoreTransform`` (and the rules that reproduce it on the vector it substitutes).
  static func classifyUndefined(_ entry: ConformanceCorpus.Entry, _ results: CandidateResults) -> CaseVerdict {
    let id = entry.conformanceCase.id
    if let reason = results.failure(entry.conformanceCase) {
      return CaseVerdict(id: id, status: .agrees, expected: nil, output: nil, evidence: "refused: " + reason)
    }
    guard let output = results.outputs[id] else {
      return CaseVerdict(id: id, status: .missing, expected: nil, output: nil, evidence: "no result for this case")
    }
    let explanations = fewest(transformed(entry, output, substitutes: substitutes(entry, output)))
    return CaseVerdict(
      id: id, status: .deviates, expected: nil, output: output, explanations: explanations, isUnexplained: explanations.isEmpty)
  }

  /// The explanations through each ``ScoreTransform`` that applies to the case: the transform
  /// alone where it decides the output, or followed by the rules that explain the output on the
  /// vector it substitutes, where the reported numbers fit that vector (no finding there).
  static func transformed(
    _ entry: ConformanceCorpus.Entry, _ output: CandidateOutput, substitutes: [ScoreTransform: Substitute]
  ) -> [Explanation] {
    var found: [Explanation] = []
    let plain = { (transform: ScoreTransform) in
      Explanation(retention: .reference, selection: .reference, transform: transform, retentionCount: output.retentionCount)
    }
    for transform in ScoreTransform.allCases where transform.applies(to: entry.conformanceCase.scores) {
      if transform.reproduces(output, scores: entry.conformanceCase.scores) { found.append(plain(transform)) }
      guard let (substitute, mapped) = substitutes[transform] else { continue }
      let verdict = classify(substitute, mapped, transforming: false)
      guard verdict.findings.isEmpty else { continue }
      if verdict.status == .agrees {
        found.append(plain(transform))
      } else {
        found += verdict.explanations.filter { $0.transform == nil }.map { $0.after(transform) }
      }
    }
    return found
  }

  /// Those of `explanations` with the fewest deviating rules, one per combination of rules.
  static func fewest(_ explanations: [Explanation]) -> [Explanation] { byLength(explanations).first ?? [] }

  /// `explanations` grouped by their number of deviating rules, fewest first, one per
  /// combination of rules.
  static func byLength(_ explanations: [Explanation]) -> [[Explanation]] {
    var seen = Set<Explanation.Key>()
    let distinct = explanations.filter { seen.insert($0.key).inserted }
    return Dictionary(grouping: distinct, by: \.deviationCount).sorted { $0.key < $1.key }.map(\.value)
  }

  /// A transform's vector as a corpus entry, and the candidate's output in its indices.
  typealias Substitute = (entry: ConformanceCorpus.Entry, output: CandidateOutput)

  /// ``substituted(_:_:by:)`` for every transform that gives one, each analysed once.
  static func substitutes(_ entry: ConformanceCorpus.Entry, _ output: CandidateOutput) -> [ScoreTransform: Substitute] {
    var all: [ScoreTransform: Substitute] = [:]
    for transform in ScoreTransform.allCases {
      if let substitute = substituted(entry, output, by: transform) { all[transform] = substitute }
    }
    return all
  }

  /// The corpus entry of the vector `transform` substitutes for `entry`'s, and `output` in its
  /// indices; `nil` when it substitutes none, the substitute has no EMP analysis either, or
  /// the output keeps an index the substitute dropped.
  static func substituted(
    _ entry: ConformanceCorpus.Entry, _ output: CandidateOutput, by transform: ScoreTransform
  ) -> Substitute? {
    let c = entry.conformanceCase
    guard let (scores, precision, indices) = transform.substitute(c.scores, precision: c.precision) else { return nil }
    let substitute = ConformanceCorpus.Entry(
      ConformanceCase(id: c.id, summary: c.summary, precision: precision, scores: scores, beta: c.beta), inputPath: entry.inputPath)
    guard substitute.expected != nil else { return nil }
    var mapped = output
    if let kept = output.keptIndices {
      let position = Dictionary(uniqueKeysWithValues: indices.enumerated().map { ($1, $0) })
      let positions = kept.compactMap { position[$0] }
      guard positions.count == kept.count else { return nil }
      mapped.keptIndices = Set(positions)
    }
    return (substitute, mapped)
  }

  /// The verdict of one case with an EMP analysis, before the corpus-level choice; with
  /// `transforming`, score transforms are tried too (one, not one after another).
  static func classify(_ entry: ConformanceCorpus.Entry, _ output: CandidateOutput, transforming: Bool = true) -> CaseVerdict {
    let expected = entry.expected!
    let c = entry.conformanceCase
    let context = SelectionContext(scores: c.scores)
    let kept = output.keptIndices
    var findings: [CaseVerdict.Finding] = []
    if let neff = output.effectiveSampleSize, !withinSomeBound(neff, expected.effectiveSampleSize, expected, \.relativeError) {
      findings.append(.effectiveSampleSizeBeyondRounding)
    }
    if let mass = output.preservedMass {
      let set = kept ?? Set(expected.keptIndices)
      let exact = exactMass(of: set, magnitudes: context.magnitudes)
      if !withinSomeBound(mass, exact, expected, \.massRelativeError) { findings.append(.massBeyondRounding) }
    }
    let agrees =
      output.retentionCount == expected.retentionCount && (kept == nil || kept! == Set(expected.keptIndices))
    let neffFinding = findings.contains(.effectiveSampleSizeBeyondRounding)
    let deviates = !agrees || neffFinding
    let substitutes = transforming && deviates ? Self.substitutes(entry, output) : [:]
    var explanations =
      deviates ? explain(output, expected, context) + transformed(entry, output, substitutes: substitutes) : []
    // A float bound that is not certified allows any ν: it explains nothing another rule does.
    let uncertified = { (e: Explanation) in
      e.transform == nil && e.retention.precision.map { !expected.roundingBounds[$0]!.isCertified } ?? false
    }
    if explanations.contains(where: { !uncertified($0) }) { explanations.removeAll(where: uncertified) }
    // A reported N_eff decides between explanations: a rule that is not a float rule must
    // have computed its N_eff within float32 rounding (so a bfloat16 N_eff is never read as
    // "rounding instead of floor"). Without a consistent explanation, all are kept. A rule
    // whose own N_eff is the reported one explains it: that is then the finding's cause.
    if let reported = output.effectiveSampleSize {
      // The N_eff an explanation's rules compute (on its transform's vector, if any), with
      // that vector's outcome; `nil` when a transform decided the output itself.
      func ruleEffectiveSampleSize(_ explanation: Explanation) -> (neff: Rational?, outcome: ExpectedOutcome)? {
        var (outcome, scores) = (expected, c.scores)
        if let transform = explanation.transform {
          guard let substitute = substitutes[transform]?.entry, let substituteOutcome = substitute.expected else { return nil }
          (outcome, scores) = (substituteOutcome, substitute.conformanceCase.scores)
        }
        return (outcome.effectiveSampleSize(under: explanation.retention, scores: scores), outcome)
      }
      let consistent = explanations.filter { explanation in
        guard let (neff, outcome) = ruleEffectiveSampleSize(explanation) else { return true }
        // A certified float bound was checked when it was tried; an uncertified one confirms nothing.
        if let precision = explanation.retention.precision { return outcome.roundingBounds[precision]!.isCertified }
        return neff.map { isWithinRounding(reported, of: $0, outcome) } ?? false
      }
      if !consistent.isEmpty { explanations = consistent }
      if neffFinding {
        // Explained only by rules whose own N_eff, not the exact one, is the reported one
        // within float32 rounding (a 16-bit bound is too wide to tell rules apart).
        let computing = consistent.filter { explanation in
          guard let (neff, outcome) = ruleEffectiveSampleSize(explanation), let neff else { return false }
          return neff != expected.effectiveSampleSize && isWithinRounding(reported, of: neff, outcome)
        }
        if !computing.isEmpty {
          explanations = computing
          findings.removeAll { $0 == .effectiveSampleSizeBeyondRounding }
        } else if agrees {
          explanations = []
        }
      }
    }
    let lengths = byLength(explanations)
    if agrees && lengths.isEmpty {
      return CaseVerdict(
        id: c.id, status: findings.isEmpty ? .agrees : .deviates, expected: expected, output: output, findings: findings)
    }
    var verdict = CaseVerdict(
      id: c.id, status: .deviates, expected: expected, output: output, explanations: lengths.first ?? [],
      isUnexplained: lengths.isEmpty, findings: findings)
    verdict.longerExplanations = Array(lengths.dropFirst())
    return verdict
  }

  /// Every deviating explanation of `output` by a retention and a selection rule, with `β`
  /// applied or ignored.
  static func explain(_ output: CandidateOutput, _ expected: ExpectedOutcome, _ context: SelectionContext) -> [Explanation] {
    let n = expected.count
    let nu = output.retentionCount
    // The ν a rule pair can have been applied with: the reported ν, the kept-set size (or its
    // complement's), and the ranks around the values at the cut (threshold rules).
    var tried: Set<Int> = [nu, nu - 1, nu + 1, n - nu]
    if let kept = output.keptIndices {
      tried.formUnion([kept.count, kept.count - 1, kept.count + 1, n - kept.count])
      let keptValues = kept.filter { $0 >= 0 && $0 < n }.map { context.magnitudes[$0] }
      let droppedValues = (0..<n).filter { !kept.contains($0) }.map { context.magnitudes[$0] }
      for boundary in [keptValues.min(), droppedValues.max()].compactMap({ $0 }) {
        for (rank, index) in context.ranked.enumerated() where context.magnitudes[index] == boundary {
          tried.formUnion([rank, rank + 1, rank + 2])
        }
      }
    }
    var found: [Explanation] = []
    for ignoresBeta in expected.beta == 1 ? [false] : [false, true] {
      let outcome = ignoresBeta ? expected.ignoringBeta() : expected
      found += explanations(output, outcome, context, ignoresBeta: ignoresBeta, tried: tried)
    }
    return found.filter { $0.deviationCount > 0 }
  }

  /// Every rule pair that reproduces the output on `expected` (the case's outcome, or the one
  /// with `β = 1` when `ignoresBeta`), applied with a `ν` from `tried` or the rule's own range.
  private static func explanations(
    _ output: CandidateOutput, _ expected: ExpectedOutcome, _ context: SelectionContext, ignoresBeta: Bool,
    tried: Set<Int>
  ) -> [Explanation] {
    let nu = output.retentionCount
    var found: [Explanation] = []
    for retention in RetentionRule.allCases {
      let counts = expected.retentionCounts(retention, scores: context.scores)
      if let precision = retention.precision, counts.isCertified, let reported = output.effectiveSampleSize,
        !expected.roundingBounds[precision]!.interval(around: expected.effectiveSampleSize).contains(reported)
      {
        continue  // the candidate's own N_eff rules out this float format
      }
      var candidates = tried
      if counts.isCertified, counts.range.upperBound - counts.range.lowerBound < 64 { candidates.formUnion(counts.range) }
      for value in candidates.sorted() where value >= 0 && counts.range.contains(value) {
        guard let kept = output.keptIndices else {
          if value == nu {
            found.append(
              Explanation(retention: retention, selection: .reference, ignoresBeta: ignoresBeta, retentionCount: value))
          }
          continue
        }
        guard nu == value || nu == kept.count else { continue }
        for selection in SelectionRule.allCases where context.matches(selection, nu: value, kept: kept) {
          found.append(
            Explanation(retention: retention, selection: selection, ignoresBeta: ignoresBeta, retentionCount: value))
        }
      }
    }
    return found
  }

  /// Greedy cover: repeatedly choose the rules with the most remaining cases explained less
  /// the agreeing cases that contradict them (where they would have deviated but the candidate
  /// did not: a coincidence, not the candidate's rule; rules contradicted more often than they
  /// explain are never chosen, a case with only such rules is tried with its longer
  /// explanations, and what only refuted rules reproduce is unexplained); among those
  /// scoring the same, the ones
  /// that lean least on float bounds that are not certified for the case, then the ones sharing
  /// the most rules with those already chosen (one mistake, named the same way throughout),
  /// then the ones explaining more, then the earliest declared.
  static func chooseExplanations(_ verdicts: inout [CaseVerdict], corpus: [ConformanceCorpus.Entry]) {
    var remaining = Set(verdicts.indices.filter { !verdicts[$0].explanations.isEmpty })
    let agreeing = verdicts.indices.filter { verdicts[$0].status == .agrees }
    var contradictions: [Explanation.Key: Int] = [:]
    var contexts: [Int: SelectionContext] = [:]
    func context(_ i: Int) -> SelectionContext {
      if let known = contexts[i] { return known }
      let made = SelectionContext(scores: corpus[i].conformanceCase.scores)
      contexts[i] = made
      return made
    }
    func contradicted(_ key: Explanation.Key) -> Int {
      if let known = contradictions[key] { return known }
      let count = agreeing.filter { i in
        isContradicted(key, by: corpus[i], output: verdicts[i].output) { context(i) }
      }.count
      contradictions[key] = count
      return count
    }
    var chosen = Set<String>()
    while !remaining.isEmpty {
      var counts: [Explanation.Key: Int] = [:]
      var uncertified: [Explanation.Key: Int] = [:]
      for i in remaining {
        for key in Set(verdicts[i].explanations.map(\.key)) {
          counts[key, default: 0] += 1
          if let precision = key.retention.precision, corpus[i].expected?.roundingBounds[precision]?.isCertified == false {
            uncertified[key, default: 0] += 1
          }
        }
      }
      // Rules the candidate's own agreeing cases contradict more often than the deviations
      // they explain are coincidences, not its rules: what only they reproduce is unexplained
      // (rules whose effect a float format decides are never refuted so).
      let scored = counts.map { key, explained in
        (key: key, explained: explained, uncertified: uncertified[key] ?? 0, contradicted: contradicted(key))
      }.filter { !$0.key.isRefutable || $0.explained >= $0.contradicted }
      // A case whose every explanation is refuted is tried with its longer ones, if any.
      let admissible = Set(scored.map(\.key))
      var lengthened = false
      for i in remaining where !verdicts[i].explanations.contains(where: { admissible.contains($0.key) }) {
        if verdicts[i].lengthenExplanations() { lengthened = true }
      }
      if lengthened { continue }
      guard !scored.isEmpty else {
        for i in remaining { verdicts[i].isUnexplained = true }
        return
      }
      var best = scored.min { a, b in
        let (netA, netB) = (a.explained - a.contradicted, b.explained - b.contradicted)
        if netA != netB { return netA > netB }
        if a.uncertified != b.uncertified { return a.uncertified < b.uncertified }
        let (sharedA, sharedB) = (a.key.atoms.intersection(chosen).count, b.key.atoms.intersection(chosen).count)
        if sharedA != sharedB { return sharedA > sharedB }
        if a.explained != b.explained { return a.explained > b.explained }
        return Explanation.Key.precedes(a.key, b.key)
      }!.key
      best = finest(best, remaining: remaining, verdicts: verdicts, corpus: corpus)
      chosen.formUnion(best.atoms)
      for i in remaining {
        if let match = verdicts[i].explanations.first(where: { $0.key == best }) {
          verdicts[i].explanation = match
          remaining.remove(i)
        }
      }
    }
  }

  /// A float rounding rule made as fine as the cases allow: a coarser format's bound contains
  /// a finer one's, so it explains more cases and the cover would choose it even for a finer
  /// implementation. The finest format (same selection) that explains every remaining case
  /// `key` explains on which that format's bound is certified, at least one, is named there;
  /// the others are left for the coarser format.
  static func finest(
    _ key: Explanation.Key, remaining: Set<Int>, verdicts: [CaseVerdict], corpus: [ConformanceCorpus.Entry]
  ) -> Explanation.Key {
    guard let precision = key.retention.precision else { return key }
    let explainedBy = { (k: Explanation.Key) in remaining.filter { i in verdicts[i].explanations.contains { $0.key == k } } }
    let cases = explainedBy(key)
    let finer = RetentionRule.allCases.filter { $0.precision.map { $0 > precision } ?? false }
      .sorted { $0.precision! > $1.precision! }
    for rule in finer {
      let candidate = Explanation.Key(retention: rule, selection: key.selection, ignoresBeta: key.ignoresBeta)
      let certified = cases.filter { corpus[$0].expected?.roundingBounds[rule.precision!]?.isCertified == true }
      let explained = explainedBy(candidate)
      if !certified.isEmpty, certified.isSubset(of: explained) { return candidate }
    }
    return key
  }

  /// Whether a case the candidate got right refutes `key`: the rules would have deviated there
  /// (a masking rule, on a case with no EMP analysis that the candidate refused and the rule
  /// applies to). `context` gives the case's ``SelectionContext`` when a selection is to be checked.
  static func isContradicted(
    _ key: Explanation.Key, by entry: ConformanceCorpus.Entry, output: CandidateOutput?, context: () -> SelectionContext
  ) -> Bool {
    guard let caseExpected = entry.expected else {
      return key.transform?.applies(to: entry.conformanceCase.scores) ?? false
    }
    guard key.transform == nil else { return false }
    let expected = key.ignoresBeta ? caseExpected.ignoringBeta() : caseExpected
    // Only the refutable rules of the key are checked: a float rule's effect is the format's.
    let retention = key.retention.isRefutable ? key.retention : .reference
    let counts = expected.retentionCounts(retention, scores: entry.conformanceCase.scores)
    if !counts.range.contains(caseExpected.retentionCount) { return true }
    guard key.selection != .reference, key.selection.isRefutable, output?.keptIndices != nil else { return false }
    let context = context()
    let nu = expected.retentionCount
    let selection = context.isDistinct(key.selection, nu: nu) ? key.selection : .tiesOtherOrder
    return !context.matches(selection, nu: nu, kept: Set(expected.keptIndices))
  }

  /// Whether `reported` is within the bound of some format around `exact`: a float32 or
  /// float64 bound that is not certified for this input allows anything; an uncertified 16-bit
  /// bound allows nothing (its underflow is the common case, and would excuse every number).
  static func withinSomeBound(
    _ reported: Rational, _ exact: Rational, _ expected: ExpectedOutcome, _ error: KeyPath<FloatRoundingBound, Rational>,
    formats: [FloatPrecision] = FloatPrecision.allCases
  ) -> Bool {
    formats.compactMap { expected.roundingBounds[$0] }.contains { bound in
      bound.isCertified ? (reported - exact).magnitude <= bound[keyPath: error] * exact : !bound.precision.isHalfWidth
    }
  }

  /// Whether `reported` is within float32's (or float64's) relative bound `γ` of `neff`, the N_eff
  /// a deviation rule computes, taking `γ` as a number even where the bound is not certified:
  /// this tells apart rules whose N_eff differ by more than rounding (it decides between
  /// explanations that all reproduce the output; it certifies nothing).
  static func isWithinRounding(_ reported: Rational, of neff: Rational, _ expected: ExpectedOutcome) -> Bool {
    (reported - neff).magnitude <= expected.roundingBounds[.float32]!.relativeError * neff.magnitude
  }

  /// `Σ_{i∈kept} |s_i| / Σ|s|`, exactly (indices out of range count as nothing).
  static func exactMass(of kept: Set<Int>, magnitudes: [Double]) -> Rational {
    let exact = magnitudes.map { Rational(finite: $0) }
    let total = exact.reduce(Rational.zero, +)
    return kept.filter { exact.indices.contains($0) }.reduce(Rational.zero) { $0 + exact[$1] } / total
  }
}
