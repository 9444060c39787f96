import EMPCore
import EMPReference
import Exact
import Foundation

/// Theorem 4.2's bound `B(N, ν)` and the exact tight infimum `T(ν, ν, N)` against ν, with
/// the kept mass `s_eff` of seeded random score vectors (β = 1).
///
/// For each N, `B(N, ν)` (solid) and `T(ν, ν, N)` (dashed) are drawn over ν on a
/// logarithmic axis; they differ only at ν = 1, N ≥ 3 (Proofs/theorem-4.2.md). Each sampled
/// vector is drawn at (ν, s_eff). Every s_eff and every comparison with B and T is exact.
package struct BoundPlot {
  /// The figure.
  package let document: SVGDocument
  /// One line for each N: B and T at ν = 1, and how many samples fall below each.
  package let facts: [String]

  /// Draws the figure for the values of N in `counts`, with `samples` vectors for each N
  /// drawn by `SplitMix64(seed: seed)` in that order.
  ///
  /// - Parameters:
  ///   - countsText: how the values of N are written in the figure's description.
  /// - Precondition: every count is at least 2 and `samples` is not negative.
  /// - Throws: nothing in practice; `EMPInputError` would mean a sampled vector was rejected.
  package init(counts: [Int], countsText: String, samples: Int, seed: UInt64) throws {
    var random = SplitMix64(seed: seed)
    var series: [SVGChart.Series] = []
    var legend: [SVGLegend.Entry] = []
    var tightCurves: [SVGChart.Series] = []
    var facts: [String] = []
    for (index, count) in counts.enumerated() {
      let color = PlotPalette.color(index)
      let shells = Self.plottedShells(count: count)
      let paper = shells.map { (x: Double($0), y: PaperBound.value(count: count, retentionCount: $0).plotted) }
      let tight = shells.map { (x: Double($0), y: TightInfimum(keeping: $0, shell: $0, count: count).value.plotted) }
      let sampled = try (0..<samples).map { _ in try ExactAnalysis(scores: Self.sample(count: count, using: &random)) }
      series.append(SVGChart.Series(color: color, mark: .markers(Self.sampleMarker), points: sampled.map(Self.position)))
      series.append(SVGChart.Series(color: color, mark: .line(width: 2.5, dash: nil), points: paper))
      tightCurves.append(SVGChart.Series(color: "#111111", mark: .line(width: 1.3, dash: "5 4"), points: tight))
      series.append(SVGChart.Series(color: color, mark: .markers(Self.paperMarker), points: [paper[0]]))
      legend.append(SVGLegend.Entry(swatch: .line(color: color, dash: nil), label: "B(N, ν), N = \(count)"))
      facts.append(Self.summaryLine(count: count, sampled: sampled))
    }
    let first = tightCurves.first.map { [$0.points[0]] } ?? []
    let tightPoint = SVGChart.Series(color: "#111111", mark: .markers(Self.tightMarker), points: first)
    legend += [
      SVGLegend.Entry(swatch: .line(color: "#111111", dash: "5 4"), label: "T(ν, ν, N): the exact infimum"),
      SVGLegend.Entry(swatch: .marker(Self.paperMarker, color: "#555555"), label: "B(N, 1): the paper at ν = 1"),
      SVGLegend.Entry(swatch: .marker(Self.tightMarker, color: "#111111"), label: "T(1, 1, N) = 1/2"),
      SVGLegend.Entry(swatch: .marker(Self.sampleMarker, color: "#555555"), label: "s_eff of a sampled vector"),
    ]
    let largest = Double(counts.max() ?? 2)
    let chart = SVGChart(
      title: "Theorem 4.2's bound B(N, ν) against the exact infimum T(ν, ν, N)",
      subtitle: "β = 1. Kept mass s_eff against ν = ⌊N_eff⌋; \(samples) seeded random vectors per N (seed \(seed)).",
      x: .decades("ν = ⌊N_eff⌋ (logarithmic)", 0.85...(largest * 1.2)),
      y: .linear("kept mass s_eff", 0...1, step: 0.1),
      series: series + tightCurves + [tightPoint],
      notes: [
        SVGChart.Note(
          text: "At ν = 1 (left edge) the paper's B(N, 1) (rings) is above", at: (x: 1, y: 0.1),
          offset: SVGPoint(x: 10, y: 0), anchor: "start"),
        SVGChart.Note(
          text: "the exact infimum T(1, 1, N) = 1/2 (square): vectors fall between.", at: (x: 1, y: 0.1),
          offset: SVGPoint(x: 10, y: 16), anchor: "start"),
      ],
      legend: SVGLegend(entries: legend))
    document = chart.document(
      width: 900, height: 540,
      summary: "B(N, ν) and T(ν, ν, N) for N = \(countsText), with s_eff of sampled score vectors (seed \(seed)).")
    self.facts = facts
  }

  /// The markers of the figure: sampled vectors, the paper's value at ν = 1, and T there.
  private static let sampleMarker = SVGMarker(shape: .disc, radius: 2.6, opacity: 0.45)
  private static let paperMarker = SVGMarker(shape: .ring, radius: 4.5, opacity: 1)
  private static let tightMarker = SVGMarker(shape: .square, radius: 4, opacity: 1)

  /// The shells ν drawn for one N: every ν up to 64, then ν growing by about 2% a step
  /// (enough for a smooth curve on a logarithmic axis), and always ν = N.
  package static func plottedShells(count: Int) -> [Int] {
    var shells: [Int] = []
    var shell = 1
    while shell < count {
      shells.append(shell)
      shell = max(shell + 1, shell + shell / 50)
    }
    return shells + [count]
  }

  /// One random score vector of length `count`: it has l nonzero scores, l drawn
  /// log-uniformly from 1...count (a uniform power-of-two bucket, then uniform inside it),
  /// a head score uniform in 1...1000·l, then l − 1 scores that are all 1000 (with
  /// probability 1/2) or each uniform in 1...1000.
  package static func sample(count: Int, using random: inout SplitMix64) -> [Double] {
    let buckets = Int.bitWidth - count.leadingZeroBitCount  // 2^(buckets−1) ≤ count < 2^buckets
    let bucket = random.integer(in: 0...(buckets - 1))
    let support = random.integer(in: (1 << bucket)...min(count, (1 << (bucket + 1)) - 1))
    var scores = [Double](repeating: 0, count: count)
    scores[0] = Double(random.integer(in: 1...(1000 * support)))
    let level = random.coin()
    for i in 1..<support {
      scores[i] = level ? 1000 : Double(random.integer(in: 1...1000))
    }
    return scores
  }

  /// Where a sampled vector is drawn: (ν, s_eff).
  private static func position(_ analysis: ExactAnalysis) -> (x: Double, y: Double) {
    (x: Double(analysis.retentionCount), y: Double(analysis.preservedMass))
  }

  /// The printed facts for one N: B and T at ν = 1, and how many samples fall below each
  /// (decided exactly).
  private static func summaryLine(count: Int, sampled: [ExactAnalysis]) -> String {
    let paper = PaperBound.value(count: count, retentionCount: 1)
    let tight = TightInfimum(keeping: 1, shell: 1, count: count).value
    let belowPaper = sampled.filter { $0.paperBound?.holds == false }
    let belowTight = sampled.filter { $0.tightMargin.signum < 0 }
    let shells = Set(belowPaper.map(\.retentionCount)).sorted().map(String.init).joined(separator: ", ")
    let order = Surd.compare(paper, tight) > 0 ? ">" : paper == tight ? "=" : "<"
    let shown = paper.exactValue.map { "= \($0)" } ?? "≈ \(paper.decimalString(significantDigits: 6))"
    return "N = \(count): B(N, 1) \(shown) \(order) T(1, 1, N) = \(tight); "
      + "\(sampled.count) samples, \(belowPaper.count) below B"
      + (belowPaper.isEmpty ? "" : " (at ν ∈ {\(shells)})") + ", \(belowTight.count) below T"
  }
}
