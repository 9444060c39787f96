/// A JSON value with the byte offset where it starts, as produced by ``StrictJSON``.
struct JSONNode {
  /// The kind of value and its contents.
  enum Value {
    case object([(key: String, keyOffset: Int, value: JSONNode)])
    case array([JSONNode])
    case string(String)
    /// A number, kept as its literal text so integers are never rounded through `Double`.
    case number(String)
    case bool(Bool)
    case null
  }

  /// Absolute byte offset of the value in the file.
  let offset: Int
  let value: Value

  /// The value as a non-negative integer literal (no sign, fraction or exponent) that fits in `Int`.
  /// Returns `.tooLarge` for a well-formed digit string that overflows.
  var nonNegativeInteger: IntegerLiteral {
    guard case .number(let text) = value, !text.isEmpty,
      text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
    else { return .notAnInteger }
    guard let integer = Int(text) else { return .tooLarge }
    return .value(integer)
  }

  enum IntegerLiteral: Equatable {
    case value(Int)
    case tooLarge
    case notAnInteger
  }

  /// A short name of the value's kind for error messages.
  var kindName: String {
    switch value {
    case .object: "an object"
    case .array: "an array"
    case .string: "a string"
    case .number: "a number"
    case .bool: "a boolean"
    case .null: "null"
    }
  }
}

/// A strict RFC 8259 JSON parser over raw bytes.
///
/// Stricter than `JSONSerialization` where it matters for untrusted headers: duplicate keys in any
/// object are an error, strings must be valid UTF-8 without unescaped control characters or lone
/// surrogates, nesting is limited to ``maxDepth`` levels (so hostile input cannot exhaust the stack),
/// and nothing but whitespace may follow the top-level value.
struct StrictJSON {
  static let maxDepth = 64

  private let bytes: UnsafeRawBufferPointer
  private let baseOffset: Int
  private let source: String
  private var position = 0

  /// Parses `bytes` as one JSON document.
  /// - Parameters:
  ///   - baseOffset: the offset of `bytes[0]` in the file, so errors report file offsets.
  ///   - source: the file name used in errors.
  /// - Throws: `TensorIOError.invalidHeader` or `.duplicateName`.
  /// - Complexity: O(n) in the number of bytes.
  static func parse(_ bytes: UnsafeRawBufferPointer, baseOffset: Int, source: String) throws -> JSONNode {
    var parser = StrictJSON(bytes: bytes, baseOffset: baseOffset, source: source)
    parser.skipWhitespace()
    let node = try parser.parseValue(depth: 0)
    parser.skipWhitespace()
    guard parser.position == bytes.count else { throw parser.failure("unexpected data after the JSON value") }
    return node
  }

  private init(bytes: UnsafeRawBufferPointer, baseOffset: Int, source: String) {
    self.bytes = bytes
    self.baseOffset = baseOffset
    self.source = source
  }

  private func failure(_ reason: String, at position: Int? = nil) -> TensorIOError {
    .invalidHeader(file: source, offset: baseOffset + (position ?? self.position), reason: reason)
  }

  private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

  private mutating func skipWhitespace() {
    while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { position += 1 }
  }

  private mutating func expect(_ byte: UInt8, _ what: String) throws {
    guard current == byte else { throw failure("expected \(what)") }
    position += 1
  }

  private mutating func parseValue(depth: Int) throws -> JSONNode {
    guard depth < Self.maxDepth else { throw failure("nesting deeper than \(Self.maxDepth) levels") }
    let start = position
    guard let byte = current else { throw failure("unexpected end of JSON") }
    switch byte {
    case UInt8(ascii: "{"): return JSONNode(offset: baseOffset + start, value: try parseObject(depth: depth))
    case UInt8(ascii: "["): return JSONNode(offset: baseOffset + start, value: try parseArray(depth: depth))
    case UInt8(ascii: "\""): return JSONNode(offset: baseOffset + start, value: .string(try parseString()))
    case UInt8(ascii: "t"): try parseKeyword("true"); return JSONNode(offset: baseOffset + start, value: .bool(true))
    case UInt8(ascii: "f"): try parseKeyword("false"); return JSONNode(offset: baseOffset + start, value: .bool(false))
    case UInt8(ascii: "n"): try parseKeyword("null"); return JSONNode(offset: baseOffset + start, value: .null)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      return JSONNode(offset: baseOffset + start, value: .number(try parseNumber()))
    default:
      throw failure("unexpected character \(Self.describe(byte))")
    }
  }

