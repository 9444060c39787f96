import Foundation
import TensorIO
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `emp prune` loses nothing: signals mid-prune leave both outputs complete or neither (and
/// no temporary file), outputs are never clobbered unasked, masks cover every float tensor in
/// every mode, and `--strict` refuses tensors that cannot be analysed.
@Suite struct PruneSafetyTests {
  /// Two float tensors large enough that a prune with masks takes a good fraction of a second.
  static let largeTensors: [ModelFixtures.Tensor] = [
    .init(name: "a.weight", dtype: .f32, shape: [512, 1024], values: ModelFixtures.scores(512 * 1024, stream: 11)),
    .init(name: "b.weight", dtype: .bf16, shape: [1024, 512], values: ModelFixtures.scores(512 * 1024, stream: 12)),
  ]

  /// A model with a NaN tensor, an all-zero tensor and an integer tensor beside two good ones.
  static let awkwardTensors: [ModelFixtures.Tensor] =
    ModelFixtures.standardTensors.prefix(2) + [
      .init(name: "nan.weight", dtype: .f32, shape: [2, 3], values: [1, 2, .nan, 4, 5, 6]),
      .init(name: "zero.bias", dtype: .f16, shape: [4, 2], values: Array(repeating: 0, count: 8)),
      .init(name: "ids", dtype: .i64, shape: [3], values: [1, 2, 3]),
    ]

  /// Sends `signal` to a prune after `delay` seconds; afterwards either both outputs are the
  /// uninterrupted run's bytes or neither exists, and nothing else is in the directory.
  @Test(arguments: [SIGINT, SIGTERM])
  func signalMidPrune(signal: Int32) throws {
    let fixtures = try ModelFixtures()
    defer { fixtures.remove() }
    let single = try fixtures.safetensors("model.safetensors", Self.largeTensors)
    let index = try fixtures.sharded("in", tensors: Self.largeTensors)
    for (input, output) in [(single, "out.safetensors"), (index, "out")] {
      let reference = try EMPProcess.run(["prune", input, fixtures.path("ref-" + output), "--mask", fixtures.path("ref-mask.safetensors")])
      #expect(reference.status == 0, "\(reference.stderr)")
      let before = try fixtures.contents()
      for delay in [0.0, 0.05, 0.15, 0.3, 0.5, 0.8] {
        let run = try EMPProcess.run(
          ["prune", input, fixtures.path(output), "--mask", fixtures.path("mask.safetensors")], signal: signal, after: delay)
        let after = try fixtures.contents()
        if after == before, run.killedBySignal {
          // Only possible before emp installs its handler, which it does before writing anything.
          #expect(run.status == signal && run.stdout.isEmpty && run.stderr.isEmpty, "\(delay) s: \(run.stderr)")
        } else if after == before {
          #expect(run.status == 128 + signal, "\(delay) s: \(run.stderr)")
          #expect(run.stderr.split(separator: "\n").count == 1 && run.stderr.contains("interrupted"), "\(run.stderr)")
        } else {
          #expect(Set(after) == Set(before + [output, "mask.safetensors"]), "\(delay) s: \(after)")
          #expect(try Self.bytes(fixtures.path(output)) == Self.bytes(fixtures.path("ref-" + output)), "\(delay) s")
          #expect(try Self.bytes(fixtures.path("mask.safetensors")) == Self.bytes(fixtures.path("ref-mask.safetensors")))
          fixtures.remove(output)
          fixtures.remove("mask.safetensors")
        }
      }
      fixtures.remove("ref-" + output)
      fixtures.remove("ref-mask.safetensors")
    }
  }

  @Test func existingOutputsNeedForce() throws {
    let fixtures = try ModelFixtures()
    defer { fixtures.remove() }
    let input = try fixtures.safetensors("model.safetensors", ModelFixtures.standardTensors)
    let (output, mask) = (fixtures.path("p.safetensors"), fixtures.path("m.safetensors"))
    // --mask naming the output is refused, whatever its spelling.
    for spelling in [output, fixtures.directory + "/./p.safetensors"] {
      let clash = try EMPProcess.run(["prune", input, output, "--mask", spelling])
      #expect(clash.status == 1 && clash.stderr.split(separator: "\n").count == 1 && clash.stderr.contains("--mask"))
    }
    #expect(try fixtures.contents() == ["model.safetensors"])
    // An existing output is refused without --force and left as it was.
    try fixtures.raw("p.safetensors", [1, 2, 3])
    let refused = try EMPProcess.run(["prune", input, output, "--mask", mask])
    #expect(refused.status == 1 && refused.stderr.contains("--force") && refused.stderr.split(separator: "\n").count == 1)
    #expect(try Self.bytes(output) == [1, 2, 3] && !FileManager.default.fileExists(atPath: mask))
    let forced = try EMPProcess.run(["prune", input, output, "--mask", mask, "--force"])
    #expect(forced.status == 0, "\(forced.stderr)")
    #expect(try ModelFixtures.read(output).count == ModelFixtures.standardTensors.count)
    // A sharded model aimed at a regular file is refused, with or without --force.
    let index = try fixtures.sharded("in")
    for extra in [[], ["--force"]] {
      let wrongKind = try EMPProcess.run(["prune", index, output] + extra)
      #expect(wrongKind.status == 1 && wrongKind.stderr.contains("directory"), "\(wrongKind.stderr)")
    }
    #expect(try ModelFixtures.read(output).count == ModelFixtures.standardTensors.count)
  }

  @Test func shardedOutputDirectory() throws {
    let fixtures = try ModelFixtures()
    defer { fixtures.remove() }
    let index = try fixtures.sharded("in")
    let out = fixtures.path("out")
    let made = try EMPProcess.run(["prune", index, out])
    #expect(made.status == 0, "\(made.stderr)")
    // Created with the umask's permissions, as any new directory.
    let mask = umask(0)
    umask(mask)
    #expect(try Self.permissions(out) == 0o777 & ~mask)
    // --force into an existing directory replaces the model's files and keeps the others.
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: out)
    try fixtures.raw("out/notes.txt", Array("mine".utf8))
    let again = try EMPProcess.run(["prune", index, out, "--force", "--beta", "1/2"])
    #expect(again.status == 0, "\(again.stderr)")
    #expect(try Self.bytes(out + "/notes.txt") == Array("mine".utf8))
    #expect(try Self.permissions(out) == 0o755)
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        == ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors", "model.safetensors.index.json", "notes.txt"])
    // An output directory that holds the input is refused.
    let onInput = try EMPProcess.run(["prune", index, fixtures.path("in"), "--force"])
    #expect(onInput.status == 1 && onInput.stderr.contains("input"), "\(onInput.stderr)")
  }

  /// A file that appears in the output directory while a sharded prune runs survives it:
  /// into an existing directory (`--force`) the prune adds its files beside it; where the
  /// directory appears only mid-run, the prune refuses to commit and removes only its own files.
  @Test func aFileThatAppearsMidRunSurvives() throws {
    let fixtures = try ModelFixtures()
    defer { fixtures.remove() }
    let index = try fixtures.sharded("in", tensors: Self.largeTensors)
    for force in [true, false] {
      let out = fixtures.path(force ? "forced" : "fresh")
      if force { try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: false) }
      let process = Process()
      process.executableURL = EMPProcess.executable
      process.arguments = ["prune", index, out, "--quiet"] + (force ? ["--force"] : [])
      (process.standardOutput, process.standardError) = (FileHandle.nullDevice, FileHandle.nullDevice)
      try process.run()
      Thread.sleep(forTimeInterval: 0.05)
      try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
      try fixtures.raw((force ? "forced" : "fresh") + "/theirs.txt", Array("theirs".utf8))
      process.waitUntilExit()
      #expect(process.terminationStatus == (force ? 0 : 1), "force: \(force)")
      #expect(try Self.bytes(out + "/theirs.txt") == Array("theirs".utf8))
      let entries = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
      #expect(entries == (force ? ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors", "model.safetensors.index.json", "theirs.txt"] : ["theirs.txt"]))
      #expect(try fixtures.contents().allSatisfy { !$0.hasPrefix(".") }, "no temporary output left")
    }
  }

  @Test func cleanRemovesLeftoversOnly() throws {
    let fixtures = try ModelFixtures()
    defer { fixtures.remove() }
    let input = try fixtures.safetensors("model.safetensors", ModelFixtures.standardTensors)
    try fixtures.raw(".p.safetensors.tmp-a1B2c3", [0])
    try fixtures.raw(".p.safetensors.tmp-a1B2c3.old", [0])
    try fixtures.raw(".m.safetensors.tmp-Zz9Yy8", [0])
    try fixtures.raw(".p.safetensors.tmp-longer1", [0])  // not a name emp makes
    try fixtures.raw("p.safetensors.tmp-a1B2c3", [0])  // not hidden
    let run = try EMPProcess.run(
      ["prune", input, fixtures.path("p.safetensors"), "--mask", fixtures.path("m.safetensors"), "--clean"])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stderr.split(separator: "\n").count == 3)
    #expect(
      try fixtures.contents()
        == [".p.safetensors.tmp-longer1", "m.safetensors", "model.safetensors", "p.safetensors", "p.safetensors.tmp-a1B2c3"])
  }

  /// Every floating-point tensor has a mask entry in every mode: ones where nothing was
  /// analysed (the copied tensors), the kept count otherwise; integer tensors have none.
  @Test(arguments: ["per-tensor", "global", "per-row"])
  func masksCoverEveryFloatTensor(mode: String) throws {
    let fixtures = try ModelFixtures()
    defer { fixtures.remove() }
    let input = try fixtures.safetensors("model.safetensors", Self.awkwardTensors)
    let (output, masks) = (fixtures.path("p.safetensors"), fixtures.path("m.safetensors"))
    let run = try EMPProcess.run(["prune", input, output, "--mode", mode, "--mask", masks, "--json"])
    #expect(run.status == 0, "\(run.stderr)")
    let mask = try ModelFixtures.read(masks)
    #expect(Set(mask.keys) == ["attn.weight", "mlp.weight", "nan.weight", "zero.bias"])
    try PruneCommandTests.expectPruned(
      input: input, output: output, masks: masks, report: EMPProcess.json(run), expectedKept: [:])
    #expect(mask["nan.weight"]!.values.allSatisfy { $0 == 1 })
  }

  @Test func npyMaskOfAnUnanalysedTensor() throws {
    let fixtures = try ModelFixtures()
    defer { fixtures.remove() }
    let npy = try fixtures.npy("z.npy", .init(name: "z", dtype: .f32, shape: [3, 2], values: Array(repeating: 0, count: 6)))
    let run = try EMPProcess.run(["prune", npy, fixtures.path("p.npy"), "--mask", fixtures.path("m.npy")])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(try ModelFixtures.read(fixtures.path("m.npy"))["m"]?.values == Array(repeating: 1, count: 6))
  }

  @Test func strictRefusesUnanalysedFloatTensors() throws {
    let fixtures = try ModelFixtures()
    defer { fixtures.remove() }
    let input = try fixtures.safetensors("model.safetensors", Self.awkwardTensors)
    let lenient = try EMPProcess.run(["prune", input, fixtures.path("p.safetensors")])
    #expect(lenient.status == 0 && lenient.stdout.split(separator: "\n")[0].hasSuffix("3 tensors left out, copied unchanged (below)"), "\(lenient.stdout)")
    for command in [["prune", input, fixtures.path("q.safetensors")], ["analyze", input, "--json"]] {
      for mode in ["per-tensor", "global", "per-row"] {
        let strict = try EMPProcess.run(command + ["--strict", "--mode", mode])
        #expect(strict.status == 1 && strict.stderr.split(separator: "\n").count == 1, "\(strict.stderr)")
        #expect(strict.stderr.contains("nan.weight") && !strict.stderr.contains("ids ("), "\(strict.stderr)")
        #expect(strict.stdout.isEmpty)
      }
    }
    // Integer tensors hold no scores: they never fail --strict.
    let clean = try fixtures.safetensors("clean.safetensors", ModelFixtures.standardTensors)
    #expect(try EMPProcess.run(["analyze", clean, "--strict"]).status == 0)
    #expect(try fixtures.contents() == ["clean.safetensors", "model.safetensors", "p.safetensors"])
  }

  static func bytes(_ path: String) throws -> [UInt8] {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
      return try FileManager.default.contentsOfDirectory(atPath: path).sorted().flatMap { try bytes(path + "/" + $0) }
    }
    return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
  }

  static func permissions(_ path: String) throws -> mode_t {
    var info = stat()
    #expect(stat(path, &info) == 0)
    return info.st_mode & 0o777
  }
}
