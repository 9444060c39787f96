import CGMP

extension Rational: AdditiveArithmetic {
  public static var zero: Rational { Rational() }

  public static func + (lhs: Rational, rhs: Rational) -> Rational {
    lhs.withMPQ { a in rhs.withMPQ { b in _make { __gmpq_add($0, a, b) } } }
  }

  public static func - (lhs: Rational, rhs: Rational) -> Rational {
    lhs.withMPQ { a in rhs.withMPQ { b in _make { __gmpq_sub($0, a, b) } } }
  }

  public static func += (lhs: inout Rational, rhs: Rational) {
    rhs.withMPQ { b in lhs.withMutableMPQ { a in __gmpq_add(a, a, b) } }
  }

  public static func -= (lhs: inout Rational, rhs: Rational) {
    rhs.withMPQ { b in lhs.withMutableMPQ { a in __gmpq_sub(a, a, b) } }
  }
}

extension Rational {
  public static func * (lhs: Rational, rhs: Rational) -> Rational {
    lhs.withMPQ { a in rhs.withMPQ { b in _make { __gmpq_mul($0, a, b) } } }
  }

  public static func *= (lhs: inout Rational, rhs: Rational) {
    rhs.withMPQ { b in lhs.withMutableMPQ { a in __gmpq_mul(a, a, b) } }
  }

  /// The exact quotient.
  ///
  /// - Precondition: `rhs` is not zero.
  public static func / (lhs: Rational, rhs: Rational) -> Rational {
    precondition(!rhs.isZero, "Rational: division by zero")
    return lhs.withMPQ { a in rhs.withMPQ { b in _make { __gmpq_div($0, a, b) } } }
  }

  /// The exact quotient, in place.
  ///
  /// - Precondition: `rhs` is not zero.
  public static func /= (lhs: inout Rational, rhs: Rational) {
    precondition(!rhs.isZero, "Rational: division by zero")
    rhs.withMPQ { b in lhs.withMutableMPQ { a in __gmpq_div(a, a, b) } }
  }

  public static prefix func - (operand: Rational) -> Rational {
    operand.withMPQ { a in _make { __gmpq_neg($0, a) } }
  }

  /// `1 / self`.
  ///
  /// - Precondition: `self` is not zero.
  public var reciprocal: Rational {
    precondition(!isZero, "Rational: reciprocal of zero")
    return withMPQ { a in Rational._make { __gmpq_inv($0, a) } }
  }

  /// -1, 0 or 1.
  public var signum: Int { Int(withMPQ { cgmp_mpq_sgn($0) }) }

  /// Whether the value is zero.
  public var isZero: Bool { signum == 0 }

  /// Whether the value is an integer (its denominator is 1).
  public var isInteger: Bool { withMPQ { __gmpz_cmp_ui(cgmp_mpq_denref_const($0), 1) == 0 } }

  /// The absolute value.
  public var magnitude: Rational { withMPQ { a in Rational._make { __gmpq_abs($0, a) } } }

  /// The largest integer not greater than `self`.
  public var floor: BigInteger {
    withMPQ { q in BigInteger._make { __gmpz_fdiv_q($0, cgmp_mpq_numref_const(q), cgmp_mpq_denref_const(q)) } }
  }

  /// The smallest integer not less than `self`.
  public var ceiling: BigInteger {
    withMPQ { q in BigInteger._make { __gmpz_cdiv_q($0, cgmp_mpq_numref_const(q), cgmp_mpq_denref_const(q)) } }
  }

  /// `self` raised to an integer power; `x.power(0) == 1` for every `x`.
  ///
  /// - Precondition: `self` is not zero when `exponent` is negative.
  public func power(_ exponent: Int) -> Rational {
    let base = exponent < 0 ? reciprocal : self
    // Powers of coprime integers are coprime and the denominator stays positive,
    // so raising both parts keeps the canonical form.
    return base.withMPQ { q in
      Rational._make { r in
        __gmpz_pow_ui(cgmp_mpq_numref(r), cgmp_mpq_numref_const(q), exponent.magnitude)
        __gmpz_pow_ui(cgmp_mpq_denref(r), cgmp_mpq_denref_const(q), exponent.magnitude)
      }
    }
  }

  /// `self · 2^exponent`, exactly.
  public func timesPowerOfTwo(_ exponent: Int) -> Rational {
    withMPQ { a in
      Rational._make {
        if exponent >= 0 {
          __gmpq_mul_2exp($0, a, exponent.magnitude)
        } else {
          __gmpq_div_2exp($0, a, exponent.magnitude)
        }
      }
    }
  }
}

extension Rational: Comparable, Hashable {
  public static func == (lhs: Rational, rhs: Rational) -> Bool {
    lhs.withMPQ { a in rhs.withMPQ { b in __gmpq_equal(a, b) != 0 } }
  }

  public static func < (lhs: Rational, rhs: Rational) -> Bool {
    lhs.withMPQ { a in rhs.withMPQ { b in __gmpq_cmp(a, b) < 0 } }
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(numerator)
    hasher.combine(denominator)
  }
}

extension Rational: ExpressibleByIntegerLiteral {
  public init(integerLiteral value: Int) { self.init(value) }
}
