import Foundation
import Testing

/// `emp verify` and `emp conformance generate` run as a user runs them, with the numpy example
/// (`Examples/numpy_emp.py`) as the implementation under test.
@Suite struct VerifyCommandTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let corpus = root.appendingPathComponent("Conformance").path
  static let example = root.appendingPathComponent("Examples/numpy_emp.py").path

  static func verify(_ arguments: [String]) throws -> (status: Int32, report: [String: Any]) {
    let run = try AnalyzeBoundCommandTests.emp(["verify", "--reference", corpus, "--json"] + arguments)
    let report = try #require(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stderr)")
    return (run.status, report)
  }

  /// The classes of the deviating cases, by id.
  static func classes(_ report: [String: Any]) -> [String: [String]] {
    let deviations = report["deviations"] as? [[String: Any]] ?? []
    return Dictionary(uniqueKeysWithValues: deviations.map { ($0["id"] as! String, $0["classes"] as! [String]) })
  }

  /// Runs the numpy example over the whole corpus into a results file.
  static func numpyResults(_ options: [String]) throws -> String {
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("numpy-\(UUID().uuidString).json").path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", example, "--corpus", corpus, output] + options
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    return output
  }

  static let float32Rounding = "ν off by one from float32 rounding of N_eff"
  static let float64Rounding = "ν off by one from float64 rounding of N_eff"

  @Test func numpyFloat32PerCaseCommandIsOffByOneOnlyFromRounding() throws {
    let command = "python3 '\(Self.example)' {input} {output} --mode {mode} --beta {beta} --dtype float32"
    let (status, report) = try Self.verify(["--candidate-cmd", command])
    #expect(status == 1)
    let classes = Self.classes(report)
    #expect(classes["near-integer-below-17-float32"] == [Self.float32Rounding])
    #expect(classes.values.filter { $0 == [Self.float32Rounding] }.count >= 5)
    // One process per input: a per-row input's rows and a global input are verified too.
    #expect(classes["rows-mixed-f32-5x20#0"] == [Self.float32Rounding])
    #expect(classes.filter { $0.key.hasPrefix("global-near-integer-float32-30-below-") }.values.map { $0 } == [[Self.float32Rounding]])
    for (id, labels) in classes {
      // Off by one within the proven float32 bound, or N_eff not finite where float32 is not certified.
      #expect([[Self.float32Rounding], [Self.float64Rounding], ["candidate failed"]].contains(labels), "\(id): \(labels)")
    }
    let failed = classes.filter { $0.value == ["candidate failed"] }.keys.sorted()
    #expect(failed == ["dynamic-range-f32", "dynamic-range-f64", "subnormal-f32", "subnormal-f64"])
  }

  @Test func numpyFloat64ResultsFileIsClassifiedPrecisely() throws {
    let results = try Self.numpyResults(["--dtype", "float64"])
    defer { try? FileManager.default.removeItem(atPath: results) }
    let (status, report) = try Self.verify(["--candidate", results])
    #expect(status == 1)
    let classes = Self.classes(report)
    #expect(classes["uniform-7-f64"] == [Self.float64Rounding])
    #expect(classes["near-integer-below-40-float64"] == [Self.float64Rounding])
    // It refuses where N_eff is not finite in float64: the cases with no EMP analysis (which
    // agree) and the float64 subnormals.
    #expect(classes["subnormal-f64"] == ["candidate failed"])
    for (id, labels) in classes {
      #expect([[Self.float64Rounding], ["candidate failed"]].contains(labels), "\(id): \(labels)")
    }
  }

  @Test(arguments: [
    ("ge-next", "cut at |s| ≥ the (ν+1)-th largest value (keeps one too many)"),
    ("complement", "keeps the complement: the N − ν smallest"),
    ("ties-high", "ties at the cut broken by the highest index first"),
    ("ceil", "ν = ⌈β·N_eff⌉ (ceiling instead of floor)"),
  ])
  func numpyFaultyModesAreNamed(mode: String, label: String) throws {
    let results = try Self.numpyResults(["--dtype", "float64", "--faulty", mode])
    defer { try? FileManager.default.removeItem(atPath: results) }
    let (status, report) = try Self.verify(["--candidate", results])
    #expect(status == 1)
    let counts = try #require(report["classes"] as? [String: Int])
    let top = counts.filter { $0.key != "agree" }.max { $0.value < $1.value }
    #expect(top?.key == label, "\(counts)")
  }

  @Test func csvResultsOfTheReferencePassClean() throws {
    let manifest = try #require(
      JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.corpus + "/manifest.json"))) as? [String: Any])
    var csv = "id,nu,neff,kept_indices,error\n"
    for c in manifest["cases"] as! [[String: Any]] {
      guard let nu = c["nu"] as? Int, let kept = c["kept_indices"] as? [Int] else {
        csv += "\(c["id"]!),,,,no EMP analysis\n"  // refused, as the reference does
        continue
      }
      csv += "\(c["id"]!),\(nu),\(c["neff"]!),\(kept.map(String.init).joined(separator: " ")),\n"
    }
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("reference-\(UUID().uuidString).csv")
    try csv.write(to: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: file) }
    let run = try AnalyzeBoundCommandTests.emp(["verify", "--reference", Self.corpus, "--candidate", file.path])
    #expect(run.status == 0, "\(run.stdout)")
    #expect(run.stdout.hasSuffix("PASS: every case agrees\n"))
  }

  @Test func generateWritesTheCommittedManifest() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("corpus-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    let run = try AnalyzeBoundCommandTests.emp(["conformance", "generate", directory.path, "--seed", "1"])
    #expect(run.status == 0)
    let fresh = try Data(contentsOf: directory.appendingPathComponent("manifest.json"))
    #expect(fresh == (try Data(contentsOf: URL(fileURLWithPath: Self.corpus + "/manifest.json"))))
  }

  @Test func unreadableInputsAreOneErrorLineAndExitTwo() throws {
    let garbage = FileManager.default.temporaryDirectory.appendingPathComponent("garbage-\(UUID().uuidString).json")
    try "{\"cases\": 3}".write(to: garbage, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: garbage) }
    for arguments in [
      ["verify", "--reference", "/nonexistent-corpus", "--candidate", garbage.path],
      ["verify", "--reference", Self.corpus, "--candidate", garbage.path],
      ["verify", "--reference", Self.corpus, "--candidate", "/nonexistent.json"],
      ["verify", "--reference", Self.corpus, "--candidate-cmd", "true {output}"],
    ] {
      let run = try AnalyzeBoundCommandTests.emp(arguments)
      #expect(run.status == 2, "\(arguments)")
      #expect(run.stdout.isEmpty && run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
    }
    let neither = try AnalyzeBoundCommandTests.emp(["verify", "--reference", Self.corpus])
    #expect(neither.status != 0 && neither.status != 1)
  }
}
