import EMPReference
import Exact
import Testing
import _TestSupport

/// The paper's statements that are false, each at its first exact counterexample (in the
/// orders of CounterexampleOrderTests), and a check that no integer score vector with smaller
/// entries breaks it (Proofs/3-trivial-bound.md,
/// Proofs/5-asymptotic-form.md; Theorem 4.2 at ν = 1 in Proofs/theorem-4.2.md).
@Suite struct CounterexampleTests {
  /// All score vectors of length `n` with entries in `0…maxEntry`, not all zero.
  static func integerVectors(n: Int, maxEntry: Int) -> [[Rational]] {
    var result: [[Int]] = [[]]
    for _ in 0..<n { result = result.flatMap { v in (0...maxEntry).map { v + [$0] } } }
    return result.filter { $0.contains { $0 != 0 } }.map { $0.map { Rational($0) } }
  }

  /// Statement 3, `s_eff ≥ N_eff/N`: false at N = 2, scores (2, 1):
  /// ω = (2/3, 1/3), N_eff = 9/5, ν = 1, s_eff = 2/3 < 9/10.
  @Test func trivialBoundFailsAtTwoOne() {
    let a = SimplexAnalysis(scores: [2, 1])
    #expect(a.weights == [Rational(2, 3), Rational(1, 3)])
    #expect(a.effectiveSampleSize == Rational(9, 5) && a.retentionCount == 1)
    #expect(a.preservedMass == Rational(2, 3) && a.preservedMass < Rational(9, 10))
    #expect(SimplexStatement.trivialBound.violation(of: [2, 1], form: .paper) != nil)
    #expect(SimplexStatement.trivialBound.violation(of: [2, 1], form: .corrected) == nil)
    // Nothing before it: N = 1 cannot fail (s_eff = 1 = N_eff/N), and for N = 2 no vector with entries ≤ 1 fails.
    for scores in Self.integerVectors(n: 2, maxEntry: 1) {
      #expect(SimplexStatement.trivialBound.violation(of: scores, form: .paper) == nil)
    }
  }

  /// Theorem 4.2 at ν = 1: false at N = 3, scores (3, 2, 0): ω = (3/5, 2/5, 0),
  /// Σω² = 13/25, N_eff = 25/13, ν = 1, s_eff = 3/5 < B(3, 1) = 1/3 + (2/3)·√(1/4) = 2/3.
  @Test func theorem42FailsAtThreeTwoZero() {
    let a = SimplexAnalysis(scores: [3, 2, 0])
    #expect(a.sumOfSquares == Rational(13, 25) && a.effectiveSampleSize == Rational(25, 13))
    #expect(a.retentionCount == 1 && a.preservedMass == Rational(3, 5))
    let bound = PaperBound.value(count: 3, retentionCount: 1)
    #expect(bound == Surd(Rational(2, 3)))
    #expect((a.preservedMass - bound).signum < 0)
    #expect(SimplexStatement.theorem42.violation(of: [3, 2, 0], form: .paper) != nil)
    #expect(SimplexStatement.theorem42.violation(of: [3, 2, 0], form: .corrected) == nil)
    // (2, 1, 0) sits exactly on the bound: s_eff = 2/3 = B(3, 1).
    #expect((SimplexAnalysis(scores: [2, 1, 0]).preservedMass - bound).signum == 0)
    // Least N, then least sum: B(2, 1) = 1/2 < s_eff on A_1 for N = 2; for N = 3 no vector with entries ≤ 2 fails,
    // nor any with entries ≤ 3 and a smaller sum than 5.
    for scores in Self.integerVectors(n: 2, maxEntry: 6) + Self.integerVectors(n: 3, maxEntry: 2) {
      #expect(SimplexStatement.theorem42.violation(of: scores, form: .paper) == nil, "\(scores)")
    }
    for scores in Self.integerVectors(n: 3, maxEntry: 3) where scores.reduce(0, +) < 5 {
      #expect(SimplexStatement.theorem42.violation(of: scores, form: .paper) == nil, "\(scores)")
    }
  }

  /// Theorem 4.2 fails at ν = 1 for every N from 3 on, at ω = (3/5, 2/5, 0, …, 0).
  @Test(arguments: [3, 4, 5, 10, 100, 1000])
  func theorem42FailsAtNuOneForEveryN(_ n: Int) {
    let scores = [3, 2].map { Rational($0) } + Array(repeating: Rational.zero, count: n - 2)
    #expect(SimplexStatement.theorem42.violation(of: scores, form: .paper) != nil)
  }

  /// Statement 5 read at finite N: false at N = 2, scores (2, 1): 1 − s_eff = 1/3, but the
  /// right side is (1/10)(1 − √(1/18)) < 1/10.
  @Test func asymptoticFormFailsAtTwoOne() {
    let a = SimplexAnalysis(scores: [2, 1])
    let bound = SimplexBounds.asymptoticPrunedMass(n: 2, effectiveSampleSize: a.effectiveSampleSize)
    #expect(bound.rational == Rational(1, 10) && bound.radicand == Rational(1, 18))
    #expect((bound - (1 - a.preservedMass)).signum < 0)
    #expect(SimplexStatement.asymptoticForm.violation(of: [2, 1], form: .paper) != nil)
    #expect(SimplexStatement.asymptoticForm.violation(of: [2, 1], form: .corrected) == nil)
    for scores in Self.integerVectors(n: 2, maxEntry: 1) {
      #expect(SimplexStatement.asymptoticForm.violation(of: scores, form: .paper) == nil)
    }
  }

  /// Statement 5 also fails for ν ≥ 2 and large N, next to the paper's own extremal point
  /// p_ν: on the segment ζ_[N] → ζ_[1], just inside A_ν (N_eff within 2⁻⁴⁰ below ν + 1).
  @Test(arguments: [(3, 2), (100, 2), (1000, 2), (100, 5), (1000, 10)])
  func asymptoticFormFailsNearTheExtremalPoint(_ n: Int, _ nu: Int) {
    let onSegment = SimplexPoint.interpolate(
      SimplexPoint.vertex(n, dimension: n), SimplexPoint.vertex(1, dimension: n), at: Rational(1, 2))
    let point = SimplexPoint.near(
      effectiveSampleSize: Rational(nu + 1), side: .below, on: onSegment, tolerance: Rational(1).timesPowerOfTwo(-40))
    #expect(SimplexAnalysis(point: point).retentionCount == nu)
    #expect(SimplexStatement.asymptoticForm.violation(of: point, form: .paper) != nil)
    #expect(SimplexStatement.asymptoticForm.violation(of: point, form: .corrected) == nil)
  }

  /// Near u_N (N_eff → N, ν = N − 1) the finite-N form fails for every N: its right side
  /// tends to 0 while 1 − s_eff tends to 1/N.
  @Test(arguments: [2, 3, 10, 100])
  func asymptoticFormFailsNearTheCentre(_ n: Int) {
    let point = SimplexPoint.near(
      effectiveSampleSize: Rational(n), side: .below, on: SimplexPoint.vertex(1, dimension: n),
      tolerance: Rational(1, 1000))
    #expect(SimplexStatement.asymptoticForm.violation(of: point, form: .paper) != nil)
  }
}
