import EMPCore
import EMPFast
import EMPReference
import Exact

/// The EMP numbers of one score vector (a tensor, a row, or the whole model) as reported:
/// exact from the reference, or certified enclosures from the fast path, refined to exact
/// values wherever an enclosure cannot decide or print a digit.
public struct VectorReport: Sendable {
  /// How `ν` was obtained.
  public enum Method: String, Sendable {
    /// The exact reference computed everything.
    case exact
    /// The fast path's float enclosure of `N_eff` certified `ν`.
    case floatingPoint = "floating-point"
    /// The enclosure straddled a step of `⌊β·N_eff⌋`, so `ν` was computed exactly; or, for
    /// products rounded in binary64, the exact reference computed everything.
    case exactFallback = "exact-fallback"
  }

  /// The exact sums a fast result is refined with: `Σ|s|`, `Σs²` and the kept `Σ|s|`.
  struct ExactSums {
    var absoluteSum: Rational
    var sumOfSquares: Rational
    var keptAbsoluteSum: Rational
  }

  /// `N`, the number of scores.
  public internal(set) var count: Int
  /// The retention factor `β`.
  public internal(set) var beta: Rational
  /// `ν = ⌊β·N_eff⌋` clamped to `[1, N]`: exact on every path.
  public internal(set) var retentionCount: Int
  /// `m = ⌊N_eff⌋` clamped to `[1, N]`.
  public internal(set) var shell: Int
  /// How `ν` was obtained.
  public internal(set) var method: Method
  /// `N_eff`, exact or in its proven enclosure.
  public internal(set) var effectiveSampleSize: Enclosure<Surd>
  /// `s_eff`, the mass the `ν` kept scores carry, exact or in its proven enclosure.
  public internal(set) var preservedMass: Enclosure<Surd>
  /// `B(N, ν)`, Theorem 4.2's bound; `nil` when `N = 1`.
  public internal(set) var paperBound: Surd?
  /// Whether `s_eff ≥ B(N, ν)`, decided exactly; `nil` when `N = 1`.
  public internal(set) var boundHolds: Bool?
  /// `s_eff − B(N, ν)`; `nil` when `N = 1`.
  public internal(set) var margin: Enclosure<Surd>?
  /// `T(ν, m, N)`, the tight lower bound on `s_eff` over the shell.
  public internal(set) var tightInfimum: TightInfimum
  /// Whether the exact sums were computed to decide or print something.
  public internal(set) var isRefined = false

  /// The report of the exact reference.
  public init(exact analysis: ExactAnalysis) {
    count = analysis.count
    beta = analysis.beta
    retentionCount = analysis.retentionCount
    shell = analysis.shell
    method = .exact
    effectiveSampleSize = Enclosure<Surd>(exactly: analysis.effectiveSampleSize)
    preservedMass = Enclosure<Surd>(exactly: analysis.preservedMass)
    paperBound = analysis.paperBound?.bound
    boundHolds = analysis.paperBound?.holds
    margin = analysis.paperBound.map { Enclosure<Surd>(exactly: $0.margin) }
    tightInfimum = analysis.tightInfimum
  }

  /// The report of the exact reference where a fast analysis could not certify its results
  /// (rounded products): exact values, `method` `exactFallback`.
  init(exactFallback analysis: ExactAnalysis) {
    self.init(exact: analysis)
    method = .exactFallback
  }

  /// The report of EMP over scores that are square roots (groups under the `l2` norm):
  /// `ν`, the shell and `s_eff ≥ B` are exact; `N_eff` and `s_eff` are exact when rational,
  /// else enclosures of width `2^−96`, refined no further (Proofs/group-norms.md).
  init(squareRoots analysis: SquareRootScoresAnalysis) {
    func surds(_ enclosure: Enclosure<Rational>) -> Enclosure<Surd> {
      Enclosure<Surd>(
        estimate: Surd(enclosure.estimate), lowerBound: Surd(enclosure.lowerBound), upperBound: Surd(enclosure.upperBound))
    }
    count = analysis.count
    beta = analysis.beta
    retentionCount = analysis.retentionCount
    shell = analysis.shell
    method = .exact
    effectiveSampleSize = surds(analysis.effectiveSampleSize(bits: 96))
    preservedMass = surds(analysis.preservedMass(bits: 96))
    tightInfimum = TightInfimum(keeping: retentionCount, shell: shell, count: count)
    if count >= 2 {
      let bound = PaperBound.value(count: count, retentionCount: retentionCount)
      paperBound = bound
      boundHolds = analysis.comparePreservedMass(to: bound) >= 0
      margin = preservedMass.minus(bound)
    }
  }

