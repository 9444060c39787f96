/// The `d` attribute of an SVG `<path>`, built command by command in absolute coordinates.
package struct SVGPath: Sendable {
  /// The path data so far.
  package private(set) var data = ""

  /// An empty path.
  package init() {}

  /// Starts a new subpath at `point` (`M`).
  package mutating func move(to point: SVGPoint) { append("M", [point.x, point.y]) }

  /// A straight segment to `point` (`L`).
  package mutating func line(to point: SVGPoint) { append("L", [point.x, point.y]) }

  /// A circular arc of `radius` to `point` (`A`).
  ///
  /// - Parameters:
  ///   - largeArc: take the arc longer than a half circle.
  ///   - clockwise: turn clockwise on screen (SVG's sweep flag 1; y points down).
  package mutating func arc(radius: Double, largeArc: Bool, clockwise: Bool, to point: SVGPoint) {
    append("A", [radius, radius, 0, largeArc ? 1 : 0, clockwise ? 1 : 0, point.x, point.y])
  }

  /// Closes the subpath (`Z`).
  package mutating func close() { append("Z", []) }

  private mutating func append(_ command: String, _ numbers: [Double]) {
    data += (data.isEmpty ? "" : " ") + ([command] + numbers.map(\.svgText)).joined(separator: " ")
  }
}
