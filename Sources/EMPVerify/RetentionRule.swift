import Exact

/// A way of computing `ν`: the reference rule, or a known deviation from it.
///
/// Order matters: when several rules explain the same output equally well, the earlier
/// one is named first (the more specific format before the coarser: float64, float32,
/// float16, bfloat16).
public enum RetentionRule: String, CaseIterable, Sendable, Codable {
  /// `⌊β·N_eff⌋` clamped to `[1, N]`, exactly.
  case reference
  /// Any `ν` a float64 evaluation can give within its proven bound (``FloatRoundingBound``).
  case float64
  /// Any `ν` a float32 evaluation can give within its proven bound.
  case float32
  /// Any `ν` a float16 evaluation (element-wise float16, float32 sums) can give within its
  /// proven bound; where that bound is not certified (underflow, common), none.
  case float16
  /// Any `ν` a bfloat16 evaluation (PyTorch's: element-wise bfloat16, float32 sums) can give
  /// within its proven bound; where that bound is not certified, none.
  case bfloat16
  /// `⌈β·N_eff⌉` instead of the floor.
  case ceiling
  /// `β·N_eff` rounded to nearest (ties to even) instead of the floor.
  case nearest
  /// `⌊β·⌊N_eff⌋⌋`: N_eff floored before β is applied.
  case floorBeforeBeta
  /// `⌊⌊β⌋·N_eff⌋`: β truncated to an integer.
  case integerBeta
  /// N_eff from signed scores, `(Σs)²/Σs²`, instead of `(Σ|s|)²/Σs²`.
  case signedSum
  /// No lower clamp: `ν = 0` when `β·N_eff < 1`.
  case noLowerClamp
  /// No upper clamp: `ν > N` when `β·N_eff ≥ N + 1`.
  case noUpperClamp
  /// Clamped to `[1, N − 1]` as `min(max(ν, 1), N − 1)`: never every score kept (the official
  /// code's experiments); `ν = 0` when `N = 1`, as `torch.clamp` and `numpy.clip` give when the
  /// lower bound exceeds the upper.
  case clampBelowN
  /// `ω = |s|/(Σ|s| + ε)`, so `N_eff = (Σ|s| + ε)²/Σs²`, with `ε = 10⁻¹²` (a float64 constant).
  case epsilonInSum
  /// `ω = |s|/(Σ|s| + ε)` and `N_eff = 1/(Σω² + ε)`, `ε = 10⁻¹²`: both guards of the official
  /// image-pruning code.
  case epsilonInSumAndSquares
  /// The guards added per term: `ω = |s|/Σ(|s| + ε)` and `N_eff = 1/Σ(ω² + ε)`, `ε = 10⁻¹²`
  /// (an earlier version of the official image-pruning code).
  case epsilonPerTerm
  /// N_eff is not finite in a narrower format (every score rounds to zero in float32,
  /// bfloat16 or float16, so N_eff is `0/0`; or every ε-guarded weight squares to zero in
  /// float32, so it is `1/0`), and the implementation keeps one (`ν = 1`: the official KAN
  /// top-1 branch, or a NaN or ∞ made an integer and clamped).
  case vanishedKeepOne
  /// Every score rounds to zero in a narrower format, and the implementation falls back to
  /// uniform scores: `N_eff = N`, `ν = ⌊β·N⌋` clamped.
  case vanishedUniform
  /// N_eff not finite in a narrower format, and nothing kept (`ν = 0`: a NaN count that no
  /// sorted position compares below, as the official row-wise code).
  case vanishedPruneAll
  /// `1/Σω²` is `+∞` in float32 (every ε-guarded weight squares to zero, or Σ|s| overflows),
  /// and a float clamp makes it its upper bound: `ν = N`, or `N − 1` with the clamp `[1, N − 1]`.
  case vanishedUpperClamp

