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
/// The bound holds only when nothing underflows or overflows: every non-zero `a_i`, `a_i²`
/// and `(a_i/Σa)²` is at least the smallest normal number, and `(Σa)²·(1 + γ)` is finite.
/// When that fails, `isCertified` is false and no bound is claimed. (In float16 the squared
/// weights of a few thousand scores already underflow, so its bound is rarely certified.) Nor
/// is one claimed when the model has none: `γ_k` needs `k·u < 1`, so in float32 the bound
/// stops at N = 5,592,404 (a library's pairwise summation has a far smaller error, but not one
/// proven for every order).
public struct FloatRoundingBound: Sendable, Equatable {
  /// The format computed in.
  public let precision: FloatPrecision
  /// `k` in `γ_k` for `β·N_eff`: the factors of `precision`.
  public let factorCount: Int
  /// The float32 accumulation factors of a 16-bit evaluation (0 for float32 and float64).
  public let accumulationFactorCount: Int
  /// `γ_k` for `β·N_eff`: `|fl(β·N_eff) − β·N_eff| ≤ γ_k · β·N_eff` (meaningful only when
  /// certified; 1 when `k·u ≥ 1`, where the model has no bound).
  public let relativeError: Rational
  /// `γ_k` for the kept mass `s_eff` (the same caveat).
  public let massRelativeError: Rational
  /// Whether the model's no-underflow, no-overflow conditions hold for this input.
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
    uncertifiedReason =
      Rational(accumulated.0) * accumulated.1.unitRoundoff >= 1
      ? "N = \(count) is too large for the bound: \(accumulated.0)·u ≥ 1 in \(accumulated.1.rawValue)"
      : Self.rangeProblem(magnitudes, precision: precision, relativeError: relativeError)
    isCertified = uncertifiedReason == nil
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
    accumulationFactorCount == 0
      ? "γ_\(factorCount)" : "(1 + γ_\(factorCount))(1 + γ^float32_\(accumulationFactorCount)) − 1"
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
    if low * low < tiny { return "the square of the score \(smallest) underflows in \(precision.rawValue)" }
    let share = low / total
    if share * share < tiny { return "the squared weight of the score \(smallest) underflows in \(precision.rawValue)" }
    if total * total * (1 + relativeError) > precision.greatestFinite {
      return "(Σ|s|)² overflows \(precision.rawValue)"
    }
    return nil
  }
}
