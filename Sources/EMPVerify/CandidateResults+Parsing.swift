import Exact
import Foundation

extension CandidateResults {
  /// Reads a results file: JSON when it starts with `{`, CSV otherwise (`Conformance/README.md`).
  ///
  /// JSON: `{"implementation": "...", "cases": [{"id": "...", "nu": 3, "neff": 2.99, "kept_indices": [0, 4, 7],
  /// "s_eff": 0.8}, ...]}`; `neff`, `kept_indices` (or `mask`, N booleans or 0/1) and `s_eff`
  /// are optional and may be `null`. A JSON number is read as the nearest float64 (exact for
  /// any float32/float64 printed with round-trip precision); a string is read exactly
  /// (a decimal or `p/q`). A case `{"id": "...", "error": "why"}` records a refusal (the
  /// implementation raised), which is what the reference does on scores with no EMP analysis.
  /// CSV: a header naming the columns `id`, `nu` and optionally `neff`, `kept_indices`
  /// (indices separated by spaces), `s_eff`, `error`; an empty field is absent.
  ///
  /// - Throws: `ConformanceError` naming the file and the first problem.
  public static func read(_ path: String) throws -> CandidateResults {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ConformanceError.io(path: path, reason: "cannot read the results file")
    }
    let text = String(decoding: data, as: UTF8.self)
    return text.drop(while: \.isWhitespace).first == "{"
      ? try parseJSON(data, path: path) : try parseCSV(text, path: path)
  }

  /// The refusal a case object records (`"error": "why"`), if any.
  static func refusal(_ object: [String: Any]) -> String? { object["error"] as? String }

  /// Records what `object` says about the case (or per-row input) `id`: a refusal, an
  /// output, or with `rows` one of these per row, as case `<id>#<row>`.
  ///
  /// - Throws: `ConformanceError.malformed` naming `path` for a malformed object.
  mutating func record(_ object: [String: Any], id: String, path: String) throws {
    if let reason = Self.refusal(object) {
      failures[id] = reason
    } else if let rows = object["rows"] {
      guard let rows = rows as? [[String: Any]] else {
        throw ConformanceError.malformed(path: path, reason: "case \(id): \"rows\" must be an array of objects")
      }
      for (index, row) in rows.enumerated() { try record(row, id: "\(id)#\(index)", path: path) }
    } else {
      var named = object
      named["id"] = id
      outputs[id] = try Self.parseCase(named, path: path)
    }
  }

  /// Parses one case's JSON object (the `cases` element format; `id` may be omitted).
  static func parseCase(_ object: [String: Any], path: String) throws -> CandidateOutput {
    let id = object["id"] as? String ?? "?"
    func fail(_ why: String) -> ConformanceError { .malformed(path: path, reason: "case \(id): \(why)") }
    guard let nu = integer(object["nu"]) else { throw fail("\"nu\" must be an integer") }
    var output = CandidateOutput(retentionCount: nu)
    output.effectiveSampleSize = try number(object["neff"], "neff", fail)
    output.preservedMass = try number(object["s_eff"], "s_eff", fail)
    if let list = object["kept_indices"], !(list is NSNull) {
      guard let values = list as? [Any] else { throw fail("\"kept_indices\" must be an array of integers") }
      let indices = values.map(integer)
      guard indices.allSatisfy({ $0 != nil }) else { throw fail("\"kept_indices\" must be an array of integers") }
      output.keptIndices = Set(indices.map { $0! })
    } else if let mask = object["mask"], !(mask is NSNull) {
      guard let values = mask as? [Any] else { throw fail("\"mask\" must be an array of booleans or 0/1") }
      var kept = Set<Int>()
      for (i, v) in values.enumerated() {
        guard let bit = integer(v), bit == 0 || bit == 1 else {
          throw fail("\"mask\" must be an array of booleans or 0/1")
        }
        if bit == 1 { kept.insert(i) }
      }
      output.keptIndices = kept
    }
    return output
  }

  private static func parseJSON(_ data: Data, path: String) throws -> CandidateResults {
    guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let cases = root["cases"] as? [[String: Any]]
    else {
      throw ConformanceError.malformed(path: path, reason: "expected {\"implementation\": ..., \"cases\": [{\"id\": ..., \"nu\": ...}, ...]}")
    }
    var results = CandidateResults(implementation: root["implementation"] as? String ?? path)
    for object in cases {
      guard let id = object["id"] as? String else { throw ConformanceError.malformed(path: path, reason: "a case without a string \"id\"") }
      try results.record(object, id: id, path: path)
    }
    return results
  }

  private static func parseCSV(_ text: String, path: String) throws -> CandidateResults {
    let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    guard let header = lines.first?.split(separator: ",", omittingEmptySubsequences: false).map({ $0.trimmingCharacters(in: .whitespaces) }),
      header.contains("id"), header.contains("nu")
    else { throw ConformanceError.malformed(path: path, reason: "CSV needs a header line with at least the columns id,nu") }
    var results = CandidateResults(implementation: path)
    for (lineIndex, line) in lines.enumerated().dropFirst() {
      let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
      guard fields.count == header.count else {
        throw ConformanceError.malformed(path: path, reason: "line \(lineIndex + 1): \(fields.count) fields, the header has \(header.count)")
      }
      var object: [String: Any] = [:]
      for (name, field) in zip(header, fields) where !field.isEmpty {
        switch name {
        case "nu": object[name] = Int(field) as Any
        case "kept_indices": object[name] = field.split(separator: " ").map { Int($0) as Any }
        default: object[name] = field
        }
      }
      guard let id = object["id"] as? String else { throw ConformanceError.malformed(path: path, reason: "line \(lineIndex + 1): no id") }
      try results.record(object, id: id, path: path)
    }
    return results
  }

  private static func integer(_ value: Any?) -> Int? {
    if let n = value as? Int { return n }
    guard let d = (value as? NSNumber)?.doubleValue else { return nil }
    return Int(exactly: d)
  }

  private static func number(_ value: Any?, _ name: String, _ fail: (String) -> ConformanceError) throws -> Rational? {
    guard let value, !(value is NSNull) else { return nil }
    if let text = value as? String {
      guard let exact = Rational(text) else { throw fail("\"\(name)\" '\(text)' is not a number") }
      return exact
    }
    if let d = (value as? NSNumber)?.doubleValue, d.isFinite { return try? Rational(exactly: d) }
    throw fail("\"\(name)\" must be a number, a string, or null")
  }
}
