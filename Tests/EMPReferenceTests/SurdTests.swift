import EMPReference
import PropertyBased
import Testing
import _TestSupport

@testable import Exact

/// Exact signs and comparisons of `p + q·√r`, against interval refinement.
@Suite struct SurdTests {
  static let part = zip(Gen.int(in: -30...30), Gen.int(in: 1...12)).map { Rational($0, $1) }
  static let radicand = zip(Gen.int(in: 0...50), Gen.int(in: 1...12)).map { Rational($0, $1) }

  @Test func signMatchesIntervalRefinement() async {
    await seededPropertyCheck(count: 500, input: zip(Self.part, Self.part, Self.radicand)) { p, q, r in
      #expect(Surd(p, plus: q, timesSquareRootOf: r).signum == Oracle.sign(p, q, r), "\(p) + \(q)√\(r)")
    }
  }

  /// Comparisons across two radicands agree with the sign of the difference, refined on
  /// both roots separately.
  @Test func comparisonMatchesIntervalRefinement() async {
    await seededPropertyCheck(count: 500, input: zip(Self.part, Self.part, Self.radicand, Self.part, Self.radicand)) {
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
    await seededPropertyCheck(count: 200, input: zip(Self.part, Self.part, Self.radicand, Gen.int(in: 0...200))) { p, q, r, bits in
      let x = Surd(p, plus: q, timesSquareRootOf: r)
      let (lower, upper) = (x.enclosure(bits: bits).lowerBound, x.enclosure(bits: bits).upperBound)
      #expect(Surd(lower) <= x && x <= Surd(upper))
      #expect(upper - lower <= Rational(1).timesPowerOfTwo(-bits))
    }
    #expect(Surd(0, plus: 1, timesSquareRootOf: 2).decimalString(significantDigits: 20) == "1.4142135623730950488")
    #expect(Surd(1, plus: -1, timesSquareRootOf: 2).decimalString(significantDigits: 17) == "-0.41421356237309505")
    #expect(Surd(Rational(2, 3)).decimalString(significantDigits: 17) == "0.66666666666666667")
  }

  /// The text leaves out a zero rational part and a unit coefficient, writes a negative
  /// coefficient with `-`, parenthesises a fractional one, and reads back as the same number.
  @Test func descriptionIsNaturalAndExact() async {
    let r = Rational(323, 10323)
    #expect(Surd(0, plus: 1, timesSquareRootOf: r).description == "√(323/10323)")
    #expect(Surd(0, plus: -1, timesSquareRootOf: 2).description == "-√(2)")
    #expect(Surd(0, plus: -3, timesSquareRootOf: 2).description == "-3·√(2)")
    #expect(Surd(Rational(1, 3), plus: -2, timesSquareRootOf: Rational(1, 5)).description == "1/3 - 2·√(1/5)")
    #expect(Surd(Rational(-1, 3), plus: 1, timesSquareRootOf: 2).description == "-1/3 + √(2)")
    #expect(Surd(Rational(3, 100), plus: Rational(97, 100), timesSquareRootOf: r).description == "3/100 + (97/100)·√(323/10323)")
    #expect(Surd(Rational(1, 3), plus: Rational(-2, 3), timesSquareRootOf: Rational(1, 4)).description == "0")
    #expect(Surd(Rational(-5, 2)).description == "-5/2")
    await seededPropertyCheck(count: 300, input: zip(Self.part, Self.part, Self.radicand)) { p, q, r in
      let x = Surd(p, plus: q, timesSquareRootOf: r)
      #expect(Self.parse(x.description) == x, "\(x)")
    }
  }

  /// Reads the text `Surd.description` writes: `[p] [+|-] [q·|(q)·]√(r)` or `p`.
  static func parse(_ text: String) -> Surd? {
    guard let root = text.range(of: "√(") else { return Rational(text).map { Surd($0) } }
    guard text.hasSuffix(")"), let radicand = Rational(String(text[root.upperBound..<text.index(before: text.endIndex)])) else {
      return nil
    }
    var head = String(text[..<root.lowerBound])  // "", "-", "p + ", "p - ", with "q·" or "(q)·" after
    var coefficient = Rational(1)
    if head.hasSuffix("·") {
      head.removeLast()
      let start = head.lastIndex { $0 == " " || $0 == "-" }.map(head.index(after:)) ?? head.startIndex
      var factor = String(head[start...])
      head = String(head[..<start])
      if factor.hasPrefix("(") && factor.hasSuffix(")") { factor = String(factor.dropFirst().dropLast()) }
      guard let value = Rational(factor), !factor.contains("/") || text.contains("(\(factor))·") else { return nil }
      coefficient = value
    }
    let parts = head.split(separator: " ", omittingEmptySubsequences: false)
    switch parts.count {
    case 1 where head.isEmpty: return Surd(0, plus: coefficient, timesSquareRootOf: radicand)
    case 1 where head == "-": return Surd(0, plus: -coefficient, timesSquareRootOf: radicand)
    case 3 where parts[2].isEmpty && (parts[1] == "+" || parts[1] == "-"):
      guard let rational = Rational(String(parts[0])), !rational.isZero else { return nil }
      return Surd(rational, plus: parts[1] == "-" ? -coefficient : coefficient, timesSquareRootOf: radicand)
    default: return nil
    }
  }

  /// sign(p + q₁√r₁ − q₂√r₂) from enclosures of each root, refined until decided.
  static func signOfDifference(_ p: Rational, _ q1: Rational, _ r1: Rational, _ q2: Rational, _ r2: Rational) -> Int {
    for bits in stride(from: 32, through: 2048, by: 32) {
      let a = Surd(0, plus: q1, timesSquareRootOf: r1).enclosure(bits: bits)
      let b = Surd(0, plus: q2, timesSquareRootOf: r2).enclosure(bits: bits)
      let low = p + a.lowerBound - b.upperBound
      let high = p + a.upperBound - b.lowerBound
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
