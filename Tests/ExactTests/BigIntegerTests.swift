import BigInt
import Exact
import PropertyBased
import Testing
import _TestSupport

@Suite struct BigIntegerArithmeticTests {
  static let pairs = zip(Gen<SignedWords>.signedWords(), Gen<SignedWords>.signedWords())

  @Test func addSubtractMultiplyNegateMatchOracle() async {
    await seededPropertyCheck(count: 400, input: Self.pairs) { a, b in
      let (x, y) = (a.bigInteger, b.bigInteger)
      let (p, q) = (BigInt(a), BigInt(b))
      #expect(BigInt(x + y) == p + q)
      #expect(BigInt(x - y) == p - q)
      #expect(BigInt(x * y) == p * q)
      #expect(BigInt(-x) == -p)
      #expect(BigInt(x.magnitude) == BigInt(p.magnitude))
      #expect(x.signum == p.signum())
      #expect(x.isZero == p.isZero)
      var sum = x, difference = x, product = x
      sum += y
      difference -= y
      product *= y
      #expect(BigInt(sum) == p + q)
      #expect(BigInt(difference) == p - q)
      #expect(BigInt(product) == p * q)
    }
  }

  @Test func divisionMatchesOracle() async {
    await seededPropertyCheck(count: 400, input: Self.pairs) { a, b in
      guard !b.isZero else { return }
      let (x, y) = (a.bigInteger, b.bigInteger)
      let (p, q) = (BigInt(a), BigInt(b))
      let (truncatedQuotient, truncatedRemainder) = p.quotientAndRemainder(dividingBy: q)
      #expect(BigInt(x / y) == truncatedQuotient)
      #expect(BigInt(x % y) == truncatedRemainder)
      var quotient = x, remainder = x
      quotient /= y
      remainder %= y
      #expect(BigInt(quotient) == truncatedQuotient)
      #expect(BigInt(remainder) == truncatedRemainder)
      let floored = x.flooredQuotientAndRemainder(dividingBy: y)
      let expected = p.flooredDivision(by: q)
      #expect(BigInt(floored.quotient) == expected.quotient)
      #expect(BigInt(floored.remainder) == expected.remainder)
      // The division rule and the sign of each remainder, independently of the oracle.
      #expect(floored.quotient * y + floored.remainder == x)
      #expect(floored.remainder.isZero || floored.remainder.signum == y.signum)
      #expect((x % y).isZero || (x % y).signum == x.signum)
    }
  }

  @Test func powerMatchesOracle() async {
    let input = zip(Gen<SignedWords>.signedWords(maxWordCount: 3), Gen.int(in: 0...9))
    await seededPropertyCheck(count: 200, input: input) { a, n in
      #expect(BigInt(a.bigInteger.power(n)) == BigInt(a).power(n))
    }
  }

  @Test func shiftsAreFlooredPowerOfTwoScaling() async {
    let input = zip(Gen<SignedWords>.signedWords(), Gen.int(in: -300...300))
    await seededPropertyCheck(count: 400, input: input) { a, shift in
      let p = BigInt(a)
      let power = BigInt(1) << shift.magnitude
      let expected = shift >= 0 ? p * power : p.flooredDivision(by: power).quotient
      #expect(BigInt(a.bigInteger.shifted(by: shift)) == expected)
    }
  }

  @Test func extremeShifts() {
    #expect(BigInteger(-5).shifted(by: .min) == BigInteger(-1))
    #expect(BigInteger(5).shifted(by: .min) == BigInteger(0))
    #expect(BigInteger(0).shifted(by: .min) == BigInteger(0))
    #expect(BigInteger(0).shifted(by: 1 << 40) == BigInteger(0))
  }

  @Test func gcdMatchesOracle() async {
    // Common factors are planted so that the gcd is usually not 1.
    let input = zip(Self.pairs, Gen<SignedWords>.signedWords(maxWordCount: 2))
    await seededPropertyCheck(count: 300, input: input) { pair, factor in
      let c = factor.bigInteger
      let (x, y) = (pair.0.bigInteger * c, pair.1.bigInteger * c)
      let expected = (BigInt(pair.0) * BigInt(factor)).greatestCommonDivisor(with: BigInt(pair.1) * BigInt(factor))
      let g = BigInteger.gcd(x, y)
      #expect(BigInt(g) == expected)
      #expect(g.signum >= 0)
    }
    #expect(BigInteger.gcd(0, 0) == 0)
    #expect(BigInteger.gcd(0, -7) == 7)
  }

  @Test func squareRootFloorMatchesOracle() async {
    await seededPropertyCheck(count: 300, input: Gen<SignedWords>.signedWords(maxWordCount: 8)) { a in
      let x = a.bigInteger.magnitude
      let r = x.squareRootFloor()
      #expect(BigInt(r) == BigInt(BigInt(a).magnitude.squareRoot()))
      #expect(r * r <= x && x < (r + 1) * (r + 1))
    }
    for n in 0...300 {
      #expect(BigInteger(n).squareRootFloor().intValue == Int(Double(n).squareRoot()))
    }
  }

