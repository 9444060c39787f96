import EMPKit
import Foundation

/// A model file for the tests, written with TensorIO: tensors of every float format, their
/// values exact in their format, drawn from SplitMix64 (seed printed) with heavy tails.
enum ModelFile {
  static let seed: UInt64 = 0x5EED_0012

  struct Tensor {
    var name: String
    var dtype: DType
    var shape: [Int]
    /// The stored values, exactly.
    var values: [Double]

    var bytes: [UInt8] {
      switch dtype {
      case .f16: values.map { Float16($0) }.withUnsafeBytes { Array($0) }
      case .bf16: values.map { BFloat16(bitPattern: UInt16(Float($0).bitPattern >> 16)) }.withUnsafeBytes { Array($0) }
      case .f32: values.map { Float($0) }.withUnsafeBytes { Array($0) }
      default: values.withUnsafeBytes { Array($0) }
      }
    }
  }

  /// Values exact in `dtype`: heavy-tailed draws rounded (or truncated, for bf16) to it.
  static func values(_ count: Int, dtype: DType, stream: UInt64) -> [Double] {
    var generator = SplitMix64(seed: seed &+ stream)
    return (0..<count).map { _ in
      let u = Double(generator.next() >> 11 + 1) / 0x1p53
      let x = (u - 0.5) / (u * (1 - u)).squareRoot()
      switch dtype {
      case .f16: return Double(Float16(x))
      case .bf16: return Double(Float(bitPattern: Float(x).bitPattern & 0xFFFF_0000))
      case .f32: return Double(Float(x))
      default: return x
      }
    }
  }

  static let tensors: [Tensor] = [
    Tensor(name: "embed.weight", dtype: .bf16, shape: [64, 48], values: values(64 * 48, dtype: .bf16, stream: 1)),
    Tensor(name: "attn.q.weight", dtype: .f32, shape: [48, 48], values: values(48 * 48, dtype: .f32, stream: 2)),
    Tensor(name: "mlp.up.weight", dtype: .f16, shape: [96, 48], values: values(96 * 48, dtype: .f16, stream: 3)),
    Tensor(name: "norm.bias", dtype: .f64, shape: [48], values: values(48, dtype: .f64, stream: 4)),
  ]

  /// Writes `tensors` to a fresh `.safetensors` file and returns its path.
  static func write(_ tensors: [Tensor]) throws -> String {
    print("ModelFile: seed \(seed)")
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("empkit-\(UUID()).safetensors").path
    try SafeTensorsFile.write(
      to: path, tensors: tensors.map { TensorSpec(name: $0.name, dtype: $0.dtype, shape: $0.shape) }
    ) { index, sink in try sink.write(tensors[index].bytes) }
    return path
  }

  /// The values of every tensor of the file at `path`, as `Double`s.
  static func read(_ path: String) throws -> [String: [Double]] {
    var result: [String: [Double]] = [:]
    for tensor in try TensorCatalog(contentsOf: path).tensors {
      let bytes = try TensorFileReader(path: tensor.path).readBytes(of: tensor.descriptor)
      result[tensor.descriptor.name] = bytes.withUnsafeBytes { raw in
        switch tensor.descriptor.dtype {
        case .f16: raw.bindMemory(to: Float16.self).map(Double.init)
        case .bf16: raw.bindMemory(to: UInt16.self).map { Double(Float(bitPattern: UInt32($0) << 16)) }
        case .f32: raw.bindMemory(to: Float.self).map(Double.init)
        case .f64: Array(raw.bindMemory(to: Double.self))
        default: raw.map(Double.init)
        }
      }
    }
    return result
  }

  static func remove(_ path: String) { try? FileManager.default.removeItem(atPath: path) }
}
