import EMPReference
import Exact
import Testing
import _TestSupport

/// The paper's N_eff read two ways (Proofs/README.md, "Two readings of N_eff"): the real
/// number 1/Σω² (the reading of Proofs/ and the code), or its floor ⌊1/Σω²⌋ (as summaries of
/// the paper write it, and as "the N_eff highest scoring entries" suggests). Each statement in
/// which N_eff enters a bound is decided under both, at β = 1.
@Suite struct ReadingTests {
  /// `⌊N_eff⌋`, which is ν at β = 1.
  static func floorOfNeff(_ a: SimplexAnalysis) -> Rational { Rational(a.retentionCount) }

  /// Statement 1 under the floor reading: "⌊N_eff⌋ = 1 iff ω is a vertex" is false, since
  /// every point of A_1 has ⌊N_eff⌋ = 1; (2, 1) is one (N_eff = 9/5). The rest of statement 1
  /// reads the same (⌊N_eff⌋ = N iff N_eff = N, as N_eff ≤ N).
  @Test func rangeUnderTheFloorReading() async {
    let a = SimplexAnalysis(scores: [2, 1])
    #expect(Self.floorOfNeff(a) == 1 && a.weights.filter { !$0.isZero }.count == 2)
    await seededPropertyCheck(count: 400, input: SimplexGen.scores(maxN: 12)) { scores in
      let a = SimplexAnalysis(scores: scores)
      let uniform = a.weights.allSatisfy { $0 == a.weights[0] }
      #expect((Self.floorOfNeff(a) == Rational(a.count)) == uniform, "\(a.pointDescription)")
    }
  }

  /// Statement 3: under the real reading s_eff ≥ N_eff/N fails at (2, 1); under the floor
  /// reading it is s_eff ≥ ν/N, the corrected statement, and holds at every generated point.
  @Test func trivialBoundUnderBothReadings() async {
    let a = SimplexAnalysis(scores: [2, 1])
    #expect(a.preservedMass < a.effectiveSampleSize / 2)
    #expect(a.preservedMass >= Self.floorOfNeff(a) / 2)
    await seededPropertyCheck(count: 600, input: SimplexGen.scores(maxN: 12)) { scores in
      let a = SimplexAnalysis(scores: scores)
      #expect(a.preservedMass >= Self.floorOfNeff(a) / Rational(a.count), "\(a.pointDescription)")
    }
    for n in 2...7 {
      for nu in 1...n {
        await seededPropertyCheck(count: 20, input: SimplexGen.shell(nu, dimension: n)) { point in
          let a = SimplexAnalysis(point: point)
          #expect(a.preservedMass >= Self.floorOfNeff(a) / Rational(n), "\(a.pointDescription)")
        }
      }
    }
  }

  /// Statement 4 has no N_eff in its bound: at β = 1 both readings give the same ν. At
  /// β ≠ 1 they give different retention counts, ⌊β·N_eff⌋ and ⌊β·⌊N_eff⌋⌋: (3, 2, 0) at β = 2
  /// keeps 3 (the reference, with the real N_eff = 25/13) or 2. T(k, m, N) bounds both.
  @Test func retentionCountUnderBothReadings() throws {
    let real = try ExactAnalysis(scores: [3, 2, 0] as [Rational], beta: 2)
    #expect(real.effectiveSampleSize == Rational(25, 13) && real.shell == 1)
    #expect(real.retentionCount == 3)
    let floorCount = 2 * real.shell
    #expect(floorCount == 2)
    let point = SimplexAnalysis(scores: [3, 2, 0])
    for k in [floorCount, real.retentionCount] {
      let tight = TightInfimum(keeping: k, shell: real.shell, count: 3)
      #expect((point.topMass(k) - tight.value).signum >= 0)
    }
  }

  /// Statement 5 under the floor reading: the right side becomes
  /// ((N − ν)/N)(1 − √((N − ν)/(Nν))). It fails at (2, 1) and next to the paper's point p_ν
  /// in every shell tried, as under the real reading.
  @Test func asymptoticFormFailsUnderTheFloorReading() {
    func fails(_ point: [Rational]) -> Bool {
      let a = SimplexAnalysis(point: point)
      let bound = SimplexBounds.asymptoticPrunedMass(n: a.count, effectiveSampleSize: Self.floorOfNeff(a))
      return (bound - (1 - a.preservedMass)).signum < 0
    }
    #expect(fails(SimplexPoint.normalised([2, 1])))
    for (n, nu) in [(3, 2), (10, 2), (100, 2), (100, 5), (1000, 10)] {
      let onSegment = SimplexPoint.interpolate(
        SimplexPoint.vertex(n, dimension: n), SimplexPoint.vertex(1, dimension: n), at: Rational(1, 2))
      let point = SimplexPoint.near(
        effectiveSampleSize: Rational(nu + 1), side: .below, on: onSegment, tolerance: Rational(1).timesPowerOfTwo(-40))
      #expect(SimplexAnalysis(point: point).retentionCount == nu)
      #expect(fails(point), "N = \(n), ν = \(nu)")
    }
  }

  /// Statement 5 corrected, under the floor reading: s_eff > 1/√(⌊N_eff⌋ + 1) when ν ≥ 2
  /// (from s_eff ≥ 1/√N_eff and N_eff < ν + 1), and s_eff > 1/2 when ν = 1.
  @Test func correctedAsymptoticFormUnderTheFloorReading() async {
    await seededPropertyCheck(count: 600, input: SimplexGen.scores(maxN: 12)) { scores in
      let a = SimplexAnalysis(scores: scores)
      let nu = a.retentionCount
      if nu >= 2 {
        #expect(a.preservedMass * a.preservedMass > Rational(1, nu + 1), "\(a.pointDescription)")
      } else {
        #expect(a.preservedMass > Rational(1, 2), "\(a.pointDescription)")
      }
    }
  }
}
