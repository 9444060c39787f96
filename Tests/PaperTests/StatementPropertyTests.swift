import Exact
import PropertyBased
import Testing
import _TestSupport

/// Each statement of the paper (numbered as in Proofs/README.md), as Proofs/ states what
/// holds, decided exactly over random
/// and adversarial points: every kind of generator, every shell of Δ↓ for small N, and a
/// few score vectors with N up to 10⁴.
@Suite struct StatementPropertyTests {
  @Test(arguments: SimplexStatement.allCases)
  func holdsOnAdversarialPoints(_ statement: SimplexStatement) async {
    await seededPropertyCheck(count: 400, input: SimplexGen.scores(maxN: 12)) { scores in
      PaperRun.expectHolds(statement, at: scores)
    }
  }

  /// Every N in 2…7 and every ν in 1…N: points inside the shell A_ν at random depths.
  @Test(arguments: SimplexStatement.allCases)
  func holdsInEveryShell(_ statement: SimplexStatement) async {
    for n in 2...7 {
      for nu in 1...n {
        await seededPropertyCheck(count: 15, input: SimplexGen.shell(nu, dimension: n)) { point in
          #expect(SimplexAnalysis(point: point).retentionCount == nu, "shell generator left A_\(nu)")
          PaperRun.expectHolds(statement, at: point)
        }
      }
    }
  }

  /// Random integer score vectors with N up to 10⁴ (few cases: exact arithmetic at that size).
  @Test(arguments: SimplexStatement.allCases)
  func holdsForLargeN(_ statement: SimplexStatement) async {
    await seededPropertyCheck(count: 3, input: SimplexGen.large(maxN: 10_000)) { scores in
      PaperRun.expectHolds(statement, at: scores)
    }
  }

  /// Statement 1: N_eff, ν and s_eff are the same for a permuted, scaled, sign-flipped copy.
  @Test func invariantUnderPermutationScaleAndSigns() async {
    await seededPropertyCheck(
      count: 300, input: zip(SimplexGen.scores(maxN: 12), SimplexGen.transformParameters)
    ) { scores, parameters in
      let (shift, reverse, scale, flips) = parameters
      let copy = SimplexGen.transform(scores, shift: shift, reverse: reverse, scale: scale, flips: flips)
      let a = SimplexAnalysis(scores: scores), b = SimplexAnalysis(scores: copy)
      #expect(a.effectiveSampleSize == b.effectiveSampleSize)
      #expect(a.retentionCount == b.retentionCount)
      #expect(a.preservedMass == b.preservedMass)
    }
  }

  /// Statement 1, equality cases: N_eff = N exactly at u_N, N_eff = 1 exactly at u_1.
  @Test func rangeIsAttainedAtTheEnds() {
    for n in 1...12 {
      #expect(SimplexAnalysis(point: SimplexPoint.vertex(n, dimension: n)).effectiveSampleSize == Rational(n))
      #expect(SimplexAnalysis(point: SimplexPoint.vertex(1, dimension: n)).effectiveSampleSize == 1)
    }
  }

  /// Statement 2: each shell is nonempty (u_ν ∈ A_ν, N_eff(u_ν) = ν) and the shell
  /// generator reaches both of its ends within 2⁻³⁰.
  @Test func everyShellIsNonempty() {
    for n in 1...12 {
      for nu in 1...n {
        let vertex = SimplexAnalysis(point: SimplexPoint.vertex(nu, dimension: n))
        #expect(vertex.effectiveSampleSize == Rational(nu) && vertex.retentionCount == nu)
      }
    }
  }

  /// Statement 6 at the cut: ties and zeros straddling position ν, any signs.
  @Test func lossChainWithTiesAtTheCut() async {
    await seededPropertyCheck(count: 300, input: SimplexGen.tiesAndZeros(maxN: 9)) { scores in
      PaperRun.expectHolds(.lossChain, at: scores)
    }
  }
}