  private mutating func parseObject(depth: Int) throws -> JSONNode.Value {
    position += 1
    var members: [(key: String, keyOffset: Int, value: JSONNode)] = []
    var seen = Set<String>()
    skipWhitespace()
    if current == UInt8(ascii: "}") {
      position += 1
      return .object(members)
    }
    while true {
      skipWhitespace()
      let keyOffset = position
      guard current == UInt8(ascii: "\"") else { throw failure("expected a string key") }
      let key = try parseString()
      guard seen.insert(key).inserted else {
        throw TensorIOError.duplicateName(file: source, offset: baseOffset + keyOffset, name: key)
      }
      skipWhitespace()
      try expect(UInt8(ascii: ":"), "':' after an object key")
      skipWhitespace()
      members.append((key, baseOffset + keyOffset, try parseValue(depth: depth + 1)))
      skipWhitespace()
      switch current {
      case UInt8(ascii: ","): position += 1
      case UInt8(ascii: "}"): position += 1; return .object(members)
      default: throw failure("expected ',' or '}' in an object")
      }
    }
  }

  private mutating func parseArray(depth: Int) throws -> JSONNode.Value {
    position += 1
    var elements: [JSONNode] = []
    skipWhitespace()
    if current == UInt8(ascii: "]") {
      position += 1
      return .array(elements)
    }
    while true {
      skipWhitespace()
      elements.append(try parseValue(depth: depth + 1))
      skipWhitespace()
      switch current {
      case UInt8(ascii: ","): position += 1
      case UInt8(ascii: "]"): position += 1; return .array(elements)
      default: throw failure("expected ',' or ']' in an array")
      }
    }
  }

  private mutating func parseKeyword(_ word: StaticString) throws {
    let start = position
    for expected in UnsafeRawBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount) {
      guard current == expected else { throw failure("invalid literal", at: start) }
      position += 1
    }
  }

  private mutating func parseNumber() throws -> String {
    let start = position
    func digits() -> Int {
      let first = position
      while let byte = current, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { position += 1 }
      return position - first
    }
    if current == UInt8(ascii: "-") { position += 1 }
    if current == UInt8(ascii: "0") {
      position += 1
      if let byte = current, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
        throw failure("number with a leading zero", at: start)
      }
    } else if digits() == 0 {
      throw failure("invalid number", at: start)
    }
    if current == UInt8(ascii: ".") {
      position += 1
      guard digits() > 0 else { throw failure("invalid number", at: start) }
    }
    if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
      position += 1
      if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
      guard digits() > 0 else { throw failure("invalid number", at: start) }
    }
    return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
  }

  private mutating func parseString() throws -> String {
    let start = position
    position += 1
    var utf8: [UInt8] = []
    while true {
      guard let byte = current else { throw failure("unterminated string", at: start) }
      position += 1
      switch byte {
      case UInt8(ascii: "\""):
        guard let string = String(validating: utf8, as: UTF8.self) else {
          throw failure("string is not valid UTF-8", at: start)
        }
        return string
      case UInt8(ascii: "\\"):
        try parseEscape(into: &utf8)
      case 0..<0x20:
        throw failure("unescaped control character in a string", at: position - 1)
      default:
        utf8.append(byte)
      }
    }
  }

  private mutating func parseEscape(into utf8: inout [UInt8]) throws {
    guard let byte = current else { throw failure("unterminated escape") }
    position += 1
    let simple: UInt8? =
      switch byte {
      case UInt8(ascii: "\""): 0x22
      case UInt8(ascii: "\\"): 0x5C
      case UInt8(ascii: "/"): 0x2F
      case UInt8(ascii: "b"): 0x08
      case UInt8(ascii: "f"): 0x0C
      case UInt8(ascii: "n"): 0x0A
      case UInt8(ascii: "r"): 0x0D
      case UInt8(ascii: "t"): 0x09
      default: nil
      }
    if let simple {
      utf8.append(simple)
      return
    }
    guard byte == UInt8(ascii: "u") else { throw failure("invalid escape", at: position - 2) }
    let escapeStart = position - 2
    var scalar = try parseHex4()
    if (0xD800..<0xDC00).contains(scalar) {
      guard current == UInt8(ascii: "\\") else { throw failure("lone surrogate escape", at: escapeStart) }
      position += 1
      guard current == UInt8(ascii: "u") else { throw failure("lone surrogate escape", at: escapeStart) }
      position += 1
      let low = try parseHex4()
      guard (0xDC00..<0xE000).contains(low) else { throw failure("lone surrogate escape", at: escapeStart) }
      scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
    } else if (0xDC00..<0xE000).contains(scalar) {
      throw failure("lone surrogate escape", at: escapeStart)
    }
    guard let unicode = Unicode.Scalar(scalar) else { throw failure("invalid escape", at: escapeStart) }
    utf8.append(contentsOf: String(Character(unicode)).utf8)
  }

  private mutating func parseHex4() throws -> UInt32 {
    var value: UInt32 = 0
    for _ in 0..<4 {
      guard let byte = current, let digit = Self.hexValue(byte) else { throw failure("invalid \\u escape") }
      value = value << 4 | digit
      position += 1
    }
    return value
  }

  private static func hexValue(_ byte: UInt8) -> UInt32? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
    default: nil
    }
  }

  /// A printable description of a byte for error messages.
  static func describe(_ byte: UInt8) -> String {
    (0x21..<0x7F).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x" + String(byte, radix: 16)
  }
}
