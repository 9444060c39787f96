import CGMP

extension Double {
  /// The `Double` nearest to `value` (ties to even), as IEEE 754 rounds.
  ///
  /// Values beyond the largest finite `Double` round to ±infinity by the same rule;
  /// tiny values round through the subnormals to ±0.
  public init(_ value: Rational) {
    guard !value.isZero else { self = 0; return }
    let negative = value.signum < 0
    let n = value.numerator.magnitude
    let d = value.denominator
    let e = n.bitWidthOfMagnitude - d.bitWidthOfMagnitude  // 2^(e-1) < |x| < 2^(e+1)
    if e > 1025 {
      self = negative ? -.infinity : .infinity
      return
    }
    if e < -1077 {  // |x| < 2^-1076, below half the smallest subnormal
      self = negative ? -0.0 : 0.0
      return
    }
    // q = ⌊|x| · 2^s⌋ has 55 or 56 bits; `sticky` records a nonzero remainder.
    let s = 55 - e
    let (q, r) = n.shifted(by: max(s, 0)).flooredQuotientAndRemainder(dividingBy: d.shifted(by: max(-s, 0)))
    let sticky = !r.isZero
    let drop = max(q.bitWidthOfMagnitude - 53, s - 1074)
    var m = q.shifted(by: -drop)
    let remainder = q - m.shifted(by: drop)
    let half = BigInteger(1).shifted(by: drop - 1)
    if remainder > half || (remainder == half && (sticky || m.withMPZ { cgmp_mpz_odd_p($0) != 0 })) {
      m += BigInteger(1)
    }
    let significand = Double(m.intValue!)  // m ≤ 2^53: exact
    let result = Double(sign: .plus, exponent: drop - s, significand: significand)
    self = negative ? -result : result
  }
}

extension Double {
  /// The `Double` nearest to `value` (ties to even); beyond the largest finite `Double`,
  /// ±infinity.
  public init(_ value: BigInteger) { self.init(Rational(value)) }
}
