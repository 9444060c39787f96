import EMPCore
import Exact
import PropertyBased
import Testing
import _TestSupport

@testable import EMPReference

/// EMP over scores `√Q_g`: against `ExactAnalysis` when the scores are rational multiples of
/// one root, and against an oracle built on `SquareFreeCombination` (square-free parts by
/// trial division, signs by refinement) for every `Q`.
@Suite struct SquareRootScoresAnalysisTests {
  static let beta = zip(Gen.int(in: 1...16), Gen.int(in: 1...8)).map { Rational($0, $1) }
  static let roots = Gen.int(in: 0...40).array(of: 1...10)
  static let nonSquareFactor = Gen.int(in: 0...6).map { [2, 3, 5, 6, 7, 12, 50][$0] }
  /// `Q_g` of mixed shapes: random small integers (many classes), or `r²·m` with `m` from a
  /// few classes (so classes repeat and `N_eff` is sometimes rational).
  static let squares = zip(Gen.int(in: 0...300).array(of: 1...10), Gen.int(in: 0...6).array(of: 10), Gen.bool).map {
    raw, picks, structured -> [BigInteger] in
    guard structured else { return raw.map { BigInteger($0) } }
    return raw.indices.map { g in BigInteger((raw[g] % 7) * (raw[g] % 7) * [1, 2, 3, 2, 6, 2, 1][picks[g]]) }
  }

  /// (a) Perfect squares `Q_g = r_g²`: every field equals `ExactAnalysis` of the `r_g`.
  @Test func perfectSquaresMatchExactAnalysis() async {
    await seededPropertyCheck(count: 300, input: zip(Self.roots, Self.beta)) { r, beta in
      guard r.contains(where: { $0 != 0 }) else { return }
      let analysis = try SquareRootScoresAnalysis(squares: r.map { BigInteger($0 * $0) }, beta: beta)
      try Self.expectSame(analysis, ExactAnalysis(scores: r.map { Rational($0) }, beta: beta))
    }
  }

  /// (b) One non-square class, `Q_g = c·r_g²`: `N_eff` is rational and every field equals
  /// `ExactAnalysis` of the `r_g`.
  @Test func oneNonSquareClassMatchesExactAnalysis() async {
    await seededPropertyCheck(count: 300, input: zip(Self.roots, Self.beta, Self.nonSquareFactor)) { r, beta, c in
      guard r.contains(where: { $0 != 0 }) else { return }
      let analysis = try SquareRootScoresAnalysis(squares: r.map { BigInteger(c * $0 * $0) }, beta: beta)
      try Self.expectSame(analysis, ExactAnalysis(scores: r.map { Rational($0) }, beta: beta))
    }
  }

  static func expectSame(_ analysis: SquareRootScoresAnalysis, _ exact: ExactAnalysis) {
    #expect(analysis.count == exact.count && analysis.beta == exact.beta)
    #expect(analysis.exactEffectiveSampleSize == exact.effectiveSampleSize)
    #expect(analysis.retentionCount == exact.retentionCount)
    #expect(analysis.shell == exact.shell)
    #expect(analysis.keptIndices == exact.keptIndices)
    #expect(analysis.exactPreservedMass == exact.preservedMass)
    #expect(analysis.effectiveSampleSize(bits: 10) == Enclosure(exactly: exact.effectiveSampleSize))
    #expect(analysis.preservedMass(bits: 10) == Enclosure(exactly: exact.preservedMass))
    if let bound = exact.paperBound {
      #expect(analysis.comparePreservedMass(to: bound.bound) == bound.margin.signum)
    }
    #expect(analysis.comparePreservedMass(to: exact.tightInfimum.value) == exact.tightMargin.signum)
  }

