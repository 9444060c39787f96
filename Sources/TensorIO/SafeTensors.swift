/// A validated single-file safetensors model: its metadata and the location of every tensor.
///
/// Layout: an 8-byte little-endian header length `N`, `N` bytes of JSON header, then the data.
/// Validation is at least as strict as the reference loader: `N` at most
/// ``maxHeaderByteCount`` and within the file; the header starts with `{` and is strict JSON
/// with no duplicate keys; every entry has exactly `dtype`, `shape` and `data_offsets`; each
/// tensor's byte count equals its element count times its dtype size (overflow-checked); the tensors'
/// byte ranges tile the data section exactly, without gaps, overlaps or trailing bytes; `__metadata__`,
/// if present, maps strings to strings.
public struct SafeTensorsFile: Sendable {
  /// The largest header length accepted (the reference loader's limit).
  public static let maxHeaderByteCount = 100_000_000

  /// The path the file was read from, or the `source` label of an in-memory parse.
  public let path: String
  /// The header length `N` (the data section starts at byte `8 + N`).
  public let headerByteCount: Int
  /// The `__metadata__` entries (empty if absent).
  public let metadata: [String: String]
  /// All tensors, in the order of their data in the file. Offsets in the descriptors are absolute.
  public let tensors: [TensorDescriptor]
  private let indexByName: [String: Int]

  /// The absolute offset of the data section.
  public var dataOffset: Int { 8 + headerByteCount }

  /// Reads and validates the header of the safetensors file at `path`; tensor data is not read.
  ///
  /// The header length is checked against the limit and the file size before the header is read,
  /// so a hostile length never causes a large allocation.
  /// - Throws: `TensorIOError` describing the first problem found.
  /// - Complexity: O(header size + n log n) for n tensors.
  public init(contentsOf path: String) throws {
    let file = try ReadOnlyFile(path: path)
    guard file.size >= 8 else {
      throw TensorIOError.truncated(file: path, tensor: nil, offset: 0, needed: 8, available: file.size)
    }
    let prefix = try file.read(count: 8, at: 0)
    let headerLength = try Self.checkedHeaderLength(prefix.withUnsafeBytes { $0 }, fileSize: file.size, source: path)
    let header = try file.read(count: headerLength, at: 8)
    self = try header.withUnsafeBytes { try Self(header: $0, fileSize: file.size, source: path) }
  }

  /// Validates a complete safetensors file image held in memory.
  /// - Parameters:
  ///   - bytes: the whole file.
  ///   - source: the name used as ``path`` and in errors.
  /// - Throws: `TensorIOError`, exactly as ``init(contentsOf:)`` for the same bytes.
  public static func parse(_ bytes: UnsafeRawBufferPointer, source: String = "<memory>") throws -> SafeTensorsFile {
    guard bytes.count >= 8 else {
      throw TensorIOError.truncated(file: source, tensor: nil, offset: 0, needed: 8, available: bytes.count)
    }
    let headerLength = try checkedHeaderLength(bytes, fileSize: bytes.count, source: source)
    return try Self(
      header: UnsafeRawBufferPointer(rebasing: bytes[8..<(8 + headerLength)]), fileSize: bytes.count, source: source)
  }

  /// The tensor named `name`.
  /// - Throws: `TensorIOError.tensorNotFound`.
  public func tensor(named name: String) throws -> TensorDescriptor {
    guard let index = indexByName[name] else { throw TensorIOError.tensorNotFound(file: path, tensor: name) }
    return tensors[index]
  }

  /// Reads the header length from the first 8 bytes and checks it against the limit and the file size.
  private static func checkedHeaderLength(_ prefix: UnsafeRawBufferPointer, fileSize: Int, source: String) throws -> Int {
    let claimed = prefix.loadUnaligned(as: UInt64.self).littleEndian
    guard claimed <= UInt64(maxHeaderByteCount) else {
      throw TensorIOError.headerTooLarge(file: source, claimed: claimed, limit: maxHeaderByteCount)
    }
    guard claimed <= UInt64(fileSize - 8) else {
      throw TensorIOError.headerBeyondFile(file: source, claimed: claimed, fileSize: fileSize)
    }
    return Int(claimed)
  }

  /// Validates the JSON header of a file of `fileSize` bytes.
  private init(header: UnsafeRawBufferPointer, fileSize: Int, source: String) throws {
    guard header.first == UInt8(ascii: "{") else {
      throw TensorIOError.invalidHeader(file: source, offset: 8, reason: "header does not start with '{'")
    }
    let root = try StrictJSON.parse(header, baseOffset: 8, source: source)
    guard case .object(let members) = root.value else {
      throw TensorIOError.invalidHeader(file: source, offset: 8, reason: "header is not a JSON object")
    }
    var metadata: [String: String] = [:]
    var entries: [(descriptor: TensorDescriptor, begin: Int, end: Int)] = []
    for (key, _, value) in members {
      if key == "__metadata__" {
        metadata = try Self.metadata(value, source: source)
      } else {
        entries.append(try Self.entry(named: key, value, source: source))
      }
    }
    let dataOffset = 8 + header.count
    entries.sort { ($0.begin, $0.end, $0.descriptor.name) < ($1.begin, $1.end, $1.descriptor.name) }
    try Self.checkTiling(
      entries.map { ($0.descriptor.name, $0.begin, $0.end) }, dataOffset: dataOffset, dataLength: fileSize - dataOffset,
      source: source)
    self.path = source
    self.headerByteCount = header.count
    self.metadata = metadata
    self.tensors = entries.map { entry in
      var descriptor = entry.descriptor
      descriptor.dataOffset = dataOffset + entry.begin
      return descriptor
    }
    self.indexByName = Dictionary(uniqueKeysWithValues: tensors.enumerated().map { ($1.name, $0) })
  }

