import BigInt
import Exact
import PropertyBased
import Testing
import _TestSupport

/// The canonical-form invariant of every `Rational`: positive denominator, coprime parts,
/// zero as 0/1.
func isCanonical(_ r: Rational) -> Bool {
  let (n, d) = (r.numerator, r.denominator)
  return d.signum > 0 && BigInteger.gcd(n, d) == 1 && (!n.isZero || d == 1)
}

@Suite struct RationalArithmeticTests {
  static let pairs = zip(Gen<FractionParts>.fractionParts(), Gen<FractionParts>.fractionParts())

  @Test func constructionIsCanonicalAndMatchesOracle() async {
    await seededPropertyCheck(count: 400, input: Gen<FractionParts>.fractionParts()) { a in
      let r = a.rational
      #expect(isCanonical(r))
      #expect(OracleFraction(r) == OracleFraction(a))
      #expect(r.isInteger == (OracleFraction(a).denominator == 1))
      #expect(r.signum == OracleFraction(a).numerator.signum())
    }
    #expect(Rational(0, -5).numerator == 0 && Rational(0, -5).denominator == 1)
    #expect(Rational(6, -4).numerator == -3 && Rational(6, -4).denominator == 2)
  }

  @Test func fieldOperationsMatchOracle() async {
    await seededPropertyCheck(count: 300, input: Self.pairs) { a, b in
      let (x, y) = (a.rational, b.rational)
      let (p, q) = (OracleFraction(a), OracleFraction(b))
      let results = [(x + y, p + q), (x - y, p - q), (x * y, p * q), (-x, OracleFraction(0) - p)]
      for (value, expected) in results {
        #expect(OracleFraction(value) == expected)
        #expect(isCanonical(value))
      }
      var sum = x, difference = x, product = x
      sum += y
      difference -= y
      product *= y
      #expect(OracleFraction(sum) == p + q)
      #expect(OracleFraction(difference) == p - q)
      #expect(OracleFraction(product) == p * q)
      if !y.isZero {
        #expect(OracleFraction(x / y) == p / q)
        var quotient = x
        quotient /= y
        #expect(OracleFraction(quotient) == p / q)
        #expect(OracleFraction(y.reciprocal) == OracleFraction(1) / q)
        #expect(isCanonical(x / y) && isCanonical(y.reciprocal))
      }
    }
  }

  @Test func fieldLaws() async {
    let input = zip(Gen<FractionParts>.fractionParts(maxWordCount: 2), Self.pairs)
    await seededPropertyCheck(count: 200, input: input) { a, pair in
      let (x, y, z) = (a.rational, pair.0.rational, pair.1.rational)
      #expect(x + y == y + x && x * y == y * x)
      #expect((x + y) + z == x + (y + z) && (x * y) * z == x * (y * z))
      #expect(x * (y + z) == x * y + x * z)
      #expect(x + .zero == x && x * 1 == x && x - x == .zero && x + -x == .zero)
      if !x.isZero { #expect(x * x.reciprocal == 1 && x.reciprocal.reciprocal == x) }
    }
  }

  @Test func floorAndCeilingMatchOracle() async {
    await seededPropertyCheck(count: 400, input: Gen<FractionParts>.fractionParts()) { a in
      let r = a.rational
      let oracle = OracleFraction(a)
      #expect(BigInt(r.floor) == oracle.floor)
      let ceiling = oracle.denominator == 1 ? oracle.floor : oracle.floor + 1
      #expect(BigInt(r.ceiling) == ceiling)
      #expect(Rational(r.floor) <= r && r < Rational(r.floor + 1))
      let rounded = r.roundedToNearestEven()
      let distance = (r - Rational(rounded)).magnitude
      #expect(distance <= Rational(1, 2))
      if distance == Rational(1, 2) { #expect(rounded % 2 == 0) }
    }
    #expect(Rational(-7, 2).floor == -4 && Rational(-7, 2).ceiling == -3)
    #expect(Rational(5, 2).roundedToNearestEven() == 2 && Rational(-5, 2).roundedToNearestEven() == -2)
    #expect(Rational(7, 2).roundedToNearestEven() == 4 && Rational(-7, 2).roundedToNearestEven() == -4)
  }

  @Test func integerPowersMatchOracle() async {
    let input = zip(Gen<FractionParts>.fractionParts(maxWordCount: 2), Gen.int(in: -7...7))
    await seededPropertyCheck(count: 300, input: input) { a, n in
      let r = a.rational
      guard !(r.isZero && n < 0) else { return }
      let oracle = OracleFraction(a)
      let base = n < 0 ? OracleFraction(1) / oracle : oracle
      let expected = OracleFraction(base.numerator.power(Int(n.magnitude)), base.denominator.power(Int(n.magnitude)))
      let value = r.power(n)
      #expect(OracleFraction(value) == expected)
      #expect(isCanonical(value))
    }
    #expect(Rational(0).power(0) == 1)
    #expect(Rational(-2, 3).power(-3) == Rational(-27, 8))
    #expect(Rational(-1).power(.min) == 1 && Rational(-1).power(.max) == -1)
  }

  @Test func timesPowerOfTwoMatchesOracle() async {
    let input = zip(Gen<FractionParts>.fractionParts(), Gen.int(in: -300...300))
    await seededPropertyCheck(count: 300, input: input) { a, k in
      let power = OracleFraction(BigInt(1) << k.magnitude)
      let expected = k >= 0 ? OracleFraction(a) * power : OracleFraction(a) / power
      let value = a.rational.timesPowerOfTwo(k)
      #expect(OracleFraction(value) == expected)
      #expect(isCanonical(value))
    }
    #expect(Rational(0).timesPowerOfTwo(.min) == 0 && Rational(0).timesPowerOfTwo(1 << 40) == 0)
  }

  @Test func comparisonAndHashingAgree() async {
    await seededPropertyCheck(count: 400, input: Self.pairs) { a, b in
      let (x, y) = (a.rational, b.rational)
      let (p, q) = (OracleFraction(a), OracleFraction(b))
      #expect((x < y) == (p < q))
      #expect((x == y) == (p == q))
      // Equal values built in different ways hash alike.
      let scaled = FractionParts(
        numerator: SignedWords(words: [0] + a.numerator.words, isNegative: !a.numerator.isNegative),
        denominator: SignedWords(words: [0] + a.denominator.words, isNegative: !a.denominator.isNegative))
      let rebuilt = (x + y) - y
      #expect(scaled.rational == x && rebuilt == x)
      #expect(scaled.rational.hashValue == x.hashValue && rebuilt.hashValue == x.hashValue)
    }
  }
}
