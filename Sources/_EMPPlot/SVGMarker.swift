/// A point marker: its shape and size.
struct SVGMarker: Sendable {
  /// The marker's outline.
  enum Shape: Sendable {
    /// A filled disc.
    case disc
    /// A hollow circle.
    case ring
    /// A filled square.
    case square
  }

  /// The shape.
  let shape: Shape
  /// Half the marker's width, in user units.
  let radius: Double
  /// The fill opacity of filled shapes (1: opaque).
  let opacity: Double

  /// The marker centred at `center`.
  func element(at center: SVGPoint, color: String) -> SVGElement {
    switch shape {
    case .disc:
      return .circle(center, radius: radius, [("fill", color), ("fill-opacity", opacity.svgText)])
    case .ring:
      return .circle(center, radius: radius, [("fill", "white"), ("stroke", color), ("stroke-width", "1.5")])
    case .square:
      return .rectangle(
        x: center.x - radius, y: center.y - radius, width: 2 * radius, height: 2 * radius,
        [("fill", color), ("fill-opacity", opacity.svgText)])
    }
  }
}
