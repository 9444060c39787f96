import EMPCore
import EMPFast
import Exact

extension Enclosure where Bound == Surd {
  /// The exact rational `value`.
  public init(exactly value: Rational) { self.init(exactly: Surd(value)) }

  /// The proven enclosure of a fast-path result, its `Double` estimate and bounds read exactly.
  ///
  /// - Precondition: the enclosure is finite.
  public init(_ enclosure: Enclosure<Double>) {
    let exact = enclosure.exactBounds
    self.init(estimate: Surd(exact.estimate), lowerBound: Surd(exact.lowerBound), upperBound: Surd(exact.upperBound))
  }

  /// The value when it is exact and rational.
  public var exactRational: Rational? { exactValue?.exactValue }

  /// The value correctly rounded to as many significant digits as certain, at most
  /// `maxDigits`; `nil` when not even one digit is.
  ///
  /// An exact value is rounded once. For an enclosure, the largest `d ≤ maxDigits` at which
  /// both bounds round to the same string is used: rounding to `d` digits is monotone, so the
  /// value between them rounds to that string too.
  public func decimal(maxDigits: Int = 17) -> String? {
    if isExact { return lowerBound.decimalString(significantDigits: maxDigits) }
    for digits in stride(from: maxDigits, through: 1, by: -1) {
      let low = lowerBound.decimalString(significantDigits: digits)
      if low == upperBound.decimalString(significantDigits: digits) { return low }
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
  public func decimalKeepingFloor(digits: Int) -> String? {
    guard let low = lowerBound.exactValue, let high = upperBound.exactValue, low.signum > 0, low.floor == high.floor
    else {
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
  public func clampedFloor(count: Int) -> Int? {
    guard let low = lowerBound.exactValue, let high = upperBound.exactValue else { return nil }
    let floors = [low, high].map { EMPDefinition.retentionCount(effectiveSampleSize: $0, beta: 1, count: count) }
    return floors[0] == floors[1] ? floors[0] : nil
  }

  /// `value − subtrahend`, for a value enclosed by rationals.
  ///
  /// - Precondition: both bounds are rational.
  public func minus(_ subtrahend: Surd) -> Enclosure<Surd> {
    let (low, high) = (lowerBound.exactValue!, upperBound.exactValue!)
    return isExact
      ? Enclosure(exactly: low - subtrahend)
      : Enclosure(estimate: estimate.exactValue! - subtrahend, lowerBound: low - subtrahend, upperBound: high - subtrahend)
  }

  /// `1 − value`, for a value enclosed by rationals.
  ///
  /// - Precondition: both bounds are rational.
  public var minusFromOne: Enclosure<Surd> {
    let one = Rational(1)
    return isExact
      ? Enclosure(exactly: one - lowerBound.exactValue!)
      : Enclosure(
        estimate: Surd(one - estimate.exactValue!), lowerBound: Surd(one - upperBound.exactValue!),
        upperBound: Surd(one - lowerBound.exactValue!))
  }
}
