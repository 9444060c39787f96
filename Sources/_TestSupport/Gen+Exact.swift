import Exact
import PropertyBased
import _TestOracles

extension Gen where Value == SignedWords {
  /// Signed integers of up to `maxWordCount` words: a quarter are edge values (0, ±1, ±2⁶³,
  /// ±(2⁶⁴ − 1), ±2⁶⁴, ±2¹²⁸ …), the rest random word counts (small ones favoured) whose words
  /// mix random bits with 0, all ones, single bits and values near 0 and 2⁶⁴.
  public static func signedWords(maxWordCount: Int = 6) -> Generator<SignedWords, Shrink.None<SignedWords>> {
    precondition(maxWordCount >= 1, "signedWords: need at least one word")
    return Generator { rng in
      let isNegative = Bool.random(using: &rng)
      if Int.random(in: 0..<4, using: &rng) == 0 {
        let edges: [[UInt64]] = [
          [], [0], [1], [2], [1 << 63 - 1], [1 << 63], [.max], [0, 1], [1, 1], [.max, .max],
          [0, 0, 1], [.max, 1 << 63 - 1], [0, 1 << 63],
        ]
        return SignedWords(words: edges[Int.random(in: 0..<edges.count, using: &rng)], isNegative: isNegative)
      }
      let count = Int.random(in: 0...Int.random(in: 1...maxWordCount, using: &rng), using: &rng)
      let words = (0..<count).map { _ in randomWord(using: &rng) }
      return SignedWords(words: words, isNegative: isNegative)
    }
  }

  /// One 64-bit word from a mix of patterns that exercise carries and borrows.
  private static func randomWord(using rng: inout any SeededRandomNumberGenerator) -> UInt64 {
    switch Int.random(in: 0..<8, using: &rng) {
    case 0: 0
    case 1: .max
    case 2: 1 << UInt64.random(in: 0..<64, using: &rng)
    case 3: UInt64.random(in: 0...15, using: &rng)
    case 4: .max - UInt64.random(in: 0...15, using: &rng)
    default: rng.next()
    }
  }
}

extension Gen where Value == FractionParts {
  /// Fractions whose parts come from `signedWords(maxWordCount:)`; a quarter have denominator
  /// ±1 and a quarter a power-of-two denominator, so integers and dyadic values are common.
  public static func fractionParts(maxWordCount: Int = 4) -> Generator<FractionParts, Shrink.None<FractionParts>> {
    let parts = Gen<SignedWords>.signedWords(maxWordCount: maxWordCount)
    return Generator { rng in
      let numerator = parts.run(using: &rng)
      var denominator: SignedWords
      switch Int.random(in: 0..<4, using: &rng) {
      case 0:
        denominator = SignedWords(words: [1], isNegative: Bool.random(using: &rng))
      case 1:
        let bit = Int.random(in: 0..<(64 * maxWordCount), using: &rng)
        var words = [UInt64](repeating: 0, count: bit / 64 + 1)
        words[bit / 64] = 1 << UInt64(bit % 64)
        denominator = SignedWords(words: words, isNegative: Bool.random(using: &rng))
      default:
        denominator = parts.run(using: &rng)
        if denominator.isZero { denominator.words = [UInt64.random(in: 1...UInt64.max, using: &rng)] }
      }
      return FractionParts(numerator: numerator, denominator: denominator)
    }
  }
}

extension Gen where Value == BigInteger {
  /// `BigInteger`s drawn as by `Gen<SignedWords>.signedWords(maxWordCount:)`.
  public static func bigInteger(maxWordCount: Int = 6) -> Generator<BigInteger, Shrink.None<SignedWords>> {
    Gen<SignedWords>.signedWords(maxWordCount: maxWordCount).map(\.bigInteger)
  }
}

extension Gen where Value == Rational {
  /// `Rational`s drawn as by `Gen<FractionParts>.fractionParts(maxWordCount:)`.
  public static func rational(maxWordCount: Int = 4) -> Generator<Rational, Shrink.None<FractionParts>> {
    Gen<FractionParts>.fractionParts(maxWordCount: maxWordCount).map(\.rational)
  }

  /// Rationals that probe rounding to `Double`: random fractions scaled by 2^k over the whole
  /// range and beyond (|k| ≤ 1200, so overflow and underflow occur), exact halfway points
  /// between adjacent doubles (including the one above the largest finite), and values just
  /// above or below those halfway points. Signs are random.
  public static var aroundDoubles: Generator<Rational, Shrink.None<Rational>> {
    let fractions = Gen<FractionParts>.fractionParts(maxWordCount: 3)
    let doubles = Gen<Double>.finiteFloat
    return Generator { rng in
      let magnitude: Rational
      if Bool.random(using: &rng) {
        let fraction = fractions.run(using: &rng).rational.magnitude
        magnitude = fraction.timesPowerOfTwo(Int.random(in: -1200...1200, using: &rng))
      } else {
        let low = abs(doubles.run(using: &rng))
        let high = low == .greatestFiniteMagnitude ? Rational(1).timesPowerOfTwo(1024) : Rational(finite: low.nextUp)
        let halfway = (Rational(finite: low) + high).timesPowerOfTwo(-1)
        let nudge = Rational(1).timesPowerOfTwo(-Int.random(in: 1100...1300, using: &rng))
        switch Int.random(in: 0..<3, using: &rng) {
        case 0: magnitude = halfway
        case 1: magnitude = halfway + nudge
        default: magnitude = halfway - nudge
        }
      }
      return Bool.random(using: &rng) ? -magnitude : magnitude
    }
  }
}

extension Gen
where Value: BinaryFloatingPoint & Sendable, Value.RawSignificand: FixedWidthInteger, Value.RawExponent: FixedWidthInteger {
  /// Finite floats over every binade: random sign; exponent field zero (subnormals and ±0)
  /// an eighth of the time, near the top an eighth, uniform otherwise; significand field
  /// zero, all ones, one bit or random bits. A quarter are edge values (±0, the least
  /// subnormal, the largest subnormal, the least normal, the largest finite, 1 and its
  /// neighbours).
  public static var finiteFloat: Generator<Value, Shrink.None<Value>> {
    Generator { rng in
      let sign: FloatingPointSign = Bool.random(using: &rng) ? .minus : .plus
      if Int.random(in: 0..<4, using: &rng) == 0 {
        let edges: [Value] = [
          0, .leastNonzeroMagnitude, .leastNormalMagnitude.nextDown, .leastNormalMagnitude,
          .greatestFiniteMagnitude, 1, Value(1).nextUp, Value(1).nextDown, 0.5,
        ]
        let edge = edges[Int.random(in: 0..<edges.count, using: &rng)]
        return sign == .minus ? -edge : edge
      }
      let topExponent = Value.RawExponent((1 << Value.exponentBitCount) - 2)
      let exponent: Value.RawExponent =
        switch Int.random(in: 0..<8, using: &rng) {
        case 0: 0
        case 1: topExponent - Value.RawExponent.random(in: 0...3, using: &rng)
        default: Value.RawExponent.random(in: 0...topExponent, using: &rng)
        }
      let mask = Value.RawSignificand.max >> (Value.RawSignificand.bitWidth - Value.significandBitCount)
      let significand: Value.RawSignificand =
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: 0
        case 1: mask
        case 2: 1 << Value.RawSignificand(Int.random(in: 0..<Value.significandBitCount, using: &rng))
        default: Value.RawSignificand.random(in: 0...mask, using: &rng)
        }
      return Value(sign: sign, exponentBitPattern: exponent, significandBitPattern: significand)
    }
  }
}
