import Exact

/// The exact sums `Σ|x|` and `Σx²` that N_eff and s_eff are made of.
///
/// `init(exactlyOf:)` is the one place where float buffers are summed; it converts each
/// float to its exact rational value, and an exact superaccumulator can replace it
/// without changing any result.
struct Moments {
  /// `Σ|x|`.
  var absoluteSum: Rational = 0
  /// `Σx²`.
  var sumOfSquares: Rational = 0

  /// The sums of non-negative rationals.
  init(of magnitudes: [Rational]) {
    for m in magnitudes {
      absoluteSum += m
      sumOfSquares += m * m
    }
  }

  /// The exact sums of finite floats.
  ///
  /// - Precondition: every value is finite.
  init<F: BinaryFloatingPoint>(exactlyOf values: [F]) {
    for x in values {
      guard let m = try? Rational(exactly: x.magnitude) else { preconditionFailure("Moments: non-finite value") }
      absoluteSum += m
      sumOfSquares += m * m
    }
  }
}
