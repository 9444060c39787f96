import Exact
import Foundation
import TensorIO

/// The conformance corpus on disk: `manifest.json` (cases and exact expected outputs) and the
/// inputs, each beside its exact decimal text: `inputs/<input>.npy` (1-D, or 2-D for per-row
/// cases) or `inputs/<input>.safetensors` (global cases), and `inputs/<input>.txt`.
///
/// Layout and fields are documented in `Conformance/README.md`. Writing is deterministic:
/// the same cases give the same bytes.
public enum ConformanceCorpus {
  /// The manifest's file name inside the corpus directory.
  public static let manifestName = "manifest.json"
  /// The manifest format version (2: cases have a `mode`, and inputs may be 2-D or safetensors).
  public static let formatVersion = 2

  /// A case read back from disk with its expected outcome, re-derived by the exact reference.
  public struct Entry: Sendable {
    /// The inputs.
    public let conformanceCase: ConformanceCase
    /// The expected outputs; `nil` when the scores have no EMP analysis.
    public let expected: ExpectedOutcome?
    /// Why the scores have no EMP analysis (a NaN or infinite score, all zero), or `nil`: a
    /// conforming implementation refuses such a case.
    public let undefinedReason: String?
    /// The absolute path of the input file (`.npy` or `.safetensors`).
    public let inputPath: String

