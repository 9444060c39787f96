import EMPCore
import EMPReference
import Exact

/// What a conforming implementation outputs for one case, derived by the exact reference,
/// and what float implementations may output instead within their proven rounding error.
public struct ExpectedOutcome: Sendable, Equatable {
  /// `N`.
  public let count: Int
  /// `β`.
  public private(set) var beta: Rational
  /// `N_eff`, exact.
  public let effectiveSampleSize: Rational
  /// `ν = ⌊β·N_eff⌋` clamped to `[1, N]`.
  public let retentionCount: Int
  /// `π`, ascending (ties at the cut: lowest index first).
  public let keptIndices: [Int]
  /// `s_eff`, exact.
  public let preservedMass: Rational
  /// Per format: `N_eff` correctly rounded, what an implementation accurate to the last bit
  /// computes (no float16 entry when N_eff is beyond its largest value, 65504).
  public let roundedEffectiveSampleSize: [FloatPrecision: Double]
  /// Per format: the rounding bound for this input (``FloatRoundingBound``).
  public let roundingBounds: [FloatPrecision: FloatRoundingBound]
  /// Why N_eff is not finite in a narrower format, if it is not (``vanishing(_:)``).
  let vanishing: Vanishing?

  /// N_eff not finite in a narrower format: why, whether it is because every score rounds to
  /// 0, and whether float32's `1/Σω²` is `1/0 = +∞` (weights that vanish, no score rounded to ∞).
  struct Vanishing: Sendable, Equatable {
    let reason: String
    let scoresVanish: Bool
    let isInfinite: Bool
  }

  /// Derives the outcome of `conformanceCase` with ``ExactAnalysis``.
  ///
  /// - Throws: `EMPInputError` for a case with no EMP analysis (no scores, a non-finite or
  ///   all-zero vector, `β ≤ 0`).
  public init(_ conformanceCase: ConformanceCase) throws(EMPInputError) {
    let analysis = try ExactAnalysis(scores: conformanceCase.scores, beta: conformanceCase.beta)
    count = analysis.count
    beta = analysis.beta
    effectiveSampleSize = analysis.effectiveSampleSize
    retentionCount = analysis.retentionCount
    keptIndices = analysis.keptIndices
    preservedMass = analysis.preservedMass
    var rounded: [FloatPrecision: Double] = [:]
    var bounds: [FloatPrecision: FloatRoundingBound] = [:]
    for precision in FloatPrecision.allCases {
      if analysis.effectiveSampleSize < precision.greatestFinite {
        rounded[precision] = precision.nearest(analysis.effectiveSampleSize)
      }
      bounds[precision] = FloatRoundingBound(
        magnitudes: conformanceCase.magnitudes, inputPrecision: conformanceCase.precision, precision: precision)
    }
    roundedEffectiveSampleSize = rounded
    roundingBounds = bounds
    vanishing = Self.vanishing(conformanceCase.scores)
  }

  /// The outcome with `β = 1`, as an implementation that ignores `β` sees the case (only
  /// `β` differs: the reference's `ν` and `π` are kept, for comparison).
  func ignoringBeta() -> ExpectedOutcome {
    var copy = self
    copy.beta = 1
    return copy
  }

  /// `ν` from a value of `N_eff` by the reference rule: `⌊β·x⌋` clamped to `[1, N]`.
  public func retentionCount(forEffectiveSampleSize x: Rational) -> Int {
    EMPDefinition.retentionCount(effectiveSampleSize: x, beta: beta, count: count)
  }

  /// The values of `ν` a float implementation in `precision` may compute within its proven
  /// bound, or `nil` when the bound is not certified for this input (underflow or overflow).
  public func floatRetentionCounts(_ precision: FloatPrecision) -> ClosedRange<Int>? {
    let bound = roundingBounds[precision]!
    guard bound.isCertified else { return nil }
    let values = bound.interval(around: beta * effectiveSampleSize)
    let clamp = { (x: Rational) in EMPDefinition.retentionCount(effectiveSampleSize: x, beta: 1, count: self.count) }
    return clamp(values.lowerBound)...clamp(values.upperBound)
  }
}
