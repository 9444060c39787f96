import EMPCore
import EMPFast
import Exact
import PropertyBased
import Testing

/// Checks one fast analysis against the exact oracle: same `ν`, the exact values inside the
/// enclosures, and every mask form keeping exactly the oracle's `π`.
func fastAgreesWithOracle(_ scores: TestScores, beta: Rational = 1, threads: Int = 2, _ context: String) throws {
  let options = FastEMP.Options(threads: threads)
  let fast = try scores.withBuffer { try FastEMP.analyze($0, beta: beta, options: options) }
  let exact = ExactOracle(magnitudes: scores.magnitudes, beta: beta)
  #expect(fast.retentionCount == exact.retentionCount, "ν: \(context)")
  #expect(fast.absoluteSum.contains(exact.absoluteSum), "Σ|s| \(fast.absoluteSum): \(context)")
  #expect(fast.sumOfSquares.contains(exact.sumOfSquares), "Σs² \(fast.sumOfSquares): \(context)")
  #expect(fast.effectiveSampleSize.contains(exact.effectiveSampleSize), "N_eff \(fast.effectiveSampleSize): \(context)")
  #expect(fast.preservedMass.contains(exact.preservedMass), "s_eff \(fast.preservedMass): \(context)")
  if fast.certificate == .exactFallback {
    #expect(fast.exactEffectiveSampleSize == exact.effectiveSampleSize, "exact N_eff: \(context)")
  }
  #expect(fast.cut.countAbove + fast.cut.tiesKept == exact.retentionCount, "cut counts: \(context)")

  let n = scores.count
  var words = [UInt64](repeating: .max, count: (n + 63) / 64)
  var bytes = [UInt8](repeating: 7, count: n)
  scores.withBuffer { buffer in
    words.withUnsafeMutableBufferPointer { fast.cut.writeMask(of: buffer, into: .bits($0), options: options) }
    bytes.withUnsafeMutableBufferPointer { fast.cut.writeMask(of: buffer, into: .bytes($0), options: options) }
  }
  let fromBits = (0..<n).filter { words[$0 / 64] >> UInt64($0 % 64) & 1 == 1 }
  #expect(fromBits == exact.kept, "bit mask: \(context)")
  #expect(n % 64 == 0 || words[n / 64] >> UInt64(n % 64) == 0, "bit mask padding: \(context)")
  #expect(bytes.allSatisfy { $0 <= 1 } && (0..<n).filter { bytes[$0] == 1 } == exact.kept, "byte mask: \(context)")
  let pruned = scores.pruned { fast.cut.prune($0, options: options) }
  let keptSet = Set(exact.kept)
  #expect(
    (0..<n).allSatisfy { keptSet.contains($0) ? pruned[$0] == scores.magnitudes[$0] : pruned[$0] == 0 },
    "in-place pruning: \(context)")
}

@Suite("Fast path agrees with the exact oracle")
struct FastEMPAgreementTests {
  @Test("every family and format, small and odd lengths")
  func smallInputs() async {
    await propertyCheck(
      count: 300,
      input: anyFormat, anyFamily,
      Gen.int(in: 1...700), Gen.uint64(in: 0 ... .max)
    ) { format, family, n, seed in
      let scores = TestScores(family.values(count: n, format: format, seed: seed), format: format)
      guard scores.magnitudes.contains(where: { $0 > 0 }) else { return }
      try fastAgreesWithOracle(scores, "\(format) \(family) n=\(n) seed=\(seed)")
    }
  }

  @Test("N = 1, 2, 3 and β ≠ 1", arguments: ScoreFormat.allCases)
  func tinyInputs(format: ScoreFormat) async {
    await propertyCheck(
      count: 100, input: Gen.int(in: 1...3), anyFamily,
      Gen.int(in: 1...40), Gen.uint64(in: 0 ... .max)
    ) { n, family, betaTenths, seed in
      let scores = TestScores(family.values(count: n, format: format, seed: seed), format: format)
      guard scores.magnitudes.contains(where: { $0 > 0 }) else { return }
      try fastAgreesWithOracle(
        scores, beta: Rational(betaTenths, 10), "\(format) \(family) n=\(n) β=\(betaTenths)/10 seed=\(seed)")
    }
  }

  @Test("inputs past the direct-selection limit take the bracketed or radix cut")
  func largeInputs() async {
    await propertyCheck(
      count: 8,
      input: anyFormat, anyFamily,
      Gen.int(in: 70_000...140_000), Gen.uint64(in: 0 ... .max)
    ) { format, family, n, seed in
      let scores = TestScores(family.values(count: n, format: format, seed: seed), format: format)
      try fastAgreesWithOracle(scores, "\(format) \(family) n=\(n) seed=\(seed)")
    }
  }

  @Test("10^6 + 3 scores of each format")
  func millionScores() throws {
    for (k, format) in ScoreFormat.allCases.enumerated() {
      let seed = UInt64(20_260_000 + k)
      let scores = TestScores(ScoreFamily.gaussian.values(count: 1_000_003, format: format, seed: seed), format: format)
      try fastAgreesWithOracle(scores, "\(format) gaussian n=1000003 seed=\(seed)")
    }
  }

  @Test("all scores tied: the radix cut keeps the lowest indices")
  func allTied() throws {
    let scores = TestScores([Double](repeating: -0.75, count: 100_000), format: .float32)
    try fastAgreesWithOracle(scores, "100000 equal scores")
  }
}
