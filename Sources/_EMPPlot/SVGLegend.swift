/// A legend: a framed column of swatches with labels.
struct SVGLegend: Sendable {
  /// What a legend row shows before its label.
  enum Swatch: Sendable {
    /// A short line segment; `dash` is an SVG `stroke-dasharray` (`nil`: solid).
    case line(color: String, dash: String?)
    /// One marker, as drawn on the figure.
    case marker(SVGMarker, color: String)
    /// A filled square, for a shaded region.
    case area(color: String, opacity: Double)
  }

  /// One row of the legend.
  struct Entry: Sendable {
    /// The swatch before the label.
    let swatch: Swatch
    /// The label text.
    let label: String
  }

  /// The rows, top to bottom.
  let entries: [Entry]

  /// The height of one row, in user units.
  static let rowHeight = 20.0

  /// The legend as a group whose top-left corner is `origin`, `width` wide.
  func element(at origin: SVGPoint, width: Double) -> SVGElement {
    let height = Double(entries.count) * Self.rowHeight + 10
    var children: [SVGElement] = [
      .rectangle(
        x: origin.x, y: origin.y, width: width, height: height,
        [("fill", "white"), ("fill-opacity", "0.9"), ("stroke", "#999999"), ("stroke-width", "0.8")])
    ]
    for (row, entry) in entries.enumerated() {
      let middle = origin.y + 5 + (Double(row) + 0.5) * Self.rowHeight
      let left = origin.x + 8
      children.append(Self.swatch(entry.swatch, from: left, to: left + 24, atHeight: middle))
      children.append(.text(entry.label, at: SVGPoint(x: left + 32, y: middle + 4.5), [("font-size", "12")]))
    }
    return .group([("class", "legend")], children)
  }

  private static func swatch(_ swatch: Swatch, from left: Double, to right: Double, atHeight y: Double) -> SVGElement {
    switch swatch {
    case .line(let color, let dash):
      return .line(left, y, right, y, SVGStyle.stroke(color, width: 2, dash: dash))
    case .marker(let marker, let color):
      return marker.element(at: SVGPoint(x: (left + right) / 2, y: y), color: color)
    case .area(let color, let opacity):
      return .rectangle(
        x: left, y: y - 7, width: right - left, height: 14,
        [("fill", color), ("fill-opacity", opacity.svgText), ("stroke", color), ("stroke-width", "0.8")])
    }
  }
}
