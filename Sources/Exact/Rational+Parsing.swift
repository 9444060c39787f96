import CGMP

extension Rational: LosslessStringConvertible, CustomStringConvertible {
  /// Parses an exact rational from text, with no rounding.
  ///
  /// Accepted forms (optionally signed, no white space):
  /// - a fraction `p/q` of decimal integers, `q ≠ 0` (`"-12/7"`);
  /// - a decimal with an optional exponent (`"3"`, `"0.51"` is 51/100, `".5"`, `"2."`,
  ///   `"1e-3"` is 1/1000, `"6.02E+23"`), with at most `Rational.maximumDecimalExponent`
  ///   in magnitude for the exponent.
  ///
  /// Returns `nil` for anything else, including `nan`, `inf` and the empty string.
  public init?(_ description: String) {
    if let slash = description.firstIndex(of: "/") {
      let denominatorText = description[description.index(after: slash)...]
      guard denominatorText.first?.isASCII == true, denominatorText.first?.isNumber == true,
        let p = BigInteger(String(description[..<slash])),
        let q = BigInteger(String(denominatorText)), !q.isZero
      else { return nil }
      self.init(numerator: p, denominator: q)
      return
    }
    guard let value = Rational._parseDecimal(Substring(description)) else { return nil }
    self = value
  }

  /// The largest decimal exponent magnitude accepted by the parser (`1e100000`), which
  /// bounds the memory one token can make the parser allocate.
  public static let maximumDecimalExponent = 100_000

  private static func _parseDecimal(_ text: Substring) -> Rational? {
    let utf8 = Array(text.utf8)
    var i = 0
    var negative = false
    if i < utf8.count, utf8[i] == UInt8(ascii: "-") || utf8[i] == UInt8(ascii: "+") {
      negative = utf8[i] == UInt8(ascii: "-")
      i += 1
    }
    func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
    var digits: [UInt8] = []
    var fractionDigitCount = 0
    while i < utf8.count, isDigit(utf8[i]) { digits.append(utf8[i]); i += 1 }
    if i < utf8.count, utf8[i] == UInt8(ascii: ".") {
      i += 1
      while i < utf8.count, isDigit(utf8[i]) { digits.append(utf8[i]); fractionDigitCount += 1; i += 1 }
    }
    guard !digits.isEmpty else { return nil }
    var exponent = 0
    if i < utf8.count, utf8[i] == UInt8(ascii: "e") || utf8[i] == UInt8(ascii: "E") {
      i += 1
      guard let e = Int(String(decoding: utf8[i...], as: UTF8.self)),
        e.magnitude <= UInt(maximumDecimalExponent), isDigit(utf8.last!)
      else { return nil }
      exponent = e
      i = utf8.count
    }
    guard i == utf8.count, let mantissa = BigInteger(String(decoding: digits, as: UTF8.self)) else {
      return nil
    }
    let scale = exponent - fractionDigitCount
    let ten = BigInteger(10)
    let value =
      scale >= 0
      ? Rational(mantissa * ten.power(scale))
      : Rational(numerator: mantissa, denominator: ten.power(-scale))
    return negative ? -value : value
  }

  /// `"p/q"` in canonical form, or `"p"` when the value is an integer.
  public var description: String {
    isInteger ? numerator.description : "\(numerator)/\(denominator)"
  }
}

extension Rational {
  /// The value rounded to `significantDigits` significant decimal digits.
  ///
  /// Rounding is to nearest, ties to even, applied once to the exact value (so every
  /// printed digit is correct up to that single rounding). Trailing zeros of the fraction
  /// are dropped (`1/2` prints `0.5`). Values with a decimal exponent in `-5..<21` print
  /// positionally (`0.000123`, `1234.5`), others in scientific form (`1.25e-7`).
  ///
  /// - Precondition: `significantDigits >= 1`.
  public func decimalString(significantDigits: Int) -> String {
    precondition(significantDigits >= 1, "Rational: need at least one significant digit")
    if isZero { return "0" }
    let absolute = magnitude
    let ten = Rational(10)
    // Find e with 10^e ≤ |x| < 10^(e+1), starting from a bit-length estimate.
    let bitEstimate = absolute.numerator.bitWidthOfMagnitude - absolute.denominator.bitWidthOfMagnitude
    var e = (bitEstimate * 1233) >> 12  // 1233/4096 ≈ log10(2) to 2.5e-6; corrected below
    while ten.power(e) > absolute { e -= 1 }
    while ten.power(e + 1) <= absolute { e += 1 }
    var digits = (absolute * ten.power(significantDigits - 1 - e)).roundedToNearestEven()
    if digits == BigInteger(10).power(significantDigits) {
      digits = BigInteger(10).power(significantDigits - 1)
      e += 1
    }
    let text = Array(digits.description)  // exactly `significantDigits` characters
    let sign = signum < 0 ? "-" : ""
    func trimmed(_ integerPart: String, _ fraction: [Character]) -> String {
      var fraction = fraction
      while fraction.last == "0" { fraction.removeLast() }
      return fraction.isEmpty ? integerPart : integerPart + "." + String(fraction)
    }
    if e >= -5 && e < 21 {
      if e >= 0 {
        let integerCount = e + 1
        let integerPart =
          integerCount >= text.count
          ? String(text) + String(repeating: "0", count: integerCount - text.count)
          : String(text[..<integerCount])
        let fraction = integerCount >= text.count ? [] : Array(text[integerCount...])
        return sign + trimmed(integerPart, fraction)
      }
      return sign + trimmed("0", Array(repeating: "0", count: -e - 1) + text)
    }
    let mantissa = trimmed(String(text[0]), Array(text.dropFirst()))
    return sign + mantissa + "e" + (e < 0 ? "-" : "") + String(e.magnitude)
  }

  /// The nearest integer, ties to even.
  public func roundedToNearestEven() -> BigInteger {
    let floorValue = floor
    let fraction = self - Rational(floorValue)
    let half = Rational(1, 2)
    if fraction < half { return floorValue }
    if fraction > half { return floorValue + BigInteger(1) }
    return floorValue.withMPZ { cgmp_mpz_odd_p($0) != 0 } ? floorValue + BigInteger(1) : floorValue
  }
}
