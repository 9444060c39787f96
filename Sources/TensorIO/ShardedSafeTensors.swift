/// A model split over several safetensors files, described by a `model.safetensors.index.json`.
///
/// The index has the form `{"metadata": {...}, "weight_map": {"tensor.name": "model-00001-of-00002.safetensors", ...}}`.
/// Opening validates the index as strict JSON (a tensor listed twice is a duplicate key), opens and
/// validates every shard named, and checks that each tensor is in the shard the index names and
/// that no shard holds a tensor the index does not map to it (so no tensor appears twice).
/// Shard names must be relative paths without `..` components; they are resolved against the index's directory.
public struct ShardedSafeTensors: Sendable {
  /// The largest index file accepted, in bytes.
  public static let maxIndexByteCount = SafeTensorsFile.maxHeaderByteCount

  /// The path of the index file.
  public let indexPath: String
  /// The validated shards, in order of first appearance in the weight map.
  public let shards: [SafeTensorsFile]
  /// All tensors with the paths of their shards (the index's directory joined with the shard name), in weight-map order.
  public let tensors: [LocatedTensor]
  private let indexByName: [String: Int]

  /// Reads the index at `indexPath` and validates it and every shard it names.
  /// - Throws: `TensorIOError` for the index (`.invalidIndex`, `.invalidHeader`, `.duplicateName`),
  ///   for any shard (see ``SafeTensorsFile/init(contentsOf:)``), `.tensorMissingFromShard` or `.tensorNotInIndex`.
  /// - Complexity: reads the index and every shard header, but no tensor data.
  public init(indexAt indexPath: String) throws {
    let file = try ReadOnlyFile(path: indexPath)
    guard file.size <= Self.maxIndexByteCount else {
      throw TensorIOError.invalidIndex(file: indexPath, reason: "\(file.size) bytes exceeds the limit of \(Self.maxIndexByteCount)")
    }
    let bytes = try file.read(count: file.size, at: 0)
    let weightMap = try bytes.withUnsafeBytes { try Self.weightMap($0, source: indexPath) }

    let directory = indexPath.lastIndex(of: "/").map { String(indexPath[...$0]) } ?? ""
    var shardIndex: [String: Int] = [:]
    var shards: [SafeTensorsFile] = []
    var tensors: [LocatedTensor] = []
    for (tensor, shard) in weightMap {
      if shardIndex[shard] == nil {
        shardIndex[shard] = shards.count
        shards.append(try SafeTensorsFile(contentsOf: directory + shard))
      }
      let shardFile = shards[shardIndex[shard]!]
      guard let descriptor = try? shardFile.tensor(named: tensor) else {
        throw TensorIOError.tensorMissingFromShard(file: indexPath, tensor: tensor, shard: shard)
      }
      tensors.append(LocatedTensor(path: shardFile.path, descriptor: descriptor))
    }
    let mapped = Dictionary(uniqueKeysWithValues: weightMap.map { ($0.tensor, $0.shard) })
    for (shard, index) in shardIndex.sorted(by: { $0.value < $1.value }) {
      for descriptor in shards[index].tensors where mapped[descriptor.name] != shard {
        throw TensorIOError.tensorNotInIndex(file: indexPath, tensor: descriptor.name, shard: shard)
      }
    }
    self.indexPath = indexPath
    self.shards = shards
    self.tensors = tensors
    self.indexByName = Dictionary(uniqueKeysWithValues: tensors.enumerated().map { ($1.descriptor.name, $0) })
  }

  /// The tensor named `name` and its shard.
  /// - Throws: `TensorIOError.tensorNotFound`.
  public func tensor(named name: String) throws -> LocatedTensor {
    guard let index = indexByName[name] else { throw TensorIOError.tensorNotFound(file: indexPath, tensor: name) }
    return tensors[index]
  }

  /// Parses the index JSON and returns its weight map in file order.
  package static func weightMap(_ bytes: UnsafeRawBufferPointer, source: String) throws -> [(tensor: String, shard: String)] {
    func fail(_ reason: String) -> TensorIOError { .invalidIndex(file: source, reason: reason) }
    let root = try StrictJSON.parse(bytes, baseOffset: 0, source: source)
    guard case .object(let members) = root.value else { throw fail("top level is \(root.kindName), not an object") }
    if let metadata = members.first(where: { $0.key == "metadata" })?.value {
      guard case .object = metadata.value else { throw fail("\"metadata\" is \(metadata.kindName), not an object") }
    }
    guard let mapNode = members.first(where: { $0.key == "weight_map" })?.value else {
      throw fail("missing \"weight_map\"")
    }
    guard case .object(let entries) = mapNode.value else { throw fail("\"weight_map\" is \(mapNode.kindName), not an object") }
    return try entries.map { entry in
      guard case .string(let shard) = entry.value.value else {
        throw fail("shard of tensor \"\(entry.key)\" is \(entry.value.kindName), not a string")
      }
      let components = shard.split(separator: "/", omittingEmptySubsequences: false)
      guard !shard.isEmpty, !shard.hasPrefix("/"), !components.contains(".."), !components.contains("") else {
        throw fail("shard name \"\(shard)\" of tensor \"\(entry.key)\" is not a plain relative path")
      }
      return (entry.key, shard)
    }
  }
}
