import BigInt
import Exact
import PropertyBased
import Testing
import _TestSupport

/// A decimal token assembled from parts, with its value computed by the BigInt oracle
/// (`nil` when the grammar rejects it).
struct DecimalToken: CustomStringConvertible {
  var sign: String
  var integerDigits: String
  var hasPoint: Bool
  var fractionDigits: String
  var exponent: (marker: String, sign: String, digits: String)?

  var text: String {
    sign + integerDigits + (hasPoint ? "." : "") + fractionDigits
      + (exponent.map { $0.marker + $0.sign + $0.digits } ?? "")
  }

  var expected: OracleFraction? {
    guard !(integerDigits + fractionDigits).isEmpty else { return nil }
    var power = 0
    if let exponent {
      guard !exponent.digits.isEmpty, let value = BigInt(exponent.digits),
        value <= BigInt(Rational.maximumDecimalExponent)
      else { return nil }
      power = Int(value) * (exponent.sign == "-" ? -1 : 1)
    }
    let mantissa = BigInt(integerDigits + fractionDigits)! * (sign == "-" ? -1 : 1)
    let scale = power - fractionDigits.count
    let ten = BigInt(10).power(Int(scale.magnitude))
    return scale >= 0 ? OracleFraction(mantissa * ten) : OracleFraction(mantissa, ten)
  }

  var description: String { "\"\(text)\"" }

  static var generator: Generator<DecimalToken, Shrink.None<DecimalToken>> {
    Generator { rng in
      func digits(_ maxCount: Int) -> String {
        let count = Int.random(in: 0...maxCount, using: &rng)
        return String((0..<count).map { _ in Character(String(Int.random(in: 0...9, using: &rng))) })
      }
      let signs = ["", "+", "-"]
      var token = DecimalToken(
        sign: signs[Int.random(in: 0..<3, using: &rng)], integerDigits: digits(25),
        hasPoint: Bool.random(using: &rng), fractionDigits: "", exponent: nil)
      if token.hasPoint { token.fractionDigits = digits(25) }
      if Bool.random(using: &rng) {
        let exponentDigits: String
        switch Int.random(in: 0..<6, using: &rng) {
        case 0: exponentDigits = ""
        case 1:  // beyond the bound (the bound itself is checked in `exponentBound`)
          exponentDigits = String(Rational.maximumDecimalExponent + Int.random(in: 1...1000, using: &rng))
        default: exponentDigits = digits(3)
        }
        token.exponent = (["e", "E"][Int.random(in: 0..<2, using: &rng)], signs[Int.random(in: 0..<3, using: &rng)], exponentDigits)
      }
      return token
    }
  }
}

@Suite struct RationalParsingTests {
  @Test(arguments: [
    ("0.51", Rational(51, 100)), ("1e-3", Rational(1, 1000)), ("-12/7", Rational(-12, 7)), ("3", Rational(3)),
    (".5", Rational(1, 2)), ("2.", Rational(2)), ("6.02E+23", Rational(602) * Rational(10).power(21)),
    ("+1/2", Rational(1, 2)), ("-0", Rational(0)), ("-.5e-1", Rational(-1, 20)), ("0012.50", Rational(25, 2)),
    ("1/00002", Rational(1, 2)), ("4/6", Rational(2, 3)), ("1.e2", Rational(100)),
  ])
  func accepts(_ text: String, _ expected: Rational) {
    #expect(Rational(text) == expected)
  }

  @Test(arguments: [
    "", "1/0", "0/0", "1/000", " 1", "1 ", "nan", "NaN", "inf", "-inf", "infinity", "1e", "e5", "--1", "1/-2", "1/+2",
    "0x10", "0b1", ".", "-", "+", "/", "1/", "/2", "1//2", "1/2/3", "1.5/2", "1/2.5", "1e5/2", "1/2e1", "1 /2",
    "1/ 2", "- 1", "1e 5", "1e+ 5", "1e--5", "1e+-5", "1e5.0", "1ee5", "1.2.3", "1,5", "١", "½", "1\t", "\n1",
    "1\u{A0}", "1e-", "1e+", "1_0",
  ])
  func rejects(_ text: String) {
    #expect(Rational(text) == nil)
  }

  @Test func rejectsEmbeddedNUL() {
    // A C string would end at the NUL.
    for text in ["1\u{0}", "1\u{0}/2", "1/2\u{0}", "1/2\u{0}3", "1.5\u{0}"] { #expect(Rational(text) == nil) }
  }

  @Test func exponentBound() {
    let limit = Rational.maximumDecimalExponent
    #expect(Rational("1e\(limit)") == Rational(10).power(limit))
    #expect(Rational("1e-\(limit)") == Rational(10).power(-limit))
    #expect(Rational("1e\(limit + 1)") == nil && Rational("1e-\(limit + 1)") == nil)
    #expect(Rational("1e99999999999999999999") == nil && Rational("1e-9223372036854775808") == nil)
  }

  @Test func decimalTokensMatchOracle() async {
    await seededPropertyCheck(count: 1000, input: DecimalToken.generator) { token in
      let parsed = Rational(token.text)
      #expect(parsed.map(OracleFraction.init) == token.expected, "\(token)")
    }
  }

  /// White space anywhere in a valid token makes it invalid (GMP's own parser skips it).
  @Test func whiteSpaceIsNeverAccepted() async {
    let spaces: [Character] = [" ", "\t", "\n", "\r", "\u{0B}", "\u{0C}", "\u{A0}", "\u{2003}"]
    let input = zip(
      DecimalToken.generator, Gen<FractionParts>.fractionParts(maxWordCount: 2), Gen.int(in: 0...1000),
      Gen.int(in: 0..<spaces.count))
    await seededPropertyCheck(count: 1000, input: input) { token, fraction, position, space in
      for text in [token.text, fraction.rational.description] where Rational(text) != nil {
        var characters = Array(text)
        characters.insert(spaces[space], at: position % (characters.count + 1))
        #expect(Rational(String(characters)) == nil, "\(String(characters).debugDescription)")
      }
    }
  }

  @Test func descriptionRoundTrips() async {
    await seededPropertyCheck(count: 500, input: Gen<FractionParts>.fractionParts()) { parts in
      let r = parts.rational
      let oracle = OracleFraction(parts)
      #expect(r.description == (oracle.denominator == 1 ? "\(oracle.numerator)" : oracle.description))
      #expect(Rational(r.description) == r)
    }
  }
}
