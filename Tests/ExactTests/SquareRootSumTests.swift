import Exact
import PropertyBased
import Testing
import _TestSupport

/// Exact signs and enclosures of `Σ c_i·√x_i`, against `SquareFreeCombination` (radicands
/// factored by trial division, equal square-free parts merged, signs by refinement).
@Suite struct SquareRootSumTests {
  typealias Term = (coefficient: Rational, radicand: Rational)

  /// Square-free integers; products of two of them share factors, so classes meet.
  static let squareFrees = [1, 2, 3, 5, 6, 7, 10, 11, 13, 14, 15, 21, 30, 105]

  /// A term: a small rational coefficient times `√((a/b)²·m)` (same classes often) or the
  /// root of a random small rational.
  static let term = zip(
    Gen.int(in: -12...12), Gen.int(in: 1...6), Gen.int(in: 0...(squareFrees.count - 1)), Gen.int(in: 0...9), Gen.int(in: 1...5),
    Gen.int(in: 0...3)
  ).map { num, den, classIndex, a, b, shape -> Term in
    let (coefficient, m) = (Rational(num, den), squareFrees[classIndex])
    if shape == 0 { return (coefficient, Rational(a * a + m, b)) }
    return (coefficient, Rational(a * a * m, b * b))
  }
  static let terms = term.array(of: 0...12)

  static func oracle(_ terms: [Term]) -> SquareFreeCombination {
    terms.reduce(SquareFreeCombination()) { $0 + SquareFreeCombination($1.coefficient, squareRootOf: $1.radicand) }
  }

  static func root(_ radicand: Int, times coefficient: Rational = 1) -> SquareRootSum {
    SquareRootSum(terms: [(coefficient, Rational(radicand))])
  }

  /// Sums that are zero although no two of their radicands are equal.
  @Test func knownZeroSums() {
    let zeros: [SquareRootSum] = [
      Self.root(8) - Self.root(2, times: 2),
      Self.root(18) - Self.root(2) - Self.root(8),
      SquareRootSum(terms: [(1, Rational(1, 2)), (Rational(-1, 2), 2)]),
      SquareRootSum(terms: [(3, Rational(2, 9)), (-1, 2)]),
      Self.root(12) + Self.root(27) - Self.root(75),
      Self.root(4) - SquareRootSum(2),
      Self.root(6) - Self.root(2).timesSquareRoot(of: 3),
      Surd(0, plus: 1, timesSquareRootOf: 2) * Self.root(2) - SquareRootSum(2),
    ]
    for sum in zeros {
      #expect(sum.signum == 0)
      #expect(sum == .zero)
      #expect((Rational(-5, 3) * sum).signum == 0)
      #expect(sum.enclosure(bits: 40).contains(0))
    }
  }

  /// Sums whose sign is known, some of them within 10⁻¹⁵ of zero.
  @Test func knownSigns() {
    // √2 + √3 = √(5 + 2√6) ≈ √9.899 < √10.
    #expect((Self.root(2) + Self.root(3) - Self.root(10)).signum == -1)
    #expect((Self.root(2) + Self.root(3) - Self.root(9)).signum == 1)
    let below = Rational(numerator: BigInteger(1_414_213_562_373_095), denominator: BigInteger(1_000_000_000_000_000))
    #expect((Self.root(2) - SquareRootSum(below)).signum == 1)
    #expect((Self.root(2) - SquareRootSum(below + Rational(1, 1_000_000_000_000_000))).signum == -1)
    #expect(Self.root(3) > Self.root(2) && Self.root(2) < Self.root(3))
    #expect(SquareRootSum().signum == 0 && SquareRootSum(Rational(-1, 7)).signum == -1)
  }

  /// A zero sum plus `±2^−e·√m'` has the sign of the perturbation, even far below the
  /// precision at which the sum is tested for zero, and with terms of very different sizes.
  @Test func perturbedZeroSums() {
    let two200 = Rational(BigInteger(1).shifted(by: 200))
    let zero = SquareRootSum(terms: [(1, two200 * two200 * 2), (-two200, 2), (1, 18), (-3, 2), (Rational(1, 7), 5)])
      - Self.root(5, times: Rational(1, 7))
    #expect(zero.signum == 0)
    for exponent in [1, 100, 300, 700, 1500] {
      for m in [1, 3] {
        let tiny = Rational(1).timesPowerOfTwo(-exponent)
        #expect((zero + Self.root(m, times: tiny)).signum == 1, "2^-\(exponent)·√\(m)")
        #expect((zero - Self.root(m, times: tiny)).signum == -1, "-2^-\(exponent)·√\(m)")
      }
    }
  }

  @Test func signMatchesTheOracle() async {
    await seededPropertyCheck(count: 400, input: Self.terms) { terms in
      let sum = SquareRootSum(terms: terms)
      let expected = Self.oracle(terms).signum
      #expect(sum.signum == expected, "\(terms)")
      #expect((-sum).signum == -expected)
    }
  }

