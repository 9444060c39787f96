/// SplitMix64 (Steele, Lea and Flood, 2014): the seeded generator behind every `--seed` in
/// EMPKit. Its stream depends on the seed alone, so generated corpora, sampled figures and
/// searches are identical on every machine, run and Swift release.
///
/// Use `next()` (or helpers built on it) where a stream must stay fixed; the standard
/// library's `random(in:using:)` algorithms are not promised to stay the same across releases.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  private var state: UInt64

  /// The generator started at `seed`.
  public init(seed: UInt64) { state = seed }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
