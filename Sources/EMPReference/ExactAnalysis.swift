import EMPCore
import Exact

/// The exact EMP analysis of one score vector: every number exact, every yes/no decided.
///
/// Definitions and conventions are those of Proofs/definitions.md: `ω_i = |s_i| / Σ|s|`, `N_eff = 1/Σω²`,
/// `ν = ⌊β·N_eff⌋` clamped to `[1, N]`, `π` the `ν` largest weights (ties: lowest index
/// first), `s_eff = Σ_{i∈π} ω_i`. The value is reusable: a command renders it as text or
/// JSON, and tables over many tensors hold one per tensor.
///
/// Two bounds accompany it:
/// - `paperBound`: Theorem 4.2's `B(N, ν)` at the kept count `ν`, and whether `s_eff ≥ B`
///   (`nil` when `N = 1`, where the theorem does not apply). It is a theorem only for
///   `β = 1`, and even then it fails at `ν = 1`, `N ≥ 3` (Proofs/theorem-4.2.md).
/// - `tightInfimum`: `T(ν, m, N)` with `m = ⌊N_eff⌋` the shell, the best lower bound on the
///   mass kept by the `ν` largest weights that holds for every score vector with the same `N`
///   and shell (Proofs/T-tight-infimum.md); `s_eff ≥ T` always. It is tight over the shell for
///   the fixed count `ν`; at a fixed `β ≠ 1` it can be below the tight bound over the vectors
///   that keep `ν` (Proofs/band-infimum.md).
public struct ExactAnalysis: Sendable {
  /// `N`: the number of scores.
  public let count: Int
  /// `N_eff = (Σ|s|)² / Σs²`, exact.
  public let effectiveSampleSize: Rational
  /// `β > 0`.
  public let beta: Rational
  /// `ν = ⌊β·N_eff⌋` clamped to `[1, N]`: how many scores are kept.
  public let retentionCount: Int
  /// `m = ⌊N_eff⌋ ∈ [1, N]`: the shell `A_m` that holds the weights.
  public let shell: Int
  /// `π`: the indices (0-based, ascending) of the kept scores.
  public let keptIndices: [Int]
  /// `s_eff = Σ_{i∈π} ω_i`, exact.
  public let preservedMass: Rational
  /// Theorem 4.2 decided exactly at `(N, ν)`; `nil` when `N = 1`.
  public let paperBound: PaperBound?
  /// `T(ν, m, N)`: the tight lower bound over the shell on the mass of the `ν` largest weights.
  public let tightInfimum: TightInfimum

  /// `1 − s_eff`.
  public var prunedMass: Rational { 1 - preservedMass }
  /// `1 − ν/N`.
  public var sparsity: Rational { 1 - Rational(retentionCount, count) }
  /// `s_eff − T(ν, m, N) ≥ 0`, exact.
  public var tightMargin: Surd { preservedMass - tightInfimum.value }

  /// Analyses exact scores.
  ///
  /// - Parameters:
  ///   - scores: any finite rationals, not all zero; signs are ignored.
  ///   - beta: the retention factor `β > 0`.
  /// - Throws: `EMPInputError` for an empty vector, all-zero scores or `β ≤ 0`.
  /// - Complexity: O(N log N) exact comparisons and O(N) exact additions.
  public init(scores: [Rational], beta: Rational = 1) throws(EMPInputError) {
    let magnitudes = scores.map(\.magnitude)
    try self.init(
      count: scores.count, beta: beta, moments: { Moments(of: magnitudes) },
      keptAbsoluteSum: { kept in kept.reduce(Rational.zero) { $0 + magnitudes[$1] } },
      order: { i, j in EMPDefinition.precedes(i, magnitudes[i], j, magnitudes[j]) })
  }

