import Exact

/// The exact tight lower bound on the mass kept by the `k` largest weights over the shell
/// `A_ν = {ω ∈ Δ↓ : ν ≤ N_eff(ω) < ν + 1}`:
/// `T(k, ν, N) = inf { Σ_{i≤k} ω_i : ω ∈ A_ν }`. Here ν is the shell, as in the paper; the
/// tool's output writes the same function `T(k, m, N)` with `m = ⌊N_eff⌋`.
///
/// Derived and proved in Proofs/T-tight-infimum.md. With `λ = √((N − ν − 1)/((ν + 1)(N − 1)))`,
/// the weight on `u_1` where the edge `[u_1, u_N]` meets the sphere `N_eff = ν + 1`:
/// - `ν = N`: `A_N = {u_N}` and `T = k/N`, attained;
/// - `ν < N`: `T = min{ min(k, ν + 1)/(ν + 1), k/N + (1 − k/N)·λ }`, the smaller of the
///   masses kept at the vertex `u_{ν+1}` and at the paper's point `λ·u_1 + (1 − λ)·u_N`.
///   Both have `N_eff = ν + 1`, outside `A_ν`, so `T` is approached, not attained, unless
///   `k = N` (then `T = 1` everywhere).
///
/// Every `k` is covered, so retention counts `⌊β·N_eff⌋` with `β ≠ 1` are too: `T` is a valid
/// bound for them, tight over the shell for a fixed `k`. At a fixed β only the vectors of the
/// shell with `k ≤ β·N_eff < k + 1` keep `k` scores, and the tight bound over those can be
/// larger (Proofs/band-infimum.md).
public struct TightInfimum: Sendable {
  /// `k`: how many of the largest weights are kept.
  public let kept: Int
  /// `ν`: the shell, `ν ≤ N_eff < ν + 1`.
  public let shell: Int
  /// `N`: the number of weights.
  public let count: Int
  /// `T(k, ν, N)`, exact.
  public let value: Surd
  /// Whether some point of the shell keeps exactly `value` (else it is only approached).
  public let isAttained: Bool
  /// A point of the closed shell where the infimum is reached: in `A_ν` when attained,
  /// else on its boundary `N_eff = ν + 1`.
  public let point: ExtremalPoint

  /// Computes `T(k, ν, N)` by one exact comparison of two candidates; on a tie the vertex
  /// `u_{ν+1}` is reported.
  ///
  /// - Precondition: `1 ≤ shell ≤ count` and `1 ≤ kept ≤ count`.
  /// - Complexity: O(1) exact operations on numbers of O(log N) bits.
  public init(keeping kept: Int, shell: Int, count: Int) {
    precondition(count >= 1 && shell >= 1 && shell <= count, "TightInfimum: need 1 ≤ ν ≤ N")
    precondition(kept >= 1 && kept <= count, "TightInfimum: need 1 ≤ k ≤ N")
    (self.kept, self.shell, self.count) = (kept, shell, count)
    if shell == count || kept == count {
      point = ExtremalPoint(support: shell, weight: Surd(0))
      value = point.retainedMass(keeping: kept)
      isAttained = true
      return
    }
    let vertex = ExtremalPoint(support: shell + 1, weight: Surd(0))
    let edge = ExtremalPoint(support: count, weight: TightInfimum.edgeWeight(support: count, shell: shell))
    let (vertexValue, edgeValue) = (vertex.retainedMass(keeping: kept), edge.retainedMass(keeping: kept))
    let (best, bestValue) = edgeValue < vertexValue ? (edge, edgeValue) : (vertex, vertexValue)
    (point, value, isAttained) = (best, bestValue, false)
  }

  /// `λ_l = √((l − ν − 1)/((ν + 1)(l − 1)))`: on the edge `[u_1, u_l]`, the point
  /// `λ_l·u_1 + (1 − λ_l)·u_l` has `Σω² = 1/(ν + 1)`, i.e. `N_eff = ν + 1`.
  ///
  /// - Precondition: `l ≥ ν + 1 ≥ 2`.
  public static func edgeWeight(support l: Int, shell nu: Int) -> Surd {
    precondition(nu >= 1 && l >= nu + 1, "TightInfimum: need l ≥ ν + 1 ≥ 2")
    return Surd(0, plus: 1, timesSquareRootOf: Rational(l - nu - 1, (nu + 1) * (l - 1)))
  }

  /// A rational point of the shell `A_ν` that keeps at most `value + tolerance`.
  ///
  /// When the infimum is attained this is the attaining vertex. Otherwise it lies on the
  /// same edge `[u_1, u_l]` as `point`, with a rational weight `λ'` just above `λ`: the
  /// sum of squares grows with `λ` along that edge, so `λ' > λ` puts it strictly inside
  /// the shell, and the kept mass grows by at most `λ' − λ ≤ tolerance`.
  ///
  /// - Precondition: `tolerance > 0`.
  /// - Returns: `count` exact weights, non-increasing, summing to 1.
  public func witness(within tolerance: Rational) -> [Rational] {
    precondition(tolerance.signum > 0, "TightInfimum: tolerance must be positive")
    if isAttained {
      return ExtremalPoint.coordinates(support: point.support, weight: 0, count: count)
    }
    // Σω² ≤ 1/ν keeps N_eff ≥ ν; λ′ > λ gives Σω² > 1/(ν + 1).
    return point.rationalNeighbour(
      within: tolerance, above: true, sumOfSquaresAbove: Rational(1, shell + 1), atMost: Rational(1, shell), count: count)
  }
}
