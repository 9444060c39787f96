import Exact
import Foundation
import TensorIO

/// The conformance corpus on disk: `manifest.json` (cases and exact expected outputs) and,
/// per case, `inputs/<id>.npy` and `inputs/<id>.txt` (the same scores as exact decimals).
///
/// Layout and fields are documented in `Conformance/README.md`. Writing is deterministic:
/// the same cases give the same bytes.
public enum ConformanceCorpus {
  /// The manifest's file name inside the corpus directory.
  public static let manifestName = "manifest.json"
  /// The manifest format version.
  public static let formatVersion = 1

  /// A case read back from disk with its expected outcome, re-derived by the exact reference.
  public struct Entry: Sendable {
    /// The inputs.
    public let conformanceCase: ConformanceCase
    /// The expected outputs; `nil` when the scores have no EMP analysis.
    public let expected: ExpectedOutcome?
    /// Why the scores have no EMP analysis (a NaN or infinite score, all zero), or `nil`: a
    /// conforming implementation refuses such a case.
    public let undefinedReason: String?
    /// The absolute path of the `.npy` input.
    public let npyPath: String

    /// The entry of `conformanceCase`, analysed by the exact reference.
    init(_ conformanceCase: ConformanceCase, npyPath: String) {
      self.conformanceCase = conformanceCase
      self.npyPath = npyPath
      do {
        expected = try ExpectedOutcome(conformanceCase)
        undefinedReason = nil
      } catch {
        expected = nil
        undefinedReason = error.description
      }
    }

    /// The manifest's record of this entry.
    var manifestEntry: ManifestEntry {
      expected.map { ManifestEntry(conformanceCase, $0) } ?? ManifestEntry(conformanceCase, undefined: undefinedReason!)
    }
  }

  static func npyPath(_ id: String) -> String { "inputs/\(id).npy" }
  static func textPath(_ id: String) -> String { "inputs/\(id).txt" }

