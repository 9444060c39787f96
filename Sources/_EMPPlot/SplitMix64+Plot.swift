import EMPCore

/// The draws the plot sampler makes, each a fixed function of `next()`.
extension SplitMix64 {
  /// An integer in `range`, by the high half of a 64 × 64-bit product (bias below
  /// `range.count / 2⁶⁴`, irrelevant for figures; no rejection, so the stream is fixed).
  ///
  /// - Precondition: `range` is non-empty.
  mutating func integer(in range: ClosedRange<Int>) -> Int {
    let width = UInt64(range.upperBound - range.lowerBound) + 1
    return range.lowerBound + Int(width.multipliedFullWidth(by: next()).high)
  }

  /// `true` or `false` with equal probability.
  mutating func coin() -> Bool { next() >> 63 == 1 }
}
