import Foundation
import Testing

@testable import emp

/// `emp` without arguments, the built-in example, and the progress bar's formatting.
@Suite struct ExampleCommandTests {
  @Test func noArgumentsAnalysesTheExample() throws {
    let run = try EMPProcess.run([])
    #expect(run.status == 0 && run.stderr.isEmpty, "\(run.stderr)")
    for text in [
      "layers.0.attn.q_proj.weight", "layers.0.mlp.up_proj.weight", "layers.0.mlp.down_proj.weight",
      "layers.0.norm.weight", "all analysed", "left out: position_ids", "What the numbers mean", "emp prune",
    ] {
      #expect(run.stdout.contains(text), "\(text)")
    }
    #expect(try EMPProcess.run(["example"]).stdout == run.stdout)
  }

  @Test func exampleFilesAreWhatTheGeneratorWrites() throws {
    let path = try EMPProcess.run(["example", "--path"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    let norms = try EMPProcess.run(["example", "--activations-path"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    let (shipped, shippedNorms) = (try Data(contentsOf: URL(fileURLWithPath: path)), try Data(contentsOf: URL(fileURLWithPath: norms)))
    #expect(shipped.count < 100_000)
    let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Sources/emp/Resources")
    let regenerated = FileManager.default.temporaryDirectory.appendingPathComponent("emp-default-\(UUID()).safetensors")
    let regeneratedNorms = FileManager.default.temporaryDirectory.appendingPathComponent("emp-norms-\(UUID()).safetensors")
    defer { [regenerated, regeneratedNorms].forEach { try? FileManager.default.removeItem(at: $0) } }
    let python = Process()
    python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    python.arguments = [
      "python3", sources.appendingPathComponent("make-default-model.py").path, regenerated.path, regeneratedNorms.path,
    ]
    try python.run()
    python.waitUntilExit()
    #expect(python.terminationStatus == 0)
    #expect(try Data(contentsOf: regenerated) == shipped)
    #expect(try Data(contentsOf: regeneratedNorms) == shippedNorms)
    #expect(try Data(contentsOf: sources.appendingPathComponent("default-model.safetensors")) == shipped)
    #expect(try Data(contentsOf: sources.appendingPathComponent("default-activations.safetensors")) == shippedNorms)
    // The norms fit the example's three matrices.
    let wanda = try EMPProcess.run(["analyze", path, "--criterion", "wanda", "--activations", norms, "--strict", "--tensor", "*_proj.weight"])
    #expect(wanda.status == 0 && wanda.stdout.contains("wanda scores"), "\(wanda.stderr)")
  }

  @Test func progressLineFormatting() {
    #expect(
      ProgressReporter.line(label: "analyze, pass 1", done: 1_000_000_000, total: 4_000_000_000, seconds: 2, width: 8)
        == "analyze, pass 1 [==>     ] 1.0 GB / 4.0 GB  500.0 MB/s  ETA 6s")
    #expect(ProgressReporter.line(label: "write", done: 0, total: 10, seconds: 0, width: 4) == "write [>   ] 0 B / 10 B")
    #expect(ProgressReporter.line(label: "w", done: 10, total: 10, seconds: 1, width: 4) == "w [====] 10 B / 10 B  10 B/s  ETA 0s")
    #expect(ProgressReporter.byteString(999) == "999 B" && ProgressReporter.byteString(1_500) == "1.5 kB")
    #expect(ProgressReporter.durationString(125) == "2m05s" && ProgressReporter.durationString(3720) == "1h02m")
    #expect(ProgressReporter.durationString(.infinity) == "?")
  }
}
