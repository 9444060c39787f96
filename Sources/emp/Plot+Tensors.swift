import Exact

/// What the per-tensor figure shows of one tensor: its name, size, exact N_eff and kept count.
struct TensorSummary: Sendable {
  /// The tensor's name in the model file.
  let name: String
  /// `N`: the number of scores (weights).
  let count: Int
  /// `N_eff`, exact.
  let effectiveSampleSize: Rational
  /// `ν`: how many scores EMP keeps.
  let retentionCount: Int

  /// `N_eff / N ∈ (0, 1]`.
  var effectiveFraction: Rational { effectiveSampleSize / Rational(count) }
  /// `1 − ν/N`.
  var sparsity: Rational { 1 - Rational(retentionCount, count) }
}

/// The per-tensor figure of a model file: for each tensor, a bar of `N_eff/N` and a bar of
/// the sparsity `1 − ν/N` EMP gives it, on a shared axis from 0 to 1.
enum TensorsFigure {
  /// The height of one tensor's row, in user units.
  private static let rowHeight = 30.0

  /// The figure for `tensors`, in the given order, titled with the model's `source` name.
  ///
  /// Long names are shortened in the middle (`…`) to 56 characters.
  ///
  /// - Precondition: `tensors` is not empty.
  static func document(for tensors: [TensorSummary], source: String) -> SVGDocument {
    precondition(!tensors.isEmpty, "TensorsFigure: no tensors")
    let names = tensors.map { shortened($0.name, to: 56) }
    let left = 24 + 6.6 * Double(names.map(\.count).max() ?? 0)
    let legendWidth = 190.0
    let area = (left: left, top: 78.0, right: left + 460, bottom: 78 + rowHeight * Double(tensors.count))
    let (width, height) = (area.right + legendWidth + 40, area.bottom + 56)
    let axis = SVGChart.Axis.linear("fraction of the tensor's N scores", 0...1, step: 0.1)
    func x(_ value: Double) -> Double { area.left + axis.fraction(value) * (area.right - area.left) }
    let colors = (neff: PlotPalette.color(0), sparsity: PlotPalette.color(1))
    var elements: [SVGElement] = [
      .text("N_eff/N and sparsity per tensor", at: SVGPoint(x: 24, y: 30), [("font-size", "17"), ("font-weight", "bold")]),
      .text(
        "\(source): \(tensors.count) tensor\(tensors.count == 1 ? "" : "s"); EMP keeps ν = ⌊β·N_eff⌋ scores of each.",
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
    for (row, tensor) in tensors.enumerated() {
      let top = area.top + Double(row) * rowHeight
      bars.append(.text(names[row], at: SVGPoint(x: area.left - 8, y: top + rowHeight / 2 + 4), anchor: "end", [("font-size", "11")]))
      for (offset, value, color) in [(4.0, tensor.effectiveFraction, colors.neff), (15.0, tensor.sparsity, colors.sparsity)] {
        bars.append(.rectangle(x: area.left, y: top + offset, width: x(Double(value)) - area.left, height: 10, [("fill", color)]))
      }
    }
    elements.append(.group([("class", "bars")], bars))
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
      summary: "For each of \(tensors.count) tensors of \(source): N_eff/N and the sparsity 1 − ν/N.", elements: elements)
  }

  /// `name` cut to `limit` characters by replacing its middle with `…`.
  static func shortened(_ name: String, to limit: Int) -> String {
    guard name.count > limit else { return name }
    let keep = limit - 1
    return String(name.prefix(keep - keep / 2)) + "…" + String(name.suffix(keep / 2))
  }
}
