/// Everything that can go wrong reading or writing tensor files.
///
/// Every case names the file it concerns (as the path was given, or the `source` label of an
/// in-memory parse); `description` is one line naming the file, the tensor and the byte offset where
/// relevant, and the problem, e.g.
/// `model.safetensors: tensor "w1": data_offsets [0, 96) hold 96 bytes but shape [5, 5] of F32 needs 100`.
public enum TensorIOError: Error, Equatable, Sendable, CustomStringConvertible {
  // MARK: Files

  /// The path names something other than a regular file (`kind` is e.g. `"a directory"`).
  case notRegularFile(file: String, kind: String)
  /// A system call failed; `operation` is e.g. `"open"`, `errno` the C error number.
  case io(file: String, operation: String, errno: Int32)
  /// An output would replace something that exists (`kind`, e.g. `"a regular file"`), and
  /// replacing was not asked for.
  case outputExists(file: String, kind: String)
  /// The process is being interrupted: its temporary outputs were removed, nothing more is written.
  case interrupted(file: String)
  /// The file ends before `needed` bytes starting at `offset` could be read.
  case truncated(file: String, tensor: String?, offset: Int, needed: Int, available: Int)
  /// `count` bytes follow the end of the data at `offset`.
  case trailingBytes(file: String, offset: Int, count: Int)

  // MARK: Headers

  /// The header is malformed at byte `offset` of the file (JSON or Python-literal syntax, wrong structure).
  case invalidHeader(file: String, offset: Int, reason: String)
  /// A key occurs twice in one header object (for safetensors: a duplicate tensor name).
  case duplicateName(file: String, offset: Int, name: String)
  /// A safetensors header length larger than the reference loader's 100,000,000-byte limit.
  case headerTooLarge(file: String, claimed: UInt64, limit: Int)
  /// A header length that runs past the end of the file.
  case headerBeyondFile(file: String, claimed: UInt64, fileSize: Int)
  /// `__metadata__` is not an object mapping strings to strings.
  case invalidMetadata(file: String, reason: String)

  // MARK: Tensor entries

  /// A tensor entry lacks a field or has a field of the wrong kind.
  case invalidTensorEntry(file: String, tensor: String, reason: String)
  /// A dtype name this library does not know.
  case unknownDType(file: String, tensor: String, dtype: String)
  /// The product of the shape (times the element size) overflows `Int`; `shape` is as written.
  case shapeOverflow(file: String, tensor: String, shape: String)
  /// `data_offsets` hold a different number of bytes than the shape and dtype need.
  case byteCountMismatch(file: String, tensor: String, begin: Int, end: Int, shape: [Int], dtype: DType, needed: Int)
  /// `data_offsets` with `end < begin`.
  case invalidOffsets(file: String, tensor: String, begin: Int, end: Int)
  /// A tensor's byte range starts before the previous tensor's range ends.
  case overlap(file: String, tensor: String, begin: Int, previous: String, previousEnd: Int)
  /// Unused bytes before a tensor's range (`expected` is where it should have started).
  case gap(file: String, tensor: String, begin: Int, expected: Int)
  /// A tensor's range ends past the end of the data section.
  case offsetsPastEnd(file: String, tensor: String, end: Int, dataLength: Int)
  /// No tensor of this name is in the file.
  case tensorNotFound(file: String, tensor: String)

  // MARK: Sharded safetensors

  /// The index is not of the form `{"metadata": {...}, "weight_map": {"name": "shard", ...}}`.
  case invalidIndex(file: String, reason: String)
  /// The index maps `tensor` to `shard`, but that shard does not contain it.
  case tensorMissingFromShard(file: String, tensor: String, shard: String)
  /// A shard contains `tensor`, but the index does not map it to that shard.
  case tensorNotInIndex(file: String, tensor: String, shard: String)

  // MARK: npy

  /// The file does not start with `\x93NUMPY`.
  case npyBadMagic(file: String)
  /// A format version other than 1.0, 2.0 or 3.0.
  case npyUnsupportedVersion(file: String, major: UInt8, minor: UInt8)
  /// A header longer than numpy's 10,000-byte safety limit.
  case npyHeaderTooLarge(file: String, length: Int, limit: Int)
  /// An object (pickled) dtype, which is never loaded.
  case npyObjectArray(file: String, descr: String)
  /// A descr that is not a plain numeric or boolean type this library supports.
  case unsupportedDescr(file: String, descr: String)

  // MARK: Text

  /// A score text file that cannot be tokenized (invalid UTF-8, empty comma-separated field).
  case invalidText(file: String, line: Int, reason: String)

  /// A Fortran-order array of two or more dimensions where random access in C order is needed.
  case fortranOrderNotSupported(file: String, tensor: String)

  // MARK: Writing

  /// A tensor to write has an invalid name, shape or dtype for the format.
  case invalidTensorSpec(file: String, tensor: String, reason: String)
  /// The data producer supplied a different number of bytes than the tensor needs.
  case dataSizeMismatch(file: String, tensor: String, expected: Int, provided: Int)

  /// One line: file, tensor, offset where relevant, problem. Line breaks and other control
  /// characters coming from file contents are shown as escapes.
  public var description: String {
    let message = message
    guard message.unicodeScalars.contains(where: Self.breaksLines) else { return message }
    var line = String.UnicodeScalarView()
    for scalar in message.unicodeScalars {
      if Self.breaksLines(scalar) {
        line.append(contentsOf: scalar.escaped(asASCII: true).unicodeScalars)
      } else {
        line.append(scalar)
      }
    }
    return String(line)
  }