  /// (c) Random `Q` against the oracle: `N_eff` rational iff one square class, `ν` and the
  /// shell by the definition, `π`, the enclosures, the exact `s_eff` iff rational, and the
  /// comparisons with `B`, `T`, `s_eff`'s own enclosure ends and random `p + q·√r`.
  @Test func randomSquaresMatchTheOracle() async {
    let part = zip(Gen.int(in: -6...6), Gen.int(in: 1...6)).map { Rational($0, $1) }
    let radicand = zip(Gen.int(in: 0...20), Gen.int(in: 1...6)).map { Rational($0, $1) }
    let input = zip(Self.squares, Self.beta, Gen.int(in: 0...80), part, part, radicand)
    await seededPropertyCheck(count: 300, input: input) { squares, beta, bits, p, q, r in
      guard squares.contains(where: { !$0.isZero }) else { return }
      let analysis = try SquareRootScoresAnalysis(squares: squares, beta: beta)
      let oracle = Oracle(squares: squares, beta: beta)
      #expect(analysis.count == squares.count && analysis.beta == beta)
      #expect(analysis.exactEffectiveSampleSize == oracle.exactEffectiveSampleSize, "\(squares)")
      #expect(analysis.retentionCount == oracle.retentionCount, "\(squares), β = \(beta)")
      #expect(analysis.shell == oracle.shell, "\(squares)")
      #expect(analysis.keptIndices == oracle.kept, "\(squares), β = \(beta)")
      #expect(analysis.exactPreservedMass == oracle.exactPreservedMass, "\(squares), β = \(beta)")
      oracle.expectEncloses(analysis.effectiveSampleSize(bits: bits), analysis.preservedMass(bits: bits), bits: bits)

      var bounds = [Surd(p, plus: q, timesSquareRootOf: r), analysis.tightInfimumBound]
      if squares.count >= 2 {
        bounds.append(PaperBound.value(count: squares.count, retentionCount: analysis.retentionCount))
      }
      let mass = analysis.preservedMass(bits: 20)
      bounds += [Surd(mass.lowerBound), Surd(mass.upperBound)]
      for bound in bounds {
        #expect(analysis.comparePreservedMass(to: bound) == oracle.signOfPreservedMass(minus: bound), "\(squares) vs \(bound)")
      }
    }
  }

  /// (d) Non-square `Q` in one class with `β·N_eff` exactly an integer: `ν` is that integer,
  /// and one below when `β` is a hair smaller.
  @Test func integerProductInTheRationalCase() throws {
    let hair = Rational(numerator: 1, denominator: BigInteger(10).power(30))
    // Q = (2, 2): N_eff = (2√2)²/4 = 2.
    let pair = try SquareRootScoresAnalysis(squares: [2, 2])
    #expect(pair.exactEffectiveSampleSize == 2 && pair.retentionCount == 2 && pair.shell == 2)
    #expect(try SquareRootScoresAnalysis(squares: [2, 2], beta: 1 - hair).retentionCount == 1)
    // Q = (18, 8, 2, 0): S = 6√2, T = 28, N_eff = 18/7; β = 7/6 gives exactly 3.
    let squares: [BigInteger] = [18, 8, 2, 0]
    let exact = try SquareRootScoresAnalysis(squares: squares, beta: Rational(7, 6))
    #expect(exact.exactEffectiveSampleSize == Rational(18, 7))
    #expect(exact.retentionCount == 3 && exact.shell == 2 && exact.keptIndices == [0, 1, 2])
    #expect(exact.exactPreservedMass == 1)
    let below = try SquareRootScoresAnalysis(squares: squares, beta: Rational(7, 6) - hair)
    #expect(below.retentionCount == 2 && below.keptIndices == [0, 1])
    #expect(below.exactPreservedMass == Rational(5, 6))
  }

  /// Irrational `N_eff` with `β·N_eff` within 2⁻²⁹⁰ of an integer, from both sides:
  /// `Q = (2, 3)` has `2/N_eff = 50 − 20√6`, and `Q = (2, 3, 5, 7, 11, 13)` is bracketed at
  /// `k = 2, …, 5` from enclosures of `Σ√Q`.
  @Test func nearIntegerProductsInTheIrrationalCase() throws {
    let threshold = Surd(50, plus: -20, timesSquareRootOf: 6).enclosure(bits: 300)
    let low = try SquareRootScoresAnalysis(squares: [2, 3], beta: threshold.lowerBound)
    let high = try SquareRootScoresAnalysis(squares: [2, 3], beta: threshold.upperBound)
    #expect(low.exactEffectiveSampleSize == nil && low.shell == 1)
    #expect(low.retentionCount == 1 && low.keptIndices == [1])
    #expect(high.retentionCount == 2 && high.keptIndices == [0, 1] && high.exactPreservedMass == 1)

    let squares: [BigInteger] = [2, 3, 5, 7, 11, 13]
    let total = Rational(squares.reduce(BigInteger.zero, +))
    let (sumLow, sumHigh) = Oracle.rootSumBounds(squares, bits: 300)
    for k in 2...5 {
      // k·T/hi² < k/N_eff < k·T/lo².
      let below = try SquareRootScoresAnalysis(squares: squares, beta: Rational(k) * total / (sumHigh * sumHigh))
      let above = try SquareRootScoresAnalysis(squares: squares, beta: Rational(k) * total / (sumLow * sumLow))
      #expect(below.retentionCount == k - 1 && above.retentionCount == k, "k = \(k)")
    }
  }

