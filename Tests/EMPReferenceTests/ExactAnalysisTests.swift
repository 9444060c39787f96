import EMPCore
import Exact
import PropertyBased
import Testing
import _TestSupport

@testable import EMPReference

/// N_eff, ν, π and s_eff of ExactAnalysis against the definitions (Proofs/definitions.md).
@Suite struct ExactAnalysisTests {
  static let scores = Gen.int(in: -60...60).array(of: 1...10).map { $0.map { Rational($0) } }
  static let nonzeroRational = zip(Gen.int(in: 1...50), Gen.int(in: 1...50), Gen.bool).map {
    Rational($2 ? -$0 : $0, $1)
  }

  @Test func effectiveSampleSizeMatchesTheDefinition() async {
    await seededPropertyCheck(count: 300, input: Self.scores) { s in
      guard s.contains(where: { !$0.isZero }) else { return }
      let analysis = try ExactAnalysis(scores: s)
      #expect(analysis.effectiveSampleSize == Oracle.effectiveSampleSize(s))
    }
  }

  /// N_eff, ν and s_eff are unchanged by permutations, by scaling with any nonzero rational
  /// and by sign flips.
  @Test func invariances() async {
    await seededPropertyCheck(count: 300, input: zip(Self.scores, Self.nonzeroRational, Gen.int(in: 0...1023))) { s, c, flips in
      guard s.contains(where: { !$0.isZero }) else { return }
      let base = try ExactAnalysis(scores: s)
      let variants = [
        Array(s.reversed()), Array(s.dropFirst() + s.prefix(1)), s.map { c * $0 },
        s.enumerated().map { flips & (1 << ($0.offset % 10)) != 0 ? -$0.element : $0.element },
      ]
      for variant in variants {
        let other = try ExactAnalysis(scores: variant)
        #expect(other.effectiveSampleSize == base.effectiveSampleSize)
        #expect(other.retentionCount == base.retentionCount)
        #expect(other.preservedMass == base.preservedMass)
      }
    }
  }

  /// 1 ≤ N_eff ≤ N, with N_eff = N iff all magnitudes are equal and N_eff = 1 iff exactly
  /// one score is nonzero.
  @Test func rangeAndEqualityCases() async throws {
    await seededPropertyCheck(count: 300, input: Self.scores) { s in
      guard s.contains(where: { !$0.isZero }) else { return }
      let neff = try ExactAnalysis(scores: s).effectiveSampleSize
      #expect(neff >= 1 && neff <= Rational(s.count))
      #expect((neff == Rational(s.count)) == (Set(s.map(\.magnitude)).count == 1))
      #expect((neff == 1) == (s.filter { !$0.isZero }.count == 1))
    }
    #expect(try ExactAnalysis(scores: [5, -5, 5].map { Rational($0) }).effectiveSampleSize == 3)
    #expect(try ExactAnalysis(scores: [0, -2, 0].map { Rational($0) }).effectiveSampleSize == 1)
  }

  /// s_eff is the largest mass of any ν indices (brute force over all subsets, N ≤ 10), and
  /// π keeps larger magnitudes first and the lower index among equal ones.
  @Test func preservedMassIsTheBestSubset() async {
    await seededPropertyCheck(count: 200, input: zip(Self.scores, Gen.int(in: 1...12))) { s, b in
      guard s.contains(where: { !$0.isZero }) else { return }
      let analysis = try ExactAnalysis(scores: s, beta: Rational(b, 4))
      let nu = analysis.retentionCount
      #expect(analysis.keptIndices.count == nu)
      #expect(analysis.preservedMass == Oracle.bestSubsetMass(s, keeping: nu))
      let kept = Set(analysis.keptIndices)
      for i in kept {
        for j in s.indices where !kept.contains(j) {
          #expect(EMPDefinition.precedes(i, s[i].magnitude, j, s[j].magnitude), "kept \(i) but not \(j) in \(s)")
        }
      }
      #expect(analysis.sparsity == 1 - Rational(nu, s.count))
      #expect(analysis.prunedMass == 1 - analysis.preservedMass)
    }
  }

  /// The tie rule: equal magnitudes are kept lowest index first.
  @Test func tiesKeepTheLowestIndex() throws {
    let analysis = try ExactAnalysis(scores: [1, -3, 3, 1, 3].map { Rational($0) })
    #expect(analysis.effectiveSampleSize == Rational(121, 29))
    #expect(analysis.retentionCount == 4)
    #expect(analysis.keptIndices == [0, 1, 2, 4])
  }

