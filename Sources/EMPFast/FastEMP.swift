import EMPCore
import Exact

/// Effective Model Pruning at memory speed: `N_eff`, a certified `ν`, the cut, `s_eff` and
/// masks, over `Float16`, `BFloat16`, `Float` and `Double` scores (Proofs/definitions.md).
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
  ///
  /// Two resources outlive a call, for the whole process, and each can be turned off:
  /// - worker threads (``keepsWorkerThreads``): at the first parallel pass the fast path starts
  ///   one helper thread per active processor beyond the first; after each pass a helper spins
  ///   (yielding its processor to any thread that wants it) for up to 2 ms, waiting for the next
  ///   pass, then sleeps. Off, every parallel pass runs on Dispatch's threads instead, and pays
  ///   for waking them (tens of microseconds a pass).
  /// - spare arrays (``keepsSpareArrays``): emptied work arrays, up to 16 MiB of sample keys and
  ///   8 MiB each of recorded indices and magnitudes, kept so the next call does not fault in
  ///   fresh pages. Off, they are freed after each call.
  ///
  /// Results never depend on either, nor on the thread count.
  public struct Options: Sendable {
    /// The number of threads; results do not depend on it.
    public var threads: Int
    /// The kernels for the scores (the best this CPU runs, or the portable
    /// ones under `EMPKIT_KERNEL=portable`; tests select each in turn). Results do not
    /// depend on them.
    package var kernel = VectorKernel.best

    /// Options with `threads` threads (default: the active processors).
    ///
    /// - Precondition: `threads >= 1`.
    public init(threads: Int? = nil) {
      let threads = threads ?? Parallel.defaultWorkers
      precondition(threads >= 1, "FastEMP.Options: threads must be at least 1")
      self.threads = threads
    }
  }

  /// Whether parallel passes use the fast path's own helper threads (see ``Options``).
  public static var keepsWorkerThreads: Bool {
    get { Parallel.usesWorkerPool.load(ordering: .relaxed) }
    set { Parallel.usesWorkerPool.store(newValue, ordering: .relaxed) }
  }

  /// Whether emptied work arrays are kept for the next call (see ``Options``); turning it off
  /// frees the ones kept.
  public static var keepsSpareArrays: Bool {
    get { SparePools.isKeeping.load(ordering: .relaxed) }
    set {
      SparePools.isKeeping.store(newValue, ordering: .relaxed)
      if !newValue { SparePools.release() }
    }
  }

  /// `Σ|s|` and `Σs²` of a buffer, with proven enclosures (SIMD, all threads).
  ///
  /// - Throws: `EMPInputError.empty` or `.nonFinite(index:)`.
  /// - Complexity: one pass over the scores.
  public static func moments(of scores: ScoreBuffer, options: Options = Options()) throws
    -> (absoluteSum: Enclosure<Double>, sumOfSquares: Enclosure<Double>)
  {
    try MomentsPass([scores], workers: options.threads, samplesPerBlock: 0, kernel: options.kernel).enclosures
  }

  /// The EMP analysis of one score vector (per-tensor mode).
  ///
  /// - Parameters:
  ///   - scores: the scores `s`, any sign.
  ///   - beta: `β > 0` in `ν = ⌊β·N_eff⌋`.
  /// - Throws: `EMPInputError` for no scores, a non-finite score, all zeros, or `β ≤ 0`.
  /// - Complexity: `O(N)`: two passes over the scores (moments with a histogram, then the
  ///   cut), plus a histogram pass for each refinement of a crowded bracket (Proofs §5);
  ///   the exact fallback adds one exact pass.
  public static func analyze(_ scores: ScoreBuffer, beta: Rational = 1, options: Options = Options()) throws
    -> FastAnalysis
  {
    try analyze(
      source: [scores], samplesPerBlock: samplesPerBlock(count: scores.count), beta: beta, mask: NoKeepMask(),
      options: options
    ).analysis
  }

  /// The EMP analysis of one score vector, writing its keep mask in the same passes: the
  /// result of `analyze(_:beta:options:)` followed by `Cut.writeMask(of:into:options:)`,
  /// without the extra pass over the scores.
  ///
  /// - Parameters:
  ///   - scores: the scores `s`, any sign.
  ///   - beta: `β > 0` in `ν = ⌊β·N_eff⌋`.
  ///   - mask: the keep mask of `scores` (see `MaskDestination`); left unspecified when the
  ///     call throws.
  /// - Precondition: the destination is large enough.
  /// - Throws: as `analyze(_:beta:options:)`.
  /// - Complexity: as `analyze(_:beta:options:)`; heavy ties at the cut add a pass over the
  ///   scores up to the last kept tie.
  public static func analyze(
    _ scores: ScoreBuffer, beta: Rational = 1, writingMaskInto mask: MaskDestination, options: Options = Options()
  ) throws -> FastAnalysis {
    let (analysis, tiePrefix): (FastAnalysis, Int?)
    switch mask {
    case .bits(let words):
      precondition(words.count >= (scores.count + 63) / 64, "FastEMP.analyze: bit mask too short")
      guard let base = words.baseAddress else { return try analyze(scores, beta: beta, options: options) }
      if scores.count % 64 != 0 { words[scores.count / 64] = 0 }
      (analysis, tiePrefix) = try analyze(
        source: [scores], samplesPerBlock: samplesPerBlock(count: scores.count), beta: beta, mask: BitKeepMask(words: base), options: options)
    case .bytes(let bytes):
      precondition(bytes.count >= scores.count, "FastEMP.analyze: byte mask too short")
      guard let base = bytes.baseAddress else { return try analyze(scores, beta: beta, options: options) }
      (analysis, tiePrefix) = try analyze(
        source: [scores], samplesPerBlock: samplesPerBlock(count: scores.count), beta: beta, mask: ByteKeepMask(bytes: base), options: options)
    }
    if let tiePrefix {
      // Rewrite whole mask words: the prefix rounded up to a multiple of 64 scores.
      let prefix = min(scores.count, (tiePrefix + 63) / 64 * 64)
      analysis.cut.writeMask(of: scores.slice(0..<prefix), into: mask, options: options)
    }
    return analysis
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
    let samples = source.scoreCount.map { MomentsPass.samplesPerBlock(count: $0) } ?? MomentsPass.samplesPerBlock
    return try analyze(source: source, samplesPerBlock: samples, beta: beta, mask: NoKeepMask(), options: options).analysis
  }

  /// The analysis; the keep mask goes to `mask` (chunk-relative indices, so only for a
  /// single-chunk source), and the kept ties are still to be marked in the mask's first
  /// `tiePrefix` scores when that is not `nil`.
  private static func analyze(
    source: some ScoreSource, samplesPerBlock: Int, beta: Rational, mask: some InsertableKeepMask, options: Options
  ) throws -> (analysis: FastAnalysis, tiePrefix: Int?) {
    guard beta.signum > 0 else { throw EMPInputError.nonPositiveBeta("\(beta)") }
    var moments = try MomentsPass(source, workers: options.threads, samplesPerBlock: samplesPerBlock, kernel: options.kernel)
    var (absoluteSum, sumOfSquares) = moments.enclosures
    guard absoluteSum.estimate > 0 else { throw EMPInputError.allZero }
    let n = moments.count
    var neff = Directed.squareOver(absoluteSum, sumOfSquares)
    var exactNeff: Rational?
    var nu = certifiedRetentionCount(neff, beta: beta, count: n)
    if nu == nil {
      let exact = try ExactMoments(of: source, workers: options.threads)
      let value = EMPDefinition.effectiveSampleSize(absoluteSum: exact.absoluteSum, sumOfSquares: exact.sumOfSquares)
      exactNeff = value
      nu = EMPDefinition.retentionCount(effectiveSampleSize: value, beta: beta, count: n)
      neff = Enclosure(exactly: value)
      absoluteSum = Enclosure(exactly: exact.absoluteSum)
      sumOfSquares = Enclosure(exactly: exact.sumOfSquares)
    }
    let selection = try CutSelection(
      source, count: n, sample: moments.sample, rank: nu!, mask: mask, workers: options.threads,
      kernel: options.kernel)
    SparePools.keys.keep(&moments.sample)
    let analysis = FastAnalysis(
      count: n, absoluteSum: absoluteSum, sumOfSquares: sumOfSquares, effectiveSampleSize: neff,
      exactEffectiveSampleSize: exactNeff, retentionCount: nu!,
      certificate: exactNeff == nil ? .floatingPoint : .exactFallback,
      cut: selection.cut, preservedMass: Directed.fraction(selection.keptSum, absoluteSum))
    return (analysis, selection.unmarkedTiePrefix)
  }

  /// The sample density of a single buffer: none up to `CutSelection.directLimit` scores
  /// (every score is then a candidate).
  private static func samplesPerBlock(count: Int) -> Int {
    count > CutSelection.directLimit ? MomentsPass.samplesPerBlock(count: count) : 0
  }

  /// `ν` if both ends of the enclosure of `N_eff` give the same clamped `⌊β·N_eff⌋`, decided
  /// exactly on the rational values of the two `Double` bounds; `nil` otherwise.
  static func certifiedRetentionCount(_ neff: Enclosure<Double>, beta: Rational, count: Int) -> Int? {
    guard neff.upperBound.isFinite else { return nil }
    let low = EMPDefinition.retentionCount(
      effectiveSampleSize: Rational(finite: neff.lowerBound), beta: beta, count: count)
    let high = EMPDefinition.retentionCount(
      effectiveSampleSize: Rational(finite: neff.upperBound), beta: beta, count: count)
    return low == high ? low : nil
  }
}