  /// For random `Q` and `k ∈ [1, N]`: at `β = k/N_eff` (rational case) `ν = k`, and `k − 1`
  /// (at least 1) a hair below; in the irrational case `β` just below and just above `k/N_eff`
  /// (from 200-bit enclosures of `Σ√Q`) give `k − 1` and `k`.
  @Test func productsAtAndNearEveryInteger() async {
    await seededPropertyCheck(count: 200, input: zip(Self.squares, Gen.int(in: 1...10))) { squares, pick in
      guard squares.contains(where: { !$0.isZero }) else { return }
      let k = (pick - 1) % squares.count + 1
      let total = Rational(squares.reduce(BigInteger.zero, +))
      let (betaBelow, betaAt): (Rational, Rational)
      if let neff = try SquareRootScoresAnalysis(squares: squares).exactEffectiveSampleSize {
        betaAt = Rational(k) / neff
        betaBelow = betaAt * (1 - Rational(1).timesPowerOfTwo(-100))
      } else {
        let (sumLow, sumHigh) = Oracle.rootSumBounds(squares, bits: 200)
        betaBelow = Rational(k) * total / (sumHigh * sumHigh)
        betaAt = Rational(k) * total / (sumLow * sumLow)
      }
      #expect(try SquareRootScoresAnalysis(squares: squares, beta: betaAt).retentionCount == k, "\(squares), k = \(k)")
      #expect(try SquareRootScoresAnalysis(squares: squares, beta: betaBelow).retentionCount == max(1, k - 1), "\(squares), k = \(k)")
    }
  }

  /// `s_eff` can be rational while `N_eff` is not: `Q = (18, 27, 2, 3)`, `S = 4√2 + 4√3`,
  /// and at `β = 2/3`, `ν = 2` keeps `3√3 + 3√2`, so `s_eff = 3/4`.
  @Test func rationalPreservedMassWithIrrationalEffectiveSize() throws {
    let analysis = try SquareRootScoresAnalysis(squares: [18, 27, 2, 3], beta: Rational(2, 3))
    #expect(analysis.exactEffectiveSampleSize == nil)
    #expect(analysis.retentionCount == 2 && analysis.keptIndices == [0, 1] && analysis.shell == 3)
    #expect(analysis.exactPreservedMass == Rational(3, 4))
    #expect(analysis.comparePreservedMass(to: Surd(Rational(3, 4))) == 0)
    // At β = 1, ν = 3 keeps 3√3 + 3√2 + √3: irrational.
    #expect(try SquareRootScoresAnalysis(squares: [18, 27, 2, 3]).exactPreservedMass == nil)
  }

  /// An irrational `s_eff` equal to a surd: `Q = (2, 1)`, `s_eff = √2/(√2 + 1) = 2 − √2`.
  @Test func preservedMassEqualToASurd() throws {
    let analysis = try SquareRootScoresAnalysis(squares: [2, 1])
    #expect(analysis.retentionCount == 1 && analysis.exactPreservedMass == nil)
    let value = Surd(2, plus: -1, timesSquareRootOf: 2)
    #expect(analysis.comparePreservedMass(to: value) == 0)
    #expect(analysis.comparePreservedMass(to: value + Rational(1).timesPowerOfTwo(-200)) == -1)
    #expect(analysis.comparePreservedMass(to: value - Rational(1).timesPowerOfTwo(-200)) == 1)
    let mass = analysis.preservedMass(bits: 60)
    #expect(Surd(mass.lowerBound) <= value && value <= Surd(mass.upperBound))
  }

