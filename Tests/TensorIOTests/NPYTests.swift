import Foundation
import Testing

@testable import TensorIO

@Suite struct NPYTests {
  let f = "a.npy"
  let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }"

  @Test(arguments: [DType.f16, .f32, .f64], [ByteOrder.little, .big])
  func roundTripsFloatsInEveryLayoutAndVersion(dtype: DType, byteOrder: ByteOrder) throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let shape = [2, 3, 4]
    let values = sampleValues(24)
    for memoryOrder in [MemoryOrder.c, .fortran] {
      for version in [NPYVersion.v1, .v2, .v3] {
        let path = directory.file("w.npy")
        let stored = memoryOrder == .c ? values : fortranOrder(values, shape: shape)
        try NPYFile.write(to: path, dtype: dtype, shape: shape, byteOrder: byteOrder, memoryOrder: memoryOrder, version: version) {
          try $0.write(encode(stored, dtype, byteOrder))
        }
        let file = try NPYFile(contentsOf: path)
        #expect(file.version == version)
        #expect(file.tensor.dataOffset % 64 == 0)
        #expect(file.tensor.name == "w" && file.tensor.shape == shape && file.tensor.dtype == dtype)
        #expect(file.tensor.byteOrder == byteOrder && file.tensor.memoryOrder == memoryOrder)
        let reader = try TensorFileReader(path: path)
        #expect(doubles(try reader.readBytes(of: file.tensor), dtype) == values)
        var storageOrder: [UInt8] = []
        try reader.forEachChunk(of: file.tensor, maxChunkByteCount: 7 * dtype.byteSize) {
          #expect($0.count % dtype.byteSize == 0 && $0.count <= 7 * dtype.byteSize)
          storageOrder.append(contentsOf: $0)
        }
        #expect(doubles(storageOrder, dtype) == stored)
      }
    }
  }

  @Test func writesMasksAndScalars() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let path = directory.file("mask.npy")
    try NPYFile.write(to: path, dtype: .bool, shape: [3]) { try $0.write([1, 0, 1]) }
    let mask = try NPYFile(contentsOf: path)
    #expect(mask.descr == "|b1" && mask.tensor.dtype == .bool)
    try NPYFile.write(to: path, dtype: .u8, shape: []) { try $0.write([7]) }
    let scalar = try NPYFile(contentsOf: path)
    #expect(scalar.descr == "|u1" && scalar.tensor.shape == [] && scalar.tensor.byteCount == 1)
    #expect(throws: TensorIOError.invalidTensorSpec(file: path, tensor: "mask", reason: "dtype BF16 has no .npy descr")) {
      try NPYFile.write(to: path, dtype: .bf16, shape: [1]) { try $0.write([0, 0]) }
    }
    struct Boom: Error {}
    #expect(throws: Boom.self) { try NPYFile.write(to: directory.file("b.npy"), dtype: .f32, shape: [2]) { _ in throw Boom() } }
    #expect(try directory.contents() == ["mask.npy"])
  }

  @Test func parsesHeaderVariants() throws {
    for text in [
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }   \n",
      "{\"shape\": (2,), \"fortran_order\": False, \"descr\": \"<f4\"}",
      "{'descr':'<f4','fortran_order':False,'shape':(2 ,)}",
    ] {
      let file = try parseNPY(npyBytes(header: text, data: Array(repeating: 0, count: 8)))
      #expect(file.tensor.shape == [2] && file.tensor.dtype == .f32 && file.version == .v1)
    }
    let big = try parseNPY(npyBytes(major: 2, header: "{'descr': '>f8', 'fortran_order': True, 'shape': (1, 2), }", data: Array(repeating: 0, count: 16)))
    #expect(big.tensor.byteOrder == .big && big.tensor.memoryOrder == .fortran && big.version == .v2)
  }

  @Test func badMagic() {
    #expect(throws: TensorIOError.npyBadMagic(file: f)) { try parseNPY(Array("\u{93}NUMPX".utf8) + [1, 0, 0, 0]) }
    #expect(throws: TensorIOError.npyBadMagic(file: f)) { try parseNPY([0x50, 0x4B, 3, 4]) }
    #expect(throws: TensorIOError.truncated(file: f, tensor: nil, offset: 0, needed: 8, available: 3)) { try parseNPY([0x93, 0x4E, 0x55]) }
  }

  @Test func unsupportedVersion() {
    var bytes = npyBytes(header: header, data: Array(repeating: 0, count: 8))
    bytes[6] = 4
    #expect(throws: TensorIOError.npyUnsupportedVersion(file: f, major: 4, minor: 0)) { try parseNPY(bytes) }
    bytes[6] = 1
    bytes[7] = 1
    #expect(throws: TensorIOError.npyUnsupportedVersion(file: f, major: 1, minor: 1)) { try parseNPY(bytes) }
  }

  @Test func headerOverTenThousandBytes() {
    let long = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }" + String(repeating: " ", count: 10_000)
    #expect(throws: TensorIOError.npyHeaderTooLarge(file: f, length: long.utf8.count, limit: 10_000)) {
      try parseNPY(npyBytes(header: long, data: Array(repeating: 0, count: 8)))
    }
    var claim = npyBytes(major: 2, header: "")
    claim.replaceSubrange(8..<12, with: [0xFF, 0xFF, 0xFF, 0xFF])
    #expect(throws: TensorIOError.npyHeaderTooLarge(file: f, length: Int(UInt32.max), limit: 10_000)) { try parseNPY(claim) }
  }

  @Test func missingAndExtraKeys() {
    func error(_ text: String) -> TensorIOError? {
      do {
        _ = try parseNPY(npyBytes(header: text, data: Array(repeating: 0, count: 8)))
        return nil
      } catch { return error as? TensorIOError }
    }
    #expect(error("{'descr': '<f4', 'fortran_order': False}") == .invalidHeader(file: f, offset: 10, reason: "missing key 'shape'"))
    #expect(error("{'descr': '<f4', 'shape': (2,)}") == .invalidHeader(file: f, offset: 10, reason: "missing key 'fortran_order'"))
    #expect(error("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}") == .invalidHeader(
      file: f, offset: 66, reason: "unexpected key 'x' (expected exactly descr, fortran_order, shape)"))
    #expect(error("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,)}") == .duplicateName(file: f, offset: 27, name: "descr"))
    for bad in [
      "{'descr': '<f4', 'fortran_order': 0, 'shape': (2,)}", "{'descr': '<f4', 'fortran_order': False, 'shape': (2)}",
      "{'descr': '<f4', 'fortran_order': False, 'shape': [2]}", "{'descr': '<f4', 'fortran_order': False, 'shape': (-2,)}",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (02,)}", "{'descr': '<f4', 'fortran_order': False, 'shape': (2,)} x",
      "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,)}", "{'descr': '<f4', 'fortran_order': False, 'shape': (2,),,}",
      "", "{", "{'descr': '<f4\\n', 'fortran_order': False, 'shape': (2,)}",
    ] {
      guard case .invalidHeader = error(bad) else {
        Issue.record("expected invalidHeader for \(bad), got \(String(describing: error(bad)))")
        continue
      }
    }
  }

  @Test func objectAndUnsupportedDescrs() {
    for descr in ["|O", "<O8", "O"] {
      #expect(throws: TensorIOError.npyObjectArray(file: f, descr: descr)) {
        try parseNPY(npyBytes(header: "{'descr': '\(descr)', 'fortran_order': False, 'shape': (1,), }", data: Array(repeating: 0, count: 8)))
      }
    }
    for descr in ["<c8", "<U3", "=f4", "|f4", "<f16", "V8"] {
      #expect(throws: TensorIOError.unsupportedDescr(file: f, descr: descr)) {
        try parseNPY(npyBytes(header: "{'descr': '\(descr)', 'fortran_order': False, 'shape': (1,), }", data: Array(repeating: 0, count: 8)))
      }
    }
  }

  @Test func dataLengthMustMatch() {
    let dataStart = 10 + header.utf8.count
    #expect(throws: TensorIOError.truncated(file: f, tensor: "a", offset: dataStart, needed: 8, available: 7)) {
      try parseNPY(npyBytes(header: header, data: Array(repeating: 0, count: 7)))
    }
    #expect(throws: TensorIOError.trailingBytes(file: f, offset: dataStart + 8, count: 1)) {
      try parseNPY(npyBytes(header: header, data: Array(repeating: 0, count: 9)))
    }
    #expect(throws: TensorIOError.truncated(file: f, tensor: nil, offset: 10, needed: header.utf8.count, available: 5)) {
      try parseNPY(Array(npyBytes(header: header).prefix(15)))
    }
    let overflow = "{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904, 4), }"
    #expect(throws: TensorIOError.shapeOverflow(file: f, tensor: "a", shape: "(4611686018427387904, 4)")) {
      try parseNPY(npyBytes(header: overflow))
    }
  }

  @Test func directoryIsRejected() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    #expect(throws: TensorIOError.notRegularFile(file: directory.path, kind: "a directory")) { try NPYFile(contentsOf: directory.path) }
  }
}
