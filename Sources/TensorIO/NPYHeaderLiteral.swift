/// A strict parser for the Python dict literal in a `.npy` header, e.g.
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }` followed by space padding and `\n`.
///
/// Accepts exactly the keys `descr` (a string without escapes), `fortran_order` (`True`/`False`) and
/// `shape` (a tuple of non-negative integers: `()`, `(3,)`, `(3, 4)`), each once, in any order, with
/// an optional trailing comma; only whitespace may follow the closing brace.
struct NPYHeaderLiteral {
  let descr: String
  let fortranOrder: Bool
  /// The dimensions as written (digit strings), so an overflowing one can be reported.
  let shape: [String]

  /// Parses `bytes`, whose first byte is at `baseOffset` in the file.
  /// - Throws: `.invalidHeader` or `.duplicateName`.
  static func parse(_ bytes: UnsafeRawBufferPointer, baseOffset: Int, source: String) throws -> NPYHeaderLiteral {
    var parser = Parser(bytes: bytes, baseOffset: baseOffset, source: source)
    return try parser.parseDictionary()
  }

  private struct Parser {
    let bytes: UnsafeRawBufferPointer
    let baseOffset: Int
    let source: String
    var position = 0

    private enum Value {
      case string(String)
      case bool(Bool)
      case tuple([String])
    }

    private func failure(_ reason: String, at position: Int? = nil) -> TensorIOError {
      .invalidHeader(file: source, offset: baseOffset + (position ?? self.position), reason: reason)
    }

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipWhitespace() {
      while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { position += 1 }
    }

    private mutating func expect(_ byte: UInt8) throws {
      guard current == byte else {
        let found = current.map(StrictJSON.describe) ?? "the end of the header"
        throw failure("expected '\(Character(Unicode.Scalar(byte)))', found \(found)")
      }
      position += 1
    }

    mutating func parseDictionary() throws -> NPYHeaderLiteral {
      skipWhitespace()
      try expect(UInt8(ascii: "{"))
      var values: [String: Value] = [:]
      skipWhitespace()
      while current != UInt8(ascii: "}") {
        let keyOffset = position
        guard current == UInt8(ascii: "'") || current == UInt8(ascii: "\"") else { throw failure("expected a string key") }
        let key = try parseString()
        guard ["descr", "fortran_order", "shape"].contains(key) else {
          throw failure("unexpected key '\(key)' (expected exactly descr, fortran_order, shape)", at: keyOffset)
        }
        guard values[key] == nil else {
          throw TensorIOError.duplicateName(file: source, offset: baseOffset + keyOffset, name: key)
        }
        skipWhitespace()
        try expect(UInt8(ascii: ":"))
        skipWhitespace()
        values[key] = try parseValue()
        skipWhitespace()
        guard current == UInt8(ascii: ",") else { break }
        position += 1
        skipWhitespace()
      }
      try expect(UInt8(ascii: "}"))
      skipWhitespace()
      guard position == bytes.count else { throw failure("unexpected data after the header dictionary") }

      guard case .string(let descr) = values["descr"] else {
        throw failure(values["descr"] == nil ? "missing key 'descr'" : "'descr' is not a string (structured dtypes are not supported)", at: 0)
      }
      guard case .bool(let fortranOrder) = values["fortran_order"] else {
        throw failure(values["fortran_order"] == nil ? "missing key 'fortran_order'" : "'fortran_order' is not True or False", at: 0)
      }
      guard case .tuple(let shape) = values["shape"] else {
        throw failure(values["shape"] == nil ? "missing key 'shape'" : "'shape' is not a tuple of integers", at: 0)
      }
      return NPYHeaderLiteral(descr: descr, fortranOrder: fortranOrder, shape: shape)
    }

    private mutating func parseValue() throws -> Value {
      switch current {
      case UInt8(ascii: "'"), UInt8(ascii: "\""): return .string(try parseString())
      case UInt8(ascii: "("): return .tuple(try parseTuple())
      case UInt8(ascii: "T"): try parseWord("True"); return .bool(true)
      case UInt8(ascii: "F"): try parseWord("False"); return .bool(false)
      default: throw failure("expected a string, True, False or a tuple")
      }
    }

    private mutating func parseWord(_ word: String) throws {
      let start = position
      for byte in word.utf8 {
        guard current == byte else { throw failure("invalid literal", at: start) }
        position += 1
      }
    }

    private mutating func parseString() throws -> String {
      let start = position
      let quote = bytes[position]
      position += 1
      while let byte = current, byte != quote {
        guard byte >= 0x20, byte < 0x7F, byte != UInt8(ascii: "\\") else {
          throw failure("unsupported character \(StrictJSON.describe(byte)) in a string")
        }
        position += 1
      }
      guard current == quote else { throw failure("unterminated string", at: start) }
      position += 1
      return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[(start + 1)..<(position - 1)]), as: UTF8.self)
    }

    /// `()`, `(n,)` or `(n, m, ...)` with an optional trailing comma; a one-element tuple needs its comma.
    private mutating func parseTuple() throws -> [String] {
      try expect(UInt8(ascii: "("))
      var items: [String] = []
      var trailingComma = false
      skipWhitespace()
      while current != UInt8(ascii: ")") {
        items.append(try parseInteger())
        skipWhitespace()
        trailingComma = current == UInt8(ascii: ",")
        guard trailingComma else { break }
        position += 1
        skipWhitespace()
      }
      guard items.count != 1 || trailingComma else { throw failure("'shape' is a parenthesized integer, not a tuple") }
      try expect(UInt8(ascii: ")"))
      return items
    }

    private mutating func parseInteger() throws -> String {
      let start = position
      while let byte = current, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { position += 1 }
      guard position > start else { throw failure("expected a non-negative integer in 'shape'") }
      guard bytes[start] != UInt8(ascii: "0") || position - start == 1 else {
        throw failure("integer with a leading zero in 'shape'", at: start)
      }
      return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    }
  }
}
