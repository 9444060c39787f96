import Exact
import PropertyBased
import Testing

@testable import EMPReference

/// Exact signs and comparisons of `p + q·√r`, against interval refinement.
@Suite struct SurdTests {
  static let part = zip(Gen.int(in: -30...30), Gen.int(in: 1...12)).map { Rational($0, $1) }
  static let radicand = zip(Gen.int(in: 0...50), Gen.int(in: 1...12)).map { Rational($0, $1) }

  @Test func signMatchesIntervalRefinement() async {
    await propertyCheck(count: 500, input: Self.part, Self.part, Self.radicand) { p, q, r in
      #expect(Surd(p, plus: q, timesSquareRootOf: r).signum == Oracle.sign(p, q, r), "\(p) + \(q)√\(r)")
    }
  }

  /// Comparisons across two radicands agree with the sign of the difference, refined on
  /// both roots separately.
  @Test func comparisonMatchesIntervalRefinement() async {
    await propertyCheck(count: 500, input: Self.part, Self.part, Self.radicand, Self.part, Self.radicand) {
      p, q1, r1, q2, r2 in
      let x = Surd(p, plus: q1, timesSquareRootOf: r1)
      let y = Surd(0, plus: q2, timesSquareRootOf: r2)
      #expect(Surd.compare(x, y) == Self.signOfDifference(p, q1, r1, q2, r2))
      #expect(Surd.compare(y, x) == -Surd.compare(x, y))
    }
  }

  /// Near-ties: √2 against rational approximations from both sides, and equal numbers
  /// written differently.
  @Test func nearTiesAndEqualRepresentations() {
    let root2 = Surd(0, plus: 1, timesSquareRootOf: 2)
    let below = Rational(numerator: BigInteger(1_414_213_562_373_095), denominator: BigInteger(1_000_000_000_000_000))
    #expect(Surd(below) < root2)
    #expect(Surd(below + Rational(numerator: 1, denominator: BigInteger(1_000_000_000_000_000))) > root2)
    #expect(Surd(0, plus: 2, timesSquareRootOf: 2) == Surd(0, plus: 1, timesSquareRootOf: 8))
    #expect(Surd(1, plus: 3, timesSquareRootOf: Rational(4, 9)) == Surd(3))
    #expect(Surd(0, plus: 1, timesSquareRootOf: 3) > Surd(0, plus: 1, timesSquareRootOf: 2))
  }

  /// Enclosures contain the value, have the promised width, and give correctly rounded digits.
  @Test func enclosuresAndDecimals() async {
    await propertyCheck(count: 200, input: Self.part, Self.part, Self.radicand, Gen.int(in: 0...200)) { p, q, r, bits in
      let x = Surd(p, plus: q, timesSquareRootOf: r)
      let (lower, upper) = x.enclosure(bits: bits)
      #expect(Surd(lower) <= x && x <= Surd(upper))
      #expect(upper - lower <= Rational(1).timesPowerOfTwo(-bits))
    }
    #expect(Surd(0, plus: 1, timesSquareRootOf: 2).decimalString(significantDigits: 20) == "1.4142135623730950488")
    #expect(Surd(1, plus: -1, timesSquareRootOf: 2).decimalString(significantDigits: 17) == "-0.41421356237309505")
    #expect(Surd(Rational(2, 3)).decimalString(significantDigits: 17) == "0.66666666666666667")
  }

  /// sign(p + q₁√r₁ − q₂√r₂) from enclosures of each root, refined until decided.
  static func signOfDifference(_ p: Rational, _ q1: Rational, _ r1: Rational, _ q2: Rational, _ r2: Rational) -> Int {
    for bits in stride(from: 32, through: 2048, by: 32) {
      let a = Surd(0, plus: q1, timesSquareRootOf: r1).enclosure(bits: bits)
      let b = Surd(0, plus: q2, timesSquareRootOf: r2).enclosure(bits: bits)
      let low = p + a.lower - b.upper
      let high = p + a.upper - b.lower
      if low.signum > 0 { return 1 }
      if high.signum < 0 { return -1 }
      if low == high { return low.signum }
    }
    // Undecided at 2048 bits: the difference is zero. (A nonzero p + q₁√r₁ − q₂√r₂ with
    // parts this small is a root of an integer quartic with coefficients far below 2^100,
    // so its magnitude is far above 2^-2048.)
    return 0
  }
}
