import Foundation

/// A two-axis chart: a framed plot area with ticks, tick labels, grid lines and axis
/// labels; line and marker series clipped to the plot area; notes placed at data
/// coordinates; a legend at the right; a title and a subtitle.
package struct SVGChart: Sendable {
  /// One axis: its label, the data range it shows, linear or base-10 logarithmic, and its ticks.
  package struct Axis: Sendable {
    /// The axis title.
    package let label: String
    /// The data interval from one end of the axis to the other.
    package let range: ClosedRange<Double>
    /// Whether positions are proportional to `log₁₀` of the value.
    package let isLogarithmic: Bool
    /// The ticks; labelled ticks also get a grid line.
    package let ticks: [Tick]

    /// Where `value` falls along the axis: 0 at `range.lowerBound`, 1 at `range.upperBound`.
    ///
    /// - Precondition: `value > 0` on a logarithmic axis.
    package func fraction(_ value: Double) -> Double {
      guard isLogarithmic else { return (value - range.lowerBound) / (range.upperBound - range.lowerBound) }
      precondition(value > 0, "SVGChart: non-positive value on a logarithmic axis")
      return (log10(value) - log10(range.lowerBound)) / (log10(range.upperBound) - log10(range.lowerBound))
    }

    /// A linear axis with labelled ticks every `step` from `range.lowerBound` to `range.upperBound`.
    ///
    /// - Precondition: `step > 0`.
    package static func linear(_ label: String, _ range: ClosedRange<Double>, step: Double) -> Axis {
      precondition(step > 0, "SVGChart: tick step must be positive")
      let count = Int(((range.upperBound - range.lowerBound) / step).rounded(.down))
      let ticks = (0...count).map { i -> Tick in
        let value = range.lowerBound + Double(i) * step
        return Tick(value: value, label: value.svgText)
      }
      return Axis(label: label, range: range, isLogarithmic: false, ticks: ticks)
    }

    /// A logarithmic axis with labelled ticks at the powers of ten in `range` and unlabelled
    /// ones at 2…9 times them.
    ///
    /// - Precondition: `range.lowerBound > 0`.
    package static func decades(_ label: String, _ range: ClosedRange<Double>) -> Axis {
      precondition(range.lowerBound > 0, "SVGChart: a logarithmic axis needs positive values")
      var ticks: [Tick] = []
      var power = 1.0
      while power > range.lowerBound { power /= 10 }
      while power <= range.upperBound {
        for multiple in 1...9 {
          let value = power * Double(multiple)
          guard range.contains(value) else { continue }
          ticks.append(Tick(value: value, label: multiple == 1 ? value.svgText : nil))
        }
        power *= 10
      }
      return Axis(label: label, range: range, isLogarithmic: true, ticks: ticks)
    }
  }

  /// A tick mark at `value`, labelled by `label` if any.
  package struct Tick: Sendable {
    /// The data value of the tick.
    package let value: Double
    /// The text under (or left of) the tick; `nil` for a minor tick.
    package let label: String?
  }

  /// How a series is drawn.
  enum Mark: Sendable {
    /// A polyline through the points; `dash` is an SVG `stroke-dasharray` (`nil`: solid).
    case line(width: Double, dash: String?)
    /// One marker per point.
    case markers(SVGMarker)
  }

  /// A set of points drawn in one colour and style.
  struct Series: Sendable {
    /// An SVG colour.
    let color: String
    /// Line or markers.
    let mark: Mark
    /// The data points, in drawing order.
    let points: [(x: Double, y: Double)]
  }

  /// A text placed at a data point (shifted by `offset` user units).
  struct Note: Sendable {
    /// The text.
    let text: String
    /// The data point the text refers to.
    let at: (x: Double, y: Double)
    /// The shift from the data point to the text's anchor, in user units.
    let offset: SVGPoint
    /// `start`, `middle` or `end`.
    let anchor: String
  }

  /// The title above the chart.
  let title: String
  /// A smaller line under the title.
  let subtitle: String
  /// The horizontal axis.
  let x: Axis
  /// The vertical axis.
  let y: Axis
  /// The series, painted in order.
  let series: [Series]
  /// Notes, painted over the series.
  let notes: [Note]
  /// The legend, drawn right of the plot area.
  let legend: SVGLegend

  /// The margins around the plot area: title above, tick labels left and below, legend right.
  private static let (top, left, bottom, legendWidth) = (70.0, 64.0, 56.0, 236.0)

  /// The chart on a `width` × `height` canvas.
  func document(width: Double, height: Double, summary: String) -> SVGDocument {
    let area = (
      left: Self.left, top: Self.top, right: width - Self.legendWidth - 24, bottom: height - Self.bottom
    )
    func point(_ p: (x: Double, y: Double)) -> SVGPoint {
      SVGPoint(
        x: area.left + x.fraction(p.x) * (area.right - area.left),
        y: area.bottom - y.fraction(p.y) * (area.bottom - area.top))
    }
    var elements: [SVGElement] = [
      SVGElement(
        "defs",
        children: [
          SVGElement(
            "clipPath", [("id", "plot-area")],
            children: [
              .rectangle(x: area.left, y: area.top, width: area.right - area.left, height: area.bottom - area.top, [])
            ])
        ]),
      .text(title, at: SVGPoint(x: area.left, y: 28), [("font-size", "17"), ("font-weight", "bold")]),
      .text(subtitle, at: SVGPoint(x: area.left, y: 48), [("font-size", "12"), ("fill", "#444444")]),
    ]
    var grid: [SVGElement] = []
    var axes: [SVGElement] = []
    for tick in x.ticks {
      let at = point((tick.value, y.range.lowerBound)).x
      let length = tick.label == nil ? 3.0 : 6.0
      axes.append(.line(at, area.bottom, at, area.bottom + length, SVGStyle.stroke("#333333", width: 1)))
      if let label = tick.label {
        grid.append(.line(at, area.top, at, area.bottom, SVGStyle.stroke("#e4e4e4", width: 1)))
        axes.append(.text(label, at: SVGPoint(x: at, y: area.bottom + 20), anchor: "middle"))
      }
    }
    for tick in y.ticks {
      let at = point((x.range.lowerBound, tick.value)).y
      let length = tick.label == nil ? 3.0 : 6.0
      axes.append(.line(area.left - length, at, area.left, at, SVGStyle.stroke("#333333", width: 1)))
      if let label = tick.label {
        grid.append(.line(area.left, at, area.right, at, SVGStyle.stroke("#e4e4e4", width: 1)))
        axes.append(.text(label, at: SVGPoint(x: area.left - 9, y: at + 4.5), anchor: "end"))
      }
    }
    axes.append(
      .rectangle(
        x: area.left, y: area.top, width: area.right - area.left, height: area.bottom - area.top,
        [("fill", "none"), ("stroke", "#333333"), ("stroke-width", "1")]))
    axes.append(.text(x.label, at: SVGPoint(x: (area.left + area.right) / 2, y: height - 14), anchor: "middle"))
    let yLabelAt = SVGPoint(x: 18, y: (area.top + area.bottom) / 2)
    axes.append(
      .text(
        y.label, at: yLabelAt, anchor: "middle",
        [("transform", "rotate(-90 \(yLabelAt.x.svgText) \(yLabelAt.y.svgText))")]))
    elements.append(.group([("class", "grid")], grid))
    let drawn = series.map { series -> SVGElement in
      switch series.mark {
      case .line(let width, let dash):
        return .polyline(series.points.map(point), SVGStyle.stroke(series.color, width: width, dash: dash))
      case .markers(let marker):
        return .group([], series.points.map { marker.element(at: point($0), color: series.color) })
      }
    }
    elements.append(.group([("class", "series"), ("clip-path", "url(#plot-area)")], drawn))
    elements.append(.group([("class", "axes")], axes))
    let placed = notes.map { note -> SVGElement in
      let anchor = point(note.at)
      return .text(
        note.text, at: SVGPoint(x: anchor.x + note.offset.x, y: anchor.y + note.offset.y), anchor: note.anchor,
        [("font-size", "12")])
    }
    elements.append(.group([("class", "notes")], placed))
    elements.append(legend.element(at: SVGPoint(x: width - Self.legendWidth - 8, y: area.top), width: Self.legendWidth))
    return SVGDocument(width: width, height: height, title: title, summary: summary, elements: elements)
  }
}
