import Exact

/// A signed integer as raw parts: the magnitude's 64-bit words, least significant first, and
/// a sign. Tests build both the value under test and an independent oracle from these parts.
public struct SignedWords: Sendable, Hashable, CustomStringConvertible {
  /// The magnitude, least significant word first; may have leading zero words or be empty.
  public var words: [UInt64]
  /// Whether the value is negative (ignored when the magnitude is zero).
  public var isNegative: Bool

  /// The integer with magnitude `words` (least significant first) and the given sign.
  public init(words: [UInt64], isNegative: Bool) {
    self.words = words
    self.isNegative = isNegative
  }

  /// Whether the magnitude is zero.
  public var isZero: Bool { words.allSatisfy { $0 == 0 } }

  /// The value as a `BigInteger`.
  public var bigInteger: BigInteger { BigInteger(littleEndianWords: words, isNegative: isNegative) }

  public var description: String {
    (isNegative ? "-" : "+") + "[" + words.map { "0x" + String($0, radix: 16) }.joined(separator: ", ") + "]"
  }
}

/// A fraction as raw parts, not reduced; the denominator is never zero.
public struct FractionParts: Sendable, Hashable, CustomStringConvertible {
  /// The numerator's parts.
  public var numerator: SignedWords
  /// The denominator's parts (never zero).
  public var denominator: SignedWords

  /// The fraction `numerator / denominator`, as given (not reduced).
  ///
  /// - Precondition: `denominator` is not zero.
  public init(numerator: SignedWords, denominator: SignedWords) {
    precondition(!denominator.isZero, "FractionParts: zero denominator")
    self.numerator = numerator
    self.denominator = denominator
  }

  /// The value as a canonical `Rational`.
  public var rational: Rational { Rational(numerator: numerator.bigInteger, denominator: denominator.bigInteger) }

  public var description: String { "\(numerator) / \(denominator)" }
}
