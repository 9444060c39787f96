import Exact
import Foundation
import TensorIO
import Testing

@testable import EMPVerify

/// Per-row and global corpus inputs: what is on disk, how results name their rows, and what a
/// per-input candidate command gives back.
@Suite struct StructuredInputTests {
  typealias Entry = ConformanceCorpus.Entry

  static let rows = CorpusFixture.all.filter { $0.conformanceCase.mode == .perRow }
  static let globals = CorpusFixture.all.filter { $0.conformanceCase.mode == .global }

  @Test func perRowInputsAreTwoDimensionalAndTheirRowsDiffer() throws {
    let inputs = Dictionary(grouping: Self.rows) { $0.conformanceCase.input }
    #expect(inputs.count >= 4)
    #expect(Set(Self.rows.map(\.conformanceCase.precision)) == Set(FloatPrecision.allCases))
    for (input, entries) in inputs {
      // Read here with TensorIO alone: row r of the 2-D array is case <input>#r.
      let path = CorpusFixture.directory + "/inputs/\(input).npy"
      let file = try NPYFile(contentsOf: path)
      #expect(file.tensor.shape == [entries.count, entries[0].conformanceCase.scores.count], "\(input)")
      #expect(entries.map(\.conformanceCase.id) == entries.indices.map { "\(input)#\($0)" })
      #expect(Set(entries.map { $0.inputPath }) == [path])
    }
    // Rows are analysed one by one: the powers input has a different ν in every row.
    let powers = try #require(inputs["rows-powers-f32-6x40"])
    #expect(Set(powers.map(\.expected!.retentionCount)).count == powers.count)
  }

  @Test func globalInputsAreTheirTensorsConcatenatedInNameOrder() throws {
    #expect(Self.globals.count >= 4)
    for entry in Self.globals {
      let c = entry.conformanceCase
      guard case .tensors(let tensors) = c.layout else { Issue.record("\(c.id) has no tensors"); continue }
      let file = try SafeTensorsFile(contentsOf: entry.inputPath)
      #expect(file.tensors.map(\.name) == tensors.map(\.name), "\(c.id)")
      #expect(tensors.count >= 2 && tensors.reduce(0) { $0 + $1.count } == c.scores.count)
    }
    // The cut is shared unevenly: the weight four times larger keeps more than its share.
    let uneven = try #require(Self.globals.first { $0.conformanceCase.id == "global-3-tensors-f32" })
    let kept = uneven.expected!.keptIndices
    #expect(kept.filter { $0 >= 30 }.count > kept.filter { $0 < 24 }.count)  // layers.1.weight against layers.0.weight
  }

