import Foundation
import Testing

@testable import TensorIO

@Suite struct TensorCatalogTests {
  @Test func opensEachFormatByName() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let single = directory.file("m.safetensors")
    try SafeTensorsFile.write(to: single, tensors: [TensorSpec(name: "w", dtype: .f32, shape: [2])]) { try $1.write(Array(repeating: 0, count: 8)) }
    let npy = directory.file("scores.npy")
    try NPYFile.write(to: npy, dtype: .f64, shape: [1]) { try $0.write(Array(repeating: 0, count: 8)) }
    let index = try directory.write(Array(#"{"weight_map":{"w":"m.safetensors"}}"#.utf8), to: "m.safetensors.index.json")

    let catalogs = try [single, npy, index].map { try TensorCatalog(contentsOf: $0) }
    #expect(catalogs.map(\.format) == [.safetensors, .npy, .shardedSafetensors])
    #expect(try catalogs[0].tensor(named: "w") == catalogs[2].tensor(named: "w"))
    #expect(try catalogs[1].tensor(named: "scores").descriptor.dtype == .f64)
    #expect(throws: TensorIOError.tensorNotFound(file: npy, tensor: "w")) { try catalogs[1].tensor(named: "w") }
  }
}
