import Exact

/// Theorem 4.2 of the paper, as stated, and its exact decision for one score vector.
///
/// The bound is `B(N, ν) = ν/N + ((N − ν)/N)·√((N − ν − 1)/((ν + 1)(N − 1)))`. At `ν = N`
/// the formula multiplies the square root of a negative number by zero; we define
/// `B(N, N) = 1` (the only point of `A_N` is `u_N`, which keeps everything).
/// Proofs/theorem-4.2.md shows where it is tight and where it fails (`ν = 1`, `N ≥ 3`).
public struct PaperBound: Sendable {
  /// `B(N, ν)`, exact.
  public let bound: Surd
  /// `s_eff − B(N, ν)`, exact.
  public let margin: Surd
  /// Whether `s_eff ≥ B(N, ν)`, decided exactly.
  public var holds: Bool { margin.signum >= 0 }

  /// Decides `preservedMass ≥ B(count, retentionCount)`.
  ///
  /// - Precondition: `count ≥ 2` and `1 ≤ retentionCount ≤ count`.
  public init(preservedMass: Rational, count: Int, retentionCount: Int) {
    bound = PaperBound.value(count: count, retentionCount: retentionCount)
    margin = preservedMass - bound
  }

  /// `B(N, ν)`, with `B(N, N) = 1`. The theorem is stated at `β = 1`, where the retention
  /// count `ν` is also the shell `⌊N_eff⌋`.
  ///
  /// - Precondition: `N ≥ 2` (the theorem's range) and `1 ≤ ν ≤ N`.
  public static func value(count n: Int, retentionCount nu: Int) -> Surd {
    precondition(n >= 2 && nu >= 1 && nu <= n, "PaperBound: need N ≥ 2 and 1 ≤ ν ≤ N")
    if nu == n { return Surd(1) }
    return Surd(
      Rational(nu, n), plus: Rational(n - nu, n),
      timesSquareRootOf: Rational(n - nu - 1, (nu + 1) * (n - 1)))
  }
}
