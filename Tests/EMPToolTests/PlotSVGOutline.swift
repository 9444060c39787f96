import Foundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// What the well-formedness check needs of an SVG file, read with Foundation's XMLParser.
struct SVGOutline {
  /// The root element's name.
  private(set) var root: String?
  /// Whether the root has a `viewBox`.
  private(set) var hasViewBox = false
  /// How many elements of each name.
  private(set) var elementCounts: [String: Int] = [:]
  /// Every `class` attribute value.
  private(set) var classes: Set<String> = []

  /// Parses `data`.
  ///
  /// - Throws: the parser's error when the XML is not well-formed.
  init(_ data: Data) throws {
    let parser = XMLParser(data: data)
    let delegate = Collector()
    parser.delegate = delegate
    guard parser.parse() else { throw parser.parserError ?? TranscriptError(description: "XML parse failed") }
    (root, hasViewBox, elementCounts, classes) = (delegate.root, delegate.hasViewBox, delegate.counts, delegate.classes)
  }

  private final class Collector: NSObject, XMLParserDelegate {
    var root: String?
    var hasViewBox = false
    var counts: [String: Int] = [:]
    var classes: Set<String> = []

    func parser(
      _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
      attributes: [String: String]
    ) {
      if root == nil {
        root = elementName
        hasViewBox = attributes["viewBox"] != nil
      }
      counts[elementName, default: 0] += 1
      if let name = attributes["class"] { classes.insert(name) }
    }
  }
}
