/// A value that cannot be represented as an exact rational number.
public enum ExactConversionError: Error, Equatable, CustomStringConvertible {
  /// A NaN or an infinity; `bitPattern` holds the raw bits, zero-extended. For a format
  /// wider than 64 bits (`Float80`) it holds the low 64 bits of the sign, exponent and
  /// fraction fields written one after another.
  case nonFinite(bitPattern: UInt64)

  public var description: String {
    switch self {
    case .nonFinite(let bits): "non-finite value (bits 0x\(String(bits, radix: 16)))"
    }
  }
}

extension Rational {
  /// The exact value of a finite binary floating-point number (±0, subnormals included).
  ///
  /// Every finite float is a dyadic rational `m · 2^e`; no rounding happens.
  ///
  /// - Throws: `ExactConversionError.nonFinite` for NaN and ±infinity.
  public init<F: BinaryFloatingPoint>(exactly value: F) throws(ExactConversionError) {
    guard value.isFinite else {
      throw .nonFinite(bitPattern: UInt64(truncatingIfNeeded: value.significandBitPattern)
        | UInt64(truncatingIfNeeded: value.exponentBitPattern) << F.significandBitCount
        | (value.sign == .minus ? 1 << (F.significandBitCount + F.exponentBitCount) : 0))
    }
    let (m, e) = value.integerSignificandAndExponent
    let magnitude = Rational(BigInteger(m)).timesPowerOfTwo(e)
    self = value.sign == .minus ? -magnitude : magnitude
  }

  /// The exact value of a float known to be finite (a programmer's guarantee, such as a
  /// bound computed from finite values).
  ///
  /// - Precondition: `value` is finite.
  public init<F: BinaryFloatingPoint>(finite value: F) {
    do { self = try Rational(exactly: value) } catch { preconditionFailure("Rational: \(error)") }
  }

  /// The exact value of a finite bfloat16.
  ///
  /// - Throws: `ExactConversionError.nonFinite` for NaN and ±infinity.
  public init(exactly value: BFloat16) throws(ExactConversionError) {
    guard value.floatValue.isFinite else { throw .nonFinite(bitPattern: UInt64(value.bitPattern)) }
    try self.init(exactly: value.floatValue)
  }
}

extension BigInteger {
  /// The integer equal to a binary floating-point value, or `nil` if the value is not an
  /// integer (it has a nonzero fraction, or it is NaN or an infinity).
  ///
  /// `BigInteger(exactly: -0.0)` is zero. No rounding happens: `BigInteger(exactly: 0.5)` is `nil`.
  ///
  /// - Parameter value: a float of a format with at most 64 significand bits.
  public init?<F: BinaryFloatingPoint>(exactly value: F) {
    guard value.isFinite else { return nil }
    let (m, e) = value.integerSignificandAndExponent
    guard e >= 0 || m == 0 || m.trailingZeroBitCount >= -e else { return nil }
    let magnitude = BigInteger(m).shifted(by: e)  // exact: the bits shifted out are zero
    self = value.sign == .minus ? -magnitude : magnitude
  }
}

extension BinaryFloatingPoint {
  /// `(m, e)` with `|self| = m · 2^e` and `m` an integer below `2^(significandBitCount + 1)`,
  /// read straight from the bit pattern. For subnormals the implicit bit is 0 and
  /// `e` is the minimum exponent; for ±0, `m = 0`.
  ///
  /// - Precondition: `self` is finite, and the format has at most 64 significand bits.
  @inlinable
  public var integerSignificandAndExponent: (significand: UInt64, exponent: Int) {
    precondition(isFinite, "integerSignificandAndExponent of a non-finite value")
    let fraction = UInt64(truncatingIfNeeded: significandBitPattern)
    let biased = Int(truncatingIfNeeded: exponentBitPattern)
    let bias = (1 << (Self.exponentBitCount - 1)) - 1
    let shift = Self.significandBitCount
    if biased == 0 { return (fraction, 1 - bias - shift) }
    return (fraction | (1 << UInt64(shift)), biased - bias - shift)
  }
}
