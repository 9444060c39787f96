/// A half-open range `[low, high)` of magnitudes that brackets the cut, with the binary32
/// bit patterns that decide `|x| ≥ low` and `|x| ≥ high` for binary32-valued formats.
struct Bracket {
  let low: Double
  let high: Double
  /// The pattern of the smallest binary32 value `≥ low` (`+∞` when there is none).
  let lowImage: Int32
  /// The pattern of the smallest binary32 value `≥ high`.
  let highImage: Int32

  /// - Precondition: `0 ≤ low < high`.
  init(low: Double, high: Double) {
    precondition(low >= 0 && low < high, "Bracket: empty range")
    self.low = low
    self.high = high
    lowImage = Self.image(atLeast: low)
    highImage = Self.image(atLeast: high)
  }

  /// For a binary32 `f ≥ 0`: `f ≥ x` exactly when `f.bitPattern ≥ image(atLeast: x)`.
  private static func image(atLeast x: Double) -> Int32 {
    var f = Float(x)
    if Double(f) < x { f = f.nextUp }
    return Int32(bitPattern: f.bitPattern)
  }
}