  /// Thousands of groups of large `Q_g = r_g²·m_g` (`m_g` from a few classes, `r_g < 2⁴⁰`):
  /// `ν`, the shell, `π` and the enclosures against the oracle.
  @Test func thousandsOfGroups() throws {
    var rng = SeededRandom()
    let classes = [1, 2, 3, 5, 6, 7, 10, 11]
    let squares = (0..<3000).map { _ -> BigInteger in
      let r = BigInteger(UInt64.random(in: 0..<(1 << 40), using: &rng))
      return r * r * BigInteger(classes[Int.random(in: 0..<classes.count, using: &rng)])
    }
    for beta in [Rational(1), Rational(1, 3), Rational(5, 2)] {
      let analysis = try SquareRootScoresAnalysis(squares: squares, beta: beta)
      let oracle = Oracle(squares: squares, beta: beta)
      #expect(analysis.exactEffectiveSampleSize == nil)
      #expect(analysis.retentionCount == oracle.retentionCount && analysis.shell == oracle.shell, "\(rng)")
      #expect(analysis.keptIndices == oracle.kept, "\(rng)")
      oracle.expectEncloses(analysis.effectiveSampleSize(bits: 40), analysis.preservedMass(bits: 40), bits: 40)
    }
  }

  /// (e) The input errors, β checked first as in `ExactAnalysis`.
  @Test func badInputIsATypedError() {
    #expect(throws: EMPInputError.empty) { try SquareRootScoresAnalysis(squares: []) }
    #expect(throws: EMPInputError.allZero) { try SquareRootScoresAnalysis(squares: [0, 0, 0]) }
    #expect(throws: EMPInputError.nonPositiveBeta("0")) { try SquareRootScoresAnalysis(squares: [1], beta: 0) }
    #expect(throws: EMPInputError.nonPositiveBeta("-1/2")) { try SquareRootScoresAnalysis(squares: [], beta: Rational(-1, 2)) }
  }

  /// One group: `N_eff = 1`, `ν = 1`, everything kept.
  @Test func singleGroup() throws {
    let analysis = try SquareRootScoresAnalysis(squares: [7], beta: 5)
    #expect(analysis.exactEffectiveSampleSize == 1 && analysis.retentionCount == 1 && analysis.shell == 1)
    #expect(analysis.keptIndices == [0] && analysis.exactPreservedMass == 1)
  }
}

extension SquareRootScoresAnalysis {
  /// `T(ν, m, N)` for this analysis.
  fileprivate var tightInfimumBound: Surd { TightInfimum(keeping: retentionCount, shell: shell, count: count).value }
}

extension SquareRootScoresAnalysisTests {
  /// EMP of the scores `√Q_g` from the definitions, with sums of roots in normal form.
  struct Oracle {
    let squares: [BigInteger]
    /// `S = Σ√Q_g` and `K = Σ_{g∈π}√Q_g` in normal form.
    let rootSum: SquareFreeCombination
    let keptRootSum: SquareFreeCombination
    /// `T = ΣQ_g`.
    let total: Rational
    let retentionCount: Int
    let shell: Int
    let kept: [Int]

    init(squares: [BigInteger], beta: Rational) {
      self.squares = squares
      rootSum = squares.reduce(SquareFreeCombination()) { $0 + Self.root($1) }
      total = Rational(squares.reduce(BigInteger.zero, +))
      retentionCount = Self.count(beta: beta, rootSum: rootSum, total: total, n: squares.count)
      shell = Self.count(beta: 1, rootSum: rootSum, total: total, n: squares.count)
      kept = Self.largest(retentionCount, of: squares)
      keptRootSum = kept.reduce(SquareFreeCombination()) { $0 + Self.root(squares[$1]) }
    }

    /// `√Q` in normal form; large `Q` are `r²·m` with `m ≤ 11` square-free (the tests' only
    /// large ones), found by dividing out `m` and checking the square.
    static func root(_ square: BigInteger) -> SquareFreeCombination {
      if square.isZero { return SquareFreeCombination() }
      if let small = square.intValue, small < 1 << 40 {
        return SquareFreeCombination(1, squareRootOf: Rational(square))
      }
      for m in [1, 2, 3, 5, 6, 7, 10, 11] where (square % BigInteger(m)).isZero {
        let rest = square / BigInteger(m)
        let r = rest.squareRootFloor()
        if r * r == rest {
          var root = SquareFreeCombination()
          root.add(Rational(r), squareFree: BigInteger(m))
          return root
        }
      }
      preconditionFailure("Oracle: \(square) is not r²·m with a known m")
    }

