import EMPReference
import Exact
import Testing
import _TestSupport

/// The qualifiers that make the claims of Proofs/ true, checked where they bite: the
/// infimum is attained at ν = N (A_N = {u_N}); statement 3's step s_eff > (N_eff − 1)/N
/// needs β ≥ 1, and its equality case needs k < N.
@Suite struct QualifierTests {
  /// At ν = N the shell is {u_N}, so T(k, N, N) = k/N is attained, at u_N, for every k:
  /// the uniform scores keep exactly k/N when β = k/N makes EMP keep k of them. Below the
  /// last shell, T is attained only for k = N (Proofs/T-tight-infimum.md, Theorem).
  @Test func infimumIsAttainedInTheLastShell() throws {
    for n in 1...12 {
      for k in 1...n {
        let tight = TightInfimum(keeping: k, shell: n, count: n)
        #expect(tight.isAttained && tight.value == Surd(Rational(k, n)), "T(\(k), \(n), \(n))")
        #expect(tight.point.isVertex && tight.point.support == n)
        #expect(tight.witness(within: Rational(1, 1000)) == SimplexPoint.vertex(n, dimension: n))
        let uniform = try ExactAnalysis(scores: Array(repeating: Rational(1), count: n), beta: Rational(k, n))
        #expect(uniform.shell == n && uniform.retentionCount == k)
        #expect(uniform.preservedMass == Rational(k, n) && uniform.tightMargin == Surd(0))
        #expect(uniform.tightInfimum.isAttained)
        for shell in 1..<n {
          #expect(TightInfimum(keeping: k, shell: shell, count: n).isAttained == (k == n))
        }
      }
      // Theorem 4.2 at ν = N: B(N, N) := 1 = T(N, N, N), attained at u_N.
      if n >= 2 {
        let uniform = try ExactAnalysis(scores: Array(repeating: Rational(1), count: n))
        #expect(uniform.paperBound?.bound == Surd(1) && uniform.paperBound?.margin == Surd(0))
      }
    }
  }

  /// Statement 3, "s_eff > (N_eff − 1)/N", uses ν > N_eff − 1, which needs β ≥ 1. At
  /// β = 1/2 the uniform scores (1, 1, 1) keep ν = 1: s_eff = 1/3 < 2/3 = (N_eff − 1)/N,
  /// while s_eff ≥ ν/N still holds (with equality).
  @Test func trivialBoundStepNeedsBetaAtLeastOne() throws {
    let a = try ExactAnalysis(scores: [1, 1, 1] as [Rational], beta: Rational(1, 2))
    #expect(a.effectiveSampleSize == 3 && a.retentionCount == 1)
    #expect(a.preservedMass == Rational(1, 3))
    #expect(a.preservedMass < (a.effectiveSampleSize - 1) / 3)
    #expect(a.preservedMass == Rational(a.retentionCount, 3))
  }

  /// What holds for every β > 0 (Proofs/3-trivial-bound.md, corrected statement):
  /// s_eff ≥ ν/N, and s_eff > (min(β, 1)·N_eff − 1)/N; so s_eff > (N_eff − 1)/N for β ≥ 1.
  @Test(arguments: [Rational(1, 3), Rational(1, 2), Rational(9, 10), 1, Rational(3, 2), 2, 7])
  func trivialBoundForEveryBeta(_ beta: Rational) async {
    await seededPropertyCheck(count: 300, input: SimplexGen.scores(maxN: 12)) { scores in
      let a = try ExactAnalysis(scores: scores, beta: beta)
      let n = Rational(a.count)
      #expect(a.preservedMass >= Rational(a.retentionCount) / n, "\(scores)")
      #expect(a.preservedMass > (min(beta, 1) * a.effectiveSampleSize - 1) / n, "\(scores)")
      if beta >= 1 { #expect(a.preservedMass > (a.effectiveSampleSize - 1) / n, "\(scores)") }
    }
  }

  /// The equality case of φ_k ≥ k/N: for k < N only at u_N; for k = N at every point
  /// (φ_N = 1 = N/N).
  @Test func trivialBoundEqualityCase() async {
    await seededPropertyCheck(count: 400, input: SimplexGen.scores(maxN: 12)) { scores in
      let a = SimplexAnalysis(scores: scores)
      let n = a.count
      #expect(a.topMass(n) == 1)
      let uniform = a.weights.allSatisfy { $0 == a.weights[0] }
      for k in 1..<max(1, n) {
        #expect((a.topMass(k) == Rational(k, n)) == uniform, "k = \(k) at \(a.pointDescription)")
      }
    }
  }
}