  @Test func comparisonAndHashingAgree() async {
    await seededPropertyCheck(count: 400, input: Self.pairs) { a, b in
      let (x, y) = (a.bigInteger, b.bigInteger)
      let (p, q) = (BigInt(a), BigInt(b))
      #expect((x < y) == (p < q))
      #expect((x == y) == (p == q))
      #expect((x <= y) == (p <= q))
      // The same value built from words with extra leading zeros, and by arithmetic.
      let padded = BigInteger(littleEndianWords: a.words + [0, 0], isNegative: a.isNegative)
      let rebuilt = (x + y) - y
      #expect(padded == x && rebuilt == x)
      #expect(padded.hashValue == x.hashValue && rebuilt.hashValue == x.hashValue)
      if x == y { #expect(x.hashValue == y.hashValue) }
    }
    #expect(BigInteger(littleEndianWords: [], isNegative: true).hashValue == BigInteger(0).hashValue)
  }

  @Test func bitCountsMatchOracle() async {
    await seededPropertyCheck(count: 300, input: Gen<SignedWords>.signedWords()) { a in
      let x = a.bigInteger
      let magnitude = BigInt(a).magnitude
      #expect(x.bitWidthOfMagnitude == magnitude.bitWidth)
      if !x.isZero { #expect(x.trailingZeroBitCount == magnitude.trailingZeroBitCount) }
    }
  }
}

@Suite struct BigIntegerConversionTests {
  @Test func wordsRoundTrip() async {
    await seededPropertyCheck(count: 400, input: Gen<SignedWords>.signedWords(maxWordCount: 10)) { a in
      let x = a.bigInteger
      var trimmed = a.words
      while trimmed.last == 0 { trimmed.removeLast() }
      #expect(x.littleEndianWords == trimmed)
      #expect(x.signum == (trimmed.isEmpty ? 0 : a.isNegative ? -1 : 1))
      #expect(BigInteger(littleEndianWords: x.littleEndianWords, isNegative: x.signum < 0) == x)
    }
  }

  @Test func intValueIsExactlyTheIntRange() async {
    await seededPropertyCheck(count: 400, input: Gen<SignedWords>.signedWords(maxWordCount: 2)) { a in
      let p = BigInt(a)
      #expect(a.bigInteger.intValue == Int(exactly: p))
    }
    #expect(BigInteger(Int.min).intValue == Int.min)
    #expect(BigInteger(Int.max).intValue == Int.max)
    #expect((BigInteger(Int.max) + 1).intValue == nil)
    #expect((BigInteger(Int.min) - 1).intValue == nil)
    #expect(BigInteger(UInt64.max).intValue == nil)
    #expect(BigInteger(UInt64.max) == BigInteger(littleEndianWords: [.max]))
  }

  @Test func descriptionMatchesOracleAndRoundTrips() async {
    await seededPropertyCheck(count: 400, input: Gen<SignedWords>.signedWords(maxWordCount: 10)) { a in
      let x = a.bigInteger
      #expect(x.description == BigInt(a).description)
      #expect(BigInteger(x.description) == x)
      #expect(BigInteger("+" + BigInt(a).magnitude.description) == x.magnitude)
      #expect(BigInteger("000" + BigInt(a).magnitude.description) == x.magnitude)
    }
  }

  @Test(arguments: [
    "", "+", "-", "--1", "+-1", " 1", "1 ", "1 2", "\t1", "1\n", "0x10", "1e3", "1.0", "1_000",
    "١٢", "１２", "nan", "inf", "12a", "- 1",
  ])
  func parsingRejects(_ text: String) {
    #expect(BigInteger(text) == nil)
  }

  @Test func parsingRejectsEmbeddedNUL() {
    // A C string would end at the NUL and read "1".
    #expect(BigInteger("1\u{0}") == nil)
    #expect(BigInteger("1\u{0}2") == nil)
  }

  @Test func parsingAccepts() {
    #expect(BigInteger("-0") == 0)
    #expect(BigInteger("+7") == 7)
    #expect(BigInteger("-120") == -120)
    #expect(BigInteger("18446744073709551616") == BigInteger(littleEndianWords: [0, 1]))
  }

  @Test func doubleOfBigIntegerRoundsLikeRational() async {
    await seededPropertyCheck(count: 300, input: Gen<SignedWords>.signedWords(maxWordCount: 20)) { a in
      let x = a.bigInteger
      #expect(Double(x).bitPattern == Double(Rational(x)).bitPattern)
    }
    #expect(Double(BigInteger(1).shifted(by: 1024)) == .infinity)
    #expect(Double(BigInteger((1 << 53) + 1)) == Double(1 << 53))
  }
}
