import Exact
import Foundation
import PropertyBased
import Testing
import _TestSupport

/// The exact value of an IEEE 754 binary bit pattern, decoded with integer operations only
/// (no float and no GMP arithmetic): `nil` for NaN and infinities, otherwise the canonical
/// fraction as magnitude words of numerator and denominator and a sign.
struct DecodedFloat: Equatable {
  var isNegative: Bool
  var numeratorWords: [UInt64]
  var denominatorWords: [UInt64]

  init?(bits: UInt64, exponentBitCount: Int, fractionBitCount: Int) {
    let fraction = bits & (1 << UInt64(fractionBitCount) - 1)
    let biased = Int((bits >> UInt64(fractionBitCount)) & (1 << UInt64(exponentBitCount) - 1))
    if biased == (1 << exponentBitCount) - 1 { return nil }
    let bias = (1 << (exponentBitCount - 1)) - 1
    var significand = biased == 0 ? fraction : fraction | 1 << UInt64(fractionBitCount)
    var exponent = (biased == 0 ? 1 : biased) - bias - fractionBitCount
    isNegative = significand != 0 && bits >> UInt64(exponentBitCount + fractionBitCount) & 1 == 1
    guard significand != 0 else {
      (numeratorWords, denominatorWords) = ([], [1])
      return
    }
    let zeros = significand.trailingZeroBitCount
    significand >>= UInt64(zeros)
    exponent += zeros
    numeratorWords = Self.words(significand, shiftedLeftBy: max(exponent, 0))
    denominatorWords = Self.words(1, shiftedLeftBy: max(-exponent, 0))
  }

  init(_ r: Rational) {
    isNegative = r.signum < 0
    numeratorWords = r.numerator.littleEndianWords
    denominatorWords = r.denominator.littleEndianWords
  }

  /// The little-endian words of `value · 2^shift`, without leading zero words.
  static func words(_ value: UInt64, shiftedLeftBy shift: Int) -> [UInt64] {
    var words = [UInt64](repeating: 0, count: shift / 64 + 2)
    words[shift / 64] = value << UInt64(shift % 64)
    if shift % 64 != 0 { words[shift / 64 + 1] = value >> UInt64(64 - shift % 64) }
    while words.last == 0 { words.removeLast() }
    return words
  }
}

/// Checks `Rational(exactly:)` on one bit pattern against the integer decoding; records an
/// issue and returns `false` if they differ.
@discardableResult
func expectExactConversion(
  bits: UInt64, exponentBitCount: Int, fractionBitCount: Int,
  _ convert: () throws(ExactConversionError) -> Rational,
  sourceLocation: SourceLocation = #_sourceLocation
) -> Bool {
  let expected = DecodedFloat(bits: bits, exponentBitCount: exponentBitCount, fractionBitCount: fractionBitCount)
  let bitsText = "bits 0x" + String(bits, radix: 16)
  do {
    let value = try convert()
    guard let expected else {
      Issue.record("\(bitsText) is not finite but converted to \(value)", sourceLocation: sourceLocation)
      return false
    }
    guard DecodedFloat(value) == expected else {
      Issue.record("\(bitsText) converted to \(value), expected \(expected)", sourceLocation: sourceLocation)
      return false
    }
  } catch {
    guard expected == nil, error == .nonFinite(bitPattern: bits) else {
      Issue.record("\(bitsText) threw \(error)", sourceLocation: sourceLocation)
      return false
    }
  }
  return true
}

/// Runs `check` on all 65,536 patterns of a 16-bit format, stopping after 10 failures.
func forEverySixteenBitPattern(_ check: (UInt16) -> Bool) {
  var failures = 0
  for bits in UInt16.min...UInt16.max where !check(bits) {
    failures += 1
    if failures == 10 { return }
  }
}

@Suite struct FloatConversionTests {
  @Test func everyFloat16() {
    forEverySixteenBitPattern { bits in
      expectExactConversion(bits: UInt64(bits), exponentBitCount: 5, fractionBitCount: 10) {
        () throws(ExactConversionError) in try Rational(exactly: Float16(bitPattern: bits))
      }
    }
  }

  @Test func everyBFloat16() {
    forEverySixteenBitPattern { bits in
      expectExactConversion(bits: UInt64(bits), exponentBitCount: 8, fractionBitCount: 7) {
        () throws(ExactConversionError) in try Rational(exactly: BFloat16(bitPattern: bits))
      }
    }
  }

  @Test func randomFloats() async {
    await seededPropertyCheck(count: 2000, input: Gen<Float>.finiteFloat) { value in
      expectExactConversion(bits: UInt64(value.bitPattern), exponentBitCount: 8, fractionBitCount: 23) {
        () throws(ExactConversionError) in try Rational(exactly: value)
      }
      let exact = try Rational(exactly: value)
      #expect(Double(exact) == Double(value))
    }
  }

  @Test func randomDoubles() async {
    await seededPropertyCheck(count: 2000, input: Gen<Double>.finiteFloat) { value in
      expectExactConversion(bits: value.bitPattern, exponentBitCount: 11, fractionBitCount: 52) {
        () throws(ExactConversionError) in try Rational(exactly: value)
      }
      // Round trip; -0.0 becomes the rational 0 and comes back as +0.0.
      let exact = try Rational(exactly: value)
      let back = Double(exact)
      #expect(back.bitPattern == (value == 0 ? 0 : value.bitPattern))
    }
  }

