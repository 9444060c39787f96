import BigInt
import Exact
import _TestSupport

// An independent model of the exact types, built on attaswift/BigInt: integers are
// `BigInt`, fractions are reduced `OracleFraction`s. Values under test are compared with
// the model through their exported words, never through GMP.

extension BigInt {
  /// The integer the parts describe.
  init(_ parts: SignedWords) {
    self.init(sign: parts.isNegative ? .minus : .plus, magnitude: BigUInt(words: parts.words.map { UInt($0) }))
  }

  /// The value of a `BigInteger`, read from its exported words and sign.
  init(_ value: BigInteger) {
    let magnitude = BigUInt(words: value.littleEndianWords.map { UInt($0) })
    self.init(sign: value.signum < 0 ? .minus : .plus, magnitude: magnitude)
  }

  /// `⌊self / divisor⌋` and `self − q·divisor`, from BigInt's truncating division.
  func flooredDivision(by divisor: BigInt) -> (quotient: BigInt, remainder: BigInt) {
    var (q, r) = quotientAndRemainder(dividingBy: divisor)
    if !r.isZero && (r.sign == .minus) != (divisor.sign == .minus) {
      q -= 1
      r += divisor
    }
    return (q, r)
  }
}

/// A fraction in lowest terms with a positive denominator, computed with BigInt.
struct OracleFraction: Equatable, CustomStringConvertible {
  let numerator: BigInt
  let denominator: BigInt

  init(_ numerator: BigInt, _ denominator: BigInt = 1) {
    precondition(!denominator.isZero, "OracleFraction: zero denominator")
    let g = numerator.greatestCommonDivisor(with: denominator)
    let sign: BigInt = denominator.sign == .minus ? -1 : 1
    self.numerator = sign * numerator / g
    self.denominator = sign * denominator / g
  }

  init(_ parts: FractionParts) { self.init(BigInt(parts.numerator), BigInt(parts.denominator)) }

  init(_ value: Rational) {
    numerator = BigInt(value.numerator)
    denominator = BigInt(value.denominator)
  }

  static func + (a: Self, b: Self) -> Self {
    Self(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator)
  }
  static func - (a: Self, b: Self) -> Self {
    Self(a.numerator * b.denominator - b.numerator * a.denominator, a.denominator * b.denominator)
  }
  static func * (a: Self, b: Self) -> Self { Self(a.numerator * b.numerator, a.denominator * b.denominator) }
  static func / (a: Self, b: Self) -> Self { Self(a.numerator * b.denominator, a.denominator * b.numerator) }

  var isZero: Bool { numerator.isZero }

  static func < (a: Self, b: Self) -> Bool { a.numerator * b.denominator < b.numerator * a.denominator }

  var floor: BigInt { numerator.flooredDivision(by: denominator).quotient }

  var description: String { "\(numerator)/\(denominator)" }
}
