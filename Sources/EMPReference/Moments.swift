import Exact

/// The exact sums `Σ|x|` and `Σx²` that N_eff and s_eff are made of.
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

  /// The exact sums of finite floats (`Float16`, `Float`, `Double`), by the exact
  /// superaccumulator: no sum is rounded.
  ///
  /// - Precondition: every value is finite.
  init<F: BinaryFloatingPoint>(exactlyOf values: [F]) {
    var accumulator = MomentAccumulator()
    values.withUnsafeBytes { accumulator.add(contentsOf: $0, format: .of(F.self)) }
    precondition(accumulator.nonFiniteCount == 0, "Moments: non-finite value")
    absoluteSum = accumulator.absoluteSum
    sumOfSquares = accumulator.sumOfSquares
  }
}

extension MomentAccumulator.ElementFormat {
  /// The format of a standard-library binary float type.
  ///
  /// - Precondition: `F` is `Float16`, `Float` or `Double`.
  static func of<F: BinaryFloatingPoint>(_: F.Type) -> Self {
    switch (F.exponentBitCount, F.significandBitCount) {
    case (5, 10): .float16
    case (8, 23): .float32
    case (11, 52): .float64
    default: preconditionFailure("Moments: unsupported float format \(F.self)")
    }
  }
}
