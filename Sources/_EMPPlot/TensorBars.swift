import EMPModel
import EMPReference
import Exact
import Foundation

/// What the per-tensor figure shows of one tensor: its name, and its `N_eff/N` and sparsity
/// or why it has none.
package struct TensorSummary: Sendable {
  /// A tensor's numbers, or the reason it has none.
  package enum Outcome: Sendable {
    /// `N`, the certified enclosure (or exact value) of `N_eff`, and `ν`.
    case analysed(count: Int, effectiveSampleSize: Enclosure<Surd>, retentionCount: Int)
    /// The tensor was not analysed, for this reason.
    case undefined(String)
  }

  /// The tensor's name in the model file.
  package let name: String
  /// Its numbers, or why it has none.
  package let outcome: Outcome

  /// The summary of one per-tensor result of the model analysis.
  ///
  /// - Precondition: `result` comes from a per-tensor analysis.
  package init(_ result: TensorResult) {
    name = result.name
    switch result.outcome {
    case .vector(let report, _):
      outcome = .analysed(
        count: report.count, effectiveSampleSize: report.effectiveSampleSize, retentionCount: report.retentionCount)
    case .undefined(let reason):
      outcome = .undefined(reason)
    case .share, .rows, .groups:
      preconditionFailure("TensorSummary: not a per-tensor result without a grouping")
    }
  }

  /// A summary with the given parts.
  package init(name: String, outcome: Outcome) { (self.name, self.outcome) = (name, outcome) }

  /// `N_eff / N ∈ (0, 1]` for drawing, `nil` when undefined: the lower end of `N_eff`'s
  /// certified enclosure over `N`, so below the value by at most the enclosure's relative
  /// width (about 6γ_d, Proofs/fast-path-error-bounds.md §4; zero when exact) plus the
  /// 2⁻⁶⁴ of `Surd.plotted` — far below the 0.01 user units figures are written in.
  package var effectiveFraction: Double? {
    guard case .analysed(let count, let neff, _) = outcome else { return nil }
    return (Rational(1, count) * neff.lowerBound).plotted
  }

  /// `1 − ν/N`, exact; `nil` when undefined.
  package var sparsity: Rational? {
    guard case .analysed(let count, _, let kept) = outcome else { return nil }
    return 1 - Rational(kept, count)
  }
}

/// The per-tensor figure of a model file: for each tensor, a bar of `N_eff/N` and a bar of
/// the sparsity `1 − ν/N` EMP gives it, on a shared axis from 0 to 1; a tensor without an
/// analysis is a gap labelled with the reason.
package enum TensorBars {
  /// The height of one tensor's row, in user units.
  private static let rowHeight = 30.0
  /// The width of the bars' axis, in user units: a fraction of 1 is a bar this long.
  static let barLength = 460.0

  /// The figure for `tensors`, in the given order, titled with the model's `source` name and
  /// the retention factor `beta`.
  ///
  /// Long names are shortened in the middle (`…`) to 56 characters, reasons to 72.
  ///
  /// - Precondition: `tensors` is not empty.
  package static func document(for tensors: [TensorSummary], source: String, beta: Rational) -> SVGDocument {
    precondition(!tensors.isEmpty, "TensorBars: no tensors")
    let names = tensors.map { shortened($0.name, to: 56) }
    let left = 24 + 6.6 * Double(names.map(\.count).max() ?? 0)
    let legendWidth = 190.0
    let area = (left: left, top: 78.0, right: left + barLength, bottom: 78 + rowHeight * Double(tensors.count))
    let (width, height) = (area.right + legendWidth + 40, area.bottom + 56)
    let axis = SVGChart.Axis.linear("fraction of the tensor's N scores", 0...1, step: 0.1)
    func x(_ value: Double) -> Double { area.left + axis.fraction(value) * (area.right - area.left) }
    let colors = (neff: PlotPalette.color(0), sparsity: PlotPalette.color(1))
    let undefinedCount = tensors.filter { $0.sparsity == nil }.count
    let counted =
      "\(tensors.count) tensor\(tensors.count == 1 ? "" : "s")"
      + (undefinedCount == 0 ? "" : " (\(undefinedCount) without an analysis)")
    var elements: [SVGElement] = [
      .text("N_eff/N and sparsity per tensor", at: SVGPoint(x: 24, y: 30), [("font-size", "17"), ("font-weight", "bold")]),
      .text(
        "\(source): \(counted); EMP keeps ν = ⌊β·N_eff⌋ scores of each, β = \(beta).",
        at: SVGPoint(x: 24, y: 50), [("font-size", "12"), ("fill", "#444444")]),
    ]
    var grid: [SVGElement] = []
    for tick in axis.ticks {
      let at = x(tick.value)
      grid.append(.line(at, area.top, at, area.bottom, SVGStyle.stroke("#e4e4e4", width: 1)))
      grid.append(.line(at, area.bottom, at, area.bottom + 6, SVGStyle.stroke("#333333", width: 1)))
      if let label = tick.label { grid.append(.text(label, at: SVGPoint(x: at, y: area.bottom + 20), anchor: "middle")) }
    }
    elements.append(.group([("class", "grid")], grid))
    var bars: [SVGElement] = []
    var gaps: [SVGElement] = []
    for (row, tensor) in tensors.enumerated() {
      let top = area.top + Double(row) * rowHeight
      let baseline = top + rowHeight / 2 + 4
      bars.append(.text(names[row], at: SVGPoint(x: area.left - 8, y: baseline), anchor: "end", [("font-size", "11")]))
      switch tensor.outcome {
      case .analysed:
        for (offset, value, color) in [(4.0, tensor.effectiveFraction!, colors.neff), (15.0, Double(tensor.sparsity!), colors.sparsity)] {
          bars.append(.rectangle(x: area.left, y: top + offset, width: x(value) - area.left, height: 10, [("fill", color)]))
        }
      case .undefined(let reason):
        gaps.append(
          .text(
            "no analysis: " + shortened(reason, to: 72), at: SVGPoint(x: area.left + 8, y: baseline),
            [("font-size", "11"), ("font-style", "italic"), ("fill", "#666666")]))
      }
    }
    elements.append(.group([("class", "bars")], bars))
    if !gaps.isEmpty { elements.append(.group([("class", "undefined")], gaps)) }
    elements.append(
      .rectangle(
        x: area.left, y: area.top, width: area.right - area.left, height: area.bottom - area.top,
        [("fill", "none"), ("stroke", "#333333"), ("stroke-width", "1")]))
    elements.append(.text(axis.label, at: SVGPoint(x: (area.left + area.right) / 2, y: height - 14), anchor: "middle"))
    let legend = SVGLegend(entries: [
      .init(swatch: .area(color: colors.neff, opacity: 1), label: "N_eff / N"),
      .init(swatch: .area(color: colors.sparsity, opacity: 1), label: "sparsity 1 − ν/N"),
    ])
    elements.append(legend.element(at: SVGPoint(x: area.right + 24, y: area.top), width: legendWidth))
    return SVGDocument(
      width: width, height: height, title: "N_eff/N and sparsity per tensor of \(source)",
      summary: "For each of \(counted) of \(source): N_eff/N and the sparsity 1 − ν/N at β = \(beta).",
      elements: elements)
  }

  /// `text` cut to `limit` characters by replacing its middle with `…`.
  package static func shortened(_ text: String, to limit: Int) -> String {
    guard text.count > limit else { return text }
    let keep = limit - 1
    return String(text.prefix(keep - keep / 2)) + "…" + String(text.suffix(keep / 2))
  }
}
