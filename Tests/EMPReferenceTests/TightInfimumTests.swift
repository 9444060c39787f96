import Exact
import Testing
import _TestSupport

@testable import EMPReference

/// Checks of T(k, m, N) (Proofs/T-tight-infimum.md) and of Theorem 4.2 against it.
@Suite struct TightInfimumTests {
  /// The reduced formula (three candidates) agrees exactly with the minimum over every
  /// vertex and edge point, for every k and ν and N ≤ 30 (N ≤ 20 unless EMPKIT_DEEP=1).
  @Test func reducedFormulaMatchesAllEdges() {
    let largest = PropertyCheckSettings.isDeep ? 30 : 20
    for n in 1...largest {
      for nu in 1...n {
        for k in 1...n {
          let t = TightInfimum(keeping: k, shell: nu, count: n)
          let all = Oracle.tightInfimumByAllEdges(keeping: k, shell: nu, count: n)
          #expect(t.value == all, "T(\(k), \(nu), \(n)) = \(t.value) but the edge minimum is \(all)")
          #expect(t.point.retainedMass(keeping: k) == t.value)
        }
      }
    }
  }

  /// The full enumeration for N = 30 at k = ν (the theorem's case) runs in every suite.
  @Test func reducedFormulaMatchesAllEdgesAtThirty() {
    for nu in 1...30 {
      let t = TightInfimum(keeping: nu, shell: nu, count: 30)
      #expect(t.value == Oracle.tightInfimumByAllEdges(keeping: nu, shell: nu, count: 30))
    }
  }

  /// The limit point sits on the shell's outer sphere N_eff = ν + 1 (or in the shell when
  /// attained), and attainment happens exactly when ν = N or k = N.
  @Test func extremalPointIsOnTheShellBoundary() {
    for n in 1...12 {
      for nu in 1...n {
        for k in 1...n {
          let t = TightInfimum(keeping: k, shell: nu, count: n)
          #expect(t.isAttained == (nu == n || k == n))
          if !t.isAttained {
            // On the edge [u_1, u_l]: Σω² = λ²(1 − 1/l) + 1/l must equal 1/(ν + 1).
            let w = t.point.weight
            let lambdaSquared = w.exactValue.map { $0 * $0 } ?? w.coefficient * w.coefficient * w.radicand
            let l = Rational(t.point.support)
            #expect(lambdaSquared * (1 - l.reciprocal) + l.reciprocal == Rational(1, nu + 1))
          }
        }
      }
    }
  }

  /// Dense adversarial search for N ≤ 8: no sampled point of the shell keeps less than T,
  /// and a rational point of the shell keeps within 10⁻⁶ of T.
  @Test func denseSearchNeverBeatsTheInfimum() {
    var rng = SeededRandom()
    let tolerance = Rational(1, 1_000_000)
    for n in 2...8 {
      let samples = ShellSamples.points(count: n, using: &rng)
      for nu in 1...n {
        let inShell = samples.filter { Oracle.isInShell($0, shell: nu) }
        for k in 1...n {
          let t = TightInfimum(keeping: k, shell: nu, count: n)
          for omega in inShell {
            let mass = Oracle.retainedMass(omega, keeping: k)
            #expect(Surd(mass) >= t.value, "ω = \(omega) keeps \(mass) < T(\(k), \(nu), \(n)) = \(t.value); \(rng)")
          }
          let witness = t.witness(within: tolerance)
          #expect(Oracle.isInShell(witness, shell: nu), "witness \(witness) is not in A_\(nu)")
          let excess = Oracle.retainedMass(witness, keeping: k) - t.value
          #expect(excess.signum >= 0 && excess <= Surd(tolerance), "witness keeps T + \(excess)")
        }
      }
    }
  }
}
