import EMPCore
import EMPFast
import EMPReference
import Exact

/// A real number known exactly, or enclosed between two exact bounds: how the report holds
/// every quantity, so the exact and the fast analysis print through one path.
struct Bracket {
  /// A lower bound of the value (the value itself when exact).
  let lower: Surd
  /// An upper bound of the value (the value itself when exact).
  let upper: Surd
  /// Whether `lower` and `upper` are both the value.
  let isExact: Bool

  /// The exact value `value`.
  init(exactly value: Surd) { (lower, upper, isExact) = (value, value, true) }

  /// The exact rational `value`.
  init(exactly value: Rational) { self.init(exactly: Surd(value)) }

  /// The value enclosed in `[lower, upper]`.
  init(lower: Surd, upper: Surd) { (self.lower, self.upper, isExact) = (lower, upper, false) }

  /// The proven enclosure of a fast-path result (its `Double` bounds read exactly).
  ///
  /// - Precondition: the enclosure is finite.
  init(_ enclosure: Enclosure) {
    self.init(
      lower: Surd(try! Rational(exactly: enclosure.lowerBound)), upper: Surd(try! Rational(exactly: enclosure.upperBound)))
  }

  /// The value when it is exact and rational.
  var exactValue: Rational? { isExact ? lower.exactValue : nil }

  /// The value correctly rounded to as many significant digits as certain, at most
  /// `maxDigits`; `nil` when not even one digit is.
  ///
  /// An exact value is rounded once. For an enclosure, the largest `d ≤ maxDigits` at which
  /// both bounds round to the same string is used: rounding to `d` digits is monotone, so the
  /// value between them rounds to that string too.
  func decimal(maxDigits: Int = 17) -> String? {
    if isExact { return lower.decimalString(significantDigits: maxDigits) }
    for digits in stride(from: maxDigits, through: 1, by: -1) {
      let low = lower.decimalString(significantDigits: digits)
      if low == upper.decimalString(significantDigits: digits) { return low }
    }
    return nil
  }

  /// The value (positive) correctly rounded to `digits` significant digits as ``decimal(maxDigits:)``
  /// prints it, with more digits where that rounding would carry the integer part above
  /// `⌊value⌋`: `N_eff = 117930.69…` prints `117930.7`, not `117931`, beside `ν = 117930`.
  ///
  /// So `⌊shown⌋ = ⌊value⌋` always: when even 17 digits round up to the next integer, the
  /// digits are truncated instead of rounded. Every digit shown is certified: an enclosure
  /// prints only digits on which its two bounds agree.
  ///
  /// - Returns: `nil` when not even the integer part is certain.
  func decimalKeepingFloor(digits: Int) -> String? {
    guard let low = lower.exactValue, let high = upper.exactValue, low.signum > 0, low.floor == high.floor else {
      return decimal(maxDigits: digits)
    }
    let floor = low.floor
    for count in digits...17 {
      guard let text = decimal(maxDigits: count) else { return nil }
      if BigInteger(String(text.prefix { $0 != "." })) == floor { return text }
    }
    // Truncate: the integer part, then the fraction digits both bounds share.
    let integer = floor.description
    let fractionDigits = max(0, 17 - integer.count)
    func fraction(_ x: Rational) -> String {
      let digits = ((x - Rational(floor)) * Rational(10).power(fractionDigits)).floor.description
      return String(repeating: "0", count: fractionDigits - digits.count) + digits
    }
    let shared = zip(fraction(low), fraction(high)).prefix { $0 == $1 }.map(\.0)
    let trimmed = shared.reversed().drop { $0 == "0" }.reversed()
    return trimmed.isEmpty ? integer : integer + "." + String(trimmed)
  }

  /// `⌊value⌋` clamped to `[1, count]` (the shell of an `N_eff`) when both rational bounds
  /// give the same one, else `nil`.
  func clampedFloor(count: Int) -> Int? {
    guard let low = lower.exactValue, let high = upper.exactValue else { return nil }
    let floors = [low, high].map { EMPDefinition.retentionCount(effectiveSampleSize: $0, beta: 1, count: count) }
    return floors[0] == floors[1] ? floors[0] : nil
  }

  /// `value − subtrahend`, for a value enclosed by rationals.
  ///
  /// - Precondition: both bounds are rational.
  func minus(_ subtrahend: Surd) -> Bracket {
    let (low, high) = (lower.exactValue!, upper.exactValue!)
    return isExact ? Bracket(exactly: low - subtrahend) : Bracket(lower: low - subtrahend, upper: high - subtrahend)
  }
}
