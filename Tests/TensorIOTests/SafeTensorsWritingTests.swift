import Foundation
import Testing

@testable import TensorIO

@Suite struct SafeTensorsWritingTests {
  @Test(arguments: [DType.f16, .bf16, .f32, .f64])
  func roundTripsEveryFloatDType(dtype: DType) throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let path = directory.file("m.safetensors")
    let shapes = [[2, 3], [], [0], [5]]
    let specs = shapes.enumerated().map { TensorSpec(name: "t\($0.offset)", dtype: dtype, shape: $0.element) }
    let values = shapes.map { sampleValues($0.reduce(1, *)) }
    try SafeTensorsFile.write(to: path, tensors: specs, metadata: ["format": "pt", "quote\"": "a\nb"]) { index, sink in
      let bytes = encode(values[index], dtype)
      // Feed odd-sized chunks to exercise chunking across element boundaries.
      for start in stride(from: 0, to: bytes.count, by: 3) { try sink.write(Array(bytes[start..<min(start + 3, bytes.count)])) }
    }
    let file = try SafeTensorsFile(contentsOf: path)
    #expect(file.metadata == ["format": "pt", "quote\"": "a\nb"])
    #expect(file.headerByteCount % 8 == 0)
    #expect(file.tensors.map(\.name) == specs.map(\.name))
    let reader = try TensorFileReader(path: path)
    for (index, spec) in specs.enumerated() {
      let tensor = try file.tensor(named: spec.name)
      #expect(tensor.dtype == dtype && tensor.shape == spec.shape)
      #expect(doubles(try reader.readBytes(of: tensor), dtype) == values[index])
    }
  }

  @Test func keepsTheGivenOrderAndPadsTheHeaderWithSpaces() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let path = directory.file("m.safetensors")
    let specs = [TensorSpec(name: "z", dtype: .u8, shape: [3]), TensorSpec(name: "a", dtype: .bool, shape: [2])]
    try SafeTensorsFile.write(to: path, tensors: specs) { index, sink in try sink.write(index == 0 ? [1, 2, 3] : [0, 1]) }
    let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    let header = String(decoding: bytes[8..<(bytes.count - 5)], as: UTF8.self)
    #expect(header.hasPrefix(#"{"z":{"dtype":"U8","shape":[3],"data_offsets":[0,3]},"a":{"dtype":"BOOL""#))
    #expect((8 + header.utf8.count) % 8 == 0)
    #expect(header.reversed().drop(while: { $0 == " " }).first == "}")
    #expect(Array(bytes.suffix(5)) == [1, 2, 3, 0, 1])
    #expect(try SafeTensorsFile(contentsOf: path).tensors.map(\.name) == ["z", "a"])
  }

  @Test func aThrowingProducerLeavesNothingBehind() throws {
    struct Boom: Error {}
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let path = directory.file("m.safetensors")
    #expect(throws: Boom.self) {
      try SafeTensorsFile.write(to: path, tensors: [TensorSpec(name: "a", dtype: .f32, shape: [1 << 20])]) { _, sink in
        try sink.write(Array(repeating: 0, count: 3 << 20))
        throw Boom()
      }
    }
    #expect(try directory.contents().isEmpty)
  }

  @Test func anExistingTargetSurvivesAFailedWrite() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let path = try directory.write([42], to: "m.safetensors")
    #expect(throws: TensorIOError.dataSizeMismatch(file: path, tensor: "a", expected: 4, provided: 2)) {
      try SafeTensorsFile.write(to: path, tensors: [TensorSpec(name: "a", dtype: .f32, shape: [1])]) { _, sink in
        try sink.write([1, 2])
      }
    }
    #expect(throws: TensorIOError.dataSizeMismatch(file: path, tensor: "a", expected: 4, provided: 5)) {
      try SafeTensorsFile.write(to: path, tensors: [TensorSpec(name: "a", dtype: .f32, shape: [1])]) { _, sink in
        try sink.write([1, 2, 3, 4, 5])
      }
    }
    #expect(try directory.contents() == ["m.safetensors"])
    #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))) == [42])
  }

  @Test func rejectsBadSpecsAndNonRegularTargets() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let path = directory.file("m.safetensors")
    let a = TensorSpec(name: "a", dtype: .f32, shape: [1])
    #expect(throws: TensorIOError.invalidTensorSpec(file: path, tensor: "a", reason: "duplicate tensor name")) {
      try SafeTensorsFile.write(to: path, tensors: [a, a]) { _, sink in try sink.write([0, 0, 0, 0]) }
    }
    #expect(throws: TensorIOError.self) {
      try SafeTensorsFile.write(to: path, tensors: [TensorSpec(name: "__metadata__", dtype: .u8, shape: [])]) { _, _ in }
    }
    #expect(throws: TensorIOError.self) {
      try SafeTensorsFile.write(to: path, tensors: [TensorSpec(name: "b", dtype: .f64, shape: [Int.max, 2])]) { _, _ in }
    }
    #expect(throws: TensorIOError.notRegularFile(file: directory.path, kind: "a directory")) {
      try SafeTensorsFile.write(to: directory.path, tensors: []) { _, _ in }
    }
    #expect(try directory.contents().isEmpty)
  }
}
