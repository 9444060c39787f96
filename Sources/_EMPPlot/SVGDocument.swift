/// A whole SVG figure: a fixed canvas, a title (also the `<title>` a browser shows), a
/// description, and the drawing.
///
/// `rendered` is byte-stable: the same document gives the same text on every run and
/// platform (see `SVGElement` and `Double.svgText`).
package struct SVGDocument: Sendable {
  /// The canvas width in user units (also the pixel width).
  let width: Double
  /// The canvas height in user units.
  let height: Double
  /// The figure's title, shown as `<title>`.
  let title: String
  /// A longer description, shown as `<desc>`.
  let summary: String
  /// The drawing, painted in order on a white background.
  let elements: [SVGElement]

  /// A `width` × `height` figure with the given title, description and drawing.
  package init(width: Double, height: Double, title: String, summary: String, elements: [SVGElement]) {
    (self.width, self.height, self.title, self.summary, self.elements) = (width, height, title, summary, elements)
  }

  /// The standalone SVG file: XML declaration, root `<svg>` with a `viewBox`, then the
  /// title, the description, a white background and the elements.
  package var rendered: String {
    let root = SVGElement(
      "svg",
      [
        ("xmlns", "http://www.w3.org/2000/svg"), ("width", width.svgText), ("height", height.svgText),
        ("viewBox", "0 0 \(width.svgText) \(height.svgText)"),
        ("font-family", "Helvetica, Arial, sans-serif"), ("font-size", "13"),
      ],
      children: [
        SVGElement("title", text: title), SVGElement("desc", text: summary),
        .rectangle(x: 0, y: 0, width: width, height: height, [("fill", "white")]),
      ] + elements)
    var output = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    root.render(into: &output, level: 0)
    return output
  }
}
