import Exact

/// How far a float implementation's `N_eff` (and `β·N_eff`, and kept mass) can be from the
/// exact value, proven for every summation order.
///
/// Model (Higham, *Accuracy and Stability of Numerical Algorithms*, §2.2 and Lemma 3.1):
/// every operation is correctly rounded, `fl(x ∘ y) = (x ∘ y)(1 + δ)` with `|δ| ≤ u`, as long
/// as no result underflows or overflows. A product of `k` factors `(1 + δ_i)^(±1)` is
/// `1 + θ_k` with `|θ_k| ≤ γ_k = k·u / (1 − k·u)`. A sum of `N` non-negative terms in any
/// order (recursive, pairwise, blocked, parallel) is `Σ a_i (1 + θ^(i))` with each
/// `|θ^(i)| ≤ γ_(N−1)`, so the computed sum is within `γ_(N−1)` of the exact one.
///
/// **N_eff.** With `a_i = |s_i|`:
/// - `(Σa)² / Σa²`: `Σa` carries `N − 1` factors, squared `2N − 2`, plus the square's
///   rounding; `Σa²` carries `1 + (N − 1) = N`; the division one more: `3N` factors.
/// - `1 / Σ(a/Σa)²`: each `a_i/Σa` carries `N` factors, squared `2N`, plus one; the sum
///   `N − 1`; the reciprocal one: `3N + 1` factors.
/// Multiplying by β adds one: the computed `β·N_eff` is within `γ_(3N+2)` (relative) of the
/// exact `β·N_eff` for either formula. When the input is first rounded to a narrower format
/// (float64 scores computed in float32), each `a_i` gains one factor, which appears squared
/// in both sums: `γ_(3N+6)`.
///
/// **Kept mass.** `Σ_{i∈π} a_i / Σa` (or `Σ_{i∈π} a_i/Σa`) carries at most
/// `(ν − 1) + (N − 1) + 1 ≤ 2N` factors, `2N + 1` with an input rounding: `γ_(2N+1)`
/// bounds both.
///
/// **bfloat16 and float16, as PyTorch evaluates them** (Conformance/README.md, "How PyTorch
/// rounds the low-precision paths"): every element-wise operation rounds once to the 16-bit
/// format, and every sum accumulates in float32 and rounds once at the end. Counting the
/// factors of each kind separately, `1/Σ(a/Σa)²` carries seven 16-bit factors (`Σa` twice,
/// as it is squared; each `a_i/Σa` twice; each square; `Σω²`; the reciprocal) and `3N − 3`
/// float32 ones (the two accumulations, `Σa`'s counted twice); `(Σa)²/Σa²` carries six and
/// the same float32 ones. `β·N_eff` adds a 16-bit factor and a float32 one (β as float32);
/// the input's rounding to the 16-bit format four more 16-bit factors. So `β·N_eff` is within
/// `(1 + γ₁₂)(1 + γ^f32_(3N−2)) − 1` of the exact value. The kept mass, as `Σ_{i∈π} ω_i` or as
/// `Σ_{i∈π} a_i / Σa`, carries three 16-bit factors (the sums' roundings and the quotient),
/// two more for the input's rounding (in the numerator and the denominator), and `2N − 2`
/// float32 ones from the two sums: within `(1 + γ₅)(1 + γ^f32_(2N−2)) − 1`.
///
/// **Underflow of squares and weights** (Higham §2.1, gradual underflow): a product or quotient
/// is `fl(x∘y) = (x∘y)(1 + δ) + η` with `|η| ≤ η₀ = λ·u` (half the smallest subnormal, `λ` the
/// smallest normal), `η = 0` when `|x∘y| ≥ λ`; a sum whose result is subnormal is exact. While
/// the relative bound `γ` is at most 1/2, each intermediate carries at most `γ`, so a term
/// whose exact value `t` has `t(1 − γ) ≥ λ` stays normal through its computation (its weight
/// `a_i/Σa ≥ t` too), and only the `M` terms with `a_i²(1 − γ) < λ` (for `Σa²`) or
/// `(a_i/Σa)²(1 − γ) < λ` (for `Σω²`) carry an `η`.
/// Such a term is `ω̂² = v²(1 + δ₂) + (2vη₁ + η₁²)(1 + δ₂) + η₂` with `v ≤ 2` the computed
/// quotient before its own underflow, an absolute error of at most `6η₀`, and at most `9η₀`
/// after the sum's factor (`≤ 3/2`). Against the error-free computed sum `Q̃ ≥ Q/2`, the sum
/// is `Q̃(1 + τ)` with `|τ| ≤ ρ = 18·M·η₀/Q`, `Q` the exact `Σa²` or `Σω²` (the larger `ρ` of
/// the two formulas is taken); everything after the sum is a product or quotient of it, so
/// `β·N_eff` is within `(1 + γ)(1 + σ) − 1` with `σ = ρ/(1 − ρ)`. The kept mass `Σ_{i∈π} ω_i`
/// gains at most `3·M·η₀` against a mass of at least the smallest weight `m`:
/// `ρ_mass = 3·M·η₀/m`. The bound is claimed when `γ` is at most 1/2 and `ρ` and `ρ_mass` at
/// most `u`: an underflow that could matter as much as a rounding is left uncertified.
///
/// The bound holds only when nothing else underflows or overflows: every non-zero `a_i` is at
/// least the smallest normal number (an input that is itself subnormal, or becomes so when
/// narrowed, carries an error the model does not bound relative to `Σa`), and `(Σa)²·(1 + γ)`
/// is finite. When that fails, `isCertified` is false and no bound is claimed. Nor is one
/// claimed when the model has none: `γ_k` needs `k·u < 1`, so in float32 the bound stops at
/// N = 5,592,404 (a library's pairwise summation has a far smaller error, but not one proven
/// for every order).
public struct FloatRoundingBound: Sendable, Equatable {
  /// The format computed in.
  public let precision: FloatPrecision
  /// `k` in `γ_k` for `β·N_eff`: the factors of `precision`.
  public let factorCount: Int
  /// The float32 accumulation factors of a 16-bit evaluation (0 for float32 and float64).
  public let accumulationFactorCount: Int
  /// The relative bound for `β·N_eff`: `|fl(β·N_eff) − β·N_eff| ≤ relativeError · β·N_eff`,
  /// `γ_k` (or the mixed 16-bit bound) widened by the underflow allowance (meaningful only when
  /// certified; 1 when `k·u ≥ 1`, where the model has no bound).
  public let relativeError: Rational
  /// The relative bound for the kept mass `s_eff` (the same caveat).
  public let massRelativeError: Rational
  /// `ρ` of the underflow allowance for N_eff: 0 when no square or weight can underflow.
  public let underflowAllowance: Rational
  /// Whether the model's conditions hold for this input.
  public let isCertified: Bool
  /// Why the bound is not certified (`nil` when it is): the first failing condition.
  public let uncertifiedReason: String?

