import Foundation
import Testing

@testable import TensorIO

/// A fresh directory under the system temporary directory, removed by `remove()`.
struct TemporaryDirectory {
  let path: String

  init() throws {
    path = FileManager.default.temporaryDirectory.appendingPathComponent("tensorio-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  func file(_ name: String) -> String { path + "/" + name }

  func write(_ bytes: [UInt8], to name: String) throws -> String {
    let target = file(name)
    try Data(bytes).write(to: URL(fileURLWithPath: target))
    return target
  }

  func contents() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: path).sorted()
  }

  func remove() {
    try? FileManager.default.removeItem(atPath: path)
  }
}

/// The bytes of a safetensors file with the given header text and data.
func safetensorsBytes(header: String, data: [UInt8] = [], claimedLength: UInt64? = nil) -> [UInt8] {
  let headerBytes = Array(header.utf8)
  var bytes: [UInt8] = []
  withUnsafeBytes(of: (claimedLength ?? UInt64(headerBytes.count)).littleEndian) { bytes.append(contentsOf: $0) }
  return bytes + headerBytes + data
}

/// Parses an in-memory safetensors image.
func parseSafeTensors(_ bytes: [UInt8]) throws -> SafeTensorsFile {
  try bytes.withUnsafeBytes { try SafeTensorsFile.parse($0, source: "m.safetensors") }
}

/// Parses an in-memory `.npy` image.
func parseNPY(_ bytes: [UInt8]) throws -> NPYFile {
  try bytes.withUnsafeBytes { try NPYFile.parse($0, source: "a.npy") }
}

/// The bytes of a `.npy` file with the given version and header text (unpadded) and data.
func npyBytes(major: UInt8 = 1, header: String, data: [UInt8] = []) -> [UInt8] {
  let headerBytes = Array(header.utf8)
  var bytes: [UInt8] = NPYFile.magic + [major, 0]
  if major == 1 {
    withUnsafeBytes(of: UInt16(headerBytes.count).littleEndian) { bytes.append(contentsOf: $0) }
  } else {
    withUnsafeBytes(of: UInt32(headerBytes.count).littleEndian) { bytes.append(contentsOf: $0) }
  }
  return bytes + headerBytes + data
}

/// The raw bytes of `values`.
func rawBytes<T: BitwiseCopyable>(_ values: [T]) -> [UInt8] {
  values.withUnsafeBytes { Array($0) }
}

/// Interprets host-order element bytes of `dtype` as `Double`s.
func doubles(_ bytes: [UInt8], _ dtype: DType) -> [Double] {
  bytes.withUnsafeBytes { raw in
    stride(from: 0, to: raw.count, by: dtype.byteSize).map { offset -> Double in
      switch dtype {
      case .f16: Double(raw.loadUnaligned(fromByteOffset: offset, as: Float16.self))
      case .bf16: Double(Float(bitPattern: UInt32(raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self)) << 16))
      case .f32: Double(raw.loadUnaligned(fromByteOffset: offset, as: Float.self))
      case .f64: raw.loadUnaligned(fromByteOffset: offset, as: Double.self)
      case .i8: Double(raw.loadUnaligned(fromByteOffset: offset, as: Int8.self))
      case .u8, .bool, .f8e4m3, .f8e5m2: Double(raw[offset])
      case .i16: Double(raw.loadUnaligned(fromByteOffset: offset, as: Int16.self))
      case .u16: Double(raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
      case .i32: Double(raw.loadUnaligned(fromByteOffset: offset, as: Int32.self))
      case .u32: Double(raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
      case .i64: Double(raw.loadUnaligned(fromByteOffset: offset, as: Int64.self))
      case .u64: Double(raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
      }
    }
  }
}

/// The sample values `(i - 7.25) / 4` used by the round-trip tests, exact in every float dtype.
func sampleValues(_ count: Int) -> [Double] {
  (0..<count).map { (Double($0) - 7.25) / 4 }
}

/// `values` encoded as `dtype` in the given byte order.
func encode(_ values: [Double], _ dtype: DType, _ byteOrder: ByteOrder = .little) -> [UInt8] {
  var bytes: [UInt8]
  switch dtype {
  case .f16: bytes = rawBytes(values.map { Float16($0) })
  case .bf16: bytes = rawBytes(values.map { UInt16(Float($0).bitPattern >> 16) })
  case .f32: bytes = rawBytes(values.map { Float($0) })
  case .f64: bytes = rawBytes(values)
  default: bytes = values.map { UInt8($0) }
  }
  if byteOrder != .host {
    bytes.withUnsafeMutableBytes { ByteSwap.inPlace($0, elementSize: dtype.byteSize) }
  }
  return bytes
}

/// Transposes C-order `values` of `shape` into Fortran (column-major) order.
func fortranOrder<T>(_ values: [T], shape: [Int]) -> [T] {
  guard !values.isEmpty else { return [] }
  var result = values
  for cIndex in values.indices {
    var remainder = cIndex
    var index = [Int](repeating: 0, count: shape.count)
    for axis in shape.indices.reversed() {
      index[axis] = remainder % shape[axis]
      remainder /= shape[axis]
    }
    var fIndex = 0
    for axis in shape.indices.reversed() { fIndex = fIndex * shape[axis] + index[axis] }
    result[fIndex] = values[cIndex]
  }
  return result
}
