import EMPModel
import Exact
import Foundation
import TensorIO
import Testing

/// What `emp` prints agrees with itself: every mode reports tensors it cannot analyse (JSON
/// and `--exact` included), every JSON key is in the schema, N_eff never reads as
/// contradicting ν, and each bad input gets one message whatever the subcommand.
@Suite struct ReportConsistencyTests {
  static func schema() throws -> JSONSchema { try JSONSchema(packageFile: "Schemas/emp-output.schema.json") }

  static func expectValid(_ run: EMPProcess.Run, _ definition: String, _ context: String) throws {
    #expect(run.status == 0, "\(context): \(run.stderr)")
    let value = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8))
    let problems = try schema().problems(of: value, definition: definition)
    #expect(problems.isEmpty, "\(context): \(problems.prefix(5))")
  }

  /// An all-zero tensor (and an all-zero bias) in every mode, fast and exact, text and JSON.
  @Test(arguments: ["per-tensor", "global", "per-row"])
  func allZeroTensorInEveryMode(mode: String) throws {
    let fixtures = try ModelFixtures()
    defer { fixtures.remove() }
    let input = try fixtures.safetensors(
      "model.safetensors",
      ModelFixtures.standardTensors + [
        .init(name: "zero.bias", dtype: .f32, shape: [6], values: Array(repeating: 0, count: 6)),
        .init(name: "zero.weight", dtype: .bf16, shape: [3, 4], values: Array(repeating: 0, count: 12)),
      ])
    for method in ["--fast", "--exact"] {
      let context = "\(mode) \(method)"
      let text = try EMPProcess.run(["analyze", input, "--mode", mode, method])
      #expect(text.status == 0, "\(context): \(text.stderr)")
      for details in [[], ["--rows-json"]] {
        let run = try EMPProcess.run(["analyze", input, "--mode", mode, method, "--json"] + details)
        try Self.expectValid(run, "model", context)
        let tensors = try #require(EMPProcess.json(run)["tensors"] as? [[String: Any]])
        let zero = try #require(tensors.first { $0["name"] as? String == "zero.weight" })
        if mode == "global" {
          #expect(zero["nu"] as? Int == 0, "\(context): zeros are part of the global vector, none kept")
        } else {
          #expect((zero["undefined"] as? String)?.contains("all scores are zero") == true, "\(context)")
          #expect(zero["nu"] is NSNull && zero["sparsity"] is NSNull, "\(context)")
        }
        if mode == "per-row" { #expect(zero["zero_rows"] as? Int == 3 && zero["rows"] as? Int == 3, "\(context)") }
      }
    }
  }

  /// Every kind of JSON `emp` prints validates against the schema, whose keys are all required:
  /// the schema documents every key, and no undocumented key appears.
  @Test func everyJSONOutputMatchesTheSchema() throws {
    let fixtures = try ModelFixtures()
    defer { fixtures.remove() }
    let input = try fixtures.safetensors("model.safetensors", PruneSafetyTests.awkwardTensors)
    let index = try fixtures.sharded("in")
    for mode in ["per-tensor", "global", "per-row"] {
      try Self.expectValid(EMPProcess.run(["analyze", index, "--mode", mode, "--json", "--beta", "3/2"]), "model", mode)
      try Self.expectValid(
        EMPProcess.run(["prune", input, fixtures.path("p-\(mode).safetensors"), "--mode", mode, "--json"]), "prune", mode)
    }
    try Self.expectValid(EMPProcess.run(["analyze", "-", "--json"], stdin: "3 2 0"), "vector", "text")
    try Self.expectValid(EMPProcess.run(["analyze", "-", "--json"], stdin: "7"), "vector", "N = 1")
    try Self.expectValid(EMPProcess.run(["bound", "--n", "10", "--nu", "4", "--k", "2", "--json"]), "bound", "bound")
    for beta in ["1/2", "2/3", "1"] {  // [4, 5), [4, 9/2), empty
      try Self.expectValid(
        EMPProcess.run(["bound", "--n", "10", "--nu", "4", "--k", "2", "--beta", beta, "--json"]), "bound", "β = \(beta)")
    }
    // The exact values and their decimals agree.
    let vector = try EMPProcess.json(EMPProcess.run(["analyze", "-", "--json", "--beta", "1/3"], stdin: "3 2 0"))
    #expect(vector["beta"] as? String == "1/3" && vector["beta_decimal"] as? String == "0.33333333333333333")
    #expect(vector["sparsity"] as? String == "2/3" && vector["sparsity_decimal"] as? String == "0.66666666666666667")
    #expect(vector["pruned_mass"] as? String == "2/5" && vector["pruned_mass_decimal"] as? String == "0.4")
  }

  /// At β ≠ 1 the JSON of an analysis carries the tight infimum over the band of N_eff at
  /// which β keeps ν scores: scores (10, 1) at β = 3/2 keep one of shell 1, whose band is
  /// [1, 4/3), with infimum (2 + √2)/4 (Proofs/band-infimum.md).
  @Test func analysisAtAFixedBetaCarriesItsBand() throws {
    let run = try EMPProcess.run(["analyze", "-", "--json", "--beta", "3/2"], stdin: "10 1")
    try Self.expectValid(run, "vector", "β = 3/2")
    let fields = try EMPProcess.json(run)
    #expect(fields["nu"] as? Int == 1 && fields["shell"] as? Int == 1)
    #expect(fields["band"] as? [String] == ["1/1", "4/3"])
    #expect(fields["tight_infimum_beta_decimal"] as? String == "0.85355339059327376")
    #expect(fields["tight_infimum_decimal"] as? String == "0.5")
    let atOne = try EMPProcess.json(EMPProcess.run(["analyze", "-", "--json"], stdin: "10 1"))
    #expect(atOne["band"] is NSNull && atOne["tight_infimum_beta_decimal"] is NSNull)
  }

  /// The validator itself: a missing key, an undocumented key, a wrong type and a malformed
  /// rational are each reported.
  @Test func schemaValidatorRejects() throws {
    let schema = try Self.schema()
    let good = try JSONSerialization.jsonObject(
      with: Data(try EMPProcess.run(["analyze", "-", "--json"], stdin: "3 2 0").stdout.utf8)) as! [String: Any]
    #expect(schema.problems(of: good, definition: "vector").isEmpty)
    var missing = good
    missing["nu"] = nil
    var extra = good
    extra["surprise"] = 1
    var wrongType = good
    wrongType["nu"] = "1"
    var malformed = good
    malformed["neff"] = "25/13.0"
    for (name, bad) in [("missing", missing), ("extra", extra), ("type", wrongType), ("pattern", malformed)] {
      #expect(!schema.problems(of: bad, definition: "vector").isEmpty, "\(name)")
    }
  }

  /// N_eff = 99999.96… rounds to 100000 at 6 digits, which would contradict ν = 99999.
  @Test func effectiveSampleSizeNeverContradictsNu() throws {
    let fixtures = try ModelFixtures()
    defer { fixtures.remove() }
    let input = try fixtures.safetensors(
      "m.safetensors", [.init(name: "w", dtype: .f32, shape: [100_000], values: [0.8] + Array(repeating: 1, count: 99_999))])
    let run = try EMPProcess.run(["analyze", input])
    let row = try #require(run.stdout.split(separator: "\n").first { $0.hasPrefix("w ") })
    #expect(row.contains(" 99999.96 ") && row.contains(" 99999 "), "\(row)")
    // The rule itself, on exact values and on enclosures.
    let exact = Enclosure<Surd>(exactly: Rational(2_499_999, 25))
    #expect(exact.decimal(maxDigits: 6) == "100000" && exact.decimalKeepingFloor(digits: 6) == "99999.96")
    let below = Enclosure<Surd>(exactly: Rational(3) - Rational(numerator: 1, denominator: BigInteger(10).power(30)))
    #expect(below.decimal(maxDigits: 17) == "3" && below.decimalKeepingFloor(digits: 17) == "2.9999999999999999")
    let enclosure = Enclosure<Surd>(lowerBound: Surd(Rational(1_179_306, 10)), upperBound: Surd(Rational(1_179_308, 10)))
    #expect(enclosure.decimalKeepingFloor(digits: 6) == "117930")
    #expect(Enclosure<Surd>(exactly: Rational(25, 13)).decimalKeepingFloor(digits: 6) == "1.92308")
  }

  /// One message per cause: a directory, a missing file.
  @Test func oneMessagePerCause() throws {
    let fixtures = try ModelFixtures()
    defer { fixtures.remove() }
    for name in ["dir", "dir.safetensors"] {
      try FileManager.default.createDirectory(atPath: fixtures.path(name), withIntermediateDirectories: false)
    }
    for input in ["dir", "dir.safetensors", "absent", "absent.safetensors"].map(fixtures.path) {
      let messages = try [["analyze", input], ["prune", input, fixtures.path("out.safetensors")], ["neff", input]].map {
        try EMPProcess.run($0)
      }
      #expect(messages.allSatisfy { $0.status == 1 && $0.stderr.split(separator: "\n").count == 1 })
      #expect(Set(messages.map(\.stderr)).count == 1, "\(input): \(messages.map(\.stderr))")
    }
  }

  @Test func helpShowsExamplesAndOneNotation() throws {
    for command in ["analyze", "prune", "bound"] {
      let help = try EMPProcess.run([command, "--help"])
      #expect(help.stdout.contains("Examples:\n  emp \(command) "), "\(command)")
    }
    let bound = try EMPProcess.run(["bound", "--n", "3", "--nu", "1"])
    #expect(bound.stdout.hasPrefix("N = 3, m = 1, k = 1\n") && bound.stdout.contains("T(k, m, N) ≈ 0.5"))
    #expect(!bound.stdout.contains("ν"))
  }
}
