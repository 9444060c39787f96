import Exact

/// Exact points of the simplex Δ and of the ordered simplex Δ↓ (Proofs/definitions.md).
///
/// Every point is a vector of `Rational`s summing to exactly 1. Points of Δ↓ are written
/// in barycentric coordinates over the vertices `u_k = (1/k, …, 1/k, 0, …, 0)`: a point
/// with `λ_k ≥ 0`, `Σλ_k = 1` is `Σ λ_k u_k`, and conversely `λ_k = k (ω_k − ω_{k+1})`.
/// So a face of Δ↓ is a set of vertices, an edge `[u_j, u_l]` a pair of them.
public enum SimplexPoint {
  /// Which side of a target value of N_eff a point found by bisection lies on.
  public enum Side: Sendable, CaseIterable {
    /// `N_eff < target`.
    case below
    /// `N_eff ≥ target` (equality when the segment meets the target at a rational point).
    case above
  }

  /// The vertex `u_k` of Δ↓ in dimension `n`.
  ///
  /// - Precondition: `1 <= k <= n`.
  public static func vertex(_ k: Int, dimension n: Int) -> [Rational] {
    precondition(1 <= k && k <= n, "SimplexPoint: vertex index out of range")
    let share = Rational(1, k)
    return (0..<n).map { $0 < k ? share : .zero }
  }

  /// The normalised weights `ω_i = |s_i| / Σ_j |s_j|`, in the order of `scores`.
  ///
  /// - Precondition: some score is nonzero.
  public static func normalised(_ scores: [Rational]) -> [Rational] {
    let total = scores.reduce(Rational.zero) { $0 + $1.magnitude }
    precondition(total.signum > 0, "SimplexPoint: all scores are zero")
    return scores.map { $0.magnitude / total }
  }

  /// The point of Δ↓ with barycentric weights proportional to `weights` (`weights[k-1]`
  /// belongs to `u_k`): `ω_i = Σ_{k ≥ i} λ_k / k`.
  ///
  /// - Precondition: every weight is non-negative and some weight is positive.
  public static func ordered(barycentric weights: [Rational]) -> [Rational] {
    let total = weights.reduce(Rational.zero, +)
    precondition(total.signum > 0 && weights.allSatisfy { $0.signum >= 0 }, "SimplexPoint: bad barycentric weights")
    var point = [Rational](repeating: .zero, count: weights.count)
    var tail = Rational.zero
    for k in stride(from: weights.count, through: 1, by: -1) {
      tail += weights[k - 1] / Rational(k)
      point[k - 1] = tail / total
    }
    return point
  }

  /// The barycentric coordinates `λ_k = k (ω_k − ω_{k+1})` of a point of Δ↓.
  public static func barycentric(_ point: [Rational]) -> [Rational] {
    point.indices.map { i in
      Rational(i + 1) * (point[i] - (i + 1 < point.count ? point[i + 1] : .zero))
    }
  }

  /// `(1 − t) a + t b`.
  ///
  /// - Precondition: `a` and `b` have the same length.
  public static func interpolate(_ a: [Rational], _ b: [Rational], at t: Rational) -> [Rational] {
    precondition(a.count == b.count, "SimplexPoint: dimensions differ")
    return zip(a, b).map { $0 + t * ($1 - $0) }
  }

  /// `Σ ω_i²`, so that `N_eff = 1 / sumOfSquares`.
  public static func sumOfSquares(_ point: [Rational]) -> Rational {
    point.reduce(Rational.zero) { $0 + $1 * $1 }
  }

  /// A point of Δ↓ whose N_eff is within `tolerance` of `target`, on the given side,
  /// found by exact bisection on a segment through `point`.
  ///
  /// The segment runs from `u_1` (N_eff = 1) to `point` when `N_eff(point) ≥ target`, and
  /// from `point` to `u_N` (N_eff = N) otherwise; N_eff is continuous on it, so bisection
  /// on the rational parameter keeps one end below the target and one at or above it.
  /// When a midpoint hits the target exactly, `.above` returns it.
  ///
  /// - Precondition: `point` is in Δ↓, `1 < target <= N`, `tolerance > 0`.
  public static func near(
    effectiveSampleSize target: Rational, side: Side, on point: [Rational], tolerance: Rational
  ) -> [Rational] {
    let n = point.count
    precondition(Rational(1) < target && target <= Rational(n) && tolerance.signum > 0, "SimplexPoint: bad target")
    let level = target.reciprocal  // N_eff ≥ target ⟺ Σω² ≤ level
    let (low, high) =
      sumOfSquares(point) <= level ? (vertex(1, dimension: n), point) : (point, vertex(n, dimension: n))
    var below = Rational.zero, above = Rational(1)  // parameters on [low, high]
    var belowPoint = low, abovePoint = high
    func distance(_ p: [Rational]) -> Rational { (sumOfSquares(p).reciprocal - target).magnitude }
    for _ in 0..<400 {
      let done = side == .below ? distance(belowPoint) < tolerance : distance(abovePoint) < tolerance
      if done { break }
      let t = (below + above) / 2
      let p = interpolate(low, high, at: t)
      if sumOfSquares(p) <= level { above = t; abovePoint = p } else { below = t; belowPoint = p }
      if side == .above && sumOfSquares(p) == level { break }
    }
    return side == .below ? belowPoint : abovePoint
  }
}

extension SimplexPoint {
  /// A point of the shell `A_ν = {ν ≤ N_eff < ν+1}` of Δ↓, on a segment through `point`,
  /// at relative depth `position ∈ [0, 1)` (0: at N_eff = ν, toward 1: toward N_eff = ν+1).
  ///
  /// For `ν = N` the shell is `{u_N}` and that is returned.
  ///
  /// - Precondition: `point` is in Δ↓, `1 <= nu <= N`, `0 <= position < 1`.
  public static func inShell(_ nu: Int, position: Rational, on point: [Rational]) -> [Rational] {
    let n = point.count
    precondition(1 <= nu && nu <= n && position.signum >= 0 && position < 1, "SimplexPoint: bad shell request")
    if nu == n { return vertex(n, dimension: n) }
    if nu == 1 && position.isZero { return vertex(1, dimension: n) }
    let target = Rational(nu) + position
    // N_eff ∈ [target, target + (1 − position)/2) ⊂ [ν, ν+1).
    return near(effectiveSampleSize: target, side: .above, on: point, tolerance: (1 - position) / 2)
  }
}
