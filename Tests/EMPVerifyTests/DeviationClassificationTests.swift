import Exact
import Foundation
import Testing

@testable import EMPVerify

/// Deliberately faulty candidates, one per deviation class, written here independently of the
/// classifier's rules; each must be classified as that class on every case where it deviates.
@Suite struct DeviationClassificationTests {
  typealias Entry = ConformanceCorpus.Entry

  /// Exact `(Σ|s|)²/Σs²` (or `(Σs)²/Σs²` when `signed`).
  static func neff(_ entry: Entry, signed: Bool = false) -> Rational {
    let s = entry.conformanceCase.scores.map { try! Rational(exactly: $0) }
    let first = s.reduce(Rational.zero) { $0 + (signed ? $1 : $1.magnitude) }
    return first * first / s.reduce(Rational.zero) { $0 + $1 * $1 }
  }

  static func clamp(_ x: BigInteger, _ n: Int, lower: Bool = true, upper: Bool = true) -> Int {
    var v = x.intValue ?? (x > BigInteger(0) ? Int.max : Int.min)
    if lower { v = max(v, 1) }
    if upper { v = min(v, n) }
    return v
  }

  /// The `k` largest by `key` (|s| unless `signed`), ties by lowest index unless `highestFirst`.
  static func top(_ entry: Entry, _ k: Int, highestFirst: Bool = false, signed: Bool = false) -> Set<Int> {
    let s = entry.conformanceCase.scores
    let key = signed ? s : s.map(\.magnitude)
    let order = s.indices.sorted { key[$0] > key[$1] || (key[$0] == key[$1] && (highestFirst ? $0 > $1 : $0 < $1)) }
    return Set(order.prefix(max(0, min(k, s.count))))
  }

  /// `{i : |s_i| ≥ t}` (or `>` when `strict`) with `t` the `rank`-th largest magnitude.
  static func threshold(_ entry: Entry, rank: Int, strict: Bool = false) -> Set<Int> {
    let m = entry.conformanceCase.magnitudes
    let t = m.sorted(by: >)[rank - 1]
    return Set(m.indices.filter { strict ? m[$0] > t : m[$0] >= t })
  }

  static func reference(_ entry: Entry) -> Int {
    clamp((entry.conformanceCase.beta * neff(entry)).floor, entry.expected.count)
  }

  /// A candidate applying `nu` then keeping its top ν.
  static func retention(_ nu: @escaping (Entry) -> Int) -> (Entry) -> CandidateOutput? {
    { entry in let v = nu(entry); return CandidateOutput(retentionCount: v, keptIndices: top(entry, v)) }
  }

  static func verify(_ candidate: (Entry) -> CandidateOutput?) -> VerificationReport {
    var results = CandidateResults(implementation: "test")
    for entry in CorpusFixture.entries {
      if let output = candidate(entry) { results.outputs[entry.conformanceCase.id] = output }
    }
    return VerificationReport(corpus: CorpusFixture.entries, results: results)
  }

