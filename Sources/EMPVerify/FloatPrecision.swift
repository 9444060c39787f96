import Exact

/// An IEEE 754 binary format a float implementation of EMP computes in.
///
/// Corpus inputs are float32 or float64 (`inputFormats`); bfloat16 and float16 are formats
/// an implementation may evaluate in, as PyTorch does: element-wise operations rounded to
/// the 16-bit format, sums accumulated in float32 (``FloatRoundingBound``).
public enum FloatPrecision: String, CaseIterable, Sendable, Codable, Comparable {
  /// bfloat16: 8 significant bits, float32's exponent range.
  case bfloat16
  /// binary16 (`float16`): 11 significant bits, normal down to `2^-14`, largest 65504.
  case float16
  /// binary32 (`float32`, PyTorch's default).
  case float32
  /// binary64 (`float64`, numpy's default).
  case float64

  /// The formats corpus scores are stored in.
  public static let inputFormats: [FloatPrecision] = [.float32, .float64]

  /// Whether this is a 16-bit format, whose sums accumulate in float32.
  public var isHalfWidth: Bool { self == .bfloat16 || self == .float16 }

  /// The significand precision `p` in bits (8, 11, 24 or 53).
  public var significandBits: Int {
    switch self {
    case .bfloat16: 8
    case .float16: 11
    case .float32: 24
    case .float64: 53
    }
  }

  /// The exponent of the largest binade, `emax`.
  private var maximumExponent: Int {
    switch self {
    case .bfloat16, .float32: 127
    case .float16: 15
    case .float64: 1023
    }
  }

  /// The unit roundoff `u = 2^-p`: round to nearest has relative error at most `u`.
  public var unitRoundoff: Rational { Rational(1).timesPowerOfTwo(-significandBits) }

  /// The smallest positive normal number, `2^(1−emax)`.
  public var smallestNormal: Rational { Rational(1).timesPowerOfTwo(1 - maximumExponent) }

  /// The largest finite number, `(2 − 2^(1−p)) · 2^emax`.
  public var greatestFinite: Rational {
    (2 - Rational(1).timesPowerOfTwo(1 - significandBits)).timesPowerOfTwo(maximumExponent)
  }

  /// The least magnitude that rounds to ∞: the midpoint between the greatest finite value and
  /// the next power of two, `greatestFinite · (2 − u)/(2 − 2u)` (round to nearest, ties to even).
  var overflowThreshold: Rational {
    let u = unitRoundoff
    return greatestFinite * (2 - u) / (2 - 2 * u)
  }

  public static func < (lhs: Self, rhs: Self) -> Bool { lhs.significandBits < rhs.significandBits }

  /// Whether every value of `other` is a value of this format: float64 holds them all, float32
  /// the two 16-bit formats; bfloat16 and float16 hold only themselves (neither has the
  /// other's precision and range).
  public func holdsEveryValue(of other: FloatPrecision) -> Bool {
    self == other || self == .float64 || (self == .float32 && other.isHalfWidth)
  }

  /// The value of this format nearest to `value` (ties to even), as a `Double` (exact).
  ///
  /// Rounds once from the exact value: there is no double rounding through `Double`.
  /// - Precondition: `|value|` rounds to a finite value of the format.
  public func nearest(_ value: Rational) -> Double {
    guard self != .float64 else { return Double(value) }
    guard !value.isZero else { return 0 }
    // The binade of |value|: 2^e ≤ |value| < 2^(e+1), with e at least the subnormal floor.
    let magnitude = value.magnitude
    var e = Int(Double(magnitude).exponent)
    if magnitude < Rational(1).timesPowerOfTwo(e) { e -= 1 }
    if magnitude >= Rational(1).timesPowerOfTwo(e + 1) { e += 1 }
    let quantum = max(e, 1 - maximumExponent) - (significandBits - 1)
    let rounded = Rational(value.timesPowerOfTwo(-quantum).roundedToNearestEven()).timesPowerOfTwo(quantum)
    precondition(rounded.magnitude <= greatestFinite, "FloatPrecision: value beyond the \(rawValue) range")
    return Double(rounded)
  }

  /// The shortest decimal that reads back as `value` in this format.
  public func shortestDescription(_ value: Double) -> String {
    switch self {
    case .float16: Float16(value).description
    case .bfloat16, .float32: Float(value).description
    case .float64: value.description
    }
  }
}