  /// What this deviation is, for a reader.
  public var explanation: String {
    switch self {
    case .reference: "ν = ⌊β·N_eff⌋"
    case .float64: "ν off by one from float64 rounding of N_eff"
    case .float32: "ν off by one from float32 rounding of N_eff"
    case .bfloat16: "N_eff evaluated in bfloat16 (element-wise bfloat16, float32 sums)"
    case .float16: "N_eff evaluated in float16 (element-wise float16, float32 sums)"
    case .ceiling: "ν = ⌈β·N_eff⌉ (ceiling instead of floor)"
    case .nearest: "ν = round(β·N_eff) (rounding instead of floor)"
    case .floorBeforeBeta: "ν = ⌊β·⌊N_eff⌋⌋ (N_eff floored before β)"
    case .integerBeta: "ν = ⌊⌊β⌋·N_eff⌋ (β truncated to an integer)"
    case .signedSum: "N_eff from signed scores (Σs)²/Σs² instead of (Σ|s|)²/Σs²"
    case .noLowerClamp: "ν not clamped below (ν = 0 allowed)"
    case .noUpperClamp: "ν not clamped to N"
    case .clampBelowN: "ν clamped to [1, N − 1] instead of [1, N]"
    case .epsilonInSum: "ω = |s|/(Σ|s| + 1e-12): N_eff regularised by an ε in the sum"
    case .epsilonInSumAndSquares: "ω = |s|/(Σ|s| + 1e-12) and N_eff = 1/(Σω² + 1e-12): ε in the sum and in the squares"
    case .epsilonPerTerm: "ω = |s|/Σ(|s| + 1e-12) and N_eff = 1/Σ(ω² + 1e-12): ε added per term"
    case .vanishedKeepOne: "N_eff not finite in the format computed in (scores round to 0 or ∞, or weights to 0), and one is kept"
    case .vanishedUniform: "every score rounds to 0 in the format computed in, and uniform scores replace them"
    case .vanishedPruneAll: "N_eff not finite in the format computed in (scores round to 0 or ∞, or weights to 0), and nothing is kept"
    case .vanishedUpperClamp: "N_eff = 1/0 = ∞ in float32 (the weights vanish), clamped to N or N − 1"
    }
  }

  /// The stable identifier of this rule in `emp verify --json` (documented in Conformance/README.md).
  public var identifier: String {
    switch self {
    case .reference: "count.floor"
    case .float64: "float_rounding.f64"
    case .float32: "float_rounding.f32"
    case .bfloat16: "float_rounding.bf16"
    case .float16: "float_rounding.f16"
    case .ceiling: "count.ceil"
    case .nearest: "count.round"
    case .floorBeforeBeta: "count.floor_before_beta"
    case .integerBeta: "beta.truncated"
    case .signedSum: "neff.signed_sum"
    case .noLowerClamp: "count.no_lower_clamp"
    case .noUpperClamp: "count.no_upper_clamp"
    case .clampBelowN: "count.clamp_n_minus_1"
    case .epsilonInSum: "neff.epsilon_sum"
    case .epsilonInSumAndSquares: "neff.epsilon_sum_and_square"
    case .epsilonPerTerm: "neff.epsilon_per_element"
    case .vanishedKeepOne: "zero.keep_one"
    case .vanishedUniform: "zero.uniform_fallback"
    case .vanishedPruneAll: "masked.prune_all"
    case .vanishedUpperClamp: "count.infinite_to_upper_clamp"
    }
  }

  /// Whether a case the candidate got right can refute the rule: its effect does not hang on
  /// the float format the candidate computes in (the float rules, the ε guards, whose effect
  /// rounding can hide, and the vanished scores, which depend on the format, are not).
  var isRefutable: Bool {
    switch self {
    case .float64, .float32, .float16, .bfloat16, .epsilonInSum, .epsilonInSumAndSquares, .epsilonPerTerm, .vanishedKeepOne,
      .vanishedUniform, .vanishedPruneAll, .vanishedUpperClamp:
      false
    default: true
    }
  }

  /// The float format of a rounding rule, `nil` for the others.
  public var precision: FloatPrecision? {
    switch self {
    case .float32: .float32
    case .float64: .float64
    case .bfloat16: .bfloat16
    case .float16: .float16
    default: nil
    }
  }
}

