import EMPCore
import Exact
import Foundation
import TensorIO

/// Model files for the tool tests, written with TensorIO into a fresh temporary directory.
///
/// Scores are drawn from EMPCore's SplitMix64 with a fixed seed (printed by `ModelFixtures.init`) from a
/// heavy-tailed distribution; every value is exactly representable in its dtype.
struct ModelFixtures {
  static let seed: UInt64 = 0x5EED_2509_2560_6001

  let directory: String

  init() throws {
    directory = FileManager.default.temporaryDirectory.appendingPathComponent("emp-tool-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    print("ModelFixtures: seed \(Self.seed) in \(directory)")
  }

  func path(_ name: String) -> String { directory + "/" + name }

  func contents() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: directory).sorted() }

  func remove() { try? FileManager.default.removeItem(atPath: directory) }

  /// Removes the file or directory `name` of the fixtures.
  func remove(_ name: String) { try? FileManager.default.removeItem(atPath: path(name)) }

  /// `count` heavy-tailed scores from `stream`.
  static func scores(_ count: Int, stream: UInt64) -> [Double] {
    var generator = SplitMix64(seed: seed &+ stream &* 0x9E37_79B9_7F4A_7C15)
    func next() -> Double { Double(generator.next() >> 11 + 1) / 0x1p53 }
    return (0..<count).map { _ in
      let core = (next() + next() + next() - 1.5) * 2
      return core * (next() < 0.05 ? 1 / next().squareRoot() : 1)
    }
  }

  /// A tensor to write: name, dtype, shape and values (converted to the dtype).
  struct Tensor {
    var name: String
    var dtype: DType
    var shape: [Int]
    var values: [Double]

    /// The little-endian bytes of the values in `dtype`.
    var bytes: [UInt8] {
      switch dtype {
      case .f16: values.map { Float16($0) }.withUnsafeBytes { Array($0) }
      case .bf16: values.map { Float($0).bitPattern >> 16 }.map { UInt16($0) }.withUnsafeBytes { Array($0) }
      case .f32: values.map { Float($0) }.withUnsafeBytes { Array($0) }
      case .f64: values.withUnsafeBytes { Array($0) }
      case .i64: values.map { Int64($0) }.withUnsafeBytes { Array($0) }
      default: fatalError("fixture dtype \(dtype)")
      }
    }

    /// The values as stored (rounded to the dtype), as `Double`s.
    var storedValues: [Double] {
      switch dtype {
      case .f16: values.map { Double(Float16($0)) }
      case .bf16: values.map { Double(Float(bitPattern: (Float($0).bitPattern >> 16) << 16)) }
      case .f32: values.map { Double(Float($0)) }
      default: values
      }
    }
  }

  /// The standard mix: F32 matrix, F16 matrix, BF16 matrix, F64 vector, I64 ids.
  static let standardTensors: [Tensor] = [
    Tensor(name: "attn.weight", dtype: .f32, shape: [16, 48], values: scores(768, stream: 1)),
    Tensor(name: "mlp.weight", dtype: .f16, shape: [24, 32], values: scores(768, stream: 2)),
    Tensor(name: "proj.weight", dtype: .bf16, shape: [8, 4, 10], values: scores(320, stream: 3)),
    Tensor(name: "norm.bias", dtype: .f64, shape: [50], values: scores(50, stream: 4)),
    Tensor(name: "ids", dtype: .i64, shape: [6], values: [0, 1, 2, 3, 4, 5]),
  ]

  /// Writes `tensors` as a safetensors file named `name`.
  @discardableResult
  func safetensors(_ name: String, _ tensors: [Tensor], metadata: [String: String] = [:]) throws -> String {
    let target = path(name)
    try SafeTensorsFile.write(
      to: target, tensors: tensors.map { TensorSpec(name: $0.name, dtype: $0.dtype, shape: $0.shape) },
      metadata: metadata
    ) { index, sink in try sink.write(tensors[index].bytes) }
    return target
  }

  /// Writes `tensor` as a `.npy` file named `name`.
  @discardableResult
  func npy(_ name: String, _ tensor: Tensor) throws -> String {
    let target = path(name)
    try NPYFile.write(to: target, dtype: tensor.dtype, shape: tensor.shape) { try $0.write(tensor.bytes) }
    return target
  }

  /// Writes `tensors` split over two shards in `subdirectory`, with an index.
  func sharded(_ subdirectory: String, tensors: [Tensor] = standardTensors) throws -> String {
    try FileManager.default.createDirectory(atPath: path(subdirectory), withIntermediateDirectories: true)
    let first = Array(tensors.prefix(tensors.count / 2))
    let second = Array(tensors.dropFirst(first.count))
    try safetensors("\(subdirectory)/model-00001-of-00002.safetensors", first, metadata: ["format": "pt"])
    try safetensors("\(subdirectory)/model-00002-of-00002.safetensors", second, metadata: ["format": "pt"])
    let map = (first.map { ($0.name, "model-00001-of-00002.safetensors") } + second.map { ($0.name, "model-00002-of-00002.safetensors") })
      .map { "\"\($0.0)\": \"\($0.1)\"" }.joined(separator: ", ")
    let index = path("\(subdirectory)/model.safetensors.index.json")
    try Data("{\"metadata\": {\"total_size\": 0}, \"weight_map\": {\(map)}}".utf8).write(to: URL(fileURLWithPath: index))
    return index
  }

  /// Writes raw bytes to `name`.
  @discardableResult
  func raw(_ name: String, _ bytes: [UInt8]) throws -> String {
    let target = path(name)
    try Data(bytes).write(to: URL(fileURLWithPath: target))
    return target
  }

  /// A safetensors image with header text `header`, `data`, and an optional false length.
  static func safetensorsBytes(header: String, data: [UInt8] = [], claimedLength: UInt64? = nil) -> [UInt8] {
    let headerBytes = Array(header.utf8)
    return withUnsafeBytes(of: (claimedLength ?? UInt64(headerBytes.count)).littleEndian) { Array($0) } + headerBytes
      + data
  }

  /// Reads every tensor of a file: name → (dtype, shape, values as `Double`).
  static func read(_ path: String) throws -> [String: (dtype: DType, shape: [Int], values: [Double])] {
    var result: [String: (DType, [Int], [Double])] = [:]
    for tensor in try TensorCatalog(contentsOf: path).tensors {
      let d = tensor.descriptor
      let bytes = try TensorFileReader(path: tensor.path).readBytes(of: d)
      let values: [Double] = bytes.withUnsafeBytes { raw in
        switch d.dtype {
        case .f16: raw.bindMemory(to: Float16.self).map(Double.init)
        case .bf16: raw.bindMemory(to: UInt16.self).map { Double(Float(bitPattern: UInt32($0) << 16)) }
        case .f32: raw.bindMemory(to: Float.self).map(Double.init)
        case .f64: Array(raw.bindMemory(to: Double.self))
        case .i64: raw.bindMemory(to: Int64.self).map(Double.init)
        case .u8: raw.map(Double.init)
        default: []
        }
      }
      result[d.name] = (d.dtype, d.shape, values)
    }
    return result
  }
}
