import EMPFast
import Foundation
import TensorIO

/// Writes a pruned model and its masks by a `PrunePlan`, streaming each tensor chunk by
/// chunk, in one `OutputTransaction`: the files are written beside their targets (a sharded
/// model into a temporary directory) and put in place together at the end; on any error, or
/// an interruption, nothing is left.
public struct PrunedModelWriter {
  /// What was written for one tensor.
  public struct PrunedTensor: Sendable {
    /// The tensor's name.
    public var name: String
    /// Its number of elements.
    public var count: Int
    /// Scores kept, or `nil` when the tensor was copied unchanged.
    public var kept: Int?
    /// Why the tensor was copied.
    public var reason: String?
  }

  /// What was written.
  public struct Results: Sendable {
    /// The pruned model: a file, or a sharded model's directory.
    public var output: String
    /// The mask file, if one was written.
    public var mask: String?
    /// Every tensor written, in file order.
    public var tensors: [PrunedTensor]

    /// `(ΣN, Σkept)` over the pruned tensors.
    public var totals: (count: Int, kept: Int) {
      tensors.reduce((0, 0)) { total, t in t.kept.map { (total.0 + t.count, total.1 + $0) } ?? total }
    }
  }

  let plan: PrunePlan
  let files: ModelFiles
  let catalog: TensorCatalog

  /// The writer of the model that `analysis` analysed, pruned as it says: in each analysed
  /// tensor the scores EMP does not keep are set to zero; every other tensor is copied.
  ///
  /// - Parameters:
  ///   - analysis: a fast analysis (the default) of one model file.
  ///   - progress: receives the bytes written, phase by phase.
  /// - Throws: `EMPModelError.cannotPrune` for an exact analysis or several files;
  ///   `TensorIOError` when the model file (or the criterion's files) cannot be opened again.
  public init(analysis: ModelAnalysis, progress: (any ModelProgress)? = nil) throws {
    guard !analysis.isExact else { throw EMPModelError.cannotPrune(reason: "pruning follows the fast analysis, not --exact") }
    guard analysis.paths.count == 1 else { throw EMPModelError.cannotPrune(reason: "prune one model file at a time") }
    files = try ModelFiles(paths: analysis.paths, progress: progress ?? SilentProgress())
    plan = try PrunePlan(analysis, scorer: Scorer(criterion: analysis.criterion, model: files))
    catalog = files.catalogs[0]
  }

  /// Writes the pruned model to `output` and, if given, the masks to `mask`, together.
  ///
  /// - Parameter replacingExisting: whether the outputs may replace what exists (see
  ///   `OutputTransaction`).
  /// - Throws: `TensorIOError` or `ScoreInput.Failure`; then neither output exists.
  @discardableResult
  public func write(to output: String, mask: String? = nil, replacingExisting: Bool = false) throws -> Results {
    let transaction = OutputTransaction(replacingExisting: replacingExisting)
    do {
      let tensors: [PrunedTensor]
      switch catalog.format {
      case .safetensors:
        let metadata = try SafeTensorsFile(contentsOf: catalog.path).metadata
        tensors = try writeSafeTensors(catalog.tensors, metadata: metadata, to: output, in: transaction)
      case .npy:
        tensors = try writeNPY(catalog.tensors[0], to: output, in: transaction)
      case .shardedSafetensors:
        tensors = try writeSharded(to: output, in: transaction)
      }
      if let mask { try writeMasks(to: mask, in: transaction) }
      try transaction.commit()
      return Results(output: output, mask: mask, tensors: tensors)
    } catch {
      transaction.abandon()
      throw error
    }
  }

  // MARK: - Models

  private func writeSafeTensors(
    _ tensors: [LocatedTensor], metadata: [String: String], to path: String, in transaction: OutputTransaction?
  ) throws -> [PrunedTensor] {
    files.progress.beginPhase("write \(path)", totalBytes: ModelFiles.byteCount(of: tensors))
    var results: [PrunedTensor] = []
    try SafeTensorsFile.write(
      to: path, tensors: tensors.map { TensorSpec($0.descriptor) }, metadata: metadata, in: transaction
    ) { index, sink in
      results.append(try writeData(of: tensors[index], to: sink))
    }
    return results
  }