/// The values of `ν` a retention rule allows on one case.
struct RetentionCounts {
  /// The allowed values.
  var range: ClosedRange<Int>
  /// `false` when a float rule's bound is not certified (underflow or overflow): any `ν` is then possible.
  var isCertified: Bool = true
}

extension ExpectedOutcome {
  /// `(Σs)²/Σs²`, exactly: N_eff computed from signed scores (a mistake; it can be below 1, even 0).
  static func signedEffectiveSampleSize(_ scores: [Double]) -> Rational {
    let exact = scores.map { Rational(finite: $0) }
    let sum = exact.reduce(Rational.zero, +)
    return sum * sum / exact.reduce(Rational.zero) { $0 + $1 * $1 }
  }

  /// The ε of the official code's guards, `1e-12` as the float64 it is.
  static let epsilon = Rational(finite: 1e-12)

  /// N_eff with ε guards, exactly: `ω = |s|/(Σ|s| + sumGuard)`, then `1/(Σω² + squareGuard)`.
  static func regularisedEffectiveSampleSize(_ scores: [Double], sumGuard: Rational, squareGuard: Rational) -> Rational {
    let magnitudes = scores.map { Rational(finite: $0.magnitude) }
    let sum = magnitudes.reduce(Rational.zero, +) + sumGuard
    let omegaSquares = magnitudes.reduce(Rational.zero) { $0 + $1 * $1 } / (sum * sum)
    return 1 / (omegaSquares + squareGuard)
  }

  /// Why N_eff is not finite in a narrower format, or `nil`: every score rounds to zero in
  /// float32, bfloat16 or float16 (rounding is monotone, so the largest decides), a score
  /// rounds to ∞ there (N_eff = ∞/∞), every ε-guarded weight `|s|/(Σ|s| + ε)` squares to
  /// zero in float32, or Σ|s| overflows float32 in any order of summation (every weight
  /// `|s|/∞` is 0). In the last two `1/Σω²` is `1/0 = +∞`.
  static func vanishing(_ scores: [Double]) -> Vanishing? {
    let magnitudes = scores.map { Rational(finite: $0.magnitude) }
    guard let largest = magnitudes.max() else { return nil }
    // Half the smallest subnormal, λ·u, and below round to 0 (the tie to the even 0).
    let roundsToZero = { (x: Rational, format: FloatPrecision) in x <= format.smallestNormal * format.unitRoundoff }
    var reasons: [String] = []
    let formats = [FloatPrecision.float32, .bfloat16, .float16].filter { roundsToZero(largest, $0) }
    if !formats.isEmpty {
      reasons.append("every score rounds to 0 in " + formats.map(\.rawValue).joined(separator: ", ") + " (N_eff = 0/0)")
    }
    let overflows = [FloatPrecision.float32, .bfloat16, .float16].filter { largest >= $0.overflowThreshold }
    if !overflows.isEmpty {
      let names = overflows.map { $0.rawValue }.joined(separator: ", ")
      reasons.append("a score rounds to ∞ in " + names + " (N_eff = ∞/∞)")
    }
    let sum = magnitudes.reduce(Rational.zero, +)
    let weight = largest / (sum + epsilon)
    var weightsVanish = false
    if roundsToZero(weight * weight, .float32) {
      reasons.append("every weight |s|/(Σ|s| + 1e-12) squares to 0 in float32 (N_eff = 1/0)")
      weightsVanish = true
    }
    // A float32 sum of N non-negative terms in any order that stays finite is at least
    // (1 − γ_(N−1))·Σ|s|, so beyond the overflow threshold divided by that it cannot stay finite.
    let gamma = FloatRoundingBound.gamma(magnitudes.count - 1, .float32)
    if !overflows.contains(.float32), sum * (1 - gamma) >= FloatPrecision.float32.overflowThreshold {
      reasons.append("Σ|s| overflows float32 in any order, so every weight |s|/Σ|s| is 0 (N_eff = 1/0)")
      weightsVanish = true
    }
    // Scores rounded to 0 still give weights 0/(0 + ε) = 0; a score rounded to ∞ gives NaN.
    return reasons.isEmpty
      ? nil
      : Vanishing(
        reason: reasons.joined(separator: ", and "), scoresVanish: !formats.isEmpty,
        isInfinite: weightsVanish && !overflows.contains(.float32))
  }

