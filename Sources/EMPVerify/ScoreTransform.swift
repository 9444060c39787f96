import Exact

/// What an implementation does to the scores before EMP, or with scores that have no EMP
/// analysis (a NaN or infinite score, or every score zero), where the reference refuses.
///
/// A transform either substitutes a vector that has an analysis (negatives clipped to 0, −∞
/// set to 0, the non-finite scores dropped, zeros replaced by ones), on which the other rules
/// then explain the rest of the output, or decides the output of a case with no analysis
/// directly (one kept, all kept, none kept).
public enum ScoreTransform: String, CaseIterable, Sendable, Codable {
  /// Negative scores set to 0 instead of `|s|` (−∞ too), and uniform scores when none is then
  /// positive (the official KAN code).
  case clipNegative
  /// Scores centred on their mean first, `s − mean(s)`, the mean and each difference rounded
  /// to the case's format or float32, whichever is wider (the official code computes in
  /// float32: the image code's residuals, `method='mean'` of the CNN code).
  case centerMean
  /// −∞ set to 0 and still counted in N; other scores kept as they are.
  case negativeInfinityAsZero
  /// NaN and ±∞ removed: EMP over the finite scores, N their number.
  case dropNonFinite
  /// Every score replaced by 1 when all are zero (the official KAN code): N_eff = N.
  case uniformFallback
  /// One score kept when all are zero (the official KAN top-1 branch; or an infinite count
  /// made an integer and clamped to 1).
  case keepOne
  /// One score kept when a score is NaN or infinite: the NaN count made an integer (the lowest
  /// int64 on x86) and clamped to 1 (the official dropout code).
  case keepOneNonFinite
  /// Every score kept when all are zero, with a reported N_eff (if any) above N: the ε guards
  /// of the official image code give N_eff ≈ 10¹², clamped to N.
  case keepAll
  /// Nothing kept: a NaN count that no sorted position compares below (the official row-wise
  /// code).
  case pruneAll

  /// The stable identifier in `emp verify --json` (documented in Conformance/README.md).
  public var identifier: String {
    switch self {
    case .clipNegative: "scores.clip_negative"
    case .centerMean: "scores.center_mean"
    case .negativeInfinityAsZero: "masked.neg_inf_as_zero"
    case .dropNonFinite: "masked.drop"
    case .uniformFallback: "zero.uniform_fallback"
    case .keepOne: "zero.keep_one"
    case .keepOneNonFinite: "count.nonfinite_to_int"
    case .keepAll: "zero.keep_all_epsilon"
    case .pruneAll: "masked.prune_all"
    }
  }

  /// What this behaviour is, for a reader.
  public var explanation: String {
    switch self {
    case .clipNegative: "negative scores set to 0 instead of |s| (uniform when none is positive)"
    case .centerMean: "scores centred on their mean first"
    case .negativeInfinityAsZero: "−∞ scores set to 0 and counted in N"
    case .dropNonFinite: "NaN and ±∞ scores dropped, EMP over the finite ones"
    case .uniformFallback: "all scores zero: replaced by uniform scores (N_eff = N)"
    case .keepOne: "all scores zero: one kept"
    case .keepOneNonFinite: "a NaN count made an integer and clamped to 1: one kept"
    case .keepAll: "all scores zero: all kept (ε guards: N_eff ≈ 10¹²)"
    case .pruneAll: "no EMP analysis: nothing kept"
    }
  }

  /// Whether a case the candidate got right can refute the transform (see
  /// ``RetentionRule/isRefutable``): not for centring, whose rounding the candidate's format decides.
  var isRefutable: Bool { self != .centerMean }

  /// Whether the transform acts on `scores`: clipping needs a negative score (and no NaN or
  /// +∞), centring finite scores not all equal; the others need scores with no EMP analysis:
  /// −∞ and no other non-finite score; some non-finite and some finite score; a non-finite
  /// one; all zero; or, to keep none, anything undefined.
  func applies(to scores: [Double]) -> Bool {
    let defined = scores.allSatisfy(\.isFinite) && scores.contains { $0 != 0 }
    switch self {
    case .clipNegative: return scores.contains { $0 < 0 } && scores.allSatisfy { $0.isFinite || $0 == -.infinity }
    case .centerMean: return scores.allSatisfy(\.isFinite) && scores.contains { $0 != scores[0] }
    case .negativeInfinityAsZero: return scores.contains(-.infinity) && scores.allSatisfy { $0.isFinite || $0 == -.infinity }
    case .dropNonFinite: return scores.contains { !$0.isFinite } && scores.contains(where: \.isFinite)
    case .uniformFallback, .keepAll, .keepOne: return scores.allSatisfy { $0 == 0 }
    case .keepOneNonFinite: return scores.contains { !$0.isFinite }
    case .pruneAll: return !defined
    }
  }

  /// The vector this transform substitutes for `scores` (stored in `precision`), the format
  /// its scores are in, and the original index of each; `nil` when it substitutes none or
  /// does not apply.
  func substitute(
    _ scores: [Double], precision: FloatPrecision
  ) -> (scores: [Double], precision: FloatPrecision, indices: [Int])? {
    guard applies(to: scores) else { return nil }
    let all = Array(scores.indices)
    switch self {
    case .centerMean:
      let format = max(precision, .float32)
      let exact = scores.map { Rational(finite: $0) }
      let mean = Rational(finite: format.nearest(exact.reduce(Rational.zero, +) / Rational(scores.count)))
      let differences = exact.map { $0 - mean }
      guard differences.allSatisfy({ $0.magnitude <= format.greatestFinite }) else { return nil }
      return (differences.map(format.nearest), format, all)
    case .clipNegative:
      let clipped = scores.map { max($0, 0) }
      return (clipped.contains { $0 > 0 } ? clipped : Array(repeating: 1, count: scores.count), precision, all)
    case .negativeInfinityAsZero: return (scores.map { $0 == -.infinity ? 0 : $0 }, precision, all)
    case .dropNonFinite:
      let finite = scores.indices.filter { scores[$0].isFinite }
      return (finite.map { scores[$0] }, precision, finite)
    case .uniformFallback: return (Array(repeating: 1, count: scores.count), precision, all)
    case .keepOne, .keepOneNonFinite, .keepAll, .pruneAll: return nil
    }
  }

  /// Whether this transform, one that substitutes nothing, gives `output` on `scores`.
  func reproduces(_ output: CandidateOutput, scores: [Double]) -> Bool {
    let n = scores.count
    let kept = output.keptIndices
    guard applies(to: scores) else { return false }
    switch self {
    case .keepOne, .keepOneNonFinite:
      return output.retentionCount == 1 && kept.map { $0.count == 1 && $0.allSatisfy((0..<n).contains) } ?? true
    case .keepAll:
      return output.retentionCount == n && (kept == nil || kept == Set(0..<n))
        && (output.effectiveSampleSize.map { $0 > Rational(n) } ?? true)
    case .pruneAll: return kept?.isEmpty == true
    case .clipNegative, .centerMean, .negativeInfinityAsZero, .dropNonFinite, .uniformFallback: return false
    }
  }
}
