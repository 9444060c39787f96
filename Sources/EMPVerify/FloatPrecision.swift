import Exact

/// An IEEE 754 binary format a float implementation of EMP computes in.
public enum FloatPrecision: String, CaseIterable, Sendable, Codable, Comparable {
  /// binary32 (`float32`, PyTorch's default).
  case float32
  /// binary64 (`float64`, numpy's default).
  case float64

  /// The significand precision `p` in bits (24 or 53).
  public var significandBits: Int { self == .float32 ? 24 : 53 }

  /// The unit roundoff `u = 2^-p`: round to nearest has relative error at most `u`.
  public var unitRoundoff: Rational { Rational(1).timesPowerOfTwo(-significandBits) }

  /// The smallest positive normal number, `2^-126` or `2^-1022`.
  public var smallestNormal: Rational { Rational(1).timesPowerOfTwo(self == .float32 ? -126 : -1022) }

  /// The largest finite number, `(2 − 2^(1−p)) · 2^emax`.
  public var greatestFinite: Rational {
    let emax = self == .float32 ? 127 : 1023
    return (2 - Rational(1).timesPowerOfTwo(1 - significandBits)).timesPowerOfTwo(emax)
  }

  public static func < (lhs: Self, rhs: Self) -> Bool { lhs.significandBits < rhs.significandBits }

  /// The value of this format nearest to `value` (ties to even), as a `Double` (exact).
  ///
  /// Rounds once from the exact value: there is no double rounding through `Double`.
  /// - Precondition: `|value|` is within the finite range of the format.
  public func nearest(_ value: Rational) -> Double {
    let wide = Double(value)
    guard self == .float32 else { return wide }
    let narrow = Float(wide)
    precondition(narrow.isFinite, "FloatPrecision: value beyond the float32 range")
    var best = narrow
    var bestError = Rational(finite: narrow) - value
    for neighbour in [narrow.nextDown, narrow.nextUp] where neighbour.isFinite {
      let error = Rational(finite: neighbour) - value
      let order = error.magnitude < bestError.magnitude ? -1 : error.magnitude == bestError.magnitude ? 0 : 1
      if order < 0 || (order == 0 && neighbour.significandBitPattern & 1 == 0) {
        best = neighbour
        bestError = error
      }
    }
    return Double(best)
  }

  /// The shortest decimal that reads back as `value` in this format.
  public func shortestDescription(_ value: Double) -> String {
    self == .float32 ? Float(value).description : value.description
  }
}
