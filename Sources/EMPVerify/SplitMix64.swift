/// A seeded pseudo-random generator (SplitMix64, Steele–Lea–Flood 2014) whose stream is
/// fixed by its seed alone: the corpus it generates is the same on every machine and run.
///
/// The standard library's `random(in:using:)` algorithms are not promised to stay fixed
/// across releases, so the corpus derives every number from `next()` with the helpers here.
struct SplitMix64 {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  /// The next 64 random bits.
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

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