    /// The entry of `conformanceCase`, analysed by the exact reference.
    init(_ conformanceCase: ConformanceCase, inputPath: String) {
      self.conformanceCase = conformanceCase
      self.inputPath = inputPath
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

  static func npyPath(_ input: String) -> String { "inputs/\(input).npy" }
  static func safeTensorsPath(_ input: String) -> String { "inputs/\(input).safetensors" }
  static func textPath(_ input: String) -> String { "inputs/\(input).txt" }

  /// The input file of `c`, relative to the corpus directory.
  static func inputPath(_ c: ConformanceCase) -> String {
    c.mode == .global ? safeTensorsPath(c.input) : npyPath(c.input)
  }

  /// Writes `cases` into `directory` (created if needed), replacing `manifest.json` and the
  /// `.npy`, `.safetensors` and `.txt` files of `inputs/`; other files are left alone.
  ///
  /// - Parameter generator: the command line recorded in the manifest.
  /// - Precondition: the rows of a per-row input are consecutive, in order, complete, and
  ///   share their format and `β`.
  /// - Throws: `ConformanceError.io` or a `TensorIOError` when a file cannot be written.
  /// - Complexity: O(Σ N log N) exact operations.
  public static func write(_ cases: [ConformanceCase], generator: String, to directory: String) throws {
    let inputs = directory + "/inputs"
    let files = FileManager.default
    do {
      try files.createDirectory(atPath: inputs, withIntermediateDirectories: true)
      for stale in try files.contentsOfDirectory(atPath: inputs)
      where [".npy", ".safetensors", ".txt"].contains(where: stale.hasSuffix) {
        try files.removeItem(atPath: inputs + "/" + stale)
      }
    } catch {
      throw ConformanceError.io(path: inputs, reason: "\(error.localizedDescription)")
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    var lines: [String] = []
    for (position, c) in cases.enumerated() {
      switch c.layout {
      case .vector: try writeVector(c, to: directory)
      case .row(_, let index, let rows):
        if index == 0 { try writeRows(Array(cases[position..<min(position + rows, cases.count)]), to: directory) }
      case .tensors(let tensors): try writeTensors(c, tensors, to: directory)
      }
      let entry = Entry(c, inputPath: inputPath(c)).manifestEntry
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
  ///   `TensorIOError` for a malformed `.npy` or `.safetensors`.
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
      throw ConformanceError.malformed(
        path: manifestPath, reason: "format \(manifest.format), expected \(formatVersion); regenerate it with emp conformance generate")
    }
    var matrices: [String: [[Double]]] = [:]  // the rows of each per-row input, read once
    return try manifest.cases.map { recorded in
      func malformed(_ why: String) -> ConformanceError {
        .malformed(path: manifestPath, reason: "case \(recorded.id): \(why)")
      }
      guard let beta = Rational(recorded.beta), beta.signum > 0 else { throw malformed("beta '\(recorded.beta)' is not positive") }
      let c: ConformanceCase
      let path: String
      switch recorded.mode {
      case .perTensor:
        guard let input = recorded.input_npy else { throw malformed("no input_npy") }
        path = directory + "/" + input
        let scores = try readArray(path, precision: recorded.dtype, dimensions: 1)
        guard let row = scores.first, !row.isEmpty else { throw ConformanceError.malformed(path: path, reason: "no scores") }
        c = ConformanceCase(id: recorded.id, summary: recorded.summary, precision: recorded.dtype, scores: row, beta: beta)
      case .perRow:
        guard let input = recorded.input_npy, let index = recorded.row, let hash = recorded.id.lastIndex(of: "#"),
          recorded.id[recorded.id.index(after: hash)...] == "\(index)"
        else { throw malformed("a per-row case needs input_npy, row, and the id <input>#<row>") }
        path = directory + "/" + input
        if matrices[path] == nil { matrices[path] = try readArray(path, precision: recorded.dtype, dimensions: 2) }
        let rows = matrices[path]!
        guard rows.indices.contains(index), !rows[index].isEmpty else { throw malformed("row \(index) is not in \(input)") }
        c = ConformanceCase(
          id: recorded.id, summary: recorded.summary, precision: recorded.dtype, scores: rows[index], beta: beta,
          layout: .row(input: String(recorded.id[..<hash]), index: index, rows: rows.count))
      case .global:
        guard let input = recorded.input_safetensors, let tensors = recorded.tensors, !tensors.isEmpty,
          zip(tensors, tensors.dropFirst()).allSatisfy({ $0.name < $1.name })
        else { throw malformed("a global case needs input_safetensors and tensors in name order") }
        path = directory + "/" + input
        let scores = try readTensors(path, tensors, precision: recorded.dtype)
        guard !scores.isEmpty else { throw ConformanceError.malformed(path: path, reason: "no scores") }
        c = ConformanceCase(
          id: recorded.id, summary: recorded.summary, precision: recorded.dtype, scores: scores, beta: beta, layout: .tensors(tensors))
      }
      let entry = Entry(c, inputPath: path)
      if let field = firstDifference(recorded, entry.manifestEntry) {
        throw ConformanceError.expectationMismatch(caseID: recorded.id, field: field)
      }
      return entry
    }
  }

  /// The rows of a `.npy` file of `precision` with `dimensions` (1 or 2) dimensions, exactly;
  /// a 1-D array is one row.
  static func readArray(_ path: String, precision: FloatPrecision, dimensions: Int) throws -> [[Double]] {
    let file = try NPYFile(contentsOf: path)
    let dtype = npyType(precision)
    guard file.tensor.dtype == dtype, file.tensor.shape.count == dimensions else {
      throw ConformanceError.malformed(
        path: path,
        reason: "expected a \(dimensions)-D \(dtype) array (\(precision.rawValue) scores), found \(file.tensor.dtype) \(file.tensor.shape)")
    }
    let scores = decode(try TensorFileReader(path: path).readBytes(of: file.tensor), precision)
    let width = file.tensor.shape.last!
    guard width > 0 else { return [[]] }
    return stride(from: 0, to: scores.count, by: width).map { Array(scores[$0..<($0 + width)]) }
  }

  /// The named tensors of a `.safetensors` file of `precision`, each flattened, concatenated.
  static func readTensors(_ path: String, _ tensors: [ConformanceCase.NamedShape], precision: FloatPrecision) throws -> [Double] {
    let file = try SafeTensorsFile(contentsOf: path)
    let reader = try TensorFileReader(path: path)
    return try tensors.flatMap { expected in
      let tensor = try file.tensor(named: expected.name)
      guard tensor.dtype == safeTensorsType(precision), tensor.shape == expected.shape else {
        throw ConformanceError.malformed(
          path: path,
          reason: "tensor \(expected.name): expected \(safeTensorsType(precision)) \(expected.shape), found \(tensor.dtype) \(tensor.shape)")
      }
      return decode(try reader.readBytes(of: tensor), precision)
    }
  }

  /// The `.npy` type of scores stored in `precision`: bfloat16 has none, so its bit patterns
  /// are stored as `uint16` (the manifest's `dtype` says how to read them).
  static func npyType(_ precision: FloatPrecision) -> DType {
    precision == .bfloat16 ? .u16 : safeTensorsType(precision)
  }

  /// The `.safetensors` type of scores stored in `precision`.
  static func safeTensorsType(_ precision: FloatPrecision) -> DType {
    switch precision {
    case .bfloat16: .bf16
    case .float16: .f16
    case .float32: .f32
    case .float64: .f64
    }
  }

  /// Scores stored in `precision`, as little-endian bytes.
  private static func encode(_ scores: [Double], _ precision: FloatPrecision) -> [UInt8] {
    switch precision {
    case .bfloat16: scores.map { UInt16(Float($0).bitPattern >> 16) }.withUnsafeBytes(Array.init)
    case .float16: scores.map { Float16($0) }.withUnsafeBytes(Array.init)
    case .float32: scores.map(Float.init).withUnsafeBytes(Array.init)
    case .float64: scores.withUnsafeBytes(Array.init)
    }
  }

  /// The scores in bytes of `precision`, exactly.
  private static func decode(_ bytes: [UInt8], _ precision: FloatPrecision) -> [Double] {
    bytes.withUnsafeBytes { raw in
      switch precision {
      case .bfloat16: raw.bindMemory(to: UInt16.self).map { Double(Float(bitPattern: UInt32($0) << 16)) }
      case .float16: raw.bindMemory(to: Float16.self).map(Double.init)
      case .float32: raw.bindMemory(to: Float.self).map(Double.init)
      case .float64: Array(raw.bindMemory(to: Double.self))
      }
    }
  }

  private static func writeVector(_ c: ConformanceCase, to directory: String) throws {
    try NPYFile.write(to: directory + "/" + npyPath(c.input), dtype: npyType(c.precision), shape: [c.scores.count]) { sink in
      try sink.write(encode(c.scores, c.precision))
    }
    let header = "# \(c.scores.count) \(c.precision.rawValue) scores, exact decimals; beta = \(c.beta)"
    try writeText(c, header: header, sections: [(nil, c.scores)], to: directory)
  }

  private static func writeRows(_ rows: [ConformanceCase], to directory: String) throws {
    let first = rows[0]
    precondition(
      rows.enumerated().allSatisfy { index, c in
        c.layout == .row(input: first.input, index: index, rows: rows.count) && c.precision == first.precision
          && c.beta == first.beta && c.scores.count == first.scores.count
      }, "ConformanceCorpus.write: the rows of \(first.input) are not consecutive, complete and alike")
    let shape = [rows.count, first.scores.count]
    try NPYFile.write(to: directory + "/" + npyPath(first.input), dtype: npyType(first.precision), shape: shape) { sink in
      for row in rows { try sink.write(encode(row.scores, row.precision)) }
    }
    let header = "# \(shape[0])×\(shape[1]) \(first.precision.rawValue) scores, exact decimals, row by row; beta = \(first.beta)"
    try writeText(first, header: header, sections: rows.enumerated().map { ("row \($0)", $1.scores) }, to: directory)
  }

  private static func writeTensors(_ c: ConformanceCase, _ tensors: [ConformanceCase.NamedShape], to directory: String) throws {
    let dtype = safeTensorsType(c.precision)
    var sections: [(String?, ArraySlice<Double>)] = []
    var start = 0
    for tensor in tensors {
      sections.append(("tensor \(tensor.name) \(tensor.shape)", c.scores[start..<(start + tensor.count)]))
      start += tensor.count
    }
    try SafeTensorsFile.write(
      to: directory + "/" + safeTensorsPath(c.input), tensors: tensors.map { TensorSpec(name: $0.name, dtype: dtype, shape: $0.shape) }
    ) { index, sink in
      try sink.write(encode(Array(sections[index].1), c.precision))
    }
    let header =
      "# \(c.scores.count) \(c.precision.rawValue) scores in \(tensors.count) tensors, each flattened in row-major order, exact decimals; beta = \(c.beta)"
    try writeText(c, header: header, sections: sections.map { ($0.0, Array($0.1)) }, to: directory)
  }

  /// `inputs/<input>.txt`: comment lines (`#`), and the scores one per line in the input's order.
  private static func writeText(
    _ c: ConformanceCase, header: String, sections: [(title: String?, scores: [Double])], to directory: String
  ) throws {
    var text = "# \(c.input): \(c.summary)\n\(header)\n"
    for section in sections {
      if let title = section.title { text += "# \(title)\n" }
      for s in section.scores { text += (s.isFinite ? exactDecimal(s) : s.isNaN ? "nan" : s < 0 ? "-inf" : "inf") + "\n" }
    }
    try writeFile(Data(text.utf8), to: directory + "/" + textPath(c.input))
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