  /// Every deviating case is explained by exactly the named rules, and at least one deviates.
  static func expectClassified(
    _ report: VerificationReport, retention: Set<RetentionRule> = [.reference], selection: Set<SelectionRule> = [.reference],
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let deviating = report.verdicts.filter { $0.status != .agrees }
    #expect(!deviating.isEmpty, "the faulty candidate deviates nowhere", sourceLocation: sourceLocation)
    for verdict in deviating {
      let e = verdict.explanation
      #expect(
        e != nil && retention.contains(e!.retention) && selection.contains(e!.selection) && verdict.findings.isEmpty,
        "\(verdict.id): \(verdict.classes) — \(verdict.evidence)", sourceLocation: sourceLocation)
    }
  }

  @Test func aCorrectCandidatePassesClean() {
    let report = Self.verify { entry in
      let nu = Self.reference(entry)
      let kept = Self.top(entry, nu)
      let masses = entry.conformanceCase.magnitudes.map { try! Rational(exactly: $0) }
      let mass = kept.reduce(Rational.zero) { $0 + masses[$1] } / masses.reduce(Rational.zero, +)
      return CandidateOutput(
        retentionCount: nu, effectiveSampleSize: try! Rational(exactly: Double(Self.neff(entry))), keptIndices: kept,
        preservedMass: try! Rational(exactly: Double(mass)))
    }
    #expect(report.isClean, "\(report.verdicts.filter { $0.status != .agrees }.map(\.evidence))")
    #expect(report.classCounts.map(\.label) == ["agree"])
  }

  @Test func retentionRulesAreNamed() {
    let n = { (e: Entry) in e.expected.count }
    let beta = { (e: Entry) in e.conformanceCase.beta }
    Self.expectClassified(Self.verify(Self.retention { Self.clamp((beta($0) * Self.neff($0)).ceiling, n($0)) }), retention: [.ceiling])
    Self.expectClassified(
      Self.verify(Self.retention { Self.clamp((beta($0) * Self.neff($0)).roundedToNearestEven(), n($0)) }), retention: [.nearest])
    Self.expectClassified(
      Self.verify(Self.retention { Self.clamp((beta($0) * Rational(Self.neff($0).floor)).floor, n($0)) }),
      retention: [.floorBeforeBeta])
    Self.expectClassified(
      Self.verify(Self.retention { Self.clamp((Rational(beta($0).floor) * Self.neff($0)).floor, n($0)) }),
      retention: [.integerBeta])
    Self.expectClassified(
      Self.verify(Self.retention { Self.clamp((beta($0) * Self.neff($0, signed: true)).floor, n($0)) }), retention: [.signedSum])
    Self.expectClassified(
      Self.verify(Self.retention { Self.clamp((beta($0) * Self.neff($0)).floor, n($0), lower: false) }),
      retention: [.noLowerClamp])
    Self.expectClassified(
      Self.verify(Self.retention { Self.clamp((beta($0) * Self.neff($0)).floor, n($0), upper: false) }),
      retention: [.noUpperClamp])
    Self.expectClassified(
      Self.verify(Self.retention { max(1, min(Self.clamp((beta($0) * Self.neff($0)).floor, n($0)), n($0) - 1)) }),
      retention: [.clampBelowN])
    // The official image-pruning guards, written here from their formulas: ω = a/(Σa + ε),
    // then 1/Σω² (or 1/(Σω² + ε)).
    func guarded(_ e: Entry, squares: Bool) -> Int {
      let a = e.conformanceCase.scores.map { try! Rational(exactly: $0.magnitude) }
      let epsilon = try! Rational(exactly: 1e-12)
      let total = a.reduce(Rational.zero, +) + epsilon
      let q = a.reduce(Rational.zero) { $0 + ($1 / total) * ($1 / total) }
      return Self.clamp((beta(e) / (q + (squares ? epsilon : 0))).floor, n(e))
    }
    // The official KAN scores: negatives set to 0, then EMP on the clipped scores.
    let clipped = Self.verify { e in
      let positive = e.conformanceCase.scores.map { try! Rational(exactly: max($0, 0)) }
      let squares = positive.reduce(Rational.zero) { $0 + $1 * $1 }
      guard !squares.isZero else { return CandidateOutput(retentionCount: Self.reference(e), keptIndices: Self.top(e, Self.reference(e))) }
      let sum = positive.reduce(Rational.zero, +)
      let nu = Self.clamp((beta(e) * sum * sum / squares).floor, n(e))
      let order = positive.indices.sorted { positive[$0] > positive[$1] || (positive[$0] == positive[$1] && $0 < $1) }
      return CandidateOutput(retentionCount: nu, keptIndices: Set(order.prefix(nu)))
    }
    // Where ν is the reference's, ranking signed scores alone reproduces it (the fewest rules).
    Self.expectClassified(clipped, retention: [.clipNegative, .reference], selection: [.reference, .signedOrder])
    #expect(clipped.verdicts.contains { $0.explanation?.retention == .clipNegative })
    Self.expectClassified(Self.verify(Self.retention { guarded($0, squares: false) }), retention: [.epsilonInSum])
    Self.expectClassified(Self.verify(Self.retention { guarded($0, squares: true) }), retention: [.epsilonInSumAndSquares])
  }

  /// Every class has a stable identifier, distinct from the others and documented in
  /// Conformance/README.md; the JSON and the text name the same classes.
  @Test func everyClassHasADocumentedStableIdentifier() throws {
    let identifiers = RetentionRule.allCases.map(\.identifier) + SelectionRule.allCases.map(\.identifier)
      + CaseVerdict.Finding.allCases.map(\.identifier) + ["agree", "missing", "failed", "unexplained"]
    #expect(Set(identifiers).count == identifiers.count)
    let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Conformance/README.md")
    let text = try String(contentsOf: readme, encoding: .utf8)
    for identifier in identifiers { #expect(text.contains("`\(identifier)`"), "\(identifier) is not documented") }
    let nu = Self.reference
    let report = Self.verify { CandidateOutput(retentionCount: nu($0), keptIndices: Self.threshold($0, rank: nu($0))) }
    let deviating = try #require(report.verdicts.first { $0.status == .deviates })
    #expect(deviating.classIdentifiers == ["selection.ge_nth"])
    #expect(report.classCounts.contains { $0.identifier == "selection.ge_nth" && $0.label == deviating.classes[0] })
  }

  @Test func float32RoundingIsNamedWithTheCandidatesOwnNeff() {
    // (Σa)²/Σa² evaluated left to right in Float: a real float32 implementation.
    let report = Self.verify { entry in
      let a = entry.conformanceCase.scores.map { Float($0).magnitude }
      let sum = a.reduce(Float(0), +)
      let neff = sum * sum / a.reduce(Float(0)) { $0 + $1 * $1 }
      let x = Float(Double(entry.conformanceCase.beta)) * neff
      guard x.isFinite else { return nil }
      let nu = min(max(Int(x.rounded(.down)), 1), entry.expected.count)
      return CandidateOutput(retentionCount: nu, effectiveSampleSize: try! Rational(exactly: neff), keptIndices: Self.top(entry, nu))
    }
    let deviating = report.verdicts.filter { $0.status == .deviates }
    #expect(deviating.contains { $0.explanation?.retention == .float32 })
    for verdict in deviating {
      let certified = CorpusFixture.entries.first { $0.conformanceCase.id == verdict.id }!.expected.roundingBounds[.float32]!
        .isCertified
      // Where float32 is certified, the deviation must be float rounding and nothing else.
      if certified {
        #expect([.float32, .float64].contains(verdict.explanation?.retention), "\(verdict.id): \(verdict.evidence)")
        #expect(verdict.explanation?.selection == .reference && verdict.findings.isEmpty)
      }
    }
  }

  @Test func selectionRulesAreNamed() {
    let nu = Self.reference
    Self.expectClassified(
      Self.verify { CandidateOutput(retentionCount: nu($0), keptIndices: Self.top($0, nu($0), highestFirst: true)) },
      selection: [.tiesHighestIndexFirst])
    Self.expectClassified(
      Self.verify { CandidateOutput(retentionCount: nu($0), keptIndices: Self.threshold($0, rank: nu($0))) },
      selection: [.atLeastNth])
    Self.expectClassified(
      Self.verify { e in
        CandidateOutput(retentionCount: nu(e), keptIndices: nu(e) < e.expected.count ? Self.threshold(e, rank: nu(e) + 1) : Self.top(e, nu(e)))
      }, selection: [.atLeastNext])
    Self.expectClassified(
      Self.verify { CandidateOutput(retentionCount: nu($0), keptIndices: Self.threshold($0, rank: nu($0), strict: true)) },
      selection: [.aboveNth])
    Self.expectClassified(
      Self.verify { e in
        CandidateOutput(retentionCount: nu(e), keptIndices: Set(0..<e.expected.count).subtracting(Self.top(e, nu(e))))
      }, selection: [.complement])
    Self.expectClassified(
      Self.verify { CandidateOutput(retentionCount: nu($0), keptIndices: Self.top($0, nu($0), signed: true)) },
      selection: [.signedOrder])
    // The official loss-change and saliency cut, written from numpy's definition of the
    // linear quantile: position (N − 1)·q in the ascending order, q = ν/N.
    Self.expectClassified(
      Self.verify { e in
        let a = e.conformanceCase.magnitudes.map { try! Rational(exactly: $0) }
        let sorted = a.sorted()
        let h = Rational(a.count - 1) * Rational(nu(e), a.count)
        let i = h.floor.intValue!
        let q = sorted[i] + (h - Rational(h.floor)) * (sorted[min(i + 1, a.count - 1)] - sorted[i])
        return CandidateOutput(retentionCount: nu(e), keptIndices: Set(a.indices.filter { a[$0] > q }))
      }, selection: [.aboveQuantileAtKeptFraction])
  }

  @Test func numbersBeyondRoundingAreFindings() {
    let nu = Self.reference
    let report = Self.verify {
      CandidateOutput(retentionCount: nu($0), effectiveSampleSize: Self.neff($0) * Rational(101, 100), keptIndices: Self.top($0, nu($0)))
    }
    for (verdict, entry) in zip(report.verdicts, CorpusFixture.entries) {
      let certified = entry.expected.roundingBounds.values.allSatisfy(\.isCertified)
      #expect(verdict.findings == (certified ? [.effectiveSampleSizeBeyondRounding] : []), "\(verdict.id)")
    }
    let mass = Self.verify { e in
      CandidateOutput(retentionCount: nu(e), keptIndices: Self.top(e, nu(e)), preservedMass: e.expected.preservedMass * Rational(99, 100))
    }
    #expect(mass.verdicts.contains { $0.findings == [.massBeyondRounding] })
    #expect(mass.verdicts.allSatisfy { $0.explanation == nil && !$0.isUnexplained })
  }

  @Test func unknownMistakesAreUnexplainedAndGapsAreReported() {
    // Three more than ν on a case with distinct magnitudes and β = 1: no known rule or pair of
    // rules gives that (ceiling with a ≥ (ν+1)-th cut gives two more).
    let report = Self.verify { e in CandidateOutput(retentionCount: Self.reference(e) + 3, keptIndices: Self.top(e, Self.reference(e) + 3)) }
    let verdict = report.verdicts.first { $0.id == "random-uniform-f32-1000" }!
    #expect(verdict.isUnexplained && verdict.explanation == nil && verdict.classes == ["unexplained"], "\(verdict.evidence)")
    var results = CandidateResults(implementation: "test", failures: ["n1": "crashed"])
    results.outputs["n2-equal"] = CandidateOutput(retentionCount: 2)
    results.outputs["not-a-case"] = CandidateOutput(retentionCount: 1)
    let partial = VerificationReport(corpus: CorpusFixture.entries, results: results)
    #expect(partial.verdicts[0].status == .failed("crashed"))
    #expect(partial.verdicts.first { $0.id == "n2-equal" }!.status == .agrees)
    #expect(partial.verdicts.filter { $0.status == .missing }.count == CorpusFixture.entries.count - 2)
    #expect(partial.unknownCaseIDs == ["not-a-case"] && !partial.isClean)
  }
}
