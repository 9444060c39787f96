import EMPCore
import EMPReference
import Exact
import Foundation
import Testing

@testable import EMPVerify

/// The corpus: rebuilt byte for byte by its generator, expected values re-derived exactly.
@Suite struct ConformanceCorpusTests {
  @Test func generatorRebuildsTheCommittedCorpusByteForByte() throws {
    let directory = try CorpusFixture.temporaryDirectory("rebuild")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try ConformanceCorpus.write(ConformanceCorpus.cases(seed: 1), generator: "emp conformance generate DIR --seed 1", to: directory)
    let generated = CorpusFixture.files(under: directory)
    let committed = CorpusFixture.files(under: CorpusFixture.directory).filter { $0 != "README.md" }
    #expect(generated == committed)
    for path in generated {
      let fresh = FileManager.default.contents(atPath: directory + "/" + path)
      let stored = FileManager.default.contents(atPath: CorpusFixture.directory + "/" + path)
      #expect(fresh == stored, "\(path) differs from its regenerated version")
    }
  }

  @Test func expectedValuesAreReDerivedByTheExactReference() throws {
    #expect(CorpusFixture.all.count == ConformanceCorpus.cases().count)
    // The cases with no analysis are the ones the exact reference refuses, and say why.
    for entry in CorpusFixture.all where entry.expected == nil {
      #expect(throws: EMPInputError.self) {
        try ExactAnalysis(scores: entry.conformanceCase.scores, beta: entry.conformanceCase.beta)
      }
      #expect(entry.undefinedReason?.isEmpty == false)
    }
    for entry in CorpusFixture.entries {
      // Independently of the manifest code: the exact analysis of the raw .npy scores.
      let analysis = try ExactAnalysis(scores: entry.conformanceCase.scores, beta: entry.conformanceCase.beta)
      #expect(entry.expected!.retentionCount == analysis.retentionCount)
      #expect(entry.expected!.keptIndices == analysis.keptIndices)
      #expect(entry.expected!.effectiveSampleSize == analysis.effectiveSampleSize)
      #expect(entry.expected!.preservedMass == analysis.preservedMass)
      // The text input holds the same numbers, exactly (a per-row input's rows one after another).
      let c = entry.conformanceCase
      let text = try String(contentsOfFile: CorpusFixture.directory + "/inputs/\(c.input).txt", encoding: .utf8)
      let values = text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { Rational(String($0))! }
      let own = if case .row(_, let index, _) = c.layout { Array(values[(index * c.scores.count)...].prefix(c.scores.count)) } else { values }
      #expect(own == c.scores.map { try! Rational(exactly: $0) }, "\(c.id)")
    }
  }

  @Test func aTamperedManifestIsRejected() throws {
    let directory = try CorpusFixture.temporaryDirectory("tamper")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try ConformanceCorpus.write([ConformanceCorpus.cases()[4]], generator: "test", to: directory)
    let path = directory + "/manifest.json"
    let manifest = try String(contentsOfFile: path, encoding: .utf8)
    try manifest.replacingOccurrences(of: "\"nu\":2", with: "\"nu\":3").write(toFile: path, atomically: true, encoding: .utf8)
    #expect(throws: ConformanceError.expectationMismatch(caseID: "n3-ties-at-cut", field: "nu")) {
      try ConformanceCorpus.load(from: directory)
    }
  }

  @Test func corpusHoldsTheAdversarialKinds() {
    let entries = CorpusFixture.entries
    let counts = Set(entries.map(\.expected!.count))
    #expect(counts.isSuperset(of: [1, 2, 3]))
    // N_eff below an integer where float32 may round across it, but float64 may not.
    #expect(entries.contains { $0.expected!.floatRetentionCounts(.float32)?.count == 2 && $0.expected!.floatRetentionCounts(.float64)?.count == 1 })
    // Both formats may round across.
    #expect(entries.contains { $0.expected!.floatRetentionCounts(.float64)?.count == 2 })
    // Inputs where float32 is not certified (subnormals, overflow) and where float64 is not.
    #expect(entries.contains { !$0.expected!.roundingBounds[.float32]!.isCertified && $0.expected!.roundingBounds[.float64]!.isCertified })
    #expect(entries.contains { !$0.expected!.roundingBounds[.float64]!.isCertified })
    // Ties at the cut: the ν-th and (ν+1)-th largest magnitudes are equal.
    #expect(entries.contains { entry in
      let m = entry.conformanceCase.magnitudes.sorted(by: >)
      let nu = entry.expected!.retentionCount
      return nu < m.count && m[nu - 1] == m[nu]
    })
    // β ≠ 1, with both clamps active.
    let betas = entries.filter { $0.conformanceCase.beta != 1 }
    #expect(betas.contains { $0.conformanceCase.beta * $0.expected!.effectiveSampleSize < 1 })
    #expect(betas.contains { $0.conformanceCase.beta * $0.expected!.effectiveSampleSize >= Rational($0.expected!.count + 1) })
  }

  @Test func theSeedDrivesTheGeneratedCases() {
    let one = ConformanceCorpus.cases(seed: 1)
    let two = ConformanceCorpus.cases(seed: 2)
    #expect(one.map(\.id).count == two.map(\.id).count)
    #expect(one.filter { $0.id.hasPrefix("random-uniform") } != two.filter { $0.id.hasPrefix("random-uniform") })
    #expect(one.prefix(10) == two.prefix(10))  // hand-picked cases do not depend on the seed
    #expect(one == ConformanceCorpus.cases(seed: 1))
  }

  @Test func exactDecimalsAreExact() throws {
    #expect(ConformanceCorpus.exactDecimal(Double(Float(0.1))) == "0.100000001490116119384765625")
    #expect(ConformanceCorpus.exactDecimal(-3) == "-3")
    #expect(ConformanceCorpus.exactDecimal(0) == "0")
    #expect(ConformanceCorpus.exactDecimal(0x1p60) == "1152921504606846976")
    for x in [Double(Float.leastNonzeroMagnitude), .leastNonzeroMagnitude, 0.1, -1e300, 1.5] {
      #expect(Rational(ConformanceCorpus.exactDecimal(x)) == (try Rational(exactly: x)))
    }
  }

  @Test func roundingBoundIsGammaOfTheOperationCount() {
    let u = FloatPrecision.float32.unitRoundoff
    #expect(FloatRoundingBound.gamma(1, .float32) == u / (1 - u))
    let bound = FloatRoundingBound(magnitudes: [1, 2, 3], inputPrecision: .float64, precision: .float32)
    #expect(bound.factorCount == 3 * 3 + 2 + 4 && bound.isCertified)
    // The mixed 16-bit bound: 12 bfloat16 factors and 3N − 2 float32 ones.
    let half = FloatRoundingBound(magnitudes: [1, 2, 3], inputPrecision: .float32, precision: .bfloat16)
    let b = FloatPrecision.bfloat16.unitRoundoff
    #expect(half.factorCount == 12 && half.accumulationFactorCount == 7 && half.isCertified)
    #expect(half.relativeError == (1 + 12 * b / (1 - 12 * b)) * (1 + 7 * u / (1 - 7 * u)) - 1)
    // Beyond (3N + 6)·u < 1 there is no bound: not certified, and no trap. 5,592,404 is the last N.
    for (n, certified) in [(5_592_404, true), (5_592_405, false)] {
      let large = FloatRoundingBound(
        magnitudes: [Double](repeating: 1, count: n), inputPrecision: .float32, precision: .float32)
      #expect(large.isCertified == certified, "\(n): \(large.uncertifiedReason ?? "")")
    }
    // A square (and a squared weight) that underflows float32 widens the bound by the
    // allowance ρ = 18·η₀·max(M_a/Σa², M_ω·(Σa)²/Σa²), here with M_a = M_ω = 1.
    let tiny = FloatRoundingBound(magnitudes: [1, 1e-30], inputPrecision: .float64, precision: .float32)
    let eta = FloatPrecision.float32.smallestNormal * u
    let (sum, squares) = (1 + (try! Rational(exactly: 1e-30)), 1 + (try! Rational(exactly: 1e-30)) * (try! Rational(exactly: 1e-30)))
    let rho = 18 * eta * sum * sum / squares
    #expect(tiny.isCertified && tiny.underflowAllowance == rho)
    #expect(tiny.relativeError == (1 + FloatRoundingBound.gamma(3 * 2 + 2 + 4, .float32)) * (1 + rho / (1 - rho)) - 1)
    // A score that is itself below the smallest normal float32 is not bounded.
    #expect(!FloatRoundingBound(magnitudes: [1, 1e-40], inputPrecision: .float64, precision: .float32).isCertified)
    #expect(FloatPrecision.float32.nearest(Rational(1, 3)) == Double(Float(1.0 / 3)))
  }

  /// The underflow allowance is sound: float32 evaluations of both formulas, on scores whose
  /// squares and squared weights underflow, stay within the certified bound (and some do
  /// underflow, so the allowance is exercised).
  @Test func underflowAllowanceCoversFloat32Evaluations() {
    var random = SplitMix64(seed: 14)
    var widened = 0
    for _ in 0..<400 {
      let n = Int.random(in: 2...48, using: &random)
      let a = (0..<n).map { _ in
        Float(Double.random(in: 1..<2, using: &random) * Double(sign: .plus, exponent: Int.random(in: -90...8, using: &random), significand: 1))
      }
      let bound = FloatRoundingBound(magnitudes: a.map(Double.init), inputPrecision: .float32, precision: .float32)
      guard bound.isCertified else { continue }
      if !bound.underflowAllowance.isZero { widened += 1 }
      let exact = { () -> Rational in
        let r = a.map { try! Rational(exactly: Double($0)) }
        let total = r.reduce(Rational.zero, +)
        return total * total / r.reduce(Rational.zero) { $0 + $1 * $1 }
      }()
      let total = a.reduce(Float(0), +)
      let squaresFirst = total * total / a.reduce(Float(0)) { $0 + $1 * $1 }
      let weightsFirst = 1 / a.reversed().reduce(Float(0)) { let w = $1 / total; return $0 + w * w }
      for computed in [squaresFirst, weightsFirst] {
        #expect(
          (try! Rational(exactly: Double(computed)) - exact).magnitude <= bound.relativeError * exact,
          "\(a): \(computed) vs \(Double(exact)), ρ = \(Double(bound.underflowAllowance))")
      }
    }
    #expect(widened > 50, "only \(widened) vectors exercised the allowance")
  }
}