  private static func metadata(_ node: JSONNode, source: String) throws -> [String: String] {
    guard case .object(let members) = node.value else {
      throw TensorIOError.invalidMetadata(file: source, reason: "expected an object, found \(node.kindName)")
    }
    var metadata: [String: String] = [:]
    for (key, _, value) in members {
      guard case .string(let text) = value.value else {
        throw TensorIOError.invalidMetadata(
          file: source, reason: "value of \"\(key)\" is \(value.kindName), not a string")
      }
      metadata[key] = text
    }
    return metadata
  }

  /// Validates one tensor entry; the descriptor's `dataOffset` is left relative to the data section.
  private static func entry(
    named name: String, _ node: JSONNode, source: String
  ) throws -> (descriptor: TensorDescriptor, begin: Int, end: Int) {
    func fail(_ reason: String) -> TensorIOError { .invalidTensorEntry(file: source, tensor: name, reason: reason) }
    guard case .object(let fields) = node.value else { throw fail("entry is \(node.kindName), not an object") }
    var dtypeNode: JSONNode?
    var shapeNode: JSONNode?
    var offsetsNode: JSONNode?
    for (key, _, value) in fields {
      switch key {
      case "dtype": dtypeNode = value
      case "shape": shapeNode = value
      case "data_offsets": offsetsNode = value
      default: throw fail("unexpected field \"\(key)\"")
      }
    }
    guard let dtypeNode else { throw fail("missing field \"dtype\"") }
    guard let shapeNode else { throw fail("missing field \"shape\"") }
    guard let offsetsNode else { throw fail("missing field \"data_offsets\"") }

    guard case .string(let dtypeName) = dtypeNode.value else { throw fail("dtype is \(dtypeNode.kindName), not a string") }
    guard let dtype = DType(safetensorsName: dtypeName) else {
      throw TensorIOError.unknownDType(file: source, tensor: name, dtype: dtypeName)
    }

    guard case .array(let dimensions) = shapeNode.value else { throw fail("shape is \(shapeNode.kindName), not an array") }
    var shape: [Int] = []
    for dimension in dimensions {
      switch dimension.nonNegativeInteger {
      case .value(let value): shape.append(value)
      case .tooLarge: throw TensorIOError.shapeOverflow(file: source, tensor: name, shape: literal(dimensions))
      case .notAnInteger: throw fail("shape contains \(dimension.kindName) that is not a non-negative integer")
      }
    }
    guard let needed = CheckedSize.byteCount(shape, dtype) else {
      throw TensorIOError.shapeOverflow(file: source, tensor: name, shape: literal(dimensions))
    }

    guard case .array(let offsets) = offsetsNode.value, offsets.count == 2,
      case .value(let begin) = offsets[0].nonNegativeInteger, case .value(let end) = offsets[1].nonNegativeInteger
    else { throw fail("data_offsets is not a pair of non-negative integers [begin, end]") }
    guard begin <= end else { throw TensorIOError.invalidOffsets(file: source, tensor: name, begin: begin, end: end) }
    guard end - begin == needed else {
      throw TensorIOError.byteCountMismatch(
        file: source, tensor: name, begin: begin, end: end, shape: shape, dtype: dtype, needed: needed)
    }
    let descriptor = TensorDescriptor(name: name, dtype: dtype, shape: shape, dataOffset: begin, byteCount: needed)
    return (descriptor, begin, end)
  }

  /// Checks that the sorted byte ranges `[begin, end)` cover `0..<dataLength` exactly.
  private static func checkTiling(
    _ ranges: [(name: String, begin: Int, end: Int)], dataOffset: Int, dataLength: Int, source: String
  ) throws {
    var expected = 0
    var previous = ""
    for range in ranges {
      if range.begin < expected {
        throw TensorIOError.overlap(file: source, tensor: range.name, begin: range.begin, previous: previous, previousEnd: expected)
      }
      if range.begin > expected {
        throw TensorIOError.gap(file: source, tensor: range.name, begin: range.begin, expected: expected)
      }
      if range.end > dataLength {
        throw TensorIOError.offsetsPastEnd(file: source, tensor: range.name, end: range.end, dataLength: dataLength)
      }
      expected = range.end
      previous = range.name
    }
    if expected < dataLength {
      throw TensorIOError.trailingBytes(file: source, offset: dataOffset + expected, count: dataLength - expected)
    }
  }

  /// The shape as written in the file, for error messages.
  private static func literal(_ dimensions: [JSONNode]) -> String {
    "[" + dimensions.map { if case .number(let text) = $0.value { text } else { "?" } }.joined(separator: ", ") + "]"
  }
}
