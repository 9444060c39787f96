import CGMP

extension BigInteger: AdditiveArithmetic {
  public static var zero: BigInteger { BigInteger() }

  public static func + (lhs: BigInteger, rhs: BigInteger) -> BigInteger {
    lhs.withMPZ { a in rhs.withMPZ { b in _make { __gmpz_add($0, a, b) } } }
  }

  public static func - (lhs: BigInteger, rhs: BigInteger) -> BigInteger {
    lhs.withMPZ { a in rhs.withMPZ { b in _make { __gmpz_sub($0, a, b) } } }
  }

  public static func += (lhs: inout BigInteger, rhs: BigInteger) {
    rhs.withMPZ { b in lhs.withMutableMPZ { a in __gmpz_add(a, a, b) } }
  }

  public static func -= (lhs: inout BigInteger, rhs: BigInteger) {
    rhs.withMPZ { b in lhs.withMutableMPZ { a in __gmpz_sub(a, a, b) } }
  }
}

extension BigInteger {
  public static func * (lhs: BigInteger, rhs: BigInteger) -> BigInteger {
    lhs.withMPZ { a in rhs.withMPZ { b in _make { __gmpz_mul($0, a, b) } } }
  }

  public static func *= (lhs: inout BigInteger, rhs: BigInteger) {
    rhs.withMPZ { b in lhs.withMutableMPZ { a in __gmpz_mul(a, a, b) } }
  }

  public static prefix func - (operand: BigInteger) -> BigInteger {
    operand.withMPZ { a in _make { __gmpz_neg($0, a) } }
  }

  /// The quotient rounded toward zero, as for `Int`.
  ///
  /// - Precondition: `rhs` is not zero.
  public static func / (lhs: BigInteger, rhs: BigInteger) -> BigInteger {
    precondition(!rhs.isZero, "BigInteger: division by zero")
    return lhs.withMPZ { a in rhs.withMPZ { b in _make { __gmpz_tdiv_q($0, a, b) } } }
  }

  /// The remainder of `/`; it has the sign of `lhs`, as for `Int`.
  ///
  /// - Precondition: `rhs` is not zero.
  public static func % (lhs: BigInteger, rhs: BigInteger) -> BigInteger {
    precondition(!rhs.isZero, "BigInteger: division by zero")
    return lhs.withMPZ { a in rhs.withMPZ { b in _make { __gmpz_tdiv_r($0, a, b) } } }
  }

  /// Replaces `lhs` with the quotient rounded toward zero, as for `Int`.
  ///
  /// - Precondition: `rhs` is not zero.
  public static func /= (lhs: inout BigInteger, rhs: BigInteger) {
    precondition(!rhs.isZero, "BigInteger: division by zero")
    rhs.withMPZ { b in lhs.withMutableMPZ { a in __gmpz_tdiv_q(a, a, b) } }
  }

  /// Replaces `lhs` with the remainder of `/`, which has the sign of `lhs`, as for `Int`.
  ///
  /// - Precondition: `rhs` is not zero.
  public static func %= (lhs: inout BigInteger, rhs: BigInteger) {
    precondition(!rhs.isZero, "BigInteger: division by zero")
    rhs.withMPZ { b in lhs.withMutableMPZ { a in __gmpz_tdiv_r(a, a, b) } }
  }

  /// The floor quotient `⌊self / divisor⌋` and the remainder `self − q·divisor`,
  /// which has the sign of `divisor` (or is zero).
  ///
  /// - Precondition: `divisor` is not zero.
  public func flooredQuotientAndRemainder(dividingBy divisor: BigInteger)
    -> (quotient: BigInteger, remainder: BigInteger)
  {
    precondition(!divisor.isZero, "BigInteger: division by zero")
    let q = BigInteger(), r = BigInteger()
    withMPZ { a in divisor.withMPZ { b in __gmpz_fdiv_qr(q._storage.pointer, r._storage.pointer, a, b) } }
    return (q, r)
  }

  /// `self` raised to `exponent`; `x.power(0) == 1` for every `x`, zero included.
  ///
  /// - Precondition: `exponent >= 0`.
  public func power(_ exponent: Int) -> BigInteger {
    precondition(exponent >= 0, "BigInteger: negative exponent")
    return withMPZ { a in BigInteger._make { __gmpz_pow_ui($0, a, UInt(exponent)) } }
  }

  /// `self · 2^shift` for a non-negative shift; for a negative shift, `⌊self / 2^−shift⌋`
  /// (rounded toward −∞, like an arithmetic right shift of a two's-complement integer).
  public func shifted(by shift: Int) -> BigInteger {
    withMPZ { a in
      BigInteger._make {
        if shift >= 0 {
          __gmpz_mul_2exp($0, a, shift.magnitude)
        } else {
          __gmpz_fdiv_q_2exp($0, a, shift.magnitude)
        }
      }
    }
  }

  /// The greatest common divisor of the magnitudes (zero only if both are zero).
  public static func gcd(_ a: BigInteger, _ b: BigInteger) -> BigInteger {
    a.withMPZ { x in b.withMPZ { y in _make { __gmpz_gcd($0, x, y) } } }
  }

  /// The largest integer whose square is at most `self`.
  ///
  /// - Precondition: `self` is not negative.
  public func squareRootFloor() -> BigInteger {
    precondition(signum >= 0, "BigInteger: square root of a negative number")
    return withMPZ { a in BigInteger._make { __gmpz_sqrt($0, a) } }
  }

  /// -1, 0 or 1.
  public var signum: Int { Int(withMPZ { cgmp_mpz_sgn($0) }) }

  /// Whether the value is zero.
  public var isZero: Bool { signum == 0 }

  /// The absolute value.
  public var magnitude: BigInteger { withMPZ { a in BigInteger._make { __gmpz_abs($0, a) } } }

  /// The number of bits of the magnitude (0 for zero).
  public var bitWidthOfMagnitude: Int { isZero ? 0 : withMPZ { Int(__gmpz_sizeinbase($0, 2)) } }

  /// The position of the least significant set bit of the magnitude (the 2-adic valuation).
  ///
  /// - Precondition: `self` is not zero.
  public var trailingZeroBitCount: Int {
    precondition(!isZero, "BigInteger: trailing zeros of zero")
    return withMPZ { Int(__gmpz_scan1($0, 0)) }
  }
}

extension BigInteger: Comparable, Hashable {
  public static func == (lhs: BigInteger, rhs: BigInteger) -> Bool {
    lhs.withMPZ { a in rhs.withMPZ { b in __gmpz_cmp(a, b) == 0 } }
  }

  public static func < (lhs: BigInteger, rhs: BigInteger) -> Bool {
    lhs.withMPZ { a in rhs.withMPZ { b in __gmpz_cmp(a, b) < 0 } }
  }

  public func hash(into hasher: inout Hasher) {
    withMPZ { z in
      hasher.combine(cgmp_mpz_sgn(z))
      let count = Int(__gmpz_size(z))
      for i in 0..<count { hasher.combine(__gmpz_getlimbn(z, i)) }
    }
  }
}

extension BigInteger: ExpressibleByIntegerLiteral {
  public init(integerLiteral value: Int) { self.init(value) }
}