  /// The bound for `magnitudes` (exact `|s_i|`, stored in `inputPrecision`) computed in `precision`.
  ///
  /// - Precondition: at least one magnitude is non-zero.
  public init(magnitudes: [Double], inputPrecision: FloatPrecision, precision: FloatPrecision) {
    let count = magnitudes.count
    let narrowed = !precision.holdsEveryValue(of: inputPrecision)
    self.precision = precision
    var relativeError: Rational
    var massRelativeError: Rational
    if precision.isHalfWidth {
      factorCount = 8 + (narrowed ? 4 : 0)
      accumulationFactorCount = 3 * count - 2
      relativeError = Self.mixed(factorCount, precision, accumulationFactorCount)
      massRelativeError = Self.mixed(3 + (narrowed ? 2 : 0), precision, 2 * count - 2)
    } else {
      factorCount = 3 * count + 2 + (narrowed ? 4 : 0)
      accumulationFactorCount = 0
      relativeError = Self.gamma(factorCount, precision)
      massRelativeError = Self.gamma(2 * count + 1 + (narrowed ? 1 : 0), precision)
    }
    let accumulated = precision.isHalfWidth ? (accumulationFactorCount, FloatPrecision.float32) : (factorCount, precision)
    var allowance = Rational.zero
    var reason: String?
    if Rational(accumulated.0) * accumulated.1.unitRoundoff >= 1 {
      reason = "N = \(count) is too large for the bound: \(accumulated.0)·u ≥ 1 in \(accumulated.1.rawValue)"
    } else if let problem = Self.rangeProblem(magnitudes, precision: precision, relativeError: relativeError) {
      reason = problem
    } else if let (rho, massRho) = Self.underflow(magnitudes, precision: precision, relativeError: relativeError) {
      let u = precision.unitRoundoff
      if relativeError > Rational(1, 2) || massRelativeError > Rational(1, 2) {
        reason = "squares or weights underflow in \(precision.rawValue), where the bound exceeds 1/2"
      } else if rho > u || massRho > u {
        reason = "the squares or weights that underflow in \(precision.rawValue) could move N_eff or the kept mass by more than u"
      } else {
        let widen = { (gamma: Rational, rho: Rational) in (1 + gamma) * (1 + rho / (1 - rho)) - 1 }
        relativeError = widen(relativeError, rho)
        massRelativeError = widen(massRelativeError, massRho)
        allowance = rho
      }
    }
    self.relativeError = relativeError
    self.massRelativeError = massRelativeError
    underflowAllowance = allowance
    uncertifiedReason = reason
    isCertified = reason == nil
  }

