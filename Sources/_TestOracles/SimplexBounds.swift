import EMPReference
import Exact

/// Bounds for the paper's statements that EMPReference does not provide, as exact surds
/// (Proofs/5-asymptotic-form.md), and an independent oracle for the tight infimum.
public enum SimplexBounds {
  /// `min_{ν < l ≤ N} B(l, ν)`: the bound of the paper's extremal segment of every face
  /// `u_1 … u_l`, minimised over l; `1` when `ν = N`. Proofs/5-asymptotic-form.md shows
  /// it is the infimum of `s_eff` over `A_ν`, by a derivation independent of the one in
  /// Proofs/T-tight-infimum.md (which needs only `l = ν+1` and `l = N`). Returns the value
  /// and the minimising `l` (the smallest on ties).
  ///
  /// - Precondition: `2 <= n` and `1 <= nu <= n`.
  public static func minimumOverFaces(n: Int, nu: Int) -> (value: Surd, face: Int) {
    if nu == n { return (Surd(1), n) }
    var best = (value: PaperBound.value(count: nu + 1, retentionCount: nu), face: nu + 1)
    for l in stride(from: nu + 2, through: n, by: 1) {
      let candidate = PaperBound.value(count: l, retentionCount: nu)
      if candidate < best.value { best = (candidate, l) }
    }
    return best
  }

  /// The right-hand side of the paper's asymptotic form (statement 5), read at finite N:
  /// `((N − x)/N) · (1 − √((N − x)/(N·x)))` with `x = N_eff`.
  public static func asymptoticPrunedMass(n: Int, effectiveSampleSize x: Rational) -> Surd {
    let a = (Rational(n) - x) / Rational(n)
    return Surd(a, plus: -a, timesSquareRootOf: (Rational(n) - x) / (Rational(n) * x))
  }

  /// The corrected form (Proofs/5-asymptotic-form.md): for every ω ∈ Δ↓ and every k,
  /// `φ_k(ω) ≥ min(k / N_eff, 1/√N_eff)`; returned as the smaller of the two.
  public static func topMassFloor(k: Int, effectiveSampleSize x: Rational) -> Surd {
    let linear = Surd(Rational(k) / x)
    let root = Surd(0, plus: 1, timesSquareRootOf: x.reciprocal)
    return linear < root ? linear : root
  }
}
