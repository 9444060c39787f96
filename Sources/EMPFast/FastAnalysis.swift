import Exact

/// How the fast path decided `ν`.
public enum RetentionCertificate: Sendable, Equatable {
  /// The enclosure of `β·N_eff` lies between two consecutive integers: the float result is
  /// certain.
  case floatingPoint
  /// The enclosure straddled an integer (or the sums overflowed), so `N_eff` and `ν` were
  /// computed exactly with rational arithmetic.
  case exactFallback
}

/// Where EMP cuts a score vector: the `ν` kept scores are those with `|x| > threshold`, and
/// those with `|x| == threshold` up to index `lastKeptTieIndex` (lowest indices first).
public struct Cut: Sendable, Equatable {
  /// The `ν`-th largest magnitude `|x|` (exact: every supported score is a `Double`).
  public var threshold: Double
  /// How many scores have `|x| > threshold`.
  public var countAbove: Int
  /// How many scores with `|x| == threshold` are kept (at least 1).
  public var tiesKept: Int
  /// The index of the last kept score with `|x| == threshold`.
  public var lastKeptTieIndex: Int
  /// How many scores have `|x| == threshold`, kept or not (`tiesKept` when every tie is kept).
  public var tieCount: Int

  /// The cut that keeps every score (`|x| ≥ 0`, every tie kept).
  public static let keepingAll = Cut(threshold: 0, countAbove: 0, tiesKept: 1, lastKeptTieIndex: .max, tieCount: 1)

  /// Whether the score at `index` with magnitude `magnitude` is kept.
  @inlinable
  public func keeps(index: Int, magnitude: Double) -> Bool {
    magnitude > threshold || (magnitude == threshold && index <= lastKeptTieIndex)
  }
}

/// The EMP analysis of a score vector by the fast path (Proofs/definitions.md).
public struct FastAnalysis: Sendable {
  /// `N`, the number of scores.
  public var count: Int
  /// `Σ|s|`, with its proven enclosure.
  public var absoluteSum: Enclosure<Double>
  /// `Σs²`, with its proven enclosure.
  public var sumOfSquares: Enclosure<Double>
  /// `N_eff = (Σ|s|)²/Σs²`, with its proven enclosure (exact when the fallback ran).
  public var effectiveSampleSize: Enclosure<Double>
  /// The exact `N_eff`, present when the exact fallback ran.
  public var exactEffectiveSampleSize: Rational?
  /// `ν = ⌊β·N_eff⌋` clamped to `[1, N]`: always exact.
  public var retentionCount: Int
  /// Whether `ν` was certified from the float enclosure or by the exact fallback.
  public var certificate: RetentionCertificate
  /// The cut that keeps exactly `ν` scores.
  public var cut: Cut
  /// `s_eff = Σ_{i∈π} |s_i| / Σ|s|`, with its proven enclosure.
  public var preservedMass: Enclosure<Double>

  /// The sparsity `1 − ν/N` (as the nearest `Double`).
  public var sparsity: Double { Double(Rational(count - retentionCount, count)) }
}