  /// Writes `cases` into `directory` (created if needed), replacing `manifest.json` and the
  /// `.npy`/`.txt` files of `inputs/`; other files are left alone.
  ///
  /// - Parameter generator: the command line recorded in the manifest.
  /// - Throws: `ConformanceError.io` or a `TensorIOError` when a file cannot be written.
  /// - Complexity: O(Σ N log N) exact operations.
  public static func write(_ cases: [ConformanceCase], generator: String, to directory: String) throws {
    let inputs = directory + "/inputs"
    let files = FileManager.default
    do {
      try files.createDirectory(atPath: inputs, withIntermediateDirectories: true)
      for stale in try files.contentsOfDirectory(atPath: inputs) where stale.hasSuffix(".npy") || stale.hasSuffix(".txt") {
        try files.removeItem(atPath: inputs + "/" + stale)
      }
    } catch {
      throw ConformanceError.io(path: inputs, reason: "\(error.localizedDescription)")
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    var lines: [String] = []
    for c in cases {
      try writeInputs(c, to: directory)
      let entry = Entry(c, npyPath: npyPath(c.id)).manifestEntry
      lines.append(String(decoding: try encoder.encode(entry), as: UTF8.self))
    }
    let generatorJSON = String(decoding: try encoder.encode(generator), as: UTF8.self)
    let manifest =
      "{\"cases\":[\n" + lines.joined(separator: ",\n") + "\n],\n\"format\":\(formatVersion),\n\"generator\":\(generatorJSON)}\n"
    try writeFile(Data(manifest.utf8), to: directory + "/" + manifestName)
  }

  /// Reads the corpus in `directory` and re-derives every expected value with the exact reference.
  ///
  /// - Throws: `ConformanceError` for a missing or malformed manifest, an unreadable or
  ///   mismatched input, or a recorded expected value that the reference does not reproduce;
  ///   `TensorIOError` for a malformed `.npy`.
  /// - Complexity: O(Σ N log N) exact operations.
  public static func load(from directory: String) throws -> [Entry] {
    let manifestPath = directory + "/" + manifestName
    guard let data = FileManager.default.contents(atPath: manifestPath) else {
      throw ConformanceError.io(path: manifestPath, reason: "cannot read the corpus manifest")
    }
    let manifest: Manifest
    do {
      manifest = try JSONDecoder().decode(Manifest.self, from: data)
    } catch {
      throw ConformanceError.malformed(path: manifestPath, reason: "not a corpus manifest (\(error.localizedDescription))")
    }
    guard manifest.format == formatVersion else {
      throw ConformanceError.malformed(path: manifestPath, reason: "format \(manifest.format), expected \(formatVersion)")
    }
    return try manifest.cases.map { recorded in
      let npy = directory + "/" + recorded.input_npy
      let scores = try readScores(npy, precision: recorded.dtype)
      guard let beta = Rational(recorded.beta), beta.signum > 0 else {
        throw ConformanceError.malformed(path: manifestPath, reason: "case \(recorded.id): beta '\(recorded.beta)' is not positive")
      }
      guard !scores.isEmpty else { throw ConformanceError.malformed(path: npy, reason: "no scores") }
      let c = ConformanceCase(id: recorded.id, summary: recorded.summary, precision: recorded.dtype, scores: scores, beta: beta)
      let entry = Entry(c, npyPath: npy)
      if let field = firstDifference(recorded, entry.manifestEntry) {
        throw ConformanceError.expectationMismatch(caseID: recorded.id, field: field)
      }
      return entry
    }
  }

  /// The scores of a one-dimensional `.npy` file of `precision`, exactly.
  static func readScores(_ path: String, precision: FloatPrecision) throws -> [Double] {
    let file = try NPYFile(contentsOf: path)
    let dtype = npyType(precision)
    guard file.tensor.dtype == dtype, file.tensor.shape.count == 1 else {
      throw ConformanceError.malformed(
        path: path, reason: "expected a 1-D \(dtype) array (\(precision.rawValue) scores), found \(file.tensor.dtype) \(file.tensor.shape)")
    }
    let bytes = try TensorFileReader(path: path).readBytes(of: file.tensor)
    return bytes.withUnsafeBytes { raw in
      switch precision {
      case .bfloat16: raw.bindMemory(to: UInt16.self).map { Double(Float(bitPattern: UInt32($0) << 16)) }
      case .float16: raw.bindMemory(to: Float16.self).map(Double.init)
      case .float32: raw.bindMemory(to: Float.self).map(Double.init)
      case .float64: Array(raw.bindMemory(to: Double.self))
      }
    }
  }

  /// The `.npy` type of scores stored in `precision`: bfloat16 has none, so its bit patterns
  /// are stored as `uint16` (the manifest's `dtype` says how to read them).
  static func npyType(_ precision: FloatPrecision) -> DType {
    switch precision {
    case .bfloat16: .u16
    case .float16: .f16
    case .float32: .f32
    case .float64: .f64
    }
  }

  private static func writeInputs(_ c: ConformanceCase, to directory: String) throws {
    try NPYFile.write(to: directory + "/" + npyPath(c.id), dtype: npyType(c.precision), shape: [c.scores.count]) { sink in
      switch c.precision {
      case .bfloat16: try c.scores.map { UInt16(Float($0).bitPattern >> 16) }.withUnsafeBytes { try sink.write($0) }
      case .float16: try c.scores.map { Float16($0) }.withUnsafeBytes { try sink.write($0) }
      case .float32: try c.scores.map(Float.init).withUnsafeBytes { try sink.write($0) }
      case .float64: try c.scores.withUnsafeBytes { try sink.write($0) }
      }
    }
    var text = "# \(c.id): \(c.summary)\n# \(c.scores.count) \(c.precision.rawValue) scores, exact decimals; beta = \(c.beta)\n"
    for s in c.scores { text += (s.isFinite ? exactDecimal(s) : s.isNaN ? "nan" : s < 0 ? "-inf" : "inf") + "\n" }
    try writeFile(Data(text.utf8), to: directory + "/" + textPath(c.id))
  }

  private static func writeFile(_ data: Data, to path: String) throws {
    do {
      try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
      throw ConformanceError.io(path: path, reason: error.localizedDescription)
    }
  }

  /// The exact decimal expansion of a finite `Double` (every binary float has one), with no
  /// exponent and no trailing zeros: `0.1` as float32 is `0.100000001490116119384765625`.
  public static func exactDecimal(_ x: Double) -> String {
    let (significand, exponent) = x.integerSignificandAndExponent
    let sign = x.sign == .minus && x != 0 ? "-" : ""
    if exponent >= 0 { return sign + BigInteger(significand).shifted(by: exponent).description }
    let places = -exponent
    var digits = Array((BigInteger(significand) * BigInteger(5).power(places)).description)
    if digits.count <= places { digits = Array(repeating: "0", count: places - digits.count + 1) + digits }
    var fraction = digits[(digits.count - places)...]
    while fraction.last == "0" { fraction = fraction.dropLast() }
    let whole = String(digits[..<(digits.count - places)])
    return sign + whole + (fraction.isEmpty ? "" : "." + String(fraction))
  }

  /// The first field (by name) in which two entries differ.
  private static func firstDifference(_ a: ManifestEntry, _ b: ManifestEntry) -> String? {
    let left = Mirror(reflecting: a).children
    let right = Mirror(reflecting: b).children
    for (l, r) in zip(left, right) where "\(l.value)" != "\(r.value)" { return l.label ?? "?" }
    return nil
  }

  private struct Manifest: Decodable {
    var cases: [ManifestEntry]
    var format: Int
  }
}
