import Exact
import PropertyBased
import Testing
import _TestSupport

@testable import EMPReference

/// Theorem 4.2 (statement 4, Proofs/theorem-4.2.md) decided exactly, and compared with the tight infimum.
@Suite struct PaperBoundTests {
  /// For k = ν, B(N, ν) = T(ν, ν, N) for every (N, ν) with ν ≥ 2 or N = 2, and
  /// B(N, 1) > T(1, 1, N) = 1/2 for every N ≥ 3; so T ≤ B always (Proofs/theorem-4.2.md).
  @Test func paperBoundAgainstTightInfimumUpToTwoHundred() {
    for n in 2...200 {
      for nu in 1...n {
        let b = PaperBound.value(count: n, retentionCount: nu)
        let t = TightInfimum(keeping: nu, shell: nu, count: n).value
        if nu == 1 && n >= 3 {
          #expect(b > t, "N = \(n): expected B > T at ν = 1")
          #expect(t == Surd(Rational(1, 2)))
        } else {
          #expect(b == t, "B(\(n), \(nu)) = \(b) ≠ T = \(t)")
        }
      }
    }
  }

  /// The counterexample of least sum at the least N (N = 3; over all N the least sum is
  /// (2, 1, 0, 0) at N = 4, see CounterexampleOrderTests): scores (3, 2, 0) have
  /// N_eff = 25/13, ν = 1, s_eff = 3/5 < B(3, 1) = 2/3. The theorem as stated fails; the
  /// corrected bound holds.
  @Test func counterexampleToTheorem42AtThreeTwoZero() throws {
    let analysis = try ExactAnalysis(scores: [3, 2, 0].map { Rational($0) })
    #expect(analysis.effectiveSampleSize == Rational(25, 13))
    #expect(analysis.retentionCount == 1)
    #expect(analysis.preservedMass == Rational(3, 5))
    let paper = try #require(analysis.paperBound)
    #expect(paper.bound == Surd(Rational(2, 3)))
    #expect(!paper.holds)
    #expect(paper.margin == Surd(Rational(-1, 15)))
    #expect(analysis.tightInfimum.value == Surd(Rational(1, 2)))
    #expect(analysis.tightMargin.signum > 0)
  }

  /// The exact decision agrees with an independent high-precision evaluation of
  /// `s_eff − B` (interval refinement with integer square roots), on random score vectors.
  @Test func decisionMatchesHighPrecisionEvaluation() async throws {
    await seededPropertyCheck(count: 300, input: Gen.int(in: 0...40).array(of: 2...12)) { raw in
      guard raw.contains(where: { $0 != 0 }) else { return }
      let analysis = try ExactAnalysis(scores: raw.map { Rational($0) })
      let paper = try #require(analysis.paperBound)
      let (n, nu) = (analysis.count, analysis.retentionCount)
      // s_eff − ν/N − ((N − ν)/N)·√((N − ν − 1)/((ν + 1)(N − 1))), from the paper's text.
      let expected =
        nu == n
        ? (analysis.preservedMass - 1).signum
        : Oracle.sign(
          analysis.preservedMass - Rational(nu, n), Rational(nu - n, n),
          Rational(n - nu - 1, (nu + 1) * (n - 1)))
      #expect(paper.margin.signum == expected)
      #expect(paper.holds == (expected >= 0))
    }
  }

  /// Decisions within 10⁻³⁰ of the bound, where no float evaluation could decide: the
  /// witnesses of T (for ν ≥ 2, T = B) keep B + δ with 0 < δ ≤ 10⁻³⁰, and the uniform
  /// vector keeps exactly B(N, N) = 1.
  @Test func decisionsNextToTheBound() throws {
    let tolerance = Rational(numerator: 1, denominator: BigInteger(10).power(30))
    for n in 3...9 {
      for nu in 2..<n {
        let witness = TightInfimum(keeping: nu, shell: nu, count: n).witness(within: tolerance)
        let analysis = try ExactAnalysis(scores: witness)
        #expect(analysis.retentionCount == nu)
        let paper = try #require(analysis.paperBound)
        #expect(paper.holds && paper.margin.signum > 0 && paper.margin <= Surd(tolerance))
      }
      let uniform = try ExactAnalysis(scores: [Rational](repeating: 7, count: n))
      #expect(try #require(uniform.paperBound).margin.signum == 0)
    }
  }

  /// B(N, N) is defined as 1, and B(N, N − 1) = (N − 1)/N.
  @Test func boundaryShells() {
    for n in 2...50 {
      #expect(PaperBound.value(count: n, retentionCount: n) == Surd(1))
      #expect(PaperBound.value(count: n, retentionCount: n - 1) == Surd(Rational(n - 1, n)))
    }
  }

  /// Every analysed vector keeps at least T (decided exactly): T is a valid lower bound.
  @Test func preservedMassIsAtLeastTheTightInfimum() async {
    await seededPropertyCheck(count: 300, input: zip(Gen.int(in: -1000...1000).array(of: 1...16), Gen.int(in: 1...8))) { raw, b in
      guard raw.contains(where: { $0 != 0 }) else { return }
      let analysis = try ExactAnalysis(scores: raw.map { Rational($0) }, beta: Rational(b, 4))
      #expect(analysis.tightMargin.signum >= 0, "s_eff = \(analysis.preservedMass) < T = \(analysis.tightInfimum.value)")
    }
  }
}
