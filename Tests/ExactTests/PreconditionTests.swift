import Exact
import Testing

/// Each programmer error the exact types must stop with a precondition failure.
enum PreconditionViolation: String, CaseIterable, Codable, Sendable {
  case bigIntegerDivisionByZero, bigIntegerRemainderByZero, bigIntegerDivideAssignByZero
  case bigIntegerRemainderAssignByZero, bigIntegerFlooredDivisionByZero, bigIntegerNegativePower
  case bigIntegerSquareRootOfNegative, bigIntegerTrailingZerosOfZero
  case rationalZeroDenominator, rationalIntZeroDenominator, rationalDivisionByZero
  case rationalDivideAssignByZero, rationalReciprocalOfZero, rationalNegativePowerOfZero
  case decimalStringWithoutDigits
  case squareRootSumNegativeRadicand, squareRootSumNegativePrecision

  /// Performs the violation; returns only if no precondition stopped it.
  func perform() {
    let zero = BigInteger(0), seven = BigInteger(7)
    var x = seven
    var r = Rational(7, 2)
    let result: Any
    switch self {
    case .bigIntegerDivisionByZero: result = seven / zero
    case .bigIntegerRemainderByZero: result = seven % zero
    case .bigIntegerDivideAssignByZero: x /= zero; result = x
    case .bigIntegerRemainderAssignByZero: x %= zero; result = x
    case .bigIntegerFlooredDivisionByZero: result = seven.flooredQuotientAndRemainder(dividingBy: zero)
    case .bigIntegerNegativePower: result = seven.power(-1)
    case .bigIntegerSquareRootOfNegative: result = (-seven).squareRootFloor()
    case .bigIntegerTrailingZerosOfZero: result = zero.trailingZeroBitCount
    case .rationalZeroDenominator: result = Rational(numerator: seven, denominator: zero)
    case .rationalIntZeroDenominator: result = Rational(1, 0)
    case .rationalDivisionByZero: result = r / Rational(0)
    case .rationalDivideAssignByZero: r /= Rational(0); result = r
    case .rationalReciprocalOfZero: result = Rational(0).reciprocal
    case .rationalNegativePowerOfZero: result = Rational(0).power(-2)
    case .decimalStringWithoutDigits: result = r.decimalString(significantDigits: 0)
    case .squareRootSumNegativeRadicand: result = SquareRootSum(terms: [(1, Rational(-2))])
    case .squareRootSumNegativePrecision: result = SquareRootSum(terms: [(1, r)]).enclosure(bits: -1)
    }
    print("no precondition failure; computed \(result)")
  }
}

@Suite struct PreconditionTests {
  @Test(arguments: PreconditionViolation.allCases)
  func stopsTheProcess(_ violation: PreconditionViolation) async {
    await #expect(processExitsWith: .failure) { [violation] in
      violation.perform()
    }
  }

  /// The exit tests above are only meaningful if the same code exits normally without the
  /// violation.
  @Test func controlExitsNormally() async {
    await #expect(processExitsWith: .success) {
      let seven = BigInteger(7)
      _ = seven / 2
      _ = Rational(7, 2).reciprocal
    }
  }
}