  @Test(arguments: [Float.nan, -.nan, .signalingNaN, .infinity, -.infinity, Float(bitPattern: 0x7fc0_1234)])
  func nonFiniteFloatsThrow(_ value: Float) {
    #expect(throws: ExactConversionError.nonFinite(bitPattern: UInt64(value.bitPattern))) {
      try Rational(exactly: value)
    }
  }

  @Test(arguments: [Double.nan, -.nan, .signalingNaN, .infinity, -.infinity, Double(bitPattern: 0xfff8_0000_dead_beef)])
  func nonFiniteDoublesThrow(_ value: Double) {
    #expect(throws: ExactConversionError.nonFinite(bitPattern: value.bitPattern)) {
      try Rational(exactly: value)
    }
  }

  @Test func bigIntegerExactlyFromDouble() async {
    await seededPropertyCheck(count: 2000, input: Gen<Double>.finiteFloat) { value in
      let exact = try Rational(exactly: value)
      let integer = BigInteger(exactly: value)
      #expect((integer != nil) == exact.isInteger)
      if let integer { #expect(Rational(integer) == exact) }
    }
    #expect(BigInteger(exactly: Double.nan) == nil && BigInteger(exactly: -Double.infinity) == nil)
    #expect(BigInteger(exactly: -0.0) == 0 && BigInteger(exactly: 0.5) == nil && BigInteger(exactly: -3.0) == -3)
    #expect(BigInteger(exactly: Float16(2048)) == 2048 && BigInteger(exactly: Float.leastNonzeroMagnitude) == nil)
    #expect(BigInteger(exactly: Double.greatestFiniteMagnitude) == BigInteger((1 << 53) - 1).shifted(by: 971))
  }
}

@Suite struct DoubleRoundingTests {
  static let two1024 = Rational(1).timesPowerOfTwo(1024)

  /// Whether `d == Double(r)` is `r` correctly rounded to `Double`, ties to even, decided
  /// with exact distances to the neighbours of `d` (2^1024 stands above the largest finite).
  static func isCorrectlyRounded(_ d: Double, _ r: Rational) -> Bool {
    guard !d.isNaN else { return false }
    if r.isZero { return d == 0 && d.sign == .plus }
    guard d.sign == (r.signum < 0 ? .minus : .plus) else { return false }
    let a = r.magnitude
    let m = d.magnitude
    if m == .infinity {  // at or above the halfway point between the largest finite and 2^1024
      return a >= (try! Rational(exactly: Double.greatestFiniteMagnitude) + two1024).timesPowerOfTwo(-1)
    }
    let x = try! Rational(exactly: m)
    let error = (a - x).magnitude
    let isEven = m.significandBitPattern & 1 == 0
    let up = m == .greatestFiniteMagnitude ? two1024 : try! Rational(exactly: m.nextUp)
    var neighbours = [up]
    if m != 0 { neighbours.append(try! Rational(exactly: m.nextDown)) }
    for neighbour in neighbours {
      let other = (a - neighbour).magnitude
      if error > other || (error == other && !isEven) { return false }
    }
    return true
  }

  @Test func randomRationalsRoundCorrectly() async {
    await seededPropertyCheck(count: 1500, input: Gen<Rational>.aroundDoubles) { r in
      let d = Double(r)
      #expect(Self.isCorrectlyRounded(d, r), "\(r) → \(d)")
    }
  }

  @Test func randomRationalsOfManyWordsRoundCorrectly() async {
    await seededPropertyCheck(count: 500, input: Gen<Rational>.rational(maxWordCount: 8)) { r in
      let d = Double(r)
      #expect(Self.isCorrectlyRounded(d, r), "\(r) → \(d)")
    }
  }

  @Test func boundaryCases() throws {
    let tiny = Rational(1).timesPowerOfTwo(-1074)  // least subnormal
    let largest = try Rational(exactly: Double.greatestFiniteMagnitude)
    let overflowHalfway = (largest + Self.two1024).timesPowerOfTwo(-1)
    let cases: [(Rational, Double)] = [
      (overflowHalfway, .infinity),
      (-overflowHalfway, -.infinity),
      (overflowHalfway - tiny, .greatestFiniteMagnitude),
      (Self.two1024, .infinity),
      (tiny.timesPowerOfTwo(-1), 0),  // halfway to the least subnormal: ties to 0 (even)
      (-tiny.timesPowerOfTwo(-1), -0.0),
      (tiny.timesPowerOfTwo(-1) + tiny.timesPowerOfTwo(-60), .leastNonzeroMagnitude),
      (tiny * 3 / 2, 2 * .leastNonzeroMagnitude),  // tie between 1 and 2 ulps: even is 2
      (tiny * 5 / 2, 2 * .leastNonzeroMagnitude),
      (Rational(1).timesPowerOfTwo(-1022) - tiny.timesPowerOfTwo(-1), .leastNormalMagnitude),
      (Rational(1) + Rational(1).timesPowerOfTwo(-53), 1),
      (Rational(1) + Rational(3).timesPowerOfTwo(-53), 1 + 2 * .ulpOfOne),
      (Rational(1, 3), 1.0 / 3.0),
      (Rational(-2, 3), -2.0 / 3.0),
      (Rational(1).timesPowerOfTwo(-1100), 0),
      (-Rational(1).timesPowerOfTwo(2000), -.infinity),
    ]
    for (r, expected) in cases {
      let d = Double(r)
      #expect(d.bitPattern == expected.bitPattern, "\(r) → \(d), expected \(expected)")
      #expect(Self.isCorrectlyRounded(expected, r))
    }
  }
}
