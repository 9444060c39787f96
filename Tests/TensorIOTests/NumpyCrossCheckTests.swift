import Foundation
import Testing

@testable import TensorIO

/// Reads fixtures that numpy and Python's `struct`/`json` write at test time (Fixtures/make_fixtures.py)
/// and compares every value with the decimal text the script records.
@Suite struct NumpyCrossCheckTests {
  struct Entry: Decodable {
    let file: String
    let format: String
    let tensor: String?
    let descr: String?
    let dtype: String?
    let fortran: Bool?
    let version: Int?
    let shape: [Int]
    let values: [String]
  }

  /// Runs the fixture script with `arguments` and returns its standard output; fails the test
  /// (never skips) if python3 or numpy is missing.
  static func runScript(_ arguments: [String]) throws -> Data {
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/make_fixtures.py")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", script.path] + arguments
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    do {
      try process.run()
    } catch {
      throw FixtureError(message: "cannot run python3 (needed for the numpy cross-checks): \(error)")
    }
    let stdout = output.fileHandleForReading.readDataToEndOfFile()
    let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw FixtureError(message: "python3 with numpy is required for the numpy cross-checks; the script failed: \(stderr)")
    }
    return stdout
  }

  /// Writes the fixtures into a fresh directory and decodes their manifest.
  static func makeFixtures() throws -> (TemporaryDirectory, [Entry]) {
    let directory = try TemporaryDirectory()
    do {
      _ = try runScript([directory.path])
      let manifest = try JSONDecoder().decode([Entry].self, from: Data(contentsOf: URL(fileURLWithPath: directory.file("manifest.json"))))
      return (directory, manifest)
    } catch {
      directory.remove()
      throw error
    }
  }

  struct FixtureError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
  }

  @Test func readsEverythingNumpyAndPythonWrite() throws {
    let (directory, manifest) = try Self.makeFixtures()
    defer { directory.remove() }
    #expect(manifest.count > 70)
    for entry in manifest {
      let path = directory.file(entry.file)
      let tensor: TensorDescriptor
      if entry.format == "npy" {
        let file = try NPYFile(contentsOf: path)
        #expect(file.descr == entry.descr, "\(entry.file)")
        #expect(file.version == [NPYVersion.v1, .v2, .v3][entry.version! - 1], "\(entry.file)")
        #expect((file.tensor.memoryOrder == .fortran) == entry.fortran!, "\(entry.file)")
        tensor = file.tensor
      } else {
        tensor = try SafeTensorsFile(contentsOf: path).tensor(named: entry.tensor!)
        #expect(tensor.dtype.safetensorsName == entry.dtype, "\(entry.file) \(entry.tensor!)")
      }
      #expect(tensor.shape == entry.shape, "\(entry.file)")
      let values = doubles(try TensorFileReader(path: path).readBytes(of: tensor), tensor.dtype)
      #expect(values == entry.values.map { Double($0)! }, "\(entry.file) \(entry.tensor ?? "")")
    }
  }

  @Test func metadataAndShardsFromPython() throws {
    let (directory, manifest) = try Self.makeFixtures()
    defer { directory.remove() }
    #expect(try SafeTensorsFile(contentsOf: directory.file("model.safetensors")).metadata == ["format": "pt", "note": "fixture"])
    let sharded = try ShardedSafeTensors(indexAt: directory.file("model.safetensors.index.json"))
    #expect(sharded.tensors.map(\.descriptor.name) == ["layer.0.w", "layer.1.w", "layer.1.b"])
    #expect(sharded.shards.count == 2)
    let bias = try sharded.tensor(named: "layer.1.b")
    #expect(bias.path == directory.file("model-00002-of-00002.safetensors"))
    let expected = manifest.first { $0.tensor == "layer.1.b" }!.values.map { Double($0)! }
    #expect(doubles(try TensorFileReader(path: bias.path).readBytes(of: bias.descriptor), .f32) == expected)
  }

  @Test func numpyReadsWhatTensorIOWrites() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let shape = [3, 2, 2]
    let values = sampleValues(12)
    var expected: [String: [String: [Double]]] = [:]
    for dtype in [DType.f16, .f32, .f64] {
      for byteOrder in [ByteOrder.little, .big] {
        for memoryOrder in [MemoryOrder.c, .fortran] {
          let path = directory.file("\(dtype)-\(byteOrder)-\(memoryOrder).npy")
          let stored = memoryOrder == .c ? values : fortranOrder(values, shape: shape)
          try NPYFile.write(to: path, dtype: dtype, shape: shape, byteOrder: byteOrder, memoryOrder: memoryOrder) {
            try $0.write(encode(stored, dtype, byteOrder))
          }
          expected[path] = ["": values]
        }
      }
    }
    let mask = directory.file("mask.npy")
    try NPYFile.write(to: mask, dtype: .bool, shape: [4]) { try $0.write([1, 0, 0, 1]) }
    expected[mask] = ["": [1, 0, 0, 1]]
    let model = directory.file("pruned.safetensors")
    let specs = [DType.f16, .bf16, .f32, .f64].map { TensorSpec(name: "w.\($0)", dtype: $0, shape: shape) }
      + [TensorSpec(name: "mask", dtype: .u8, shape: [2]), TensorSpec(name: "keep", dtype: .bool, shape: [3])]
    try SafeTensorsFile.write(to: model, tensors: specs, metadata: ["format": "pt"]) { index, sink in
      switch specs[index].dtype {
      case .u8: try sink.write([0, 1])
      case .bool: try sink.write([1, 1, 0])
      case let dtype: try sink.write(encode(values, dtype))
      }
    }
    expected[model] = Dictionary(uniqueKeysWithValues: specs.prefix(4).map { ($0.name, values) })
    expected[model]!["mask"] = [0, 1]
    expected[model]!["keep"] = [1, 1, 0]

    let output = try Self.runScript(["--load"] + expected.keys.sorted())
    let loaded = try JSONSerialization.jsonObject(with: output) as! [String: [String: Any]]
    for (path, tensors) in expected {
      for (name, values) in tensors {
        let texts = loaded[path]?[name] as? [String]
        #expect(texts?.map { Double($0)! } == values, "\(path) \(name)")
      }
    }
    #expect(loaded[model]?["__metadata__"] as? [String: String] == ["format": "pt"])
  }
}
