import EMPCore
import Exact

/// Effective Model Pruning at memory speed: `N_eff`, a certified `ν`, the cut, `s_eff` and
/// masks, over `Float16`, `BFloat16`, `Float` and `Double` scores (SPEC.md, "Definitions").
///
/// Guarantees (Proofs/fast-path-error-bounds.md):
/// - `ν` is always the exact `⌊β·N_eff⌋` clamped to `[1, N]`: it is read off a proven
///   enclosure of `N_eff` when both ends give the same floor, and otherwise recomputed
///   with exact rational arithmetic (`RetentionCertificate.exactFallback`).
/// - The cut keeps exactly `ν` scores: the largest `|s|`, ties by lowest index.
/// - Every float result carries a proven enclosure of the exact value.
/// - Results are bit-identical for every thread count: scores are reduced in fixed blocks
///   of 8192 and the block results combined in a fixed pairwise tree.
public enum FastEMP {
  /// How much parallelism the fast path may use.
  public struct Options: Sendable {
    /// The number of threads; results do not depend on it.
    public var threads: Int

    /// Options with `threads` threads (default: the active processors).
    ///
    /// - Precondition: `threads >= 1`.
    public init(threads: Int? = nil) {
      let threads = threads ?? Parallel.defaultWorkers
      precondition(threads >= 1, "FastEMP.Options: threads must be at least 1")
      self.threads = threads
    }
  }

  /// `Σ|s|` and `Σs²` of a buffer, with proven enclosures (SIMD, all threads).
  ///
  /// - Throws: `EMPInputError.empty` or `.nonFinite(index:)`.
  /// - Complexity: one pass over the scores.
  public static func moments(of scores: ScoreBuffer, options: Options = Options()) throws
    -> (absoluteSum: Enclosure, sumOfSquares: Enclosure)
  {
    try MomentsPass([scores], workers: options.threads, sampling: false).enclosures
  }

  /// The EMP analysis of one score vector (per-tensor mode).
  ///
  /// - Parameters:
  ///   - scores: the scores `s`, any sign.
  ///   - beta: `β > 0` in `ν = ⌊β·N_eff⌋`.
  /// - Throws: `EMPInputError` for no scores, a non-finite score, all zeros, or `β ≤ 0`.
  /// - Complexity: `O(N)`: usually two passes over the scores, plus a few histogram passes
  ///   when the sampled bracket of the cut misses; the exact fallback adds one exact pass.
  public static func analyze(_ scores: ScoreBuffer, beta: Rational = 1, options: Options = Options()) throws
    -> FastAnalysis
  {
    try analyze(source: [scores], beta: beta, options: options)
  }

  /// The EMP analysis of one score vector spread over many chunks or tensors (global mode).
  ///
  /// Scores are indexed in chunk order; `Cut.lastKeptTieIndex` uses those global indices.
  /// Write each tensor's mask with `Cut.writeMask(of:startIndex:into:options:)`.
  ///
  /// - Parameters:
  ///   - source: the chunks; read two or more times.
  ///   - beta: `β > 0` in `ν = ⌊β·N_eff⌋`.
  /// - Throws: `EMPInputError` (indices are global), or what the source throws.
  /// - Complexity: `O(N)`, as `analyze(_:beta:options:)`.
  public static func analyze(source: some ScoreSource, beta: Rational = 1, options: Options = Options()) throws
    -> FastAnalysis
  {
    guard beta.signum > 0 else { throw EMPInputError.nonPositiveBeta("\(beta)") }
    let moments = try MomentsPass(source, workers: options.threads, sampling: true)
    var (absoluteSum, sumOfSquares) = moments.enclosures
    guard absoluteSum.estimate > 0 else { throw EMPInputError.allZero }
    let n = moments.count
    var neff = Directed.squareOver(absoluteSum, sumOfSquares)
    var exactNeff: Rational?
    var nu = certifiedRetentionCount(neff, beta: beta, count: n)
    if nu == nil {
      let exact = try ExactMoments(of: source)
      let value = EMPDefinition.effectiveSampleSize(absoluteSum: exact.absoluteSum, sumOfSquares: exact.sumOfSquares)
      exactNeff = value
      nu = EMPDefinition.retentionCount(effectiveSampleSize: value, beta: beta, count: n)
      neff = Enclosure(exactly: value)
      absoluteSum = Enclosure(exactly: exact.absoluteSum)
      sumOfSquares = Enclosure(exactly: exact.sumOfSquares)
    }
    let selection = try CutSelection(source, moments: moments, rank: nu!, workers: options.threads)
    return FastAnalysis(
      count: n, absoluteSum: absoluteSum, sumOfSquares: sumOfSquares, effectiveSampleSize: neff,
      exactEffectiveSampleSize: exactNeff, retentionCount: nu!,
      certificate: exactNeff == nil ? .floatingPoint : .exactFallback,
      cut: selection.cut, preservedMass: Directed.fraction(selection.keptSum, absoluteSum))
  }

  /// `ν` if both ends of the enclosure of `N_eff` give the same clamped `⌊β·N_eff⌋`, decided
  /// exactly on the rational values of the two `Double` bounds; `nil` otherwise.
  static func certifiedRetentionCount(_ neff: Enclosure, beta: Rational, count: Int) -> Int? {
    guard neff.upperBound.isFinite else { return nil }
    let low = EMPDefinition.retentionCount(
      effectiveSampleSize: try! Rational(exactly: neff.lowerBound), beta: beta, count: count)
    let high = EMPDefinition.retentionCount(
      effectiveSampleSize: try! Rational(exactly: neff.upperBound), beta: beta, count: count)
    return low == high ? low : nil
  }
}
