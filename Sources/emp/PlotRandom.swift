/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny seeded generator whose stream depends
/// only on the seed, so sampled figures are identical on every run and platform.
struct PlotRandom: Sendable {
  private var state: UInt64

  /// The generator started at `seed`.
  init(seed: UInt64) { state = seed }

  /// The next 64 random bits.
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

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
