import Foundation
import TensorIO

/// Groups that span tensors: families of groups, each group the union of one block of every
/// member slice. An attention head is one group of its layer's family: its rows in the query,
/// key and value projections and its columns in the output projection.
///
/// As JSON (`emp … --group-spec FILE`):
///
///     {"families": [{"name": "layer.0.heads", "groups": 12, "members": [
///       {"tensor": "layer.0.q.weight", "axis": "rows"},
///       {"tensor": "layer.0.o.weight", "axis": "columns"},
///       {"tensor": "layer.0.qkv.weight", "axis": "rows", "range": [0, 384]}]}]}
///
/// Each member's slice (its rows or columns `range`, `[start, end)`, all of them by default;
/// a vector is one row, so its entries are columns) splits into `groups` equal blocks; group
/// `g` of the family is block `g` of every member. EMP runs over each family's group scores
/// (per-tensor mode), or over the groups of all families as one vector (global mode). A
/// tensor takes part in one member slice; slices that meet are an error.
public struct GroupSpec: Sendable, Equatable, Decodable {
  /// One tensor's part in a family.
  public struct Member: Sendable, Equatable, Decodable {
    /// The tensor's name in the model.
    public var tensor: String
    /// Whether the family's groups are blocks of its rows or of its columns.
    public var axis: Grouping.Axis
    /// The rows or columns `[start, end)` the groups cover; `nil`: all.
    public var range: [Int]?

    public init(tensor: String, axis: Grouping.Axis, range: Range<Int>? = nil) {
      (self.tensor, self.axis, self.range) = (tensor, axis, range.map { [$0.lowerBound, $0.upperBound] })
    }
  }

  /// Groups that are kept or pruned together, one block of each member.
  public struct Family: Sendable, Equatable, Decodable {
    /// The family's name in reports.
    public var name: String
    /// The number of groups, `N` of the family.
    public var groups: Int
    /// The member slices.
    public var members: [Member]

    public init(name: String, groups: Int, members: [Member]) {
      (self.name, self.groups, self.members) = (name, groups, members)
    }
  }

  /// The families.
  public var families: [Family]
  /// The group score (JSON `"norm"`: `"l1"`, `"sq"` or `"l2"`); `nil`: `l1`.
  public var norm: Grouping.Norm?

  public init(families: [Family], norm: Grouping.Norm? = nil) { (self.families, self.norm) = (families, norm) }

  /// Reads a group spec from the JSON file at `path`.
  ///
  /// - Throws: `TensorIOError` when the file cannot be read; `EMPModelError.invalidGroupSpec`
  ///   when it is not a group spec.
  public init(contentsOf path: String) throws {
    try TensorCatalog.requireRegularFile(path)
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    do {
      self = try JSONDecoder().decode(GroupSpec.self, from: data)
    } catch let error as DecodingError {
      throw EMPModelError.invalidGroupSpec(file: path, reason: Self.reason(error))
    }
    if families.isEmpty { throw EMPModelError.invalidGroupSpec(file: path, reason: "no families") }
    for member in families.flatMap(\.members) where member.range.map({ $0.count != 2 }) ?? false {
      throw EMPModelError.invalidGroupSpec(file: path, reason: "\(member.tensor): a range is [start, end]")
    }
  }

  /// One line for a decoding error: what was wrong, where.
  private static func reason(_ error: DecodingError) -> String {
    func path(_ context: DecodingError.Context) -> String {
      context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }
    return switch error {
    case .keyNotFound(let key, let context): "\(path(context)): no \"\(key.stringValue)\""
    case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
      "\(path(context)): \(context.debugDescription)"
    @unknown default: "\(error)"
    }
  }
}

extension Grouping.Axis: Decodable {}
extension Grouping.Norm: Decodable {}