  /// One property body over f16, bf16, f32 and f64: a float buffer is analysed exactly as
  /// the rationals it denotes.
  @Test func floatBuffersMatchTheirExactValues() async throws {
    await seededPropertyCheck(count: 100, input: zip(Gen.int(in: -2048...2048).array(of: 1...12), Gen.int(in: -20...20))) { ints, e in
      guard ints.contains(where: { $0 != 0 }) else { return }
      let scale = Double(sign: .plus, exponent: e, significand: 1)
      let exact = try ExactAnalysis(scores: ints.map { Rational($0).timesPowerOfTwo(e) })
      try Self.expectSame(exact, ExactAnalysis(scores: ints.map { Double($0) * scale }))
      try Self.expectSame(exact, ExactAnalysis(scores: ints.map { Float($0) * Float(scale) }))
      // binary16 overflows from 65520 on: then the analysis names the first infinite score.
      let halves = ints.map { Float16(Float($0) * Float(scale)) }
      if let infinite = halves.firstIndex(where: { !$0.isFinite }) {
        #expect(throws: EMPInputError.nonFinite(index: infinite)) { try ExactAnalysis(scores: halves) }
      } else {
        try Self.expectSame(exact, ExactAnalysis(scores: halves))
      }
      // bfloat16 holds 8 significant bits: compare with the rationals it actually holds.
      let bf = ints.map { BFloat16(bitPattern: UInt16((Float($0) * Float(scale)).bitPattern >> 16)) }
      try Self.expectSame(
        ExactAnalysis(scores: bf.map { try Rational(exactly: $0) }), ExactAnalysis(scores: bf))
    }
  }

  /// Integer scores are analysed as the rationals they are: random integers with ties, zeros
  /// and signs, scaled by up to 2^1100 (group sums at the scale 2^−1074 are that large), and
  /// every β in a range of tenths.
  @Test func integerScoresMatchTheirRationals() async throws {
    let input = zip(Gen.int(in: -40...40).array(of: 1...14), Gen.int(in: 0...1100), Gen.int(in: 1...30))
    await seededPropertyCheck(count: 200, input: input) { ints, shift, tenths in
      guard ints.contains(where: { $0 != 0 }) else { return }
      let integers = ints.map { BigInteger($0).shifted(by: shift) }
      let beta = Rational(tenths, 10)
      let expected = try ExactAnalysis(scores: integers.map(Rational.init), beta: beta)
      let analysis = try ExactAnalysis(integerScores: integers, beta: beta)
      Self.expectSame(analysis, expected)
      #expect(analysis.shell == expected.shell)
    }
    #expect(throws: EMPInputError.allZero) { try ExactAnalysis(integerScores: [BigInteger(), BigInteger()]) }
    #expect(throws: EMPInputError.empty) { try ExactAnalysis(integerScores: []) }
  }

  static func expectSame(_ a: ExactAnalysis, _ b: ExactAnalysis) {
    #expect(a.effectiveSampleSize == b.effectiveSampleSize)
    #expect(a.retentionCount == b.retentionCount)
    #expect(a.keptIndices == b.keptIndices)
    #expect(a.preservedMass == b.preservedMass)
  }

  @Test func badInputIsATypedError() {
    #expect(throws: EMPInputError.empty) { try ExactAnalysis(scores: [Rational]()) }
    #expect(throws: EMPInputError.allZero) { try ExactAnalysis(scores: [0, 0].map { Rational($0) }) }
    #expect(throws: EMPInputError.nonFinite(index: 2)) { try ExactAnalysis(scores: [1.0, 2, .nan]) }
    #expect(throws: EMPInputError.nonFinite(index: 0)) { try ExactAnalysis(scores: [Float.infinity]) }
    #expect(throws: EMPInputError.nonPositiveBeta("0")) { try ExactAnalysis(scores: [Rational(1)], beta: 0) }
    #expect(throws: EMPInputError.nonPositiveBeta("-1/2")) { try ExactAnalysis(scores: [Rational(1)], beta: Rational(-1, 2)) }
  }

  /// N = 1: the vector is analysed; the paper's bound (N ≥ 2) does not apply.
  @Test func singleScore() throws {
    let analysis = try ExactAnalysis(scores: [Rational(-7, 3)])
    #expect(analysis.effectiveSampleSize == 1 && analysis.retentionCount == 1)
    #expect(analysis.preservedMass == 1 && analysis.paperBound == nil)
    #expect(analysis.tightInfimum.value == Surd(1) && analysis.tightInfimum.isAttained)
  }

  /// The decimal example: 0.5, 0.3, 0.2 has N_eff = 1/0.38 = 50/19, ν = 2, s_eff = 4/5.
  @Test func decimalExample() throws {
    let analysis = try ExactAnalysis(scores: ["0.5", "0.3", "0.2"].map { Rational($0)! })
    #expect(analysis.effectiveSampleSize == Rational(50, 19))
    #expect(analysis.retentionCount == 2 && analysis.keptIndices == [0, 1])
    #expect(analysis.preservedMass == Rational(4, 5))
    // B(3, 2) = 2/3 + (1/3)·√0 = 2/3 ≤ 4/5.
    #expect(try #require(analysis.paperBound).bound == Surd(Rational(2, 3)))
    #expect(try #require(analysis.paperBound).margin == Surd(Rational(2, 15)))
  }
}
