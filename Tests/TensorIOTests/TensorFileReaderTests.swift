import Foundation
import Testing

@testable import TensorIO

@Suite struct TensorFileReaderTests {
  @Test func chunksHoldWholeElementsAndCoverTheTensor() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let path = directory.file("m.safetensors")
    let values = sampleValues(1000)
    try SafeTensorsFile.write(to: path, tensors: [TensorSpec(name: "w", dtype: .f64, shape: [10, 100])]) {
      try $1.write(encode(values, .f64))
    }
    let tensor = try SafeTensorsFile(contentsOf: path).tensor(named: "w")
    let reader = try TensorFileReader(path: path)
    var sizes: [Int] = []
    var collected: [Double] = []
    try reader.forEachChunk(of: tensor, maxChunkByteCount: 1001) { chunk in
      sizes.append(chunk.count)
      #expect(Int(bitPattern: chunk.baseAddress) % 64 == 0)
      collected += chunk.bindMemory(to: Double.self).map { $0 }
    }
    #expect(sizes == Array(repeating: 1000, count: 8))
    #expect(collected == values)
  }

  /// The reader keeps its buffer between calls; a call made while another holds it (nested
  /// here) reads into a buffer of its own, so neither sees the other's data.
  @Test func nestedAndRepeatedCallsReadTheirOwnChunks() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let path = directory.file("m.safetensors")
    let (first, second) = (sampleValues(300), sampleValues(300).map { -$0 })
    try SafeTensorsFile.write(
      to: path, tensors: [TensorSpec(name: "a", dtype: .f64, shape: [300]), TensorSpec(name: "b", dtype: .f64, shape: [300])]
    ) { index, sink in try sink.write(encode(index == 0 ? first : second, .f64)) }
    let file = try SafeTensorsFile(contentsOf: path)
    let (a, b) = (try file.tensor(named: "a"), try file.tensor(named: "b"))
    let reader = try TensorFileReader(path: path)
    for _ in 0..<2 {
      var (outer, inner): ([Double], [Double]) = ([], [])
      try reader.forEachChunk(of: a, maxChunkByteCount: 800) { chunk in
        try reader.forEachChunk(of: b, maxChunkByteCount: 800) { inner += $0.bindMemory(to: Double.self) }
        outer += chunk.bindMemory(to: Double.self)
      }
      #expect(outer == first)
      #expect(inner == Array(repeating: second, count: 3).flatMap { $0 })
    }
  }

  @Test func fortranArraysCanBeReadInCOrderInSmallChunks() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let path = directory.file("f.npy")
    let shape = [3, 4, 5]
    let values = (0..<60).map { Float($0) }
    try NPYFile.write(to: path, dtype: .f32, shape: shape, byteOrder: .big, memoryOrder: .fortran) {
      try $0.write(encode(fortranOrder(values.map(Double.init), shape: shape), .f32, .big))
    }
    let tensor = try NPYFile(contentsOf: path).tensor
    var collected: [Float] = []
    try TensorFileReader(path: path).forEachChunkInCOrder(of: tensor, maxChunkByteCount: 12) {
      collected += $0.bindMemory(to: Float.self).map { $0 }
    }
    #expect(collected == values)
  }

  @Test func emptyTensorsDeliverNoChunk() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let path = directory.file("e.npy")
    try NPYFile.write(to: path, dtype: .f32, shape: [0, 3], memoryOrder: .fortran) { _ in }
    let tensor = try NPYFile(contentsOf: path).tensor
    let reader = try TensorFileReader(path: path)
    try reader.forEachChunk(of: tensor) { _ in Issue.record("unexpected chunk") }
    try reader.forEachChunkInCOrder(of: tensor) { _ in Issue.record("unexpected chunk") }
  }

  @Test func aFileThatShrankIsReportedNotTrapped() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let path = directory.file("m.safetensors")
    try SafeTensorsFile.write(to: path, tensors: [TensorSpec(name: "w", dtype: .f32, shape: [4])]) { try $1.write(Array(repeating: 0, count: 16)) }
    let tensor = try SafeTensorsFile(contentsOf: path).tensor(named: "w")
    let reader = try TensorFileReader(path: path)
    #expect(truncate(path, off_t(tensor.dataOffset + 6)) == 0)
    #expect(throws: TensorIOError.truncated(file: path, tensor: "w", offset: tensor.dataOffset, needed: 16, available: 6)) {
      try reader.forEachChunk(of: tensor) { _ in }
    }
    let reopened = try TensorFileReader(path: path)
    #expect(throws: TensorIOError.truncated(file: path, tensor: "w", offset: tensor.dataOffset, needed: 16, available: 6)) {
      try reopened.forEachChunk(of: tensor) { _ in }
    }
  }
}
