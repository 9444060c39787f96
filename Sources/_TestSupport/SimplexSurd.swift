import Exact

/// An exact real number `rational + coefficient · √radicand` with rational parts.
///
/// The paper's bounds have this form. Comparisons are decided exactly by squaring with
/// sign care; a decimal view comes from a certified enclosure. Nothing is rounded.
public struct Surd: Sendable, CustomStringConvertible {
  /// The rational part.
  public var rational: Rational
  /// The factor in front of the square root.
  public var coefficient: Rational
  /// The number under the square root; never negative.
  public var radicand: Rational

  /// `rational + coefficient · √radicand`.
  ///
  /// - Precondition: `radicand >= 0`.
  public init(_ rational: Rational, plus coefficient: Rational = .zero, sqrt radicand: Rational = .zero) {
    precondition(radicand.signum >= 0, "Surd: negative radicand")
    self.rational = rational
    self.coefficient = coefficient
    self.radicand = radicand
  }

  /// -1, 0 or 1, decided exactly.
  public var signum: Int {
    let a = rational.signum
    let b = radicand.isZero ? 0 : coefficient.signum
    if b == 0 { return a }
    if a == 0 || a == b { return b }
    // Opposite signs: compare rational² with coefficient² · radicand.
    let difference = rational * rational - coefficient * coefficient * radicand
    return difference.signum * a
  }

  /// `self − value` for a rational `value`.
  public static func - (lhs: Surd, rhs: Rational) -> Surd {
    Surd(lhs.rational - rhs, plus: lhs.coefficient, sqrt: lhs.radicand)
  }

  /// `value − self` for a rational `value`.
  public static func - (lhs: Rational, rhs: Surd) -> Surd {
    Surd(lhs - rhs.rational, plus: -rhs.coefficient, sqrt: rhs.radicand)
  }

  /// The sign of `self − other`, decided exactly (any radicands).
  public func compare(_ other: Surd) -> Int {
    let x = rational - other.rational
    let y = radicand.isZero ? Rational.zero : coefficient
    let z = other.radicand.isZero ? Rational.zero : -other.coefficient
    // P = y√r + z√s; its sign first.
    let ySign = y.signum, zSign = z.signum
    let pSign: Int
    if ySign == 0 || zSign == 0 || ySign == zSign {
      pSign = ySign != 0 ? ySign : zSign
    } else {
      pSign = (y * y * radicand - z * z * other.radicand).signum * ySign
    }
    if x.isZero { return pSign }
    if pSign == 0 || pSign == x.signum { return x.signum }
    // Opposite signs: compare x² with P² = y²r + z²s + 2yz√(rs).
    let square = Surd(
      x * x - y * y * radicand - z * z * other.radicand, plus: -2 * y * z, sqrt: radicand * other.radicand)
    return square.signum * x.signum
  }

  /// Rationals `lower ≤ self ≤ upper` with `upper − lower ≤ |coefficient| · 2^-bits`.
  public func enclosure(bits: Int = 128) -> (lower: Rational, upper: Rational) {
    // ⌊√(r·4^bits)⌋ / 2^bits ≤ √r ≤ (that + 1) / 2^bits.
    let scaled = (radicand.timesPowerOfTwo(2 * bits)).floor.squareRootFloor()
    let low = Rational(scaled).timesPowerOfTwo(-bits)
    let high = Rational(scaled + BigInteger(1)).timesPowerOfTwo(-bits)
    let a = rational + coefficient * low, b = rational + coefficient * high
    return a <= b ? (a, b) : (b, a)
  }

  /// A decimal approximation with `digits` significant digits (from the enclosure).
  public func decimal(_ digits: Int = 12) -> String {
    let (lower, upper) = enclosure()
    return ((lower + upper) / 2).decimalString(significantDigits: digits)
  }

  public var description: String {
    coefficient.isZero || radicand.isZero ? "\(rational)" : "\(rational) + (\(coefficient))·√(\(radicand))"
  }
}
