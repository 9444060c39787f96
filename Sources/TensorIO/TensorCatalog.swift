/// A tensor together with the path of the file that holds it.
public struct LocatedTensor: Sendable, Hashable {
  /// The file holding the tensor.
  public let path: String
  /// The tensor's location in that file, with an absolute `dataOffset`.
  public let descriptor: TensorDescriptor

  /// Creates a located tensor.
  public init(path: String, descriptor: TensorDescriptor) {
    self.path = path
    self.descriptor = descriptor
  }
}

/// The container formats a ``TensorCatalog`` can open.
public enum TensorFormat: Sendable, Hashable {
  /// A single `.safetensors` file.
  case safetensors
  /// A `*.index.json` naming safetensors shards.
  case shardedSafetensors
  /// A `.npy` file holding one array.
  case npy
}

/// The tensors of any supported model file, validated, with the file each one is in.
///
/// The format is chosen by file name: `.npy` is read as ``NPYFile``, a name ending in `.json` as a
/// ``ShardedSafeTensors`` index, anything else as a ``SafeTensorsFile``.
public struct TensorCatalog: Sendable {
  /// The path that was opened.
  public let path: String
  /// The format it was read as.
  public let format: TensorFormat
  /// All tensors: in data order for safetensors, weight-map order for an index, one for `.npy`.
  public let tensors: [LocatedTensor]
  private let indexByName: [String: Int]

  /// Opens and validates `path` (and, for an index, every shard).
  /// - Throws: `TensorIOError` from the format's reader.
  /// - Complexity: reads headers only, no tensor data.
  public init(contentsOf path: String) throws {
    if path.hasSuffix(".npy") {
      format = .npy
      tensors = [LocatedTensor(path: path, descriptor: try NPYFile(contentsOf: path).tensor)]
    } else if path.hasSuffix(".json") {
      format = .shardedSafetensors
      tensors = try ShardedSafeTensors(indexAt: path).tensors
    } else {
      format = .safetensors
      tensors = try SafeTensorsFile(contentsOf: path).tensors.map { LocatedTensor(path: path, descriptor: $0) }
    }
    self.path = path
    indexByName = Dictionary(uniqueKeysWithValues: tensors.enumerated().map { ($1.descriptor.name, $0) })
  }

  /// Throws what opening `path` as a model file would throw when it is missing or is not a
  /// regular file (a directory, a FIFO, …); does nothing otherwise.
  ///
  /// Commands check their inputs with this before looking at names, so that each cause gets one message.
  /// - Throws: `TensorIOError.io` (`open`) or `.notRegularFile`.
  public static func requireRegularFile(_ path: String) throws {
    _ = try ReadOnlyFile(path: path)
  }

  /// The tensor named `name` (for `.npy`, the file name without extension).
  /// - Throws: `TensorIOError.tensorNotFound`.
  public func tensor(named name: String) throws -> LocatedTensor {
    guard let index = indexByName[name] else { throw TensorIOError.tensorNotFound(file: path, tensor: name) }
    return tensors[index]
  }
}
