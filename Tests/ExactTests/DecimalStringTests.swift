import BigInt
import Exact
import PropertyBased
import Testing
import _TestSupport

@Suite struct DecimalStringTests {
  /// `E` with `10^E ≤ |n/d| < 10^(E+1)`, found with BigInt comparisons.
  static func decimalExponent(of value: OracleFraction) -> Int {
    let (n, d) = (value.numerator.magnitude, value.denominator.magnitude)
    var e = n.description.count - d.description.count
    func atLeast(_ e: Int) -> Bool {  // |n/d| ≥ 10^e
      e >= 0 ? n >= d * BigUInt(10).power(e) : n * BigUInt(10).power(-e) >= d
    }
    while !atLeast(e) { e -= 1 }
    while atLeast(e + 1) { e += 1 }
    return e
  }

  /// The grammar of the output: an optional `-`, then `0`, or positional digits with no
  /// trailing fraction zeros, or a scientific `d[.ddd]e[-]n`. Returns the printed significant
  /// digits and the decimal exponent of the leading digit, or `nil` if malformed.
  static func parseFormat(_ text: String) -> (digits: String, exponent: Int, isScientific: Bool)? {
    var body = Substring(text)
    if body.first == "-" { body = body.dropFirst() }
    let isDigit = { (c: Character) in c.isASCII && c.isNumber }
    if let e = body.firstIndex(of: "e") {
      let mantissa = body[..<e], exponentText = body[body.index(after: e)...]
      let magnitude = exponentText.first == "-" ? exponentText.dropFirst() : exponentText
      guard let exponent = Int(exponentText), !magnitude.isEmpty, magnitude.allSatisfy(isDigit),
        magnitude.first != "0", let first = mantissa.first, first != "0", isDigit(first)
      else { return nil }
      let rest = mantissa.dropFirst()
      if !rest.isEmpty {
        guard rest.first == ".", rest.count > 1, rest.dropFirst().allSatisfy(isDigit), rest.last != "0" else { return nil }
      }
      return (String(first) + rest.dropFirst(), exponent, true)
    }
    let parts = body.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count <= 2, let integer = parts.first, !integer.isEmpty, integer.allSatisfy(isDigit),
      integer == "0" || integer.first != "0"
    else { return nil }
    if parts.count == 2 {
      guard !parts[1].isEmpty, parts[1].allSatisfy(isDigit), parts[1].last != "0" else { return nil }
    }
    let fraction = parts.count == 2 ? String(parts[1]) : ""
    let all = (integer == "0" ? "" : String(integer)) + fraction
    let leadingZeros = all.prefix { $0 == "0" }.count
    let digits = String(all.dropFirst(leadingZeros))
    var significant = digits
    while significant.last == "0" { significant.removeLast() }
    let exponent = integer == "0" ? -(leadingZeros + 1) : integer.count - 1
    return (significant, exponent, false)
  }

  @Test func roundsOnceToNearestEven() async {
    let input = zip(Gen<FractionParts>.fractionParts(maxWordCount: 3), Gen.int(in: 1...40))
    await seededPropertyCheck(count: 600, input: input) { parts, k in
      let r = parts.rational
      let text = r.decimalString(significantDigits: k)
      if r.isZero {
        #expect(text == "0")
        return
      }
      let printed = try #require(Rational(text), "\(text) does not parse")
      let exact = OracleFraction(parts)
      let e = Self.decimalExponent(of: exact)
      let unit = e - k + 1 >= 0
        ? OracleFraction(BigInt(10).power(e - k + 1)) : OracleFraction(1, BigInt(10).power(k - 1 - e))
      let p = OracleFraction(printed)
      let units = p / unit
      #expect(units.denominator == 1, "\(text) is not a multiple of 10^\(e - k + 1)")
      let error = exact < p ? p - exact : exact - p
      let half = unit * OracleFraction(1, 2)
      #expect(!(half < error), "\(text) is more than half a unit from \(exact)")
      if error == half { #expect(units.numerator % 2 == 0, "tie \(exact) printed as odd \(text)") }
      #expect(printed.signum == r.signum)
      let format = try #require(Self.parseFormat(text), "malformed \(text)")
      #expect(format.digits.count <= k)
      #expect(format.isScientific == !(-5..<21).contains(format.exponent), "\(text)")
      #expect(format.exponent == e || format.exponent == e + 1)
    }
  }

  @Test(arguments: [
    (Rational(0), 5, "0"), (Rational(1, 2), 3, "0.5"), (Rational(-1, 2), 3, "-0.5"),
    (Rational(99999, 10000), 3, "10"), (Rational(99999, 10000), 5, "9.9999"), (Rational(-99999, 10000), 4, "-10"),
    (Rational(999999), 3, "1000000"), (Rational(123, 1_000_000), 3, "0.000123"),
    (Rational(123, 10_000_000), 3, "0.0000123"), (Rational(123, 100_000_000), 3, "1.23e-6"),
    (Rational(10).power(21), 3, "1e21"), (Rational(10).power(20), 1, "100000000000000000000"),
    (Rational(10).power(21) - 1, 3, "1e21"), (Rational(10).power(21) - 1, 21, "999999999999999999999"),
    (Rational(123_456_789, 1000), 4, "123500"), (Rational(125, 1000), 2, "0.12"), (Rational(135, 1000), 2, "0.14"),
    (Rational(25), 1, "20"), (Rational(35), 1, "40"), (Rational(-25, 10), 1, "-2"), (Rational(95, 10), 1, "10"),
    (Rational(995, 10), 2, "100"), (Rational(999_999, 100_000_000_000), 2, "0.00001"),
    (Rational(15, 100_000_000), 3, "1.5e-7"), (Rational(2, 3), 3, "0.667"), (Rational(1, 3), 17, "0.33333333333333333"),
    (Rational(25, 13), 20, "1.9230769230769230769"), (Rational(1).timesPowerOfTwo(200), 5, "1.6069e60"),
    (-Rational(1).timesPowerOfTwo(-200), 3, "-6.22e-61"), (Rational(10).power(100_000), 3, "1e100000"),
    (Rational(7).power(-40_000), 2, "1.2e-33804"),
  ])
  func formats(_ value: Rational, _ digits: Int, _ expected: String) {
    #expect(value.decimalString(significantDigits: digits) == expected)
  }
}
