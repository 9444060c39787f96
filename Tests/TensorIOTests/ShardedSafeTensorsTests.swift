import Foundation
import Testing

@testable import TensorIO

@Suite struct ShardedSafeTensorsTests {
  /// Writes two shards: `s1` holding `a`, `s2` holding `b` and `c`.
  func makeShards(_ directory: TemporaryDirectory) throws {
    for (shard, names) in [("s1.safetensors", ["a"]), ("s2.safetensors", ["b", "c"])] {
      try SafeTensorsFile.write(to: directory.file(shard), tensors: names.map { TensorSpec(name: $0, dtype: .f32, shape: [1]) }) {
        try $1.write(Array(repeating: 0, count: 4))
      }
    }
  }

  func index(_ directory: TemporaryDirectory, _ json: String) throws -> String {
    try directory.write(Array(json.utf8), to: "model.safetensors.index.json")
  }

  @Test func opensAConsistentIndex() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    try makeShards(directory)
    let path = try index(directory, #"{"metadata":{"total_size":12},"weight_map":{"c":"s2.safetensors","a":"s1.safetensors","b":"s2.safetensors"}}"#)
    let model = try ShardedSafeTensors(indexAt: path)
    #expect(model.tensors.map(\.descriptor.name) == ["c", "a", "b"])
    #expect(model.shards.map(\.path) == [directory.file("s2.safetensors"), directory.file("s1.safetensors")])
    #expect(try model.tensor(named: "a").path == directory.file("s1.safetensors"))
    #expect(throws: TensorIOError.tensorNotFound(file: path, tensor: "d")) { try model.tensor(named: "d") }
  }

  @Test func inconsistentIndexesAreRejected() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    try makeShards(directory)
    var path = try index(directory, #"{"weight_map":{"a":"s2.safetensors","b":"s2.safetensors","c":"s2.safetensors"}}"#)
    #expect(throws: TensorIOError.tensorMissingFromShard(file: path, tensor: "a", shard: "s2.safetensors")) { try ShardedSafeTensors(indexAt: path) }
    path = try index(directory, #"{"weight_map":{"a":"s1.safetensors","b":"s2.safetensors"}}"#)
    #expect(throws: TensorIOError.tensorNotInIndex(file: path, tensor: "c", shard: "s2.safetensors")) { try ShardedSafeTensors(indexAt: path) }
    path = try index(directory, #"{"weight_map":{"a":"s1.safetensors","a":"s1.safetensors"}}"#)
    #expect(throws: TensorIOError.duplicateName(file: path, offset: 36, name: "a")) { try ShardedSafeTensors(indexAt: path) }
    path = try index(directory, #"{"weight_map":{"a":"../s1.safetensors"}}"#)
    #expect(throws: TensorIOError.self) { try ShardedSafeTensors(indexAt: path) }
    path = try index(directory, #"{"weight_map":{"a":"s3.safetensors"}}"#)
    #expect(throws: TensorIOError.io(file: directory.file("s3.safetensors"), operation: "open", errno: ENOENT)) {
      try ShardedSafeTensors(indexAt: path)
    }
    for bad in [#"{"metadata":1,"weight_map":{}}"#, #"{"weight_map":[]}"#, #"{"weight_map":{"a":1}}"#, #"{}"#, "[]"] {
      path = try index(directory, bad)
      #expect(throws: TensorIOError.self) { try ShardedSafeTensors(indexAt: path) }
    }
  }

  @Test func aTensorInTwoShardsIsRejected() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    try makeShards(directory)
    let specs = [TensorSpec(name: "a", dtype: .f32, shape: [1]), TensorSpec(name: "d", dtype: .f32, shape: [1])]
    try SafeTensorsFile.write(to: directory.file("s3.safetensors"), tensors: specs) { try $1.write(Array(repeating: 0, count: 4)) }
    let path = try index(directory, #"{"weight_map":{"a":"s1.safetensors","b":"s2.safetensors","c":"s2.safetensors","d":"s3.safetensors"}}"#)
    #expect(throws: TensorIOError.tensorNotInIndex(file: path, tensor: "a", shard: "s3.safetensors")) { try ShardedSafeTensors(indexAt: path) }
  }
}