  private func writeNPY(_ tensor: LocatedTensor, to path: String, in transaction: OutputTransaction) throws
    -> [PrunedTensor]
  {
    files.progress.beginPhase("write \(path)", totalBytes: tensor.descriptor.byteCount)
    var results: [PrunedTensor] = []
    try NPYFile.write(
      to: path, dtype: tensor.descriptor.dtype, shape: tensor.descriptor.shape, byteOrder: .host, in: transaction
    ) { sink in
      results.append(try writeData(of: tensor, to: sink))
    }
    return results
  }

  /// Writes every shard and the index into a directory staged in `transaction` for `directory`.
  private func writeSharded(to directory: String, in transaction: OutputTransaction) throws -> [PrunedTensor] {
    let index = catalog.path
    let base = index.lastIndex(of: "/").map { String(index[...$0]) } ?? ""
    let temporary = try transaction.stageDirectory(for: directory)
    let sharded = try ShardedSafeTensors(indexAt: index)
    var results: [PrunedTensor] = []
    for shard in sharded.shards {
      let name = String(shard.path.dropFirst(base.count))
      let target = temporary + "/" + name
      try FileManager.default.createDirectory(
        atPath: String(target[..<target.lastIndex(of: "/")!]), withIntermediateDirectories: true)
      let tensors = shard.tensors.map { LocatedTensor(path: shard.path, descriptor: $0) }
      results += try writeSafeTensors(tensors, metadata: shard.metadata, to: target, in: nil)
    }
    let indexName = String(index.dropFirst(base.count))
    try FileManager.default.copyItem(atPath: index, toPath: temporary + "/" + indexName)
    let order = Dictionary(uniqueKeysWithValues: catalog.tensors.enumerated().map { ($1.descriptor.name, $0) })
    return results.sorted { order[$0.name]! < order[$1.name]! }
  }

  /// Streams one tensor, pruned or copied, into `sink`.
  private func writeData(of tensor: LocatedTensor, to sink: TensorDataSink) throws -> PrunedTensor {
    let descriptor = tensor.descriptor
    var result = PrunedTensor(name: descriptor.name, count: descriptor.elementCount)
    let rule = plan.rule(for: tensor)
    if case .copy(let why) = rule {
      try files.forEachRawChunk(of: tensor) { try sink.write($0) }
      result.reason = why
    } else {
      result.kept = try plan.forEachPrunedChunk(of: tensor, rule: rule) { pruned, _ in
        try sink.write(pruned.rawBytes)
      }
    }
    return result
  }

  // MARK: - Masks

  /// Writes the keep masks of every floating-point tensor: U8, same names and shapes; ones for
  /// a tensor that is copied unchanged.
  private func writeMasks(to path: String, in transaction: OutputTransaction) throws {
    let masked = catalog.tensors.filter { $0.descriptor.dtype.isFloatingPoint }
    files.progress.beginPhase("write \(path)", totalBytes: ModelFiles.byteCount(of: masked))
    func maskData(_ tensor: LocatedTensor, _ sink: TensorDataSink) throws {
      let rule = plan.rule(for: tensor)
      guard case .copy = rule else {
        _ = try plan.forEachPrunedChunk(of: tensor, rule: rule) { _, mask in
          try sink.write(UnsafeRawBufferPointer(mask))
        }
        return
      }
      let ones = [UInt8](repeating: 1, count: min(tensor.descriptor.elementCount, ModelFiles.chunkByteCount))
      var left = tensor.descriptor.elementCount
      while left > 0 {
        try ones.withUnsafeBytes { try sink.write(UnsafeRawBufferPointer(rebasing: $0.prefix(min(left, ones.count)))) }
        left -= min(left, ones.count)
      }
      files.progress.advance(by: tensor.descriptor.byteCount)
    }
    if catalog.format == .npy {
      guard let tensor = masked.first else {
        throw EMPModelError.nothingToMask(file: path, model: catalog.path)
      }
      try NPYFile.write(to: path, dtype: .u8, shape: tensor.descriptor.shape, in: transaction) { try maskData(tensor, $0) }
    } else {
      let specs = masked.map { TensorSpec(name: $0.descriptor.name, dtype: .u8, shape: $0.descriptor.shape) }
      try SafeTensorsFile.write(to: path, tensors: specs, in: transaction) { try maskData(masked[$0], $1) }
    }
  }
}
