import EMPCore
import Exact
import PropertyBased
import Testing
import _TestSupport

/// N_eff, ν = ⌊β·N_eff⌋ with its clamps, and the tie rule (Proofs/definitions.md).
@Suite struct EMPDefinitionTests {
  @Test func effectiveSampleSizeIsTheSquaredSumOverTheSumOfSquares() {
    // Scores (3, 2, 0): Σ|s| = 5, Σs² = 13.
    #expect(EMPDefinition.effectiveSampleSize(absoluteSum: 5, sumOfSquares: 13) == Rational(25, 13))
    // N equal magnitudes: N_eff = N; one nonzero score: N_eff = 1.
    #expect(EMPDefinition.effectiveSampleSize(absoluteSum: 7, sumOfSquares: 7) == 7)
    #expect(EMPDefinition.effectiveSampleSize(absoluteSum: Rational(1, 3), sumOfSquares: Rational(1, 9)) == 1)
  }

  static func nu(_ neff: Rational, _ beta: Rational, _ count: Int) -> Int {
    EMPDefinition.retentionCount(effectiveSampleSize: neff, beta: beta, count: count)
  }

  @Test func retentionCountIsTheFloorOfBetaTimesTheEffectiveSampleSize() {
    #expect(Self.nu(Rational(25, 13), 1, 3) == 1)
    #expect(Self.nu(3, 1, 5) == 3)  // an integer N_eff is its own floor
    #expect(Self.nu(Rational(3) - Rational(1, 1 << 40), 1, 5) == 2)  // just below an integer
    #expect(Self.nu(Rational(7, 2), Rational(1, 2), 10) == 1)  // ⌊7/4⌋
    #expect(Self.nu(Rational(7, 2), Rational(3, 2), 10) == 5)  // ⌊21/4⌋
    #expect(Self.nu(Rational(5, 2), Rational(2, 5), 4) == 1)  // β·N_eff = 1 exactly
  }

  @Test func retentionCountIsClampedToOneAndToTheCount() {
    #expect(Self.nu(1, Rational(1, 2), 4) == 1)  // ⌊1/2⌋ = 0 keeps one score
    #expect(Self.nu(Rational(3, 2), Rational(1, 1000), 8) == 1)
    #expect(Self.nu(4, 2, 4) == 4)  // ⌊8⌋ > N keeps all N
    #expect(Self.nu(4, Rational(5, 4), 4) == 4)
    #expect(Self.nu(1, 1, 1) == 1)
    // A floor far beyond Int is clamped before it is converted.
    let huge = Rational(1).timesPowerOfTwo(200)
    #expect(Self.nu(huge, 1, 7) == 7)
  }

  /// ν is the clamp of ⌊β·N_eff⌋ to [1, count], checked without `floor`: ν ≤ β·N_eff < ν + 1
  /// unless a clamp applies.
  @Test func retentionCountIsTheClampedFloorOnRandomInputs() async {
    let input = zip(
      Gen.int(in: 1...2000), Gen.int(in: 1...200), Gen.int(in: 1...20), Gen.int(in: 1...20), Gen.int(in: 1...200))
    await seededPropertyCheck(count: 500, input: input) { p, q, a, b, count in
      let neff = Rational(p, q), beta = Rational(a, b)
      let nu = Self.nu(neff, beta, count)
      let x = beta * neff
      #expect(1 <= nu && nu <= count)
      #expect(nu == 1 || Rational(nu) <= x, "ν = \(nu) > β·N_eff = \(x)")
      #expect(nu == count || x < Rational(nu + 1), "β·N_eff = \(x) ≥ ν + 1 = \(nu + 1), count \(count)")
    }
  }

  @Test func precedesPutsLargerMagnitudesFirstAndTiesByLowerIndex() {
    #expect(EMPDefinition.precedes(5, 3.0, 0, 2.0))
    #expect(!EMPDefinition.precedes(0, 2.0, 5, 3.0))
    #expect(EMPDefinition.precedes(1, 2.0, 4, 2.0))
    #expect(!EMPDefinition.precedes(4, 2.0, 1, 2.0))
    #expect(!EMPDefinition.precedes(3, 2.0, 3, 2.0))
    // Sorting by it: magnitudes (1, 3, 3, 2, 0, 3) keep indices 1, 2, 5, then 3, 0, 4.
    let magnitudes: [Rational] = [1, 3, 3, 2, 0, 3]
    let order = magnitudes.indices.sorted { EMPDefinition.precedes($0, magnitudes[$0], $1, magnitudes[$1]) }
    #expect(order == [1, 2, 5, 3, 0, 4])
  }

  /// On distinct indices exactly one of two scores precedes the other, and the order is
  /// transitive: it is a strict total order, so every sort gives the same kept set.
  @Test func precedesIsAStrictTotalOrder() async {
    await seededPropertyCheck(count: 300, input: Gen.int(in: 0...3).array(of: 3...12)) { magnitudes in
      let n = magnitudes.count
      func p(_ i: Int, _ j: Int) -> Bool { EMPDefinition.precedes(i, magnitudes[i], j, magnitudes[j]) }
      for i in 0..<n {
        #expect(!p(i, i))
        for j in 0..<n where j != i {
          #expect(p(i, j) != p(j, i), "indices \(i), \(j) of \(magnitudes)")
          for k in 0..<n where p(i, j) && p(j, k) {
            #expect(p(i, k), "indices \(i), \(j), \(k) of \(magnitudes)")
          }
        }
      }
    }
  }
}
