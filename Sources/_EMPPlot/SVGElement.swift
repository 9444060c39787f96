/// One element of an SVG document: a name, attributes in a fixed order, and either children
/// or text.
///
/// Rendering is deterministic: attributes print in the order given, numbers are formatted by
/// `Double.svgText`, text and attribute values are XML-escaped, one element per line with two
/// spaces of indentation per level. The same element always renders to the same bytes.
package struct SVGElement: Sendable {
  /// The tag name, such as `line` or `g`.
  let name: String
  /// The attributes, printed in this order.
  let attributes: SVGAttributes
  /// The child elements (empty for a leaf).
  let children: [SVGElement]
  /// The character content, escaped on output (`nil` for none).
  let text: String?

  /// An element with `attributes` in the given order, and children or text.
  ///
  /// - Precondition: an element has children or text, not both.
  package init(_ name: String, _ attributes: SVGAttributes = [], children: [SVGElement] = [], text: String? = nil) {
    precondition(children.isEmpty || text == nil, "SVGElement: children and text are exclusive")
    (self.name, self.attributes, self.children, self.text) = (name, attributes, children, text)
  }

  /// A group `<g>` of `children` with shared attributes (style, clipping, transforms).
  package static func group(_ attributes: SVGAttributes = [], _ children: [SVGElement]) -> SVGElement {
    SVGElement("g", attributes, children: children)
  }

  /// A straight segment from `(x1, y1)` to `(x2, y2)` in user units.
  package static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, _ style: SVGAttributes) -> SVGElement {
    SVGElement("line", [("x1", x1.svgText), ("y1", y1.svgText), ("x2", x2.svgText), ("y2", y2.svgText)] + style)
  }

  /// A polyline through `points`, unfilled.
  package static func polyline(_ points: [SVGPoint], _ style: SVGAttributes) -> SVGElement {
    let list = points.map { "\($0.x.svgText),\($0.y.svgText)" }.joined(separator: " ")
    return SVGElement("polyline", [("points", list), ("fill", "none")] + style)
  }

  /// A circle of `radius` centred at `center`.
  package static func circle(_ center: SVGPoint, radius: Double, _ style: SVGAttributes) -> SVGElement {
    SVGElement("circle", [("cx", center.x.svgText), ("cy", center.y.svgText), ("r", radius.svgText)] + style)
  }

  /// An axis-aligned rectangle with its top-left corner at `(x, y)`.
  package static func rectangle(x: Double, y: Double, width: Double, height: Double, _ style: SVGAttributes) -> SVGElement {
    SVGElement(
      "rect",
      [("x", x.svgText), ("y", y.svgText), ("width", width.svgText), ("height", height.svgText)] + style)
  }

  /// A path; build `data` with `SVGPath`.
  package static func path(_ data: SVGPath, _ style: SVGAttributes) -> SVGElement {
    SVGElement("path", [("d", data.data)] + style)
  }

  /// A text label anchored at `point` (`anchor`: `start`, `middle` or `end`).
  package static func text(
    _ content: String, at point: SVGPoint, anchor: String = "start", _ style: SVGAttributes = []
  ) -> SVGElement {
    SVGElement("text", [("x", point.x.svgText), ("y", point.y.svgText), ("text-anchor", anchor)] + style, text: content)
  }

  /// Appends the element's markup, starting at indentation `level`, one element per line.
  package func render(into output: inout String, level: Int) {
    let indent = String(repeating: "  ", count: level)
    output += indent + "<" + name
    for attribute in attributes {
      output += " \(attribute.name)=\"\(SVGElement.escaped(attribute.value))\""
    }
    if let text {
      output += ">" + SVGElement.escaped(text) + "</\(name)>\n"
    } else if children.isEmpty {
      output += "/>\n"
    } else {
      output += ">\n"
      for child in children { child.render(into: &output, level: level + 1) }
      output += indent + "</\(name)>\n"
    }
  }

  /// `text` with `&`, `<`, `>`, `"` and `'` replaced by XML character entities, so it is
  /// safe both as character data and inside a double-quoted attribute.
  static func escaped(_ text: String) -> String {
    var result = ""
    result.reserveCapacity(text.utf8.count)
    for character in text {
      switch character {
      case "&": result += "&amp;"
      case "<": result += "&lt;"
      case ">": result += "&gt;"
      case "\"": result += "&quot;"
      case "'": result += "&apos;"
      default: result.append(character)
      }
    }
    return result
  }
}

/// A point in SVG user units (y grows downwards).
package struct SVGPoint: Sendable, Equatable {
  /// The horizontal coordinate.
  package var x: Double
  /// The vertical coordinate, downwards.
  package var y: Double

  /// The point `(x, y)`.
  package init(x: Double, y: Double) { (self.x, self.y) = (x, y) }
}
