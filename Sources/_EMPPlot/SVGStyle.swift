/// The attributes of an SVG element, in the order they are printed.
package typealias SVGAttributes = [(name: String, value: String)]

/// Stroke attributes shared by lines, curves and axes.
enum SVGStyle {
  /// `stroke` in `color`, `width` wide, dashed by `dash` (an SVG `stroke-dasharray`) if given.
  static func stroke(_ color: String, width: Double, dash: String? = nil) -> SVGAttributes {
    [("stroke", color), ("stroke-width", width.svgText)] + (dash.map { [("stroke-dasharray", $0)] } ?? [])
  }
}
