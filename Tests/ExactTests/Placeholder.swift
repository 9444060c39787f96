import Testing
import Exact

@Test func smoke() throws {
  #expect(Rational("0.51")! == Rational(51, 100))
  #expect(Rational("1e-3")! == Rational(1, 1000))
  #expect(Rational("-12/7")!.description == "-12/7")
  #expect(Rational("12/-7") == nil)
  #expect(Rational(1, 3).decimalString(significantDigits: 17) == "0.33333333333333333")
  #expect(Rational(25, 13).decimalString(significantDigits: 20) == "1.9230769230769230769")
  #expect(Double(Rational(1, 3)) == 1.0 / 3.0)
  #expect(Double(try Rational(exactly: 5e-324)) == 5e-324)
  #expect(Double(try Rational(exactly: Double.greatestFiniteMagnitude)) == .greatestFiniteMagnitude)
  #expect(try Rational(exactly: Float(0.1)) == Rational(numerator: BigInteger(13421773), denominator: BigInteger(1).shifted(by: 27)))
  #expect(Rational(1, 8).decimalString(significantDigits: 1) == "0.1")
  #expect(Rational(123456, 1).decimalString(significantDigits: 3) == "123000")
  #expect(Rational(1, 10_000_000).decimalString(significantDigits: 3) == "1e-7")
}
