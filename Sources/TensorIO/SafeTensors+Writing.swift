extension SafeTensorsFile {
  /// Writes a safetensors file, streaming each tensor's bytes from `data`.
  ///
  /// Tensors are stored in the order given, contiguously from offset 0. The header is compact JSON
  /// with `__metadata__` first (keys sorted, omitted when empty), padded with spaces to a multiple of
  /// 8 bytes as the reference writer does. The file is written to a temporary file in the same
  /// directory and renamed over `path` (or staged in `transaction`); on any error nothing is left behind.
  ///
  /// - Parameters:
  ///   - path: the file to create or replace.
  ///   - tensors: the tensors, in file order. Names must be unique and not `__metadata__`.
  ///   - metadata: string metadata stored in `__metadata__`.
  ///   - transaction: where to stage the complete file, to appear with the transaction's other
  ///     outputs; without one it replaces `path` when complete.
  ///   - data: called once per tensor, in order, with the tensor's index and a sink that must receive
  ///     exactly the tensor's byte count of little-endian data, in chunks of any size.
  /// - Throws: `.invalidTensorSpec` for a bad name or shape, `.headerTooLarge` if the header would
  ///   exceed ``maxHeaderByteCount``, `.dataSizeMismatch`, `.io`, or any error `data` throws.
  /// - Complexity: O(total bytes); memory is O(header size) plus a 1 MiB write buffer.
  public static func write(
    to path: String, tensors: [TensorSpec], metadata: [String: String] = [:], in transaction: OutputTransaction? = nil,
    data: (_ index: Int, _ sink: TensorDataSink) throws -> Void
  ) throws {
    let sizes = try tensors.map { try $0.byteCount(file: path) }
    var seen = Set<String>()
    for tensor in tensors {
      guard tensor.name != "__metadata__" else {
        throw TensorIOError.invalidTensorSpec(file: path, tensor: tensor.name, reason: "name is reserved for metadata")
      }
      guard seen.insert(tensor.name).inserted else {
        throw TensorIOError.invalidTensorSpec(file: path, tensor: tensor.name, reason: "duplicate tensor name")
      }
    }
    let header = try headerBytes(tensors: tensors, sizes: sizes, metadata: metadata, file: path)
    try AtomicFileWriter.write(to: path, in: transaction) { writer in
      var length = UInt64(header.count).littleEndian
      try withUnsafeBytes(of: &length) { try writer.write($0) }
      try writer.write(header)
      for (index, tensor) in tensors.enumerated() {
        try TensorDataSink.fill(writer, file: path, tensorName: tensor.name, expectedByteCount: sizes[index]) { sink in
          try data(index, sink)
        }
      }
    }
  }

  /// The padded JSON header for `tensors`.
  private static func headerBytes(
    tensors: [TensorSpec], sizes: [Int], metadata: [String: String], file: String
  ) throws -> [UInt8] {
    var json = "{"
    var first = true
    func key(_ name: String) {
      json += (first ? "" : ",") + jsonString(name) + ":"
      first = false
    }
    if !metadata.isEmpty {
      key("__metadata__")
      json += "{" + metadata.sorted { $0.key < $1.key }.map { jsonString($0.key) + ":" + jsonString($0.value) }
        .joined(separator: ",") + "}"
    }
    var offset = 0
    for (tensor, size) in zip(tensors, sizes) {
      guard let end = CheckedSize.sum(offset, size) else {
        throw TensorIOError.invalidTensorSpec(file: file, tensor: tensor.name, reason: "total data size overflows")
      }
      key(tensor.name)
      let shape = tensor.shape.map(String.init).joined(separator: ",")
      json += "{\"dtype\":\"\(tensor.dtype.safetensorsName)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}"
      offset = end
    }
    json += "}"
    var bytes = Array(json.utf8)
    bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - bytes.count % 8) % 8))
    guard bytes.count <= maxHeaderByteCount else {
      throw TensorIOError.headerTooLarge(file: file, claimed: UInt64(bytes.count), limit: maxHeaderByteCount)
    }
    return bytes
  }

  /// `text` as a JSON string literal (quotes, backslashes and control characters escaped).
  private static func jsonString(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      case "\t": result += "\\t"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result + "\""
  }
}
