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
    clamp((entry.conformanceCase.beta * neff(entry)).floor, entry.expected!.count)
  }

  /// A candidate applying `nu` then keeping its top ν.
  static func retention(_ nu: @escaping (Entry) -> Int) -> (Entry) -> CandidateOutput? {
    { entry in let v = nu(entry); return CandidateOutput(retentionCount: v, keptIndices: top(entry, v)) }
  }

  static func verify(
    _ candidate: (Entry) -> CandidateOutput?, corpus: [Entry] = CorpusFixture.entries
  ) -> VerificationReport {
    var results = CandidateResults(implementation: "test")
    for entry in corpus {
      if let output = candidate(entry) { results.outputs[entry.conformanceCase.id] = output }
    }
    return VerificationReport(corpus: corpus, results: results)
  }

  /// Every deviating case is explained by exactly the named rules, and at least one deviates.
  static func expectClassified(
    _ report: VerificationReport, retention: Set<RetentionRule> = [.reference], selection: Set<SelectionRule> = [.reference],
    transform: Set<ScoreTransform?> = [nil], sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let deviating = report.verdicts.filter { $0.status != .agrees }
    #expect(!deviating.isEmpty, "the faulty candidate deviates nowhere", sourceLocation: sourceLocation)
    for verdict in deviating {
      let e = verdict.explanation
      #expect(
        e != nil && retention.contains(e!.retention) && selection.contains(e!.selection)
          && transform.contains(e!.transform) && verdict.findings.isEmpty,
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
    let n = { (e: Entry) in e.expected!.count }
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
      Self.verify(Self.retention { min(Self.clamp((beta($0) * Self.neff($0)).floor, n($0)), n($0) - 1) }),
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
    // The official KAN scores: negatives set to 0 (all 1 if none is then positive), then EMP
    // on those scores, ranked with ties by lowest index.
    let clipped = Self.verify { e in
      var positive = e.conformanceCase.scores.map { try! Rational(exactly: max($0, 0)) }
      if positive.allSatisfy(\.isZero) { positive = positive.map { _ in 1 } }
      let squares = positive.reduce(Rational.zero) { $0 + $1 * $1 }
      let sum = positive.reduce(Rational.zero, +)
      let nu = Self.clamp((beta(e) * sum * sum / squares).floor, n(e))
      let order = positive.indices.sorted { positive[$0] > positive[$1] || (positive[$0] == positive[$1] && $0 < $1) }
      return CandidateOutput(retentionCount: nu, keptIndices: Set(order.prefix(nu)))
    }
    // Where ν is the reference's, ranking signed scores alone reproduces it (as few rules).
    Self.expectClassified(clipped, selection: [.reference, .signedOrder], transform: [.clipNegative, nil])
    #expect(clipped.verdicts.contains { $0.explanation?.transform == .clipNegative })
    Self.expectClassified(Self.verify(Self.retention { guarded($0, squares: false) }), retention: [.epsilonInSum])
    Self.expectClassified(Self.verify(Self.retention { guarded($0, squares: true) }), retention: [.epsilonInSumAndSquares])
  }

  /// Every class has a stable identifier, distinct from the others and documented in
  /// Conformance/README.md; the JSON and the text name the same classes.
  @Test func everyClassHasADocumentedStableIdentifier() throws {
    let identifiers = RetentionRule.allCases.map(\.identifier) + SelectionRule.allCases.map(\.identifier)
      + CaseVerdict.Finding.allCases.map(\.identifier) + ["agree", "missing", "failed", "unexplained", "beta.ignored"]
    #expect(Set(identifiers).count == identifiers.count)
    // A transform shares its identifier only with the retention rule of the same behaviour
    // where scores vanish in a narrower format (keep one, uniform fallback, prune all).
    let transforms = ScoreTransform.allCases.map(\.identifier)
    #expect(Set(transforms).count == transforms.count)
    #expect(Set(transforms).intersection(identifiers) == ["zero.keep_one", "zero.uniform_fallback", "masked.prune_all"])
    let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Conformance/README.md")
    let text = try String(contentsOf: readme, encoding: .utf8)
    for identifier in identifiers + transforms { #expect(text.contains("`\(identifier)`"), "\(identifier) is not documented") }
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
      let nu = min(max(Int(x.rounded(.down)), 1), entry.expected!.count)
      return CandidateOutput(retentionCount: nu, effectiveSampleSize: try! Rational(exactly: neff), keptIndices: Self.top(entry, nu))
    }
    let deviating = report.verdicts.filter { $0.status == .deviates }
    #expect(deviating.contains { $0.explanation?.retention == .float32 })
    for verdict in deviating {
      let certified = CorpusFixture.entries.first { $0.conformanceCase.id == verdict.id }!.expected!.roundingBounds[.float32]!
        .isCertified
      // Where float32 is certified, the deviation must be float rounding and nothing else.
      if certified {
        #expect([.float32, .float64].contains(verdict.explanation?.retention), "\(verdict.id): \(verdict.evidence)")
        #expect(verdict.explanation?.selection == .reference && verdict.findings.isEmpty)
      }
    }
  }

  /// `x` rounded to bfloat16 or float16 (nearest, ties to even; overflow to ±∞), as the
  /// `Float` it is: bfloat16 from the bits, carrying into the exponent as the hardware does.
  static func narrow(_ x: Float, _ format: FloatPrecision) -> Float {
    guard format == .bfloat16 else { return Float(Float16(x)) }
    guard !x.isNaN else { return x }
    let bits = x.bitPattern
    return Float(bitPattern: (bits &+ 0x7FFF &+ ((bits >> 16) & 1)) & 0xFFFF_0000)
  }

  /// PyTorch's `magnitude_neff` on one case, written from the sequence in Conformance/README.md
  /// ("How PyTorch rounds the low-precision paths"): every element-wise step rounded to
  /// `format`, every sum accumulated in `Float` and rounded once; `ν = ⌊bf16(β·R)⌋` clamped.
  /// Returns `ν` and the reported N_eff `R`, or `nil` when the evaluation overflows or divides
  /// by zero (every score underflowed).
  static func halfWidthEvaluation(_ entry: Entry, _ format: FloatPrecision) -> (nu: Int, neff: Float)? {
    let a = entry.conformanceCase.scores.map { narrow(Float($0).magnitude, format) }
    let total = narrow(a.reduce(Float(0), +), format)
    let squares = a.map { x in let w = narrow(x / total, format); return narrow(w * w, format) }
    let r = narrow(1 / narrow(squares.reduce(Float(0), +), format), format)
    let x = narrow(Float(Double(entry.conformanceCase.beta)) * r, format)
    guard x.isFinite, r.isFinite else { return nil }
    return (min(max(Int(x.rounded(.down)), 1), entry.expected!.count), r)
  }

  /// The `k` largest magnitudes rounded to bfloat16 (from the bits), ties by lowest index
  /// (or highest, as a sort that is not stable may leave them).
  static func topInBFloat16(_ entry: Entry, _ k: Int, highestFirst: Bool = false) -> Set<Int> {
    let b = entry.conformanceCase.scores.map { narrow(Float($0).magnitude, .bfloat16) }
    let order = b.indices.sorted { b[$0] > b[$1] || (b[$0] == b[$1] && (highestFirst ? $0 > $1 : $0 < $1)) }
    return Set(order.prefix(max(0, min(k, b.count))))
  }

  /// `#{0 ≤ i < N : bf16(i) < ν}`, counted from the bits: i rounded to 8 significant bits.
  static func bfloat16Positions(below nu: Int, _ n: Int) -> Int {
    (0..<n).filter { i in narrow(Float(i), .bfloat16) < Float(nu) }.count
  }

  @Test(arguments: [FloatPrecision.bfloat16, .float16])
  func halfWidthEvaluationIsNamedAsSuch(format: FloatPrecision) throws {
    let rule: RetentionRule = format == .bfloat16 ? .bfloat16 : .float16
    let report = Self.verify { entry in
      guard let (nu, neff) = Self.halfWidthEvaluation(entry, format) else { return nil }
      return CandidateOutput(retentionCount: nu, effectiveSampleSize: try! Rational(exactly: Double(neff)), keptIndices: Self.top(entry, nu))
    }
    var named = 0
    for (verdict, entry) in zip(report.verdicts, CorpusFixture.entries) where verdict.status != .missing {
      guard entry.expected!.roundingBounds[format]!.isCertified else { continue }
      // The proven bound holds on every case: the reported N_eff is never beyond it.
      #expect(verdict.findings.isEmpty, "\(verdict.id): \(verdict.evidence)")
      guard verdict.status == .deviates else { continue }
      // A deviation is named as this format's evaluation (or a finer format's, when its
      // narrower bound already allows the ν and N_eff), never as a count rule.
      #expect(verdict.explanation?.retention.precision != nil, "\(verdict.id): \(verdict.classes) — \(verdict.evidence)")
      #expect(verdict.explanation?.selection == .reference, "\(verdict.id)")
      if verdict.explanation?.retention == rule { named += 1 }
    }
    #expect(named > 0, "no case deviated beyond the finer formats")
    if format == .bfloat16 { #expect(report.classCounts.contains { $0.identifier == "float_rounding.bf16" }) }
  }

  @Test func bfloat16PositionsAndTheWholeOfficialBFloat16Path() {
    // The position count itself: ν while ν ≤ 256, then off (257 rounds to 256: ν = 257 keeps 258;
    // 598 and 599 round to 600: ν = 600 keeps 598).
    #expect(Self.bfloat16Positions(below: 256, 700) == 256 && Self.bfloat16Positions(below: 258, 700) == 258)
    #expect(Self.bfloat16Positions(below: 257, 700) == 258 && Self.bfloat16Positions(below: 600, 700) == 598)
    for nu in [1, 100, 256, 257, 258, 259, 300, 511, 513, 699] {
      #expect(SelectionContext.bfloat16PositionCount(below: nu, count: 700) == Self.bfloat16Positions(below: nu, 700), "\(nu)")
    }
    let nu = Self.reference
    // Scores cast to bfloat16, then the ν largest of those (a stable sort: ties by lowest index).
    let cast = Self.verify { e in CandidateOutput(retentionCount: nu(e), keptIndices: Self.topInBFloat16(e, nu(e))) }
    Self.expectClassified(cast, selection: [.rankedInBFloat16])
    let positions = Self.verify { e in
      CandidateOutput(retentionCount: nu(e), keptIndices: Self.topInBFloat16(e, Self.bfloat16Positions(below: nu(e), e.expected!.count)))
    }
    Self.expectClassified(positions, selection: [.bfloat16PositionCompare])
    // The official magnitude_neff: bfloat16 scores, evaluation and position comparison.
    let official = Self.verify { entry in
      guard let (nu, neff) = Self.halfWidthEvaluation(entry, .bfloat16) else { return nil }
      return CandidateOutput(
        retentionCount: nu, effectiveSampleSize: try! Rational(exactly: Double(neff)),
        keptIndices: Self.topInBFloat16(entry, Self.bfloat16Positions(below: nu, entry.expected!.count)))
    }
    #expect(official.verdicts.contains { $0.explanation?.identifier == "float_rounding.bf16+count.bf16_position_compare" })
    for verdict in official.verdicts where verdict.status == .deviates {
      #expect(!verdict.isUnexplained && !verdict.classIdentifiers.contains("count.round"), "\(verdict.id): \(verdict.evidence)")
    }
    // The same with a sort that is not stable (ties by highest index): still named so.
    let unstable = Self.verify { entry in
      guard let (nu, neff) = Self.halfWidthEvaluation(entry, .bfloat16) else { return nil }
      return CandidateOutput(
        retentionCount: nu, effectiveSampleSize: try! Rational(exactly: Double(neff)),
        keptIndices: Self.topInBFloat16(entry, Self.bfloat16Positions(below: nu, entry.expected!.count), highestFirst: true))
    }
    #expect(unstable.verdicts.contains { $0.explanation?.identifier == "float_rounding.bf16+count.bf16_position_compare" })
    for verdict in unstable.verdicts where verdict.status == .deviates {
      #expect(!verdict.isUnexplained && !verdict.classIdentifiers.contains("count.round"), "\(verdict.id): \(verdict.evidence)")
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
        CandidateOutput(retentionCount: nu(e), keptIndices: nu(e) < e.expected!.count ? Self.threshold(e, rank: nu(e) + 1) : Self.top(e, nu(e)))
      }, selection: [.atLeastNext])
    Self.expectClassified(
      Self.verify { CandidateOutput(retentionCount: nu($0), keptIndices: Self.threshold($0, rank: nu($0), strict: true)) },
      selection: [.aboveNth])
    Self.expectClassified(
      Self.verify { e in
        CandidateOutput(retentionCount: nu(e), keptIndices: Set(0..<e.expected!.count).subtracting(Self.top(e, nu(e))))
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

  /// The official code's tie orders, casts, guards and missing β, each written here from its
  /// description in Conformance/README.md and named by its own class.
  @Test func officialBehavioursAreNamed() {
    let nu = Self.reference
    let n = { (e: Entry) in e.expected!.count }
    // Item 11: the N − ν smallest by a sort that is not stable (here: ties by highest index).
    Self.expectClassified(
      Self.verify { e in
        let order = e.conformanceCase.magnitudes.indices.sorted {
          let m = e.conformanceCase.magnitudes
          return m[$0] < m[$1] || (m[$0] == m[$1] && $0 > $1)
        }
        return CandidateOutput(retentionCount: nu(e), keptIndices: Set(order.prefix(n(e) - nu(e))))
      }, selection: [.complement])
    // Signed scores ranked with ties by highest index (topk leaves ties unspecified).
    Self.expectClassified(
      Self.verify { CandidateOutput(retentionCount: nu($0), keptIndices: Self.top($0, nu($0), highestFirst: true, signed: true)) },
      selection: [.signedOrder, .tiesHighestIndexFirst])
    // Scores rounded to float32, then the ν largest of those, ties by highest index.
    let cast = Self.verify { e in
      let f = e.conformanceCase.magnitudes.map { Double(Float($0)) }
      let order = f.indices.sorted { f[$0] > f[$1] || (f[$0] == f[$1] && $0 > $1) }
      return CandidateOutput(retentionCount: nu(e), keptIndices: Set(order.prefix(nu(e))))
    }
    Self.expectClassified(cast, selection: [.rankedInFloat32, .tiesHighestIndexFirst, .tiesOtherOrder])
    #expect(cast.verdicts.contains { $0.explanation?.selection == .rankedInFloat32 })
    // Item 9: the guards per element, ω = a/Σ(a + ε) and N_eff = 1/Σ(ω² + ε).
    Self.expectClassified(
      Self.verify(Self.retention { e in
        let a = e.conformanceCase.scores.map { try! Rational(exactly: $0.magnitude) }
        let epsilon = try! Rational(exactly: 1e-12)
        let total = a.reduce(Rational.zero) { $0 + $1 + epsilon }
        let q = a.reduce(Rational.zero) { $0 + ($1 / total) * ($1 / total) + epsilon }
        return Self.clamp((e.conformanceCase.beta / q).floor, n(e))
      }), retention: [.epsilonPerTerm])
    // No β (items 1 and 11): ν = ⌊N_eff⌋, named on the cases with β ≠ 1 and alone.
    let noBeta = Self.verify(Self.retention { Self.clamp(Self.neff($0).floor, n($0)) })
    #expect(noBeta.verdicts.contains { $0.status == .deviates })
    for verdict in noBeta.verdicts where verdict.status == .deviates {
      #expect(verdict.classIdentifiers == ["beta.ignored"], "\(verdict.id): \(verdict.evidence)")
    }
    // The [1, N − 1] clamp at N = 1: torch.clamp and numpy.clip give the upper bound, 0.
    let n1 = Self.verify(Self.retention { min(nu($0), n($0) - 1) })
    #expect(n1.verdicts.first { $0.id == "n1" }?.explanation?.retention == .clampBelowN)
    Self.expectClassified(n1, retention: [.clampBelowN])
  }

  /// Item 1 as a whole (no β, negatives clipped, signed ranking with ties in another order, the
  /// uniform fallback when nothing is positive) is named by its three rules, and the N_eff it
  /// reports is the clipped one, not a finding.
  @Test func threeRuleDeviationsAndTheirNeffAreNamed() {
    let report = Self.verify { e in
      let clipped = e.conformanceCase.scores.map { try! Rational(exactly: max($0, 0)) }
      let squares = clipped.reduce(Rational.zero) { $0 + $1 * $1 }
      let sum = clipped.reduce(Rational.zero, +)
      let neff = squares.isZero ? Rational(e.expected!.count) : sum * sum / squares
      let nu = Self.clamp(neff.floor, e.expected!.count)
      return CandidateOutput(
        retentionCount: nu, effectiveSampleSize: neff, keptIndices: Self.top(e, nu, highestFirst: true, signed: true))
    }
    #expect(report.verdicts.contains { $0.explanation?.identifier.hasPrefix("scores.clip_negative+beta.ignored") == true })
    for verdict in report.verdicts where verdict.status == .deviates {
      #expect(!verdict.isUnexplained && verdict.findings.isEmpty, "\(verdict.id): \(verdict.evidence)")
    }
  }

  /// Where every score rounds to 0 in the format computed in (N_eff = 0/0), the official code
  /// keeps one (item 10), falls back to uniform scores (item 1) or keeps none (items 6, 7, 14);
  /// elsewhere it is the reference.
  @Test func vanishedScoresAreNamed() {
    // float16 has the narrowest range: scores that vanish in float32 or bfloat16 vanish there too.
    let vanishes = { (e: Entry) in e.conformanceCase.magnitudes.allSatisfy { Float16($0) == 0 } }
    let one = Self.verify { e in
      vanishes(e) ? CandidateOutput(retentionCount: 1, keptIndices: Self.top(e, 1))
        : CandidateOutput(retentionCount: Self.reference(e), keptIndices: Self.top(e, Self.reference(e)))
    }
    Self.expectClassified(one, retention: [.vanishedKeepOne])
    let uniform = Self.verify { e in
      let nu = Self.clamp((e.conformanceCase.beta * Rational(e.expected!.count)).floor, e.expected!.count)
      // The fallback's N_eff, N, reported: without it, keeping all N is also the ε guards' ν.
      return vanishes(e)
        ? CandidateOutput(retentionCount: nu, effectiveSampleSize: Rational(e.expected!.count), keptIndices: Self.top(e, nu))
        : CandidateOutput(retentionCount: Self.reference(e), keptIndices: Self.top(e, Self.reference(e)))
    }
    Self.expectClassified(uniform, retention: [.vanishedUniform])
    // The official row-wise code: a NaN count keeps nothing (reported as ν = 0).
    let none = Self.verify { e in
      vanishes(e) ? CandidateOutput(retentionCount: 0, keptIndices: [])
        : CandidateOutput(retentionCount: Self.reference(e), keptIndices: Self.top(e, Self.reference(e)))
    }
    Self.expectClassified(none, retention: [.vanishedPruneAll])
  }

  /// A float32 candidate with the ε guard in the sum only: where every weight squares to 0,
  /// N_eff = 1/0 = ∞, and a float clamp to [1, N − 1] keeps N − 1; elsewhere the reference.
  @Test func anInfiniteNeffClampedToItsUpperBoundIsNamed() {
    let report = Self.verify { e in
      let a = e.conformanceCase.magnitudes.map { Float($0) }
      let sum = a.reduce(0, +) + Float(1e-12)
      let squares = a.reduce(Float(0)) { let w = $1 / sum; return $0 + w * w }
      let nu = squares == 0 ? e.expected!.count - 1 : Self.reference(e)
      return CandidateOutput(retentionCount: nu, keptIndices: Self.top(e, nu))
    }
    #expect(report.verdicts.contains { $0.id == "subnormal-f32" && $0.status == .deviates })
    Self.expectClassified(report, retention: [.vanishedUpperClamp])
  }

  /// The official CNN code with `method='mean'` (item 13): scores centred in float32, then
  /// N_eff = 1/Σω² in float32, clamped to [1, N − 1] as floats. On `dynamic-range-f32` the
  /// centred Σ|s| overflows, so N_eff = ∞ and ν = N − 1: three steps. A one-rule quantile cut
  /// also reproduces that case, but the cases the candidate gets right refute it, so the chain
  /// is named instead of "unexplained".
  @Test func aChainIsTriedWhenEveryShorterExplanationIsRefuted() {
    let report = Self.verify { e in
      let s = e.conformanceCase.scores.map { Float($0) }
      let mean = s.reduce(0, +) / Float(s.count)
      let a = s.map { ($0 - mean).magnitude }
      let sum = a.reduce(0, +)
      let neff = 1 / a.reduce(Float(0)) { let w = $1 / sum; return $0 + w * w }
      guard !neff.isNaN else { return nil }
      let nu = Int(min(max((Float(e.conformanceCase.beta.decimalString(significantDigits: 9))! * neff).rounded(.down), 1), Float(s.count - 1)))
      let order = a.indices.sorted { a[$0] > a[$1] || (a[$0] == a[$1] && $0 < $1) }
      return CandidateOutput(retentionCount: nu, keptIndices: Set(order.prefix(nu)))
    }
    let chain = report.verdicts.first { $0.id == "dynamic-range-f32" }!
    #expect(chain.explanation?.identifier == "scores.center_mean+count.infinite_to_upper_clamp", "\(chain.evidence)")
  }

  /// An uncertified float bound allows any ν, so where a rule reproduces the case and the
  /// N_eff the candidate reported, that rule is named (the official image code on float32
  /// subnormals: N_eff ≈ 10¹² from the ε guards).
  @Test func aReproducingRuleBeatsAnUncertifiedBound() {
    let report = Self.verify { e in
      let neff = ExpectedOutcome.regularisedEffectiveSampleSize(
        e.conformanceCase.scores, sumGuard: ExpectedOutcome.epsilon, squareGuard: ExpectedOutcome.epsilon)
      let nu = Self.clamp((e.conformanceCase.beta * neff).floor, e.expected!.count)
      return CandidateOutput(retentionCount: nu, effectiveSampleSize: neff, keptIndices: Self.top(e, nu))
    }
    let subnormal = report.verdicts.first { $0.id == "subnormal-f32" }!
    #expect(subnormal.explanation?.retention == .epsilonInSumAndSquares, "\(subnormal.evidence)")
    Self.expectClassified(report, retention: [.epsilonInSumAndSquares])
  }

  /// The reference's ν and kept set on `scores` (finite, not all zero), exactly.
  static func referenceOutput(_ scores: [Double], beta: Rational) -> (nu: Int, kept: [Int]) {
    let a = scores.map { try! Rational(exactly: $0.magnitude) }
    let sum = a.reduce(Rational.zero, +)
    let nu = clamp((beta * sum * sum / a.reduce(Rational.zero) { $0 + $1 * $1 }).floor, scores.count)
    return (nu, Array(a.indices.sorted { a[$0] > a[$1] || (a[$0] == a[$1] && $0 < $1) }.prefix(nu)))
  }

  /// Where the scores have no EMP analysis, a refusal agrees, and each handling the official
  /// code has (−∞ as 0, non-finite dropped, the uniform fallback, one, all or none kept) is
  /// named by its transform; the cases it does not apply to are refused.
  @Test func casesWithNoAnalysisAreRefusedOrNamed() {
    let undefined = CorpusFixture.all.filter { $0.expected == nil }
    #expect(undefined.count == 5)
    func run(_ handling: (Entry) -> CandidateOutput?) -> VerificationReport {
      var results = CandidateResults(implementation: "test")
      for entry in CorpusFixture.all {
        let id = entry.conformanceCase.id
        if entry.expected != nil {
          let nu = Self.reference(entry)
          results.outputs[id] = CandidateOutput(retentionCount: nu, keptIndices: Self.top(entry, nu))
        } else if let output = handling(entry) {
          results.outputs[id] = output
        } else {
          results.failures[id] = "raised"
        }
      }
      return VerificationReport(corpus: CorpusFixture.all, results: results)
    }
    #expect(run { _ in nil }.isClean)
    let beta = { (e: Entry) in e.conformanceCase.beta }
    let handlings: [(ScoreTransform, (Entry) -> CandidateOutput?)] = [
      (.negativeInfinityAsZero, { e in
        let s = e.conformanceCase.scores
        guard s.contains(-.infinity), s.allSatisfy({ $0.isFinite || $0 == -.infinity }) else { return nil }
        let (nu, kept) = Self.referenceOutput(s.map { $0.isFinite ? $0 : 0 }, beta: beta(e))
        return CandidateOutput(retentionCount: nu, keptIndices: Set(kept))
      }),
      (.dropNonFinite, { e in
        let s = e.conformanceCase.scores
        let finite = s.indices.filter { s[$0].isFinite }
        guard finite.count < s.count else { return nil }
        let (nu, kept) = Self.referenceOutput(finite.map { s[$0] }, beta: beta(e))
        return CandidateOutput(retentionCount: nu, keptIndices: Set(kept.map { finite[$0] }))
      }),
      (.uniformFallback, { e in
        let n = e.conformanceCase.scores.count
        guard e.conformanceCase.scores.allSatisfy({ $0 == 0 }) else { return nil }
        let nu = Self.clamp((beta(e) * Rational(n)).floor, n)
        return CandidateOutput(retentionCount: nu, effectiveSampleSize: Rational(n), keptIndices: Set(0..<nu))
      }),
      (.keepOne, { e in
        guard e.conformanceCase.scores.allSatisfy({ $0 == 0 }) else { return nil }
        return CandidateOutput(retentionCount: 1, keptIndices: [e.conformanceCase.scores.count - 1])
      }),
      (.keepOneNonFinite, { e in
        guard e.conformanceCase.scores.contains(where: { !$0.isFinite }) else { return nil }
        return CandidateOutput(retentionCount: 1, keptIndices: [0])
      }),
      (.keepAll, { e in
        let n = e.conformanceCase.scores.count
        guard e.conformanceCase.scores.allSatisfy({ $0 == 0 }) else { return nil }
        return CandidateOutput(retentionCount: n, effectiveSampleSize: Rational(1_000_000_000_000), keptIndices: Set(0..<n))
      }),
      (.pruneAll, { _ in CandidateOutput(retentionCount: 0, keptIndices: []) }),
    ]
    for (transform, handling) in handlings {
      let report = run(handling)
      let deviating = report.verdicts.filter { $0.status != .agrees }
      #expect(!deviating.isEmpty, "\(transform)")
      for verdict in deviating {
        #expect(verdict.explanation?.transform == transform, "\(transform) \(verdict.id): \(verdict.classes) — \(verdict.evidence)")
        #expect(verdict.expectedRetentionCount == nil && verdict.evidence.hasPrefix("no EMP analysis"))
      }
    }
  }

  /// Scores centred on their mean (in float32, or float64 for float64 cases) before EMP are
  /// named as such.
  @Test func centredScoresAreNamed() {
    let report = Self.verify { e in
      let c = e.conformanceCase
      let format = c.precision == .float64 ? FloatPrecision.float64 : .float32
      let exact = c.scores.map { try! Rational(exactly: $0) }
      let mean = try! Rational(exactly: format.nearest(exact.reduce(Rational.zero, +) / Rational(exact.count)))
      let centred = exact.map { format.nearest($0 - mean) }
      guard centred.contains(where: { $0 != 0 }) else { return nil }
      let (nu, kept) = Self.referenceOutput(centred, beta: c.beta)
      return CandidateOutput(retentionCount: nu, keptIndices: Set(kept))
    }
    let deviating = report.verdicts.filter { $0.status == .deviates }
    #expect(deviating.count > 30)
    for verdict in deviating {
      #expect(verdict.classIdentifiers == ["scores.center_mean"], "\(verdict.id): \(verdict.evidence)")
    }
  }

  /// A rule that reproduces a deviation only by coincidence, and that the cases the candidate
  /// got right contradict, is not named: the case is unexplained, and the evidence says why.
  @Test func aRuleTheAgreeingCasesRefuteIsNotNamed() throws {
    let odd = "random-uniform-f32-100"
    let report = Self.verify { e in
      let nu = Self.reference(e)
      guard e.conformanceCase.id == odd else { return CandidateOutput(retentionCount: nu, keptIndices: Self.top(e, nu)) }
      // Only here: the cut at |s| > quantile(|s|, ν/N), which keeps about N − ν.
      let context = SelectionContext(scores: e.conformanceCase.scores)
      return CandidateOutput(retentionCount: nu, keptIndices: context.selection(.aboveQuantileAtKeptFraction, nu: nu)!)
    }
    let verdict = try #require(report.verdicts.first { $0.id == odd })
    #expect(verdict.explanations.contains { $0.selection == .aboveQuantileAtKeptFraction })
    #expect(verdict.isUnexplained && verdict.explanation == nil && verdict.classes == ["unexplained"])
    #expect(verdict.evidence.contains("contradict"), "\(verdict.evidence)")
  }

  @Test func numbersBeyondRoundingAreFindings() {
    let nu = Self.reference
    // 1.2 is beyond every certified bound, the bfloat16 one (about 4.7 %) included; where the
    // float32 or float64 bound is not certified, any N_eff is possible. An uncertified 16-bit
    // bound excuses nothing.
    let report = Self.verify {
      CandidateOutput(retentionCount: nu($0), effectiveSampleSize: Self.neff($0) * Rational(6, 5), keptIndices: Self.top($0, nu($0)))
    }
    for (verdict, entry) in zip(report.verdicts, CorpusFixture.entries) {
      let certified = FloatPrecision.inputFormats.allSatisfy { entry.expected!.roundingBounds[$0]!.isCertified }
      #expect(verdict.findings == (certified ? [.effectiveSampleSizeBeyondRounding] : []), "\(verdict.id)")
    }
    // 1 % off is within bfloat16 rounding where that bound is certified: no finding there.
    let close = Self.verify {
      CandidateOutput(retentionCount: nu($0), effectiveSampleSize: Self.neff($0) * Rational(101, 100), keptIndices: Self.top($0, nu($0)))
    }
    for (verdict, entry) in zip(close.verdicts, CorpusFixture.entries) where entry.expected!.roundingBounds[.bfloat16]!.isCertified {
      #expect(verdict.findings.isEmpty, "\(verdict.id): \(verdict.evidence)")
    }
    let mass = Self.verify { e in
      CandidateOutput(retentionCount: nu(e), keptIndices: Self.top(e, nu(e)), preservedMass: e.expected!.preservedMass * Rational(9, 10))
    }
    #expect(mass.verdicts.contains { $0.findings == [.massBeyondRounding] })
    #expect(mass.verdicts.allSatisfy { $0.explanation == nil && !$0.isUnexplained })
  }

  @Test func unknownMistakesAreUnexplainedAndGapsAreReported() {
    // A fifth more than ν on a case with distinct magnitudes and β = 1: no known rule or pair
    // of rules gives that (the widest, a bfloat16 evaluation, stays within 4.94 % of N_eff).
    let more = { (e: Entry) in Self.reference(e) + Self.reference(e) / 5 }
    let report = Self.verify { e in CandidateOutput(retentionCount: more(e), keptIndices: Self.top(e, more(e))) }
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
