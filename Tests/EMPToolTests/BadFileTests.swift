import Foundation
import Testing

/// Malformed model files: one error line naming the file, a non-zero exit, no crash, and no
/// output file left behind, for `emp analyze` and `emp prune`.
@Suite struct BadFileTests {
  /// Each case: a file name and its bytes (`nil`: a directory of that name).
  static let cases: [(name: String, bytes: [UInt8]?, problem: String)] = [
    (
      "truncated.safetensors",
      ModelFixtures.safetensorsBytes(
        header: #"{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#, data: [0, 0, 128, 63]), "past the end"
    ),
    ("header-beyond.safetensors", ModelFixtures.safetensorsBytes(header: "{}", claimedLength: 4096), "runs past the end"),
    ("invalid-json.safetensors", ModelFixtures.safetensorsBytes(header: #"{"w": {"dtype": "F32",,}}"#), "invalid header"),
    (
      "overlap.safetensors",
      ModelFixtures.safetensorsBytes(
        header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#,
        data: Array(repeating: 0, count: 12)), "overlapping"
    ),
    (
      "unknown-dtype.safetensors",
      ModelFixtures.safetensorsBytes(
        header: #"{"w":{"dtype":"F7","shape":[1],"data_offsets":[0,1]}}"#, data: [0]), "unknown dtype"
    ),
    (
      "overflow.safetensors",
      ModelFixtures.safetensorsBytes(
        header: #"{"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]),
      "overflows"
    ),
    ("huge-header.safetensors", ModelFixtures.safetensorsBytes(header: "{}", claimedLength: 100_000_001), "exceeds the limit"),
    ("directory.safetensors", nil, "not a regular file"),
    ("bad-magic.npy", Array("not numpy at all".utf8), "not a .npy file"),
  ]

  @Test(arguments: cases.indices)
  func badFileIsOneClearError(index: Int) throws {
    let (name, bytes, problem) = Self.cases[index]
    let fixtures = try ModelFixtures()
    defer { fixtures.remove() }
    let file = fixtures.path(name)
    if let bytes {
      try fixtures.raw(name, bytes)
    } else {
      try FileManager.default.createDirectory(atPath: file, withIntermediateDirectories: false)
    }
    let output = fixtures.path(name.hasSuffix(".npy") ? "out.npy" : "out.safetensors")
    for arguments in [["analyze", file], ["analyze", file, "--exact", "--json"], ["prune", file, output, "--mask", fixtures.path("m.safetensors")]] {
      let run = try EMPProcess.run(arguments)
      let lines = run.stderr.split(separator: "\n")
      #expect(run.status != 0 && run.status < 128, "\(arguments): status \(run.status)")
      #expect(run.stdout.isEmpty)
      #expect(lines.count == 1 && lines[0].contains(file) && lines[0].contains(problem), "\(arguments): \(run.stderr)")
      let left = try fixtures.contents()
      #expect(left == [name], "left behind: \(left)")
    }
  }
}
