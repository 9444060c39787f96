/// A bfloat16 value held as its raw bits: the upper half of an IEEE 754 binary32.
///
/// Swift has no bfloat16 arithmetic type; EMPKit only reads, converts and compares these
/// values, so the raw bit pattern is all it needs. Equality and hashing compare bit
/// patterns: +0 and −0 differ, and a NaN equals itself; compare values through
/// `floatValue` or `Rational(exactly:)`.
public struct BFloat16: Sendable, Hashable {
  /// The 16 raw bits: 1 sign, 8 exponent, 7 fraction bits.
  public var bitPattern: UInt16

  /// The value with these raw bits.
  public init(bitPattern: UInt16) { self.bitPattern = bitPattern }

  /// The same value as a `Float` (exact: every bfloat16 is a binary32).
  public var floatValue: Float { Float(bitPattern: UInt32(bitPattern) << 16) }
}