    /// `ν = max{k ∈ [1, N] : k = 1 or β·S² ≥ k·T}`, by bisection on the exact sign of
    /// `β·S² − k·T` (it falls as k grows).
    static func count(beta: Rational, rootSum: SquareFreeCombination, total: Rational, n: Int) -> Int {
      let scaledSquare = beta * (rootSum * rootSum)
      func reaches(_ k: Int) -> Bool { (scaledSquare - SquareFreeCombination(Rational(k) * total)).signum >= 0 }
      var (low, high) = (1, n)  // reaches(low) or low = 1; the answer is in [low, high]
      while low < high {
        let mid = (low + high + 1) / 2
        if reaches(mid) { low = mid } else { high = mid - 1 }
      }
      return low
    }

    /// The `k` largest, ties to the lowest index, by repeated selection (ascending).
    static func largest(_ k: Int, of squares: [BigInteger]) -> [Int] {
      if squares.count > 64 {
        return Array(squares.indices.sorted { squares[$0] > squares[$1] || (squares[$0] == squares[$1] && $0 < $1) }.prefix(k)).sorted()
      }
      var chosen: [Int] = []
      for _ in 0..<k {
        // Among the indices left, the largest square; `max(by:)` ranks a lower index higher on ties.
        let left = squares.indices.filter { !chosen.contains($0) }
        guard let best = left.max(by: { squares[$0] < squares[$1] || (squares[$0] == squares[$1] && $0 > $1) }) else { break }
        chosen.append(best)
      }
      return chosen.sorted()
    }

    /// `N_eff = C²·m/T` when `S = C·√m` has one class, else `nil`.
    var exactEffectiveSampleSize: Rational? {
      guard rootSum.coefficients.count == 1, let only = rootSum.coefficients.first else { return nil }
      return only.value * only.value * Rational(only.key) / total
    }

    /// `K/S` when `K`'s coefficients are proportional to `S`'s, else `nil`.
    var exactPreservedMass: Rational? {
      guard let some = rootSum.coefficients.first else { return nil }
      let ratio = (keptRootSum.coefficients[some.key] ?? .zero) / some.value
      return (keptRootSum - ratio * rootSum).signum == 0 ? ratio : nil
    }

    /// The sign of `s_eff − bound`, as that of `K − S·bound` (`S > 0`).
    func signOfPreservedMass(minus bound: Surd) -> Int {
      let value = SquareFreeCombination(bound.rational) + SquareFreeCombination(bound.coefficient, squareRootOf: bound.radicand)
      return (keptRootSum - value * rootSum).signum
    }

    /// Both enclosures hold the exact values and are at most `2^−bits` wide.
    func expectEncloses(_ neff: Enclosure<Rational>, _ mass: Enclosure<Rational>, bits: Int) {
      let width = Rational(1).timesPowerOfTwo(-bits)
      let square = rootSum * rootSum
      #expect((square - SquareFreeCombination(neff.lowerBound * total)).signum >= 0)
      #expect((SquareFreeCombination(neff.upperBound * total) - square).signum >= 0)
      #expect(neff.upperBound - neff.lowerBound <= width)
      #expect((keptRootSum - mass.lowerBound * rootSum).signum >= 0)
      #expect((mass.upperBound * rootSum - keptRootSum).signum >= 0)
      #expect(mass.upperBound - mass.lowerBound <= width)
    }

    /// `Σ⌊√(Q·4^bits)⌋/2^bits ≤ Σ√Q ≤ Σ(⌊√(Q·4^bits)⌋ + 1)/2^bits`.
    static func rootSumBounds(_ squares: [BigInteger], bits: Int) -> (Rational, Rational) {
      let floors = squares.map { ($0.shifted(by: 2 * bits)).squareRootFloor() }
      let low = Rational(floors.reduce(BigInteger.zero, +)).timesPowerOfTwo(-bits)
      return (low, low + Rational(squares.count).timesPowerOfTwo(-bits))
    }
  }
}
