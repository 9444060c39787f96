import Foundation
import Testing

/// `emp prune`: the pruned model keeps exactly the masked scores, achieves sparsity 1 − ν/N
/// per tensor, keeps metadata and the other tensors; outputs are complete or absent.
@Suite struct PruneCommandTests {
  /// Checks `output` against `input` and `masks`: pruned tensors are `input × mask`, with
  /// `ν` ones in the mask when `kept` says so; other tensors are unchanged.
  static func expectPruned(
    input: String, output: String, masks: String, report: [String: Any], expectedKept: [String: Int]
  ) throws {
    let (before, after, mask) = (try ModelFixtures.read(input), try ModelFixtures.read(output), try ModelFixtures.read(masks))
    #expect(Set(before.keys) == Set(after.keys))
    let entries = try #require(report["tensors"] as? [[String: Any]])
    for entry in entries {
      let name = try #require(entry["name"] as? String)
      let (original, pruned) = (try #require(before[name]), try #require(after[name]))
      #expect(original.dtype == pruned.dtype && original.shape == pruned.shape, "\(name)")
      guard let kept = entry["kept"] as? Int else {
        #expect(original.values.map(\.bitPattern) == pruned.values.map(\.bitPattern), "\(name) copied")
        // A copied float tensor has a mask of ones; an integer tensor has none.
        let ones = mask[name].map { $0.values.allSatisfy { $0 == 1 } && $0.shape == original.shape }
        #expect(ones == (original.dtype.isFloatingPoint ? true : nil), "\(name) mask")
        continue
      }
      let keep = try #require(mask[name])
      #expect(keep.dtype == .u8 && keep.shape == original.shape)
      #expect(Int(keep.values.reduce(0, +)) == kept, "\(name) mask count")
      #expect(zip(zip(original.values, keep.values), pruned.values).allSatisfy { $0.0 * $0.1 == $1 }, "\(name) values")
      if let expected = expectedKept[name] { #expect(kept == expected, "\(name) kept") }
      #expect(entry["sparsity"] as? String == "\((entry["n"] as! Int) - kept)/\(entry["n"] as! Int)".reducedFraction)
    }
  }

  static func nu(_ analyze: [String: Any]) -> [String: Int] {
    var result: [String: Int] = [:]
    for entry in analyze["tensors"] as? [[String: Any]] ?? [] {
      if let name = entry["name"] as? String, let nu = entry["nu"] as? Int { result[name] = nu }
    }
    return result
  }

  @Test(arguments: ["per-tensor", "global", "per-row"])
  func safetensorsRoundTrip(mode: String) throws {
    let fixtures = try ModelFixtures()
    defer { fixtures.remove() }
    let input = try fixtures.safetensors("model.safetensors", ModelFixtures.standardTensors, metadata: ["format": "pt", "note": "x"])
    let (output, masks) = (fixtures.path("pruned.safetensors"), fixtures.path("masks.safetensors"))
    let run = try EMPProcess.run(["prune", input, output, "--mode", mode, "--mask", masks, "--json"])
    #expect(run.status == 0, "\(run.stderr)")
    let report = try EMPProcess.json(run)
    let analysis = try EMPProcess.json(EMPProcess.run(["analyze", input, "--mode", mode, "--json"]))
    try Self.expectPruned(input: input, output: output, masks: masks, report: report, expectedKept: Self.nu(analysis))
    let overall = try #require(report["overall"] as? [String: Any])
    #expect(overall["kept"] as? Int == (analysis["global"] as? [String: Any])?["nu"] as? Int)
    #expect(try TensorCatalogMetadata.of(output) == ["format": "pt", "note": "x"])
    #expect(try fixtures.contents() == ["masks.safetensors", "model.safetensors", "pruned.safetensors"])
  }

  @Test func npyAndShardedRoundTrip() throws {
    let fixtures = try ModelFixtures()
    defer { fixtures.remove() }
    // A .npy tensor is named after its file: same base names in other directories.
    let npy = try fixtures.npy("w.npy", ModelFixtures.standardTensors[1])
    for directory in ["p", "m"] { try FileManager.default.createDirectory(atPath: fixtures.path(directory), withIntermediateDirectories: false) }
    let run = try EMPProcess.run(["prune", npy, fixtures.path("p/w.npy"), "--mask", fixtures.path("m/w.npy"), "--json"])
    #expect(run.status == 0, "\(run.stderr)")
    try Self.expectPruned(
      input: npy, output: fixtures.path("p/w.npy"), masks: fixtures.path("m/w.npy"), report: EMPProcess.json(run),
      expectedKept: ["w": Self.nu(EMPProcess.json(EMPProcess.run(["analyze", npy, "--json"])))["w"]!])

    let index = try fixtures.sharded("in")
    let out = fixtures.path("out")
    let sharded = try EMPProcess.run(["prune", index, out, "--mode", "global", "--mask", fixtures.path("sm.safetensors"), "--json"])
    #expect(sharded.status == 0, "\(sharded.stderr)")
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        == ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors", "model.safetensors.index.json"])
    let analysis = try EMPProcess.json(EMPProcess.run(["analyze", index, "--mode", "global", "--json"]))
    try Self.expectPruned(
      input: index, output: out + "/model.safetensors.index.json", masks: fixtures.path("sm.safetensors"),
      report: EMPProcess.json(sharded), expectedKept: Self.nu(analysis))
    #expect(try TensorCatalogMetadata.of(out + "/model-00002-of-00002.safetensors") == ["format": "pt"])
    // A second run refuses the now non-empty directory and leaves no temporary directory.
    let again = try EMPProcess.run(["prune", index, out])
    #expect(again.status != 0 && again.stderr.split(separator: "\n").count == 1 && again.stderr.contains(out))
    #expect(try fixtures.contents() == ["in", "m", "out", "p", "sm.safetensors", "w.npy"].sorted())
  }

  @Test func textSummaryAndRefusals() throws {
    let fixtures = try ModelFixtures()
    defer { fixtures.remove() }
    let input = try fixtures.safetensors("model.safetensors", ModelFixtures.standardTensors)
    let run = try EMPProcess.run(["prune", input, fixtures.path("p.safetensors"), "--tensor", "attn.*"])
    #expect(run.status == 0)
    #expect(run.stdout.contains("attn.weight") && run.stdout.contains("all pruned"))
    #expect(run.stdout.contains("copied unchanged: mlp.weight (not selected)"))
    for arguments in [
      ["prune", input, input], ["prune", input, fixtures.path("q.safetensors"), "--beta", "0"],
      ["prune", fixtures.path("absent.safetensors"), fixtures.path("r.safetensors")],
    ] {
      let refused = try EMPProcess.run(arguments)
      #expect(refused.status != 0 && refused.stderr.split(separator: "\n").count == 1, "\(arguments): \(refused.stderr)")
    }
    #expect(try fixtures.contents() == ["model.safetensors", "p.safetensors"])
  }
}

extension String {
  /// `"a/b"` in lowest terms, as the tool prints exact fractions.
  fileprivate var reducedFraction: String {
    let parts = split(separator: "/").map { Int($0)! }
    func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
    let g = Swift.max(1, gcd(parts[0], parts[1]))
    return "\(parts[0] / g)/\(parts[1] / g)"
  }
}
