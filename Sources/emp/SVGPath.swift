/// The `d` attribute of an SVG `<path>`, built command by command in absolute coordinates.
struct SVGPath: Sendable {
  /// The path data so far.
  private(set) var data = ""

  /// Starts a new subpath at `point` (`M`).
  mutating func move(to point: SVGPoint) { append("M", [point.x, point.y]) }

  /// A straight segment to `point` (`L`).
  mutating func line(to point: SVGPoint) { append("L", [point.x, point.y]) }

  /// A circular arc of `radius` to `point` (`A`).
  ///
  /// - Parameters:
  ///   - largeArc: take the arc longer than a half circle.
  ///   - clockwise: turn clockwise on screen (SVG's sweep flag 1; y points down).
  mutating func arc(radius: Double, largeArc: Bool, clockwise: Bool, to point: SVGPoint) {
    append("A", [radius, radius, 0, largeArc ? 1 : 0, clockwise ? 1 : 0, point.x, point.y])
  }

  /// Closes the subpath (`Z`).
  mutating func close() { append("Z", []) }

  private mutating func append(_ command: String, _ numbers: [Double]) {
    data += (data.isEmpty ? "" : " ") + ([command] + numbers.map(\.svgText)).joined(separator: " ")
  }
}
