import Exact

/// The bounds the paper states and their corrections, as exact surds
/// (Proofs/ files named in each member).
public enum SimplexBounds {
  /// The paper's Theorem 4.2 bound `B(N, ν) = ν/N + ((N − ν)/N) · √((N − ν − 1)/((ν + 1)(N − 1)))`;
  /// `B(N, N) = 1` (the paper's formula has a zero factor there).
  ///
  /// - Precondition: `1 <= nu <= n`.
  public static func paper(n: Int, nu: Int) -> Surd {
    precondition(1 <= nu && nu <= n, "SimplexBounds: need 1 <= nu <= n")
    if nu == n { return Surd(1) }
    return Surd(
      Rational(nu, n), plus: Rational(n - nu, n), sqrt: Rational(n - nu - 1, (nu + 1) * (n - 1)))
  }

  /// The infimum of `s_eff = φ_ν` over the shell `A_ν` of Δ↓ in dimension `n`, as the
  /// minimum over `l = ν+1 … n` of `B(l, ν)` (the bound of the paper's extremal segment
  /// of the face spanned by `u_1 … u_l`); `1` when `ν = n`. Returns the value and the
  /// minimising `l` (the smallest one on ties). Proofs/5-asymptotic-form.md derives it
  /// independently of Proofs/T-tight-infimum.md.
  public static func tight(n: Int, nu: Int) -> (value: Surd, face: Int) {
    precondition(1 <= nu && nu <= n, "SimplexBounds: need 1 <= nu <= n")
    if nu == n { return (Surd(1), n) }
    var best = (value: paper(n: nu + 1, nu: nu), face: nu + 1)
    for l in stride(from: nu + 2, through: n, by: 1) {
      let candidate = paper(n: l, nu: nu)
      if candidate.compare(best.value) < 0 { best = (candidate, l) }
    }
    return best
  }

  /// The right-hand side of the paper's asymptotic form (statement 5), read at finite N:
  /// `((N − x)/N) · (1 − √((N − x)/(N·x)))` with `x = N_eff`.
  public static func asymptoticPrunedMass(n: Int, effectiveSampleSize x: Rational) -> Surd {
    let a = (Rational(n) - x) / Rational(n)
    return Surd(a, plus: -a, sqrt: (Rational(n) - x) / (Rational(n) * x))
  }

  /// The corrected form (Proofs/5-asymptotic-form.md): for every ω ∈ Δ↓ and every k,
  /// `φ_k(ω) ≥ min(k / N_eff, 1/√N_eff)`; returned as the smaller of the two.
  public static func topMassFloor(k: Int, effectiveSampleSize x: Rational) -> Surd {
    let linear = Surd(Rational(k) / x)
    let root = Surd(0, plus: 1, sqrt: x.reciprocal)
    return linear.compare(root) <= 0 ? linear : root
  }
}