  /// `(ρ, ρ_mass)` of the underflow allowance, or `nil` when no square or weight can
  /// underflow (no non-zero `a_i²` nor `(a_i/Σa)²` below `λ/(1 − γ)`).
  private static func underflow(
    _ magnitudes: [Double], precision: FloatPrecision, relativeError: Rational
  ) -> (Rational, Rational)? {
    let a = magnitudes.filter { $0 != 0 }.map { Rational(finite: $0) }
    let risk = precision.smallestNormal / max(1 - relativeError, Rational(1, 2))
    let total = a.reduce(Rational.zero, +)
    let squares = a.reduce(Rational.zero) { $0 + $1 * $1 }
    let squareRisk = a.filter { $0 * $0 < risk }.count
    let weightRisk = a.filter { ($0 / total) * ($0 / total) < risk }.count
    guard squareRisk + weightRisk > 0 else { return nil }
    let eta = precision.smallestNormal * precision.unitRoundoff
    let rho = 18 * eta * max(Rational(squareRisk) / squares, Rational(weightRisk) * total * total / squares)
    return (rho, 3 * Rational(weightRisk) * eta * total / a.min()!)
  }

  /// `γ_k = k·u / (1 − k·u)`, or 1 when `k·u ≥ 1` (no bound: the caller does not certify it).
  public static func gamma(_ k: Int, _ precision: FloatPrecision) -> Rational {
    let ku = Rational(k) * precision.unitRoundoff
    return ku < 1 ? ku / (1 - ku) : 1
  }

  /// `(1 + γ_k)(1 + γ^f32_m) − 1`: `k` factors of `precision` and `m` of float32.
  static func mixed(_ k: Int, _ precision: FloatPrecision, _ m: Int) -> Rational {
    (1 + gamma(k, precision)) * (1 + gamma(m, .float32)) - 1
  }

  /// The bound as a formula, for evidence: `γ_k`, or `(1 + γ_k)(1 + γ^f32_m) − 1`.
  public var formula: String {
    let rounding =
      accumulationFactorCount == 0
      ? "γ_\(factorCount)" : "(1 + γ_\(factorCount))(1 + γ^float32_\(accumulationFactorCount)) − 1"
    return underflowAllowance.isZero ? rounding : "\(rounding), widened for underflow by ρ = \(Double(underflowAllowance))"
  }

  /// The enclosure `[x(1 − γ), x(1 + γ)]` of the values a float implementation may compute for `x ≥ 0`.
  public func interval(around x: Rational) -> Enclosure<Rational> {
    Enclosure(estimate: x, lowerBound: x * (1 - relativeError), upperBound: x * (1 + relativeError))
  }

  /// The first no-underflow/no-overflow condition that fails, described; `nil` if all hold.
  private static func rangeProblem(
    _ magnitudes: [Double], precision: FloatPrecision, relativeError: Rational
  ) -> String? {
    let tiny = precision.smallestNormal
    let nonZero = magnitudes.filter { $0 != 0 }
    guard let smallest = nonZero.min(), let largest = nonZero.max() else { return "all scores are zero" }
    let low = Rational(finite: smallest)
    let total = nonZero.reduce(Rational.zero) { $0 + Rational(finite: $1) }
    if low < tiny { return "the score \(smallest) is below the smallest normal \(precision.rawValue)" }
    if Rational(finite: largest) > precision.greatestFinite {
      return "the score \(largest) overflows \(precision.rawValue)"
    }
    if total * total * (1 + relativeError) > precision.greatestFinite {
      return "(Σ|s|)² overflows \(precision.rawValue)"
    }
    return nil
  }
}
