import Foundation

/// A validator for the subset of JSON Schema (2020-12) that `Schemas/emp-output.schema.json`
/// uses: `$ref` to `#/$defs/…`, `type` (one or a list), `enum`, `pattern`, `minimum`,
/// `properties`, `required`, `additionalProperties: false`, `items` and `anyOf`. Any other
/// keyword in the schema is reported, so the schema cannot silently use one this ignores.
struct JSONSchema {
  let root: [String: Any]

  /// The schema at `path` (relative to the package root).
  init(packageFile path: String) throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent(path)
    root = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
  }

  /// The problems of `value` against the definition `name` (`nil`: the whole schema), one line each.
  func problems(of value: Any, definition name: String? = nil) -> [String] {
    let schema = name.map { ((root["$defs"] as! [String: Any])[$0] as! [String: Any]) } ?? root
    return problems(of: value, schema: schema, at: "$")
  }

  private static let known: Set<String> = [
    "$schema", "$id", "$defs", "$ref", "title", "description", "type", "enum", "pattern", "minimum",
    "properties", "required", "additionalProperties", "items", "anyOf",
  ]

  private func problems(of value: Any, schema: [String: Any], at path: String) -> [String] {
    var found = Set(schema.keys).subtracting(Self.known).map { "\(path): schema keyword \($0) is not checked" }
    if let reference = schema["$ref"] as? String {
      let name = String(reference.dropFirst("#/$defs/".count))
      guard let target = (root["$defs"] as? [String: Any])?[name] as? [String: Any] else {
        return found + ["\(path): unknown reference \(reference)"]
      }
      found += problems(of: value, schema: target, at: path)
    }
    if let alternatives = schema["anyOf"] as? [[String: Any]],
      !alternatives.contains(where: { problems(of: value, schema: $0, at: path).isEmpty })
    {
      found.append("\(path): matches none of anyOf")
    }
    if let types = schema["type"].map({ ($0 as? [String]) ?? [$0 as! String] }), !types.contains(where: { matches(value, type: $0) }) {
      found.append("\(path): \(value) is not of type \(types)")
    }
    if let options = schema["enum"] as? [Any],
      !options.contains(where: { ($0 is NSNull && value is NSNull) || ($0 as? String).map { $0 == value as? String } == true })
    {
      found.append("\(path): \(value) is not one of \(options)")
    }
    if let pattern = schema["pattern"] as? String, let text = value as? String,
      text.range(of: pattern, options: .regularExpression) == nil
    {
      found.append("\(path): \"\(text)\" does not match \(pattern)")
    }
    if let minimum = schema["minimum"] as? Int, let number = value as? Int, !(value is Bool), number < minimum {
      found.append("\(path): \(number) < \(minimum)")
    }
    if let object = value as? [String: Any] {
      let properties = schema["properties"] as? [String: [String: Any]] ?? [:]
      for key in schema["required"] as? [String] ?? [] where object[key] == nil {
        found.append("\(path): missing key \(key)")
      }
      for (key, member) in object {
        if let property = properties[key] {
          found += problems(of: member, schema: property, at: path + "." + key)
        } else if schema["additionalProperties"] as? Bool == false {
          found.append("\(path): undocumented key \(key)")
        }
      }
    }
    if let items = schema["items"] as? [String: Any], let array = value as? [Any] {
      for (index, item) in array.enumerated() { found += problems(of: item, schema: items, at: "\(path)[\(index)]") }
    }
    return found
  }

  private func matches(_ value: Any, type: String) -> Bool {
    // JSONSerialization gives booleans as NSNumbers whose type encoding is `c` (char).
    let isBoolean = (value as? NSNumber).map { String(cString: $0.objCType) == "c" } ?? false
    switch type {
    case "null": return value is NSNull
    case "boolean": return isBoolean
    case "integer": return !isBoolean && value is Int
    case "number": return !isBoolean && value is NSNumber
    case "string": return value is String
    case "array": return value is [Any]
    case "object": return value is [String: Any]
    default: return false
    }
  }
}
