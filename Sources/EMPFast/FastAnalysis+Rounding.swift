import Exact

extension FastAnalysis {
  /// The analysis of exact scores `s` from this analysis of their roundings: each analysed
  /// value is `|s_i|` rounded to the nearest binary64 number, and is either exact (`|s_i|`
  /// itself) or at least `2^−1022` (Proofs/fast-path-error-bounds.md, §7).
  ///
  /// Rounding to nearest is monotone, so the values order the exact scores except where
  /// different scores rounded to the same value; the cut keeps the same scores for both
  /// when it keeps every value tied at its threshold. The enclosures are widened by the
  /// relative error of each rounding, at most `u = 2^−53`.
  ///
  /// - Parameter beta: the `β` of this analysis.
  /// - Returns: the same `ν` and cut with widened enclosures, or `nil` when the widened
  ///   enclosure of `N_eff` does not certify this `ν`, or the cut keeps only some of the
  ///   values tied at its threshold: the exact scores must then be analysed exactly.
  public func certifiedForExactScores(beta: Rational) -> FastAnalysis? {
    guard cut.tiesKept == cut.tieCount else { return nil }
    let u = 0x1p-53
    // With p = RN(s): p/(1 + u) ≤ s ≤ p/(1 − u), so s ∈ [p(1 − u), p(1 + 2u)], s² ∈
    // [p²(1 − 2u), p²(1 + 6u)], and a ratio of two sums of s in the ratio of the p-sums
    // times [1 − 3u, 1 + 6u]. Every factor is a binary64 number.
    func widened(_ e: Enclosure<Double>, below: Double, above: Double, atMost limit: Double = .infinity)
      -> Enclosure<Double>
    {
      let lower = max(0, Directed.down(e.lowerBound * below))
      let upper = min(limit, Directed.up(e.upperBound * above))
      return Enclosure(estimate: min(max(e.estimate, lower), upper), lowerBound: lower, upperBound: upper)
    }
    var exact = self
    exact.absoluteSum = widened(absoluteSum, below: 1 - u, above: 1 + 2 * u)
    exact.sumOfSquares = widened(sumOfSquares, below: 1 - 2 * u, above: 1 + 6 * u)
    exact.effectiveSampleSize = Directed.squareOver(exact.absoluteSum, exact.sumOfSquares)
    exact.exactEffectiveSampleSize = nil
    exact.certificate = .floatingPoint
    exact.preservedMass = widened(preservedMass, below: 1 - 3 * u, above: 1 + 6 * u, atMost: 1)
    guard FastEMP.certifiedRetentionCount(exact.effectiveSampleSize, beta: beta, count: count) == retentionCount
    else { return nil }
    return exact
  }
}
