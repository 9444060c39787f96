/// Why a score vector has no EMP analysis. Its description is one line for the user.
public enum EMPInputError: Error, Equatable, Sendable, CustomStringConvertible {
  /// No scores at all.
  case empty
  /// The score at `index` (0-based) is NaN or infinite.
  case nonFinite(index: Int)
  /// Every score is zero, so the normalised weights ω are undefined.
  case allZero
  /// β must be positive; `beta` is what was given, as text.
  case nonPositiveBeta(String)

  public var description: String {
    switch self {
    case .empty: "no scores: EMP needs at least one"
    case .nonFinite(let index): "the score at 0-based index \(index) is not finite (NaN or infinity)"
    case .allZero: "all scores are zero: the weights ω and N_eff are undefined"
    case .nonPositiveBeta(let beta): "beta must be positive, got \(beta)"
    }
  }
}