  /// The N_eff an implementation following `rule` computes before its own rounding: the
  /// exact N_eff for rules that only change what is done with it (and for the float rules,
  /// whose rounding their own bound covers), the rule's variant for the others; `nil` where
  /// the rule has none.
  func effectiveSampleSize(under rule: RetentionRule, scores: [Double]) -> Rational? {
    switch rule {
    case .signedSum: Self.signedEffectiveSampleSize(scores)
    case .epsilonInSum: Self.regularisedEffectiveSampleSize(scores, sumGuard: Self.epsilon, squareGuard: 0)
    case .epsilonInSumAndSquares:
      Self.regularisedEffectiveSampleSize(scores, sumGuard: Self.epsilon, squareGuard: Self.epsilon)
    case .epsilonPerTerm:
      Self.regularisedEffectiveSampleSize(
        scores, sumGuard: Rational(count) * Self.epsilon, squareGuard: Rational(count) * Self.epsilon)
    case .vanishedKeepOne, .vanishedPruneAll, .vanishedUpperClamp: nil
    case .vanishedUniform: Rational(count)
    default: effectiveSampleSize
    }
  }

  /// The values of `ν` that `rule` gives on this case, with signed scores `scores`.
  func retentionCounts(_ rule: RetentionRule, scores: [Double]) -> RetentionCounts {
    let x = beta * effectiveSampleSize
    func clamped(_ value: BigInteger, lower: Bool = true, upper: Bool = true) -> RetentionCounts {
      var v = value
      if lower, v < BigInteger(1) { v = BigInteger(1) }
      if upper, v > BigInteger(count) { v = BigInteger(count) }
      let n = v.intValue ?? Int.max
      return RetentionCounts(range: n...n)
    }
    switch rule {
    case .reference: return clamped(x.floor)
    case .float32, .float64, .bfloat16, .float16:
      if let range = floatRetentionCounts(rule.precision!) { return RetentionCounts(range: range) }
      // An uncertified 16-bit bound explains nothing: its underflow is common, not an edge.
      if rule.precision!.isHalfWidth { return RetentionCounts(range: -1 ... -1) }
      return RetentionCounts(range: 0...Int.max, isCertified: false)
    case .ceiling: return clamped(x.ceiling)
    case .nearest: return clamped(x.roundedToNearestEven())
    case .floorBeforeBeta: return clamped((beta * Rational(effectiveSampleSize.floor)).floor)
    case .integerBeta: return clamped((Rational(beta.floor) * effectiveSampleSize).floor)
    case .noLowerClamp: return clamped(x.floor, lower: false)
    case .noUpperClamp: return clamped(x.floor, upper: false)
    case .clampBelowN:
      let n = min(clamped(x.floor).range.lowerBound, count - 1)
      return RetentionCounts(range: n...n)
    case .signedSum, .epsilonInSum, .epsilonInSumAndSquares, .epsilonPerTerm:
      return clamped((beta * effectiveSampleSize(under: rule, scores: scores)!).floor)
    case .vanishedKeepOne, .vanishedPruneAll:
      // Where N_eff is finite, the rule gives no ν (a value no case can have).
      guard vanishing != nil else { return RetentionCounts(range: -1 ... -1) }
      return RetentionCounts(range: rule == .vanishedKeepOne ? 1...1 : 0...0)
    case .vanishedUniform:
      guard vanishing?.scoresVanish == true else { return RetentionCounts(range: -1 ... -1) }
      return clamped((beta * Rational(count)).floor)
    case .vanishedUpperClamp:
      guard vanishing?.isInfinite == true else { return RetentionCounts(range: -1 ... -1) }
      return RetentionCounts(range: (count - 1)...count)
    }
  }
}