  /// The report of a fast analysis.
  ///
  /// `ν` and the sparsity are exact already. The shell, the decision `s_eff ≥ B` and every
  /// printed digit come from the enclosures when those decide them; otherwise `exactSums`
  /// is called (once) and the values are computed exactly from its sums.
  ///
  /// - Throws: what `exactSums` throws.
  init(fast analysis: FastAnalysis, beta: Rational, exactSums: () throws -> ExactSums) rethrows {
    count = analysis.count
    self.beta = beta
    retentionCount = analysis.retentionCount
    method = analysis.certificate == .floatingPoint ? .floatingPoint : .exactFallback
    effectiveSampleSize =
      analysis.exactEffectiveSampleSize.map { Enclosure<Surd>(exactly: $0) } ?? Enclosure<Surd>(analysis.effectiveSampleSize)
    preservedMass = Enclosure<Surd>(analysis.preservedMass)
    shell = retentionCount
    tightInfimum = TightInfimum(keeping: retentionCount, shell: retentionCount, count: count)

    if let shell = beta == Rational(1) ? retentionCount : effectiveSampleSize.clampedFloor(count: count) {
      self.shell = shell
      tightInfimum = TightInfimum(keeping: retentionCount, shell: shell, count: count)
      if count >= 2 {
        let bound = PaperBound.value(count: count, retentionCount: retentionCount)
        paperBound = bound
        if Surd.compare(preservedMass.lowerBound, bound) >= 0 {
          boundHolds = true
        } else if Surd.compare(preservedMass.upperBound, bound) < 0 {
          boundHolds = false
        }
        margin = preservedMass.minus(bound)
      }
      if isDecidedAndPrintable { return }
    }
    refine(with: try exactSums())
  }

  /// Whether the shell and `s_eff ≥ B` are decided and every decimal has a certified digit.
  private var isDecidedAndPrintable: Bool {
    (count < 2 || boundHolds != nil) && effectiveSampleSize.decimal() != nil && preservedMass.decimal() != nil
      && (margin.map { $0.decimal() != nil } ?? true) && tightMargin.decimal() != nil
  }

  /// Replaces every enclosure by the exact value computed from `sums`.
  private mutating func refine(with sums: ExactSums) {
    let neff = EMPDefinition.effectiveSampleSize(absoluteSum: sums.absoluteSum, sumOfSquares: sums.sumOfSquares)
    let mass = sums.keptAbsoluteSum / sums.absoluteSum
    effectiveSampleSize = Enclosure<Surd>(exactly: neff)
    preservedMass = Enclosure<Surd>(exactly: mass)
    shell = EMPDefinition.retentionCount(effectiveSampleSize: neff, beta: 1, count: count)
    tightInfimum = TightInfimum(keeping: retentionCount, shell: shell, count: count)
    if count >= 2 {
      let exact = PaperBound(preservedMass: mass, count: count, retentionCount: retentionCount)
      paperBound = exact.bound
      boundHolds = exact.holds
      margin = Enclosure<Surd>(exactly: exact.margin)
    }
    isRefined = true
  }

  /// `1 − ν/N`, exact.
  public var sparsity: Rational { 1 - Rational(retentionCount, count) }

  /// `s_eff − T(ν, m, N)`.
  public var tightMargin: Enclosure<Surd> { preservedMass.minus(tightInfimum.value) }

  /// At β ≠ 1, the tight lower bound on `s_eff` over the vectors of shell `m` from which EMP
  /// keeps `ν` scores at β: `I` over their band of `N_eff` (Proofs/band-infimum.md), at least
  /// `T(ν, m, N)`. `nil` at β = 1, where that band is the whole shell and `I = T`.
  public var bandInfimum: BandInfimum? {
    beta == 1 ? nil : BandInfimum(keeping: retentionCount, shell: shell, beta: beta, count: count)
  }
}

extension VectorReport.ExactSums {
  /// The exact sums of exact `scores` whose binary64 roundings `cut` cuts keeping every tie
  /// at its threshold (a certified cut of rounded products): the scores it keeps are those
  /// whose rounding it keeps.
  init(of scores: [Rational], roundingsCutBy cut: Cut) {
    var (absolute, squares, kept) = (Rational(0), Rational(0), Rational(0))
    for (i, s) in scores.enumerated() {
      let magnitude = s.magnitude
      absolute += magnitude
      squares += magnitude * magnitude
      if cut.keeps(index: i, magnitude: Double(magnitude)) { kept += magnitude }
    }
    self.init(absoluteSum: absolute, sumOfSquares: squares, keptAbsoluteSum: kept)
  }

  /// The exact sums of `source` and of the scores `cut` keeps (one pass).
  ///
  /// - Throws: what reading `source` throws.
  init(of source: some ScoreSource, cut: Cut) throws {
    var all = MomentAccumulator()
    var kept = MomentAccumulator()
    var start = 0
    try source.forEachChunk { chunk in
      chunk.addMoments(to: &all)
      let copy = chunk.mutableCopy()
      defer { copy.deallocate() }
      cut.prune(copy, startIndex: start, options: FastEMP.Options(threads: 1))
      copy.scores.addMoments(to: &kept)
      start += chunk.count
    }
    self.init(absoluteSum: all.absoluteSum, sumOfSquares: all.sumOfSquares, keptAbsoluteSum: kept.absoluteSum)
  }
}
