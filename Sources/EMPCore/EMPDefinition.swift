import Exact

/// The definitions of EMP that the exact reference and the fast path share, so that
/// each quantity has one definition (Proofs/definitions.md).
public enum EMPDefinition {
  /// `N_eff = (Σ|s|)² / Σs²`, the inverse Simpson index of the normalised scores.
  ///
  /// - Precondition: `sumOfSquares > 0`.
  public static func effectiveSampleSize(absoluteSum: Rational, sumOfSquares: Rational) -> Rational {
    precondition(sumOfSquares.signum > 0, "EMPDefinition: N_eff needs a nonzero score")
    return absoluteSum * absoluteSum / sumOfSquares
  }

  /// `ν = ⌊β · N_eff⌋`, clamped to `[1, count]`: how many scores EMP keeps.
  ///
  /// - Precondition: `beta > 0` and `count >= 1`.
  public static func retentionCount(effectiveSampleSize neff: Rational, beta: Rational, count: Int) -> Int {
    precondition(beta.signum > 0 && count >= 1, "EMPDefinition: need beta > 0 and count >= 1")
    let floor = (beta * neff).floor
    if floor < BigInteger(1) { return 1 }
    if floor > BigInteger(count) { return count }
    return floor.intValue!
  }

  /// Whether score index `i` (magnitude `a`) is kept before index `j` (magnitude `b`):
  /// larger magnitude first, and among equal magnitudes the lower index first.
  @inlinable
  public static func precedes<T: Comparable>(_ i: Int, _ a: T, _ j: Int, _ b: T) -> Bool {
    a > b || (a == b && i < j)
  }
}
