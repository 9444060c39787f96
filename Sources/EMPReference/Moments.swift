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

  /// The exact sums of finite binary floats: `Float16`, `Float` and `Double` by the exact
  /// superaccumulator, any other format (`Float80`) value by value in rationals. No sum is
  /// rounded.
  ///
  /// - Precondition: every value is finite.
  init<F: BinaryFloatingPoint>(exactlyOf values: [F]) {
    guard let format = MomentAccumulator.ElementFormat.of(F.self) else {
      self.init(of: values.map { Rational(finite: $0).magnitude })
      return
    }
    var accumulator = MomentAccumulator()
    values.withUnsafeBytes { accumulator.add(contentsOf: $0, format: format) }
    precondition(accumulator.nonFiniteCount == 0, "Moments: non-finite value")
    self.init(absoluteSum: accumulator.absoluteSum, sumOfSquares: accumulator.sumOfSquares)
  }

  /// The given sums.
  init(absoluteSum: Rational, sumOfSquares: Rational) {
    (self.absoluteSum, self.sumOfSquares) = (absoluteSum, sumOfSquares)
  }
}

extension MomentAccumulator.ElementFormat {
  /// The format of a standard-library binary float type, or `nil` for one the
  /// superaccumulator does not read (`Float80`).
  static func of<F: BinaryFloatingPoint>(_: F.Type) -> Self? {
    switch (F.exponentBitCount, F.significandBitCount, MemoryLayout<F>.size) {
    case (5, 10, 2): .float16
    case (8, 23, 4): .float32
    case (11, 52, 8): .float64
    default: nil
    }
  }
}