  @Test func rowsArrayAndWholeInputRefusalNameEachRow() throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("rows-\(UUID().uuidString).json")
    defer { try? FileManager.default.removeItem(at: file) }
    let mixed = Self.rows.filter { $0.conformanceCase.input == "rows-mixed-f32-5x20" }
    let objects = mixed.map { entry -> String in
      let e = entry.expected!
      return "{\"nu\": \(e.retentionCount), \"kept_indices\": [\(e.keptIndices.map(String.init).joined(separator: ","))]}"
    }
    let json = """
      {"implementation": "rows", "cases": [
        {"id": "rows-mixed-f32-5x20", "rows": [\(objects.joined(separator: ","))]},
        {"id": "rows-powers-f32-6x40", "error": "cannot do rows"}]}
      """
    try json.write(to: file, atomically: true, encoding: .utf8)
    let results = try CandidateResults.read(file.path)
    #expect(results.outputs.keys.sorted() == mixed.map(\.conformanceCase.id))
    let report = VerificationReport(corpus: Self.rows, results: results)
    for verdict in report.verdicts {
      if verdict.id.hasPrefix("rows-mixed") {
        #expect(verdict.status == .agrees, "\(verdict.id)")
      } else if verdict.id.hasPrefix("rows-powers") {
        #expect(verdict.status == .failed("cannot do rows"), "\(verdict.id)")
      } else {
        #expect(verdict.status == .missing, "\(verdict.id)")
      }
    }
    try "{\"cases\": [{\"id\": \"rows-mixed-f32-5x20\", \"rows\": 3}]}".write(to: file, atomically: true, encoding: .utf8)
    #expect(throws: ConformanceError.malformed(path: file.path, reason: "case rows-mixed-f32-5x20: \"rows\" must be an array of objects")) {
      try CandidateResults.read(file.path)
    }
  }

  /// A shell command that writes, per input, the reference's own results from the manifest:
  /// the per-row objects for a per-row input, checked through `{mode}` and `{id}`.
  @Test func theCommandRunsOncePerInputWithItsMode() throws {
    let corpus = Self.rows + Self.globals
    let script = FileManager.default.temporaryDirectory.appendingPathComponent("per-input-\(UUID().uuidString).py")
    defer { try? FileManager.default.removeItem(at: script) }
    try """
      import json, sys
      mode, ident, output, log = sys.argv[1:5]
      manifest = json.load(open(sys.argv[5]))
      mine = [c for c in manifest["cases"] if c["id"].split("#")[0] == ident]
      assert all(c["mode"] == mode for c in mine), (mode, ident)
      result = lambda c: {"nu": c["nu"], "kept_indices": c["kept_indices"]}
      body = {"rows": [result(c) for c in mine]} if mode == "per-row" else result(mine[0])
      json.dump(body, open(output, "w"))
      open(log, "a").write(ident + "\\n")
      """.write(to: script, atomically: true, encoding: .utf8)
    let log = FileManager.default.temporaryDirectory.appendingPathComponent("log-\(UUID().uuidString).txt")
    defer { try? FileManager.default.removeItem(at: log) }
    let manifest = CorpusFixture.directory + "/" + ConformanceCorpus.manifestName
    let command = try CandidateCommand("python3 '\(script.path)' {mode} {id} {output} '\(log.path)' '\(manifest)' # {input}")
    let results = try command.run(over: corpus, directory: CorpusFixture.directory)
    let report = VerificationReport(corpus: corpus, results: results)
    #expect(report.isClean, "\(report.verdicts.filter { $0.status != .agrees }.map(\.evidence))")
    let runs = try String(contentsOf: log, encoding: .utf8).split(separator: "\n")
    #expect(runs.count == Set(corpus.map(\.conformanceCase.input)).count)
    // A per-row input answered with one object instead of rows fails each of its rows, saying why.
    let flat = try CandidateCommand("echo '{\"nu\": 1}' > {output} # {input}").run(over: Self.rows, directory: CorpusFixture.directory)
    let failed = VerificationReport(corpus: Self.rows, results: flat).verdicts
    #expect(failed.allSatisfy { $0.status == .failed("a per-row input needs {\"rows\": [...]} in {output}") })
  }

  @Test func aManifestRowOutsideItsInputIsRejected() throws {
    let directory = try CorpusFixture.temporaryDirectory("rows")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let cases = ConformanceCase.rows(input: "r", summary: "two rows", precision: .float32, [[1, 2, 3], [3, 3, 1]])
    try ConformanceCorpus.write(cases, generator: "test", to: directory)
    #expect(try ConformanceCorpus.load(from: directory).map(\.conformanceCase) == cases)
    let path = directory + "/manifest.json"
    let manifest = try String(contentsOfFile: path, encoding: .utf8)
    try manifest.replacingOccurrences(of: "\"id\":\"r#1\"", with: "\"id\":\"r#7\"").replacingOccurrences(of: "\"row\":1", with: "\"row\":7")
      .write(toFile: path, atomically: true, encoding: .utf8)
    #expect(throws: ConformanceError.malformed(path: path, reason: "case r#7: row 7 is not in inputs/r.npy")) {
      try ConformanceCorpus.load(from: directory)
    }
  }
}
