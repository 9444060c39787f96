import TensorIO

/// The `__metadata__` of a safetensors file.
enum TensorCatalogMetadata {
  static func of(_ path: String) throws -> [String: String] { try SafeTensorsFile(contentsOf: path).metadata }
}
