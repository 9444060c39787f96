extension Surd {
  /// An enclosure of `self` by rationals, `upperBound − lowerBound ≤ 2^−bits`; exact when
  /// `self` is rational.
  ///
  /// `|q|·√r = √(q²r)`, and for `q²r = u/v` in lowest terms, `s = ⌊√(u·v·4^bits)⌋` gives
  /// `s / (v·2^bits) ≤ √(u/v) ≤ (s + 1) / (v·2^bits)`, a width of at most `2^−bits` since `v ≥ 1`.
  ///
  /// - Precondition: `bits ≥ 0`.
  /// - Complexity: one integer square root of a number of about `2·bits` plus the sizes of
  ///   the parts.
  public func enclosure(bits: Int) -> Enclosure<Rational> {
    precondition(bits >= 0, "Surd: negative precision")
    guard !coefficient.isZero else { return Enclosure(exactly: rational) }
    let t = coefficient * coefficient * radicand
    let scaled = t.numerator * t.denominator * BigInteger(1).shifted(by: 2 * bits)
    let s = scaled.squareRootFloor()
    let scale = Rational(t.denominator.shifted(by: bits))
    let rootLower = Rational(s) / scale
    let rootUpper = s * s == scaled ? rootLower : Rational(s + BigInteger(1)) / scale
    return coefficient.signum > 0
      ? Enclosure(lowerBound: rational + rootLower, upperBound: rational + rootUpper)
      : Enclosure(lowerBound: rational - rootUpper, upperBound: rational - rootLower)
  }

  /// The value correctly rounded to `significantDigits` significant decimal digits
  /// (round to nearest; formatted as `Rational.decimalString(significantDigits:)` does).
  ///
  /// A rational value is rounded once from its exact value. An irrational one is enclosed
  /// ever more tightly until both ends of the enclosure round to the same string; that
  /// string is then the rounding of the value itself, because rounding is monotone. The
  /// loop ends because an irrational number is never a rounding tie (Proofs/decisions.md).
  ///
  /// - Precondition: `significantDigits >= 1`.
  public func decimalString(significantDigits: Int) -> String {
    if let exact = exactValue { return exact.decimalString(significantDigits: significantDigits) }
    let magnitudeBits = max(0, rational.magnitude.ceiling.bitWidthOfMagnitude + coefficient.magnitude.ceiling.bitWidthOfMagnitude)
    var bits = 4 * significantDigits + 16 + magnitudeBits
    while true {
      let enclosure = enclosure(bits: bits)
      let low = enclosure.lowerBound.decimalString(significantDigits: significantDigits)
      if low == enclosure.upperBound.decimalString(significantDigits: significantDigits) { return low }
      bits *= 2
    }
  }
}