  private static func breaksLines(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || (0x7F...0x85).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
  }

  private var message: String {
    switch self {
    case let .notRegularFile(file, kind):
      return "\(file): is \(kind), not a regular file"
    case let .io(file, operation, errno):
      return "\(file): \(operation) failed: \(SystemError.message(errno)) (errno \(errno))"
    case let .outputExists(file, kind):
      return "\(file): \(kind) already exists there"
    case let .interrupted(file):
      return "\(file): not written: interrupted"
    case let .truncated(file, tensor, offset, needed, available):
      return "\(Self.where(file, tensor)): truncated: \(needed) bytes needed at byte \(offset) but only \(available) available"
    case let .trailingBytes(file, offset, count):
      return "\(file): \(count) unexpected bytes after the data, starting at byte \(offset)"
    case let .invalidHeader(file, offset, reason):
      return "\(file): invalid header at byte \(offset): \(reason)"
    case let .duplicateName(file, offset, name):
      return "\(file): duplicate name \"\(Self.clip(name))\" at byte \(offset)"
    case let .headerTooLarge(file, claimed, limit):
      return "\(file): header length \(claimed) exceeds the limit of \(limit) bytes"
    case let .headerBeyondFile(file, claimed, fileSize):
      return "\(file): header length \(claimed) runs past the end of the \(fileSize)-byte file"
    case let .invalidMetadata(file, reason):
      return "\(file): invalid __metadata__: \(reason)"
    case let .invalidTensorEntry(file, tensor, reason):
      return "\(Self.where(file, tensor)): \(reason)"
    case let .unknownDType(file, tensor, dtype):
      return "\(Self.where(file, tensor)): unknown dtype \"\(Self.clip(dtype))\""
    case let .shapeOverflow(file, tensor, shape):
      return "\(Self.where(file, tensor)): shape \(Self.clip(shape)) has too many elements (size overflows)"
    case let .byteCountMismatch(file, tensor, begin, end, shape, dtype, needed):
      return "\(Self.where(file, tensor)): data_offsets [\(begin), \(end)) hold \(end - begin) bytes but shape \(shape) of \(dtype) needs \(needed)"
    case let .invalidOffsets(file, tensor, begin, end):
      return "\(Self.where(file, tensor)): data_offsets [\(begin), \(end)) end before they begin"
    case let .overlap(file, tensor, begin, previous, previousEnd):
      return "\(Self.where(file, tensor)): data begins at data byte \(begin), overlapping tensor \"\(Self.clip(previous))\" which ends at \(previousEnd)"
    case let .gap(file, tensor, begin, expected):
      return "\(Self.where(file, tensor)): data begins at data byte \(begin), leaving \(begin - expected) unused bytes from \(expected)"
    case let .offsetsPastEnd(file, tensor, end, dataLength):
      return "\(Self.where(file, tensor)): data ends at data byte \(end), past the end of the \(dataLength)-byte data section"
    case let .tensorNotFound(file, tensor):
      return "\(Self.where(file, tensor)): no such tensor"
    case let .invalidIndex(file, reason):
      return "\(file): invalid index: \(reason)"
    case let .tensorMissingFromShard(file, tensor, shard):
      return "\(Self.where(file, tensor)): mapped to shard \"\(Self.clip(shard))\", which does not contain it"
    case let .tensorNotInIndex(file, tensor, shard):
      return "\(Self.where(file, tensor)): found in shard \"\(Self.clip(shard))\" but not mapped to it by the weight_map"
    case let .npyBadMagic(file):
      return "\(file): not a .npy file (missing \\x93NUMPY magic)"
    case let .npyUnsupportedVersion(file, major, minor):
      return "\(file): unsupported .npy format version \(major).\(minor) (supported: 1.0, 2.0, 3.0)"
    case let .npyHeaderTooLarge(file, length, limit):
      return "\(file): .npy header length \(length) exceeds the limit of \(limit) bytes"
    case let .npyObjectArray(file, descr):
      return "\(file): descr \"\(Self.clip(descr))\" is an object dtype; pickle/object arrays are not supported"
    case let .unsupportedDescr(file, descr):
      return "\(file): unsupported descr \"\(Self.clip(descr))\""
    case let .invalidText(file, line, reason):
      return "\(file):\(line): \(reason)"
    case let .fortranOrderNotSupported(file, tensor):
      return "\(Self.where(file, tensor)): a Fortran-order array cannot be read beside another tensor; save it in C order"
    case let .invalidTensorSpec(file, tensor, reason):
      return "\(Self.where(file, tensor)): \(reason)"
    case let .dataSizeMismatch(file, tensor, expected, provided):
      return "\(Self.where(file, tensor)): data producer supplied \(provided) bytes but the tensor needs \(expected)"
    }
  }

  private static func `where`(_ file: String, _ tensor: String?) -> String {
    guard let tensor else { return file }
    return "\(file): tensor \"\(clip(tensor))\""
  }

  /// Shortens names taken from untrusted files so a message stays readable.
  private static func clip(_ text: String) -> String {
    text.count <= 120 ? text : text.prefix(117) + "..."
  }
}