  /// Every random sum is completed to zero by terms that cancel each square class, written
  /// with other radicands and mixed into the list; then a small perturbation decides the sign.
  @Test func cancellation() async {
    let input = zip(Self.terms, Gen.int(in: 2...5), Gen.uint64(), Gen.int(in: -1...1), Gen.int(in: 1...400))
    await seededPropertyCheck(count: 300, input: input) { terms, scale, seed, perturbationSign, exponent in
      var completed = terms
      for (m, c) in Self.oracle(terms).coefficients {
        // −C·√m = (−C/k)·√(k²·m).
        completed.append((-c / Rational(scale), Rational(scale * scale) * Rational(m)))
      }
      var rng = PropertyCheckSettings.generator(seed: seed)
      completed.shuffle(using: &rng)
      #expect(SquareRootSum(terms: completed).signum == 0, "\(completed)")
      let perturbation = Rational(perturbationSign).timesPowerOfTwo(-exponent)
      completed.append((perturbation, 7))
      #expect(SquareRootSum(terms: completed).signum == perturbationSign, "\(completed)")
    }
  }

  /// `enclosure(bits:)` contains the value and is at most `2^−bits` wide; it is exact when
  /// the value is rational because every term is.
  @Test func enclosures() async {
    await seededPropertyCheck(count: 200, input: zip(Self.terms, Gen.int(in: 0...160))) { terms, bits in
      let enclosure = SquareRootSum(terms: terms).enclosure(bits: bits)
      let value = Self.oracle(terms)
      #expect((value - SquareFreeCombination(enclosure.lowerBound)).signum >= 0, "\(terms)")
      #expect((SquareFreeCombination(enclosure.upperBound) - value).signum >= 0, "\(terms)")
      #expect(enclosure.upperBound - enclosure.lowerBound <= Rational(1).timesPowerOfTwo(-bits))
      if terms.allSatisfy({ $0.coefficient.isZero || SquareFreeCombination(1, squareRootOf: $0.radicand).isRational }) {
        #expect(enclosure.isExact)
      }
    }
  }

  /// Scalar products, products with `√c` and with `p + q·√r`, against the expanded oracle.
  @Test func products() async {
    let part = zip(Gen.int(in: -9...9), Gen.int(in: 1...4)).map { Rational($0, $1) }
    let radicand = zip(Gen.int(in: 0...30), Gen.int(in: 1...4)).map { Rational($0, $1) }
    await seededPropertyCheck(count: 200, input: zip(Self.terms, Self.terms, part, part, radicand)) { a, b, p, q, r in
      let (x, y) = (SquareRootSum(terms: a), SquareRootSum(terms: b))
      let (ox, oy) = (Self.oracle(a), Self.oracle(b))
      let surd = Surd(p, plus: q, timesSquareRootOf: r)
      let oracleSurd = SquareFreeCombination(p) + SquareFreeCombination(q, squareRootOf: r)
      #expect((p * x - y).signum == (p * ox - oy).signum)
      #expect((x.timesSquareRoot(of: r) + y).signum == (SquareFreeCombination(1, squareRootOf: r) * ox + oy).signum)
      #expect((surd * x - y).signum == (oracleSurd * ox - oy).signum)
      #expect(SquareRootSum(surd).signum == surd.signum)
    }
  }

  /// Thousands of terms: every square-free class up to 4000 twice, once as `f·√m` and once as
  /// `−√(f²·m)`, in another order; zero, and the sign of a perturbation of one class.
  @Test func thousandsOfTerms() {
    let classes = (1...4000).filter { n in (2...63).allSatisfy { n % ($0 * $0) != 0 } }
    var sum = SquareRootSum()
    for (index, m) in classes.enumerated() { sum.add(Rational(index % 7 + 1), timesSquareRootOf: Rational(m)) }
    for (index, m) in classes.enumerated().reversed() {
      let f = index % 7 + 1
      sum.add(-1, timesSquareRootOf: Rational(f * f * m))
    }
    #expect(classes.count > 2000)
    #expect(sum.signum == 0)
    for exponent in [90, 400] {
      let nudge = Rational(1).timesPowerOfTwo(-exponent)
      #expect((sum + Self.root(classes[1000], times: nudge)).signum == 1)
      #expect((sum - Self.root(classes[1000], times: nudge)).signum == -1)
    }
  }

  /// Integers of distinct classes that agree modulo 8 and every odd prime up to 47 (so a
  /// class test that only compared residues would merge them) are still told apart.
  @Test func classesThatAgreeModuloSmallPrimes() {
    let modulus = [8, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47].reduce(BigInteger(1)) { $0 * BigInteger($1) }
    let (p, q) = (BigInteger(53), BigInteger(53) + modulus)
    let sqrtP = SquareRootSum(terms: [(1, Rational(p))])
    let sqrtQ = SquareRootSum(terms: [(1, Rational(q))])
    #expect((sqrtP - sqrtQ).signum == -1)
    #expect((sqrtP + sqrtQ - sqrtP - sqrtQ).signum == 0)
    // 2√p + 3√q − √(4p) − √(9q) = 0; with √(p·q) in place of √(9q) it is √q·(3 − √53) < 0.
    let twice = SquareRootSum(terms: [(2, Rational(p)), (3, Rational(q)), (-1, Rational(4 * p)), (-1, Rational(9 * q))])
    #expect(twice.signum == 0)
    let mixed = SquareRootSum(terms: [(2, Rational(p)), (3, Rational(q)), (-1, Rational(4 * p)), (-1, Rational(p * q))])
    #expect(mixed.signum == -1)
  }
}
