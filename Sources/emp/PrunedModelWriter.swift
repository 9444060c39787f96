import EMPFast
import Foundation
import TensorIO

/// Writes a pruned model and its masks by a `PrunePlan`, streaming each tensor chunk by
/// chunk, every output atomically: a file through a temporary file and a rename, a sharded
/// model through a temporary directory renamed into place; on any error nothing is left.
struct PrunedModelWriter {
  /// What was written for one tensor.
  struct TensorResult {
    var name: String
    var count: Int
    /// Scores kept, or `nil` when the tensor was copied unchanged.
    var kept: Int?
    /// Why the tensor was copied.
    var reason: String?
  }

  /// What was written.
  struct Results {
    var output: String
    var mask: String?
    var tensors: [TensorResult]

    /// `(ΣN, Σkept)` over the pruned tensors.
    var totals: (count: Int, kept: Int) {
      tensors.reduce((0, 0)) { total, t in t.kept.map { (total.0 + t.count, total.1 + $0) } ?? total }
    }
  }

  let plan: PrunePlan
  let files: ModelFiles
  let catalog: TensorCatalog

  /// Writes the pruned model to `output` and, if given, the masks to `mask`.
  ///
  /// - Throws: `TensorIOError` or `ScoreInput.Failure`; then neither output exists.
  func write(to output: String, mask: String?) throws -> Results {
    let tensors: [TensorResult]
    switch catalog.format {
    case .safetensors:
      let metadata = try SafeTensorsFile(contentsOf: catalog.path).metadata
      tensors = try writeSafeTensors(catalog.tensors, metadata: metadata, to: output)
    case .npy:
      tensors = try writeNPY(catalog.tensors[0], to: output)
    case .shardedSafetensors:
      tensors = try writeSharded(to: output)
    }
    if let mask {
      do {
        try writeMasks(to: mask)
      } catch {
        try? FileManager.default.removeItem(atPath: output)
        throw error
      }
    }
    return Results(output: output, mask: mask, tensors: tensors)
  }

  // MARK: - Models

  private func writeSafeTensors(_ tensors: [LocatedTensor], metadata: [String: String], to path: String) throws
    -> [TensorResult]
  {
    files.progress.beginPhase("write \(path)", totalBytes: ModelFiles.byteCount(of: tensors))
    var results: [TensorResult] = []
    try SafeTensorsFile.write(to: path, tensors: tensors.map { TensorSpec($0.descriptor) }, metadata: metadata) {
      index, sink in
      results.append(try writeData(of: tensors[index], to: sink))
    }
    return results
  }

  private func writeNPY(_ tensor: LocatedTensor, to path: String) throws -> [TensorResult] {
    files.progress.beginPhase("write \(path)", totalBytes: tensor.descriptor.byteCount)
    var result: TensorResult?
    try NPYFile.write(to: path, dtype: tensor.descriptor.dtype, shape: tensor.descriptor.shape, byteOrder: .host) { sink in
      result = try writeData(of: tensor, to: sink)
    }
    return [result!]
  }

  /// Writes every shard and the index into a temporary directory beside `directory`, then
  /// renames it to `directory`.
  private func writeSharded(to directory: String) throws -> [TensorResult] {
    let index = catalog.path
    let base = index.lastIndex(of: "/").map { String(index[...$0]) } ?? ""
    let trimmed = directory.hasSuffix("/") && directory.count > 1 ? String(directory.dropLast()) : directory
    var template = Array((trimmed + ".tmp-XXXXXX").utf8CString)
    guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
      throw TensorIOError.io(file: directory, operation: "create temporary directory", errno: errno)
    }
    let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    do {
      let sharded = try ShardedSafeTensors(indexAt: index)
      var results: [TensorResult] = []
      for shard in sharded.shards {
        let name = String(shard.path.dropFirst(base.count))
        let target = temporary + "/" + name
        try FileManager.default.createDirectory(
          atPath: String(target[..<target.lastIndex(of: "/")!]), withIntermediateDirectories: true)
        let tensors = shard.tensors.map { LocatedTensor(path: shard.path, descriptor: $0) }
        results += try writeSafeTensors(tensors, metadata: shard.metadata, to: target)
      }
      let indexName = String(index.dropFirst(base.count))
      try FileManager.default.copyItem(atPath: index, toPath: temporary + "/" + indexName)
      try? FileManager.default.removeItem(atPath: directory)  // an empty directory only: checked before
      guard rename(temporary, trimmed) == 0 else {
        throw TensorIOError.io(file: directory, operation: "rename", errno: errno)
      }
      let order = Dictionary(uniqueKeysWithValues: catalog.tensors.enumerated().map { ($1.descriptor.name, $0) })
      return results.sorted { order[$0.name]! < order[$1.name]! }
    } catch {
      try? FileManager.default.removeItem(atPath: temporary)
      throw error
    }
  }

  /// Streams one tensor, pruned or copied, into `sink`.
  private func writeData(of tensor: LocatedTensor, to sink: TensorDataSink) throws -> TensorResult {
    let descriptor = tensor.descriptor
    var result = TensorResult(name: descriptor.name, count: descriptor.elementCount)
    let rule = plan.rule(for: tensor)
    if case .copy(let why) = rule {
      try files.forEachRawChunk(of: tensor) { try sink.write($0) }
      result.reason = why
    } else {
      result.kept = try plan.forEachPrunedChunk(of: tensor, rule: rule, files: files) { pruned, _ in
        try sink.write(pruned.rawBytes)
      }
    }
    return result
  }

  // MARK: - Masks

  /// Writes the keep masks of the pruned tensors: U8, same names and shapes.
  private func writeMasks(to path: String) throws {
    let pruned = catalog.tensors.filter {
      if case .copy = plan.rule(for: $0) { false } else { true }
    }
    files.progress.beginPhase("write \(path)", totalBytes: ModelFiles.byteCount(of: pruned))
    func maskData(_ tensor: LocatedTensor, _ sink: TensorDataSink) throws {
      _ = try plan.forEachPrunedChunk(of: tensor, rule: plan.rule(for: tensor), files: files) { _, mask in
        try sink.write(UnsafeRawBufferPointer(mask))
      }
    }
    if catalog.format == .npy {
      guard let tensor = pruned.first else {
        throw ScoreInput.Failure(description: "\(path): no mask to write: \(catalog.path) was not pruned")
      }
      try NPYFile.write(to: path, dtype: .u8, shape: tensor.descriptor.shape) { try maskData(tensor, $0) }
    } else {
      let specs = pruned.map { TensorSpec(name: $0.descriptor.name, dtype: .u8, shape: $0.descriptor.shape) }
      try SafeTensorsFile.write(to: path, tensors: specs) { try maskData(pruned[$0], $1) }
    }
  }
}
