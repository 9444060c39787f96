extension NPYFile {
  /// Writes a `.npy` file, streaming the array's bytes from `data`.
  ///
  /// The header is the dict literal numpy writes, padded with spaces and a final newline so the data
  /// starts at a multiple of 64 bytes. Version 1.0 is used unless `version` asks for another: 2.0 would
  /// only be needed for headers over 65,535 bytes, beyond the ``maxHeaderByteCount`` readers accept. The file is written to a temporary file in
  /// the same directory and renamed over `path` (or staged in `transaction`); on any error nothing is left behind.
  ///
  /// - Parameters:
  ///   - path: the file to create or replace.
  ///   - dtype: the element type; `bf16` and the 8-bit floats cannot be stored in `.npy`.
  ///   - shape: the dimensions.
  ///   - byteOrder: the byte order of the bytes `data` supplies (written as `<` or `>`; `|` for one-byte types).
  ///   - memoryOrder: the layout of the bytes `data` supplies (`fortran_order`).
  ///   - version: a specific format version, or `nil` for the smallest that fits.
  ///   - transaction: where to stage the complete file, to appear with the transaction's other
  ///     outputs; without one it replaces `path` when complete.
  ///   - data: called once with a sink that must receive exactly `product(shape) * dtype.byteSize` bytes.
  /// - Throws: `.invalidTensorSpec` for an unsupported dtype, a bad shape, or a header too large for
  ///   the requested version or ``maxHeaderByteCount``; `.dataSizeMismatch`, `.io`, or any error `data` throws.
  /// - Complexity: O(bytes); memory is a 1 MiB write buffer.
  public static func write(
    to path: String, dtype: DType, shape: [Int], byteOrder: ByteOrder = .little, memoryOrder: MemoryOrder = .c,
    version: NPYVersion? = nil, in transaction: OutputTransaction? = nil, data: (_ sink: TensorDataSink) throws -> Void
  ) throws {
    let spec = TensorSpec(name: tensorName(path), dtype: dtype, shape: shape)
    let byteCount = try spec.byteCount(file: path)
    let header = try headerBytes(spec: spec, byteOrder: byteOrder, memoryOrder: memoryOrder, version: version, file: path)
    try AtomicFileWriter.write(to: path, in: transaction) { writer in
      try writer.write(header)
      try TensorDataSink.fill(writer, file: path, tensorName: spec.name, expectedByteCount: byteCount, data)
    }
  }

  /// Magic, version, length field and padded dict literal.
  private static func headerBytes(
    spec: TensorSpec, byteOrder: ByteOrder, memoryOrder: MemoryOrder, version: NPYVersion?, file: String
  ) throws -> [UInt8] {
    guard let descr = spec.dtype.numpyDescr(byteOrder: byteOrder) else {
      throw TensorIOError.invalidTensorSpec(file: file, tensor: spec.name, reason: "dtype \(spec.dtype) has no .npy descr")
    }
    let shape =
      spec.shape.count == 1 ? "(\(spec.shape[0]),)" : "(" + spec.shape.map(String.init).joined(separator: ", ") + ")"
    let fortran = memoryOrder == .fortran ? "True" : "False"
    let literal = Array("{'descr': '\(descr)', 'fortran_order': \(fortran), 'shape': \(shape), }".utf8)

    func padded(_ version: NPYVersion) -> [UInt8] {
      let unpadded = magic.count + 2 + version.lengthFieldSize + literal.count + 1
      return literal + repeatElement(UInt8(ascii: " "), count: (64 - unpadded % 64) % 64) + [UInt8(ascii: "\n")]
    }
    let chosen = version ?? .v1
    let dictionary = padded(chosen)
    guard dictionary.count <= maxHeaderByteCount else {
      throw TensorIOError.invalidTensorSpec(
        file: file, tensor: spec.name, reason: "header of \(dictionary.count) bytes exceeds the limit of \(maxHeaderByteCount)")
    }
    var bytes = magic + [chosen.major, 0]
    if chosen == .v1 {
      withUnsafeBytes(of: UInt16(dictionary.count).littleEndian) { bytes.append(contentsOf: $0) }
    } else {
      withUnsafeBytes(of: UInt32(dictionary.count).littleEndian) { bytes.append(contentsOf: $0) }
    }
    return bytes + dictionary
  }
}
