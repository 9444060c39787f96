/// A `.npy` format version.
public enum NPYVersion: Sendable, Hashable {
  /// 1.0: 2-byte header length, latin-1 header.
  case v1
  /// 2.0: 4-byte header length, latin-1 header.
  case v2
  /// 3.0: 4-byte header length, UTF-8 header.
  case v3

  /// The size of the header-length field in bytes.
  var lengthFieldSize: Int { self == .v1 ? 2 : 4 }
  /// The major version byte.
  var major: UInt8 {
    switch self {
    case .v1: 1
    case .v2: 2
    case .v3: 3
    }
  }
}

/// A validated `.npy` file holding one array of a plain numeric or boolean dtype.
///
/// Layout: magic `\x93NUMPY`, two version bytes (1.0, 2.0 or 3.0), a little-endian header length
/// (2 bytes in 1.0, 4 otherwise) of at most ``maxHeaderByteCount``, a Python dict literal
/// with exactly the keys `descr`, `fortran_order` and `shape`, then exactly
/// `product(shape) * itemsize` bytes of data. Object (pickled) arrays are refused.
public struct NPYFile: Sendable {
  /// The largest header accepted (numpy's own safety limit).
  public static let maxHeaderByteCount = 10_000
  /// The magic bytes every `.npy` file starts with.
  static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

  /// The path the file was read from, or the `source` label of an in-memory parse.
  public let path: String
  /// The format version.
  public let version: NPYVersion
  /// The descr string as written, e.g. `"<f4"`.
  public let descr: String
  /// The array: named after the file (without `.npy`), with absolute `dataOffset`, byte order and memory order.
  public let tensor: TensorDescriptor

  /// Reads and validates the header of the `.npy` file at `path` and checks the data length; data is not read.
  /// - Throws: `TensorIOError` describing the first problem found.
  /// - Complexity: O(header size).
  public init(contentsOf path: String) throws {
    let file = try ReadOnlyFile(path: path)
    let prefix = try file.read(count: min(file.size, 12), at: 0)
    let headerLength = try prefix.withUnsafeBytes { try Self.checkedPrefix($0, fileSize: file.size, source: path) }
    let header = try file.read(count: headerLength.length, at: headerLength.start)
    self = try header.withUnsafeBytes {
      try Self(header: $0, version: headerLength.version, headerStart: headerLength.start, fileSize: file.size, source: path)
    }
  }

  /// Validates a complete `.npy` file image held in memory.
  /// - Parameters:
  ///   - bytes: the whole file.
  ///   - source: the name used as ``path``, for the tensor name, and in errors.
  /// - Throws: `TensorIOError`, exactly as ``init(contentsOf:)`` for the same bytes.
  public static func parse(_ bytes: UnsafeRawBufferPointer, source: String = "<memory>") throws -> NPYFile {
    let layout = try checkedPrefix(bytes, fileSize: bytes.count, source: source)
    let header = UnsafeRawBufferPointer(rebasing: bytes[layout.start..<(layout.start + layout.length)])
    return try Self(header: header, version: layout.version, headerStart: layout.start, fileSize: bytes.count, source: source)
  }

  /// Checks magic, version and header length from the first (up to) 12 bytes of a file of `fileSize` bytes.
  private static func checkedPrefix(
    _ prefix: UnsafeRawBufferPointer, fileSize: Int, source: String
  ) throws -> (version: NPYVersion, start: Int, length: Int) {
    guard prefix.prefix(6).elementsEqual(magic.prefix(prefix.count)) else { throw TensorIOError.npyBadMagic(file: source) }
    guard prefix.count >= 8 else {
      throw TensorIOError.truncated(file: source, tensor: nil, offset: 0, needed: 8, available: prefix.count)
    }
    let version: NPYVersion
    switch (prefix[6], prefix[7]) {
    case (1, 0): version = .v1
    case (2, 0): version = .v2
    case (3, 0): version = .v3
    case let (major, minor): throw TensorIOError.npyUnsupportedVersion(file: source, major: major, minor: minor)
    }
    let start = 8 + version.lengthFieldSize
    guard prefix.count >= start else {
      throw TensorIOError.truncated(file: source, tensor: nil, offset: 8, needed: version.lengthFieldSize, available: prefix.count - 8)
    }
    let length =
      version == .v1
      ? Int(prefix.loadUnaligned(fromByteOffset: 8, as: UInt16.self).littleEndian)
      : Int(prefix.loadUnaligned(fromByteOffset: 8, as: UInt32.self).littleEndian)
    guard length <= maxHeaderByteCount else {
      throw TensorIOError.npyHeaderTooLarge(file: source, length: length, limit: maxHeaderByteCount)
    }
    guard start + length <= fileSize else {
      throw TensorIOError.truncated(file: source, tensor: nil, offset: start, needed: length, available: fileSize - start)
    }
    return (version, start, length)
  }

  private init(header: UnsafeRawBufferPointer, version: NPYVersion, headerStart: Int, fileSize: Int, source: String) throws {
    let literal = try NPYHeaderLiteral.parse(header, baseOffset: headerStart, source: source)
    guard !literal.descr.contains("O") else { throw TensorIOError.npyObjectArray(file: source, descr: literal.descr) }
    guard let (dtype, byteOrder) = DType.fromNumpyDescr(literal.descr) else {
      throw TensorIOError.unsupportedDescr(file: source, descr: literal.descr)
    }
    let name = Self.tensorName(source)
    let shapeText = "(" + literal.shape.joined(separator: ", ") + ")"
    let dimensions = literal.shape.compactMap { Int($0) }
    guard dimensions.count == literal.shape.count, let byteCount = CheckedSize.byteCount(dimensions, dtype) else {
      throw TensorIOError.shapeOverflow(file: source, tensor: name, shape: shapeText)
    }
    let dataOffset = headerStart + header.count
    let available = fileSize - dataOffset
    guard available >= byteCount else {
      throw TensorIOError.truncated(file: source, tensor: name, offset: dataOffset, needed: byteCount, available: available)
    }
    guard available == byteCount else {
      throw TensorIOError.trailingBytes(file: source, offset: dataOffset + byteCount, count: available - byteCount)
    }
    self.path = source
    self.version = version
    self.descr = literal.descr
    self.tensor = TensorDescriptor(
      name: name, dtype: dtype, shape: dimensions, dataOffset: dataOffset, byteCount: byteCount,
      byteOrder: byteOrder, memoryOrder: literal.fortranOrder ? .fortran : .c)
  }

  /// The file name without directory and `.npy` extension.
  static func tensorName(_ path: String) -> String {
    let base = path.split(separator: "/").last.map(String.init) ?? path
    return base.hasSuffix(".npy") ? String(base.dropLast(4)) : base
  }
}
