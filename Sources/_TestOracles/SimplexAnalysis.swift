import EMPCore
import Exact

/// N_eff, ν, the kept set π and the masses of one score vector, computed exactly from
/// the definitions (Proofs/definitions.md): an oracle independent of EMPReference.
public struct SimplexAnalysis: Sendable {
  /// The scores as given (any order, any signs).
  public let scores: [Rational]
  /// `ω` sorted into Δ↓: `weights[0] ≥ weights[1] ≥ …`.
  public let weights: [Rational]
  /// `Σ ω_i²`.
  public let sumOfSquares: Rational
  /// `N_eff = 1 / Σ ω_i²`.
  public let effectiveSampleSize: Rational
  /// `ν = ⌊β · N_eff⌋` clamped to `[1, N]`.
  public let retentionCount: Int
  /// The kept indices of `scores` (largest magnitude first, ties to the lower index).
  public let kept: [Int]
  /// `prefixMasses[k] = φ_k(ω)`, `prefixMasses[0] = 0`.
  let prefixMasses: [Rational]

  /// Analyses `scores` with retention factor `beta`.
  ///
  /// - Precondition: `scores` is not empty and not all zero; `beta > 0`.
  public init(scores: [Rational], beta: Rational = 1) {
    self.scores = scores
    let omega = SimplexPoint.normalised(scores)
    weights = omega.sorted(by: >)
    sumOfSquares = SimplexPoint.sumOfSquares(omega)
    effectiveSampleSize = sumOfSquares.reciprocal
    retentionCount = EMPDefinition.retentionCount(
      effectiveSampleSize: effectiveSampleSize, beta: beta, count: scores.count)
    let magnitudes = scores.map(\.magnitude)
    let order = scores.indices.sorted { EMPDefinition.precedes($0, magnitudes[$0], $1, magnitudes[$1]) }
    kept = Array(order.prefix(retentionCount))
    var masses = [Rational.zero]
    for w in weights { masses.append(masses[masses.count - 1] + w) }
    prefixMasses = masses
  }

  /// Analyses a point of Δ↓ (its own scores).
  public init(point: [Rational]) { self.init(scores: point) }

  /// `N`.
  public var count: Int { scores.count }

  /// `φ_k(ω) = Σ_{i ≤ k} ω_i` over the sorted weights.
  ///
  /// - Precondition: `0 <= k <= N`.
  public func topMass(_ k: Int) -> Rational { prefixMasses[k] }

  /// `s_eff = φ_ν(ω)`, the preserved mass.
  public var preservedMass: Rational { topMass(retentionCount) }

  /// The sorted point as text, for failure messages: `N=3 ω=(3/5, 2/5, 0)`.
  public var pointDescription: String {
    "N=\(count) ω=(\(weights.map(\.description).joined(separator: ", ")))"
  }
}
