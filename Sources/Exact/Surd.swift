/// An exact real number `rational + coefficient · √radicand` with rational parts and
/// `radicand ≥ 0`: the shape of every bound and infimum in EMP's mass theorems.
///
/// Signs and comparisons are decided exactly, by isolating the square roots and squaring
/// with sign care (Proofs/decisions.md); nothing is rounded. `==` is equality of the real
/// numbers, so two representations of one number compare equal. A radicand that is the
/// square of a rational is folded into `rational`, so `exactValue` is non-nil exactly when
/// the number is rational.
public struct Surd: Sendable, CustomStringConvertible {
  /// The rational part.
  public let rational: Rational
  /// The factor in front of the square root; zero when the number is rational.
  public let coefficient: Rational
  /// The number under the square root: zero, or positive and not the square of a rational.
  public let radicand: Rational

  /// The number `rational + coefficient · √radicand`.
  ///
  /// - Precondition: `radicand ≥ 0`.
  public init(_ rational: Rational, plus coefficient: Rational, timesSquareRootOf radicand: Rational) {
    precondition(radicand.signum >= 0, "Surd: negative radicand")
    if coefficient.isZero || radicand.isZero {
      (self.rational, self.coefficient, self.radicand) = (rational, 0, 0)
    } else if let root = radicand.exactSquareRoot {
      (self.rational, self.coefficient, self.radicand) = (rational + coefficient * root, 0, 0)
    } else {
      (self.rational, self.coefficient, self.radicand) = (rational, coefficient, radicand)
    }
  }

  /// The rational number `value`.
  public init(_ value: Rational) { (rational, coefficient, radicand) = (value, 0, 0) }

  /// The value as a rational, or `nil` when it is irrational.
  public var exactValue: Rational? { coefficient.isZero ? rational : nil }

  /// -1, 0 or 1, decided exactly.
  ///
  /// When the two parts have opposite signs, the one with the larger square decides.
  ///
  /// - Complexity: a constant number of rational operations on the parts.
  public var signum: Int {
    let sp = rational.signum
    let sq = coefficient.signum
    if sq == 0 || sp == sq { return sp }
    if sp == 0 { return sq }
    return (rational * rational - coefficient * coefficient * radicand).signum * sp
  }

  /// The exact value as text: `"p"` when rational, else `"p + q·√(r)"` or `"p - q·√(r)"`.
  ///
  /// A zero `p` is left out (`"√(r)"`, `"-2·√(r)"`), a coefficient of magnitude 1 too
  /// (`"1/3 - √(r)"`); a coefficient that is not an integer is parenthesised
  /// (`"(97/100)·√(r)"`), so the text reads one way only. Minus signs are ASCII `-`, as in
  /// `Rational.description`.
  public var description: String {
    guard !coefficient.isZero else { return rational.description }
    let factor = coefficient.magnitude
    let root =
      factor == 1 ? "√(\(radicand))" : factor.isInteger ? "\(factor)·√(\(radicand))" : "(\(factor))·√(\(radicand))"
    let negative = coefficient.signum < 0
    if rational.isZero { return negative ? "-" + root : root }
    return "\(rational) \(negative ? "-" : "+") \(root)"
  }

  public static func + (lhs: Surd, rhs: Rational) -> Surd {
    Surd(lhs.rational + rhs, plus: lhs.coefficient, timesSquareRootOf: lhs.radicand)
  }

  public static func - (lhs: Surd, rhs: Rational) -> Surd { lhs + (-rhs) }

  public static func - (lhs: Rational, rhs: Surd) -> Surd { lhs + (-1) * rhs }

  public static func + (lhs: Rational, rhs: Surd) -> Surd { rhs + lhs }

  public static func * (lhs: Rational, rhs: Surd) -> Surd {
    Surd(lhs * rhs.rational, plus: lhs * rhs.coefficient, timesSquareRootOf: rhs.radicand)
  }

  /// The sign of `lhs − rhs` (-1, 0 or 1), decided exactly.
  ///
  /// With `d` the difference of the rational parts, `lhs − rhs = L − R` where
  /// `L = d + q₁√r₁` and `R = q₂√r₂`. Unequal signs of `L` and `R` decide; equal signs `σ`
  /// give `sign(L − R) = σ · sign(L² − R²)`, and `L² − R² = (d² + q₁²r₁ − q₂²r₂) + 2dq₁√r₁`
  /// is a `Surd` over one radicand again.
  ///
  /// - Complexity: a constant number of rational operations on the parts.
  public static func compare(_ lhs: Surd, _ rhs: Surd) -> Int {
    let d = lhs.rational - rhs.rational
    if rhs.coefficient.isZero {
      return Surd(d, plus: lhs.coefficient, timesSquareRootOf: lhs.radicand).signum
    }
    if lhs.coefficient.isZero || lhs.radicand == rhs.radicand {
      return Surd(d, plus: lhs.coefficient - rhs.coefficient, timesSquareRootOf: rhs.radicand).signum
    }
    let sL = Surd(d, plus: lhs.coefficient, timesSquareRootOf: lhs.radicand).signum
    let sR = rhs.coefficient.signum
    if sL != sR { return sL > sR ? 1 : -1 }
    let squares = Surd(
      d * d + lhs.coefficient * lhs.coefficient * lhs.radicand
        - rhs.coefficient * rhs.coefficient * rhs.radicand,
      plus: 2 * d * lhs.coefficient, timesSquareRootOf: lhs.radicand)
    return sL * squares.signum
  }
}

extension Surd: Comparable {
  /// Equality of the real numbers, decided exactly.
  public static func == (lhs: Surd, rhs: Surd) -> Bool { compare(lhs, rhs) == 0 }

  public static func < (lhs: Surd, rhs: Surd) -> Bool { compare(lhs, rhs) < 0 }
}

extension Rational {
  /// The rational square root when `self` is the square of a rational, else `nil`.
  ///
  /// - Precondition: `self ≥ 0`.
  var exactSquareRoot: Rational? {
    let p = numerator.squareRootFloor()
    let q = denominator.squareRootFloor()
    guard p * p == numerator, q * q == denominator else { return nil }
    return Rational(numerator: p, denominator: q)
  }
}
