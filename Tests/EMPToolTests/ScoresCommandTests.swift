import Foundation
import Testing

/// `emp analyze` and `emp prune` with score files, criteria and groups: the JSON follows the
/// schema, bad combinations and bad partner files get one line and write nothing.
@Suite struct ScoresCommandTests {
  /// The standard model's float tensors with positive scores, and norms for its matrices.
  static func partnerFiles(_ fixtures: ModelFixtures) throws -> (scores: String, activations: String, gradients: String) {
    let floats = ModelFixtures.standardTensors.filter { $0.dtype.isFloatingPoint }
    let scores = floats.enumerated().map { i, t in
      ModelFixtures.Tensor(
        name: t.name, dtype: .f16, shape: t.shape,
        values: ModelFixtures.scores(t.values.count, stream: 30 + UInt64(i)).map(\.magnitude))
    }
    let norms = floats.filter { $0.shape.count == 2 }.enumerated().map { i, t in
      ModelFixtures.Tensor(
        name: t.name, dtype: .f32, shape: [t.shape[1]],
        values: ModelFixtures.scores(t.shape[1], stream: 40 + UInt64(i)).map { $0.magnitude + 0.5 })
    }
    let gradients = floats.enumerated().map { i, t in
      ModelFixtures.Tensor(
        name: t.name, dtype: .bf16, shape: t.shape, values: ModelFixtures.scores(t.values.count, stream: 50 + UInt64(i)))
    }
    return (
      try fixtures.safetensors("scores.safetensors", scores), try fixtures.safetensors("act.safetensors", norms),
      try fixtures.safetensors("grad.safetensors", gradients)
    )
  }

  @Test func everyNewOutputMatchesTheSchema() throws {
    let fixtures = try ModelFixtures()
    defer { fixtures.remove() }
    let model = try fixtures.safetensors("model.safetensors", ModelFixtures.standardTensors)
    let (scores, activations, gradients) = try Self.partnerFiles(fixtures)
    let spec = fixtures.path("spec.json")
    try Data(
      """
      {"families": [{"name": "units", "groups": 4, "members": [
        {"tensor": "attn.weight", "axis": "rows"}, {"tensor": "mlp.weight", "axis": "columns", "range": [8, 32]}]}]}
      """.utf8
    ).write(to: URL(fileURLWithPath: spec))
    let runs: [[String]] = [
      ["--group-spec", spec], ["--group-spec", spec, "--mode", "global", "--group-norm", "l2"],
      ["--scores", scores], ["--scores", scores, "--mode", "global"], ["--scores", scores, "--mode", "per-row"],
      ["--criterion", "wanda", "--activations", activations], ["--criterion", "taylor", "--gradients", gradients, "--tensor", "*.weight"],
      ["--group", "rows"], ["--group", "columns:2", "--group-norm", "l2", "--groups-json"],
      ["--group", "rows:2", "--mode", "global", "--group-norm", "sq", "--groups-json", "--tensor", "*.weight"],
      ["--criterion", "wanda", "--activations", activations, "--group", "columns", "--exact"],
    ]
    for arguments in runs {
      let context = arguments.joined(separator: " ")
      let run = try EMPProcess.run(["analyze", model, "--json"] + arguments)
      try ReportConsistencyTests.expectValid(run, "model", context)
      if arguments.contains("--group-spec") {
        let families = try #require(EMPProcess.json(run)["families"] as? [[String: Any]])
        #expect(families.count == 1 && families[0]["groups"] as? Int == 4, "\(context)")
      }
      if arguments.contains("--group") {
        let tensors = try #require(EMPProcess.json(run)["tensors"] as? [[String: Any]])
        let analysed = tensors.filter { $0["undefined"] is NSNull }
        #expect(!analysed.isEmpty && analysed.allSatisfy { $0["groups"] is Int && $0["kept_elements"] is Int }, "\(context)")
        if arguments.contains("--groups-json") {
          #expect(analysed.allSatisfy { ($0["kept_groups"] as? [Int])?.count == $0["nu"] as? Int }, "\(context)")
        }
      }
      let text = try EMPProcess.run(["analyze", model] + arguments.filter { $0 != "--groups-json" })
      let settings = text.stdout.prefix { $0 != "\n" }
      #expect(text.status == 0, "\(context): \(text.stderr)")
      #expect(
        settings.hasPrefix("scores |w|; groups") || !arguments.contains { $0.hasPrefix("--group") }
          || arguments.contains("--criterion"), "\(context)")
      let output = fixtures.path("pruned-\(runs.firstIndex(of: arguments)!).safetensors")
      let prune = try EMPProcess.run(
        ["prune", model, output, "--json"] + arguments.filter { !["--groups-json", "--exact"].contains($0) })
      try ReportConsistencyTests.expectValid(prune, "prune", "prune \(context)")
    }
  }

  @Test func badCombinationsAndPartnersAreOneLineAndWriteNothing() throws {
    let fixtures = try ModelFixtures()
    defer { fixtures.remove() }
    let model = try fixtures.safetensors("model.safetensors", ModelFixtures.standardTensors)
    let (scores, activations, _) = try Self.partnerFiles(fixtures)
    let wrongShape = try fixtures.safetensors(
      "wrong.safetensors", [.init(name: "attn.weight", dtype: .f32, shape: [48, 16], values: Array(repeating: 1, count: 768))])
    let cases: [([String], String)] = [
      (["--criterion", "wanda"], "--criterion wanda needs --activations"),
      (["--criterion", "taylor", "--activations", activations], "--criterion taylor needs --gradients"),
      (["--scores", scores, "--criterion", "wanda"], "does not combine"),
      (["--activations", activations], "--activations goes with --criterion wanda"),
      (["--group-norm", "l2"], "--group-norm needs --group or --group-spec"),
      (["--group-spec", model], "not a group spec"),
      (["--group-spec", fixtures.path("absent.json")], "absent.json"),
      (["--group", "rows", "--mode", "per-row"], "not per-row"),
      (["--group", "rows:5"], "5 does not divide"),
      (["--scores", wrongShape, "--tensor", "attn.weight"], "have shape [48, 16], expected [16, 48]"),
      (["--scores", wrongShape, "--tensor", "mlp.weight"], "tensor \"mlp.weight\": no scores of that name"),
      (["--scores", fixtures.path("absent.safetensors")], "absent.safetensors"),
    ]
    for (arguments, message) in cases {
      let output = fixtures.path("out.safetensors")
      for command in [["analyze", model], ["prune", model, output, "--mask", fixtures.path("mask.safetensors")]] {
        let run = try EMPProcess.run(command + arguments)
        #expect(run.status != 0 && run.stderr.split(separator: "\n").count == 1, "\(arguments): \(run.stderr)")
        #expect(run.stderr.contains(message), "\(arguments): \(run.stderr)")
        let left = try FileManager.default.contentsOfDirectory(atPath: fixtures.path(""))
        #expect(!left.contains { $0.hasPrefix("out") || $0.hasPrefix("mask") || $0.hasPrefix(".out") }, "\(arguments)")
      }
    }
  }
}
