import EMPCore

/// The draws the conformance corpus is built from, each a fixed function of `next()`.
extension SplitMix64 {
  /// A uniform integer in `0..<bound` (rejection sampling: no modulo bias).
  ///
  /// - Precondition: `bound > 0`.
  mutating func below(_ bound: Int) -> Int {
    precondition(bound > 0, "SplitMix64: bound must be positive")
    let b = UInt64(bound)
    let limit = UInt64.max - UInt64.max % b
    while true {
      let x = next()
      if x < limit { return Int(x % b) }
    }
  }

  /// A uniform value in `(0, 1]` on the grid `2^-p·{1, …, 2^p}`, exactly representable in `precision`.
  mutating func unit(_ precision: FloatPrecision) -> Double {
    let p = precision.significandBits
    return Double((next() >> UInt64(64 - p)) + 1) * Double(sign: .plus, exponent: -p, significand: 1)
  }

  /// `+1` or `−1` with equal probability.
  mutating func sign() -> Double { next() & 1 == 0 ? 1 : -1 }
}