  /// Analyses integer scores, exactly: the analysis of the same values as rationals, with
  /// integer sums and comparisons, which skip the rationals' normalisations (23,040 scores of
  /// about 1,040 bits: 17 ms, against 27 ms as rationals). Group scores are integers at a
  /// common scale, and EMP does not depend on the scale.
  ///
  /// - Parameters:
  ///   - scores: any integers, not all zero; signs are ignored.
  ///   - beta: the retention factor `β > 0`.
  /// - Throws: `EMPInputError` for an empty vector, all-zero scores or `β ≤ 0`.
  /// - Complexity: O(N log N) integer comparisons and O(N) integer additions.
  public init(integerScores scores: [BigInteger], beta: Rational = 1) throws(EMPInputError) {
    let magnitudes = scores.map(\.magnitude)
    try self.init(
      count: scores.count, beta: beta,
      moments: {
        var (absolute, squares) = (BigInteger(), BigInteger())
        for m in magnitudes {
          absolute += m
          squares += m * m
        }
        return Moments(absoluteSum: Rational(absolute), sumOfSquares: Rational(squares))
      },
      keptAbsoluteSum: { kept in Rational(kept.reduce(BigInteger()) { $0 + magnitudes[$1] }) },
      order: { i, j in EMPDefinition.precedes(i, magnitudes[i], j, magnitudes[j]) })
  }

  /// Analyses a buffer of binary floats (`Float16`, `Float`, `Double`, and any other
  /// `BinaryFloatingPoint` such as `Float80`), exactly: every finite float is a dyadic
  /// rational, and no sum is rounded.
  ///
  /// - Throws: `EMPInputError` for an empty buffer, a NaN or infinity (with its index),
  ///   all-zero scores or `β ≤ 0`.
  /// - Complexity: O(N log N) float comparisons and O(N) exact additions.
  public init<F: BinaryFloatingPoint>(scores: [F], beta: Rational = 1) throws(EMPInputError) {
    if let bad = scores.firstIndex(where: { !$0.isFinite }) { throw .nonFinite(index: bad) }
    try self.init(
      count: scores.count, beta: beta, moments: { Moments(exactlyOf: scores) },
      keptAbsoluteSum: { kept in Moments(exactlyOf: kept.map { scores[$0] }).absoluteSum },
      order: { i, j in EMPDefinition.precedes(i, scores[i].magnitude, j, scores[j].magnitude) })
  }

  /// Analyses a buffer of bfloat16 scores, exactly (each is a `Float`).
  ///
  /// - Throws: as the `Float` analysis does.
  public init(scores: [BFloat16], beta: Rational = 1) throws(EMPInputError) {
    try self.init(scores: scores.map(\.floatValue), beta: beta)
  }

  private init(
    count: Int, beta: Rational, moments: () -> Moments, keptAbsoluteSum: ([Int]) -> Rational,
    order: (Int, Int) -> Bool
  ) throws(EMPInputError) {
    guard beta.signum > 0 else { throw .nonPositiveBeta(beta.description) }
    guard count > 0 else { throw .empty }
    let sums = moments()
    guard !sums.sumOfSquares.isZero else { throw .allZero }
    let neff = EMPDefinition.effectiveSampleSize(absoluteSum: sums.absoluteSum, sumOfSquares: sums.sumOfSquares)
    let nu = EMPDefinition.retentionCount(effectiveSampleSize: neff, beta: beta, count: count)
    let shell = EMPDefinition.retentionCount(effectiveSampleSize: neff, beta: 1, count: count)
    let kept = Array((0..<count).sorted(by: order).prefix(nu)).sorted()
    let preserved = keptAbsoluteSum(kept) / sums.absoluteSum
    self.count = count
    self.effectiveSampleSize = neff
    self.beta = beta
    self.retentionCount = nu
    self.shell = shell
    self.keptIndices = kept
    self.preservedMass = preserved
    self.paperBound = count >= 2 ? PaperBound(preservedMass: preserved, count: count, retentionCount: nu) : nil
    self.tightInfimum = TightInfimum(keeping: nu, shell: shell, count: count)
  }
}
