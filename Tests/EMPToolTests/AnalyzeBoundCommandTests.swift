import Foundation
import Testing

/// `emp analyze` and `emp bound`, run as a user runs them: output, errors, exit codes.
@Suite struct AnalyzeBoundCommandTests {
  struct Run { let status: Int32; let stdout: String; let stderr: String }

  /// Runs the built `emp` (next to the test bundle) with `arguments` and `stdin`.
  static func emp(_ arguments: [String], stdin: String = "") throws -> Run {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("emp")
    process.arguments = arguments
    let (input, output, error) = (Pipe(), Pipe(), Pipe())
    (process.standardInput, process.standardOutput, process.standardError) = (input, output, error)
    try process.run()
    input.fileHandleForWriting.write(Data(stdin.utf8))
    try input.fileHandleForWriting.close()
    let out = output.fileHandleForReading.readDataToEndOfFile()
    let err = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Run(
      status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
      stderr: String(decoding: err, as: UTF8.self))
  }

  static func json(_ run: Run) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
  }

  @Test func analyzeDecimalFileAndStdinAgree() throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("emp-analyze-\(getpid()).txt")
    try "0.5\n0.3\n0.2\n".write(to: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: file) }
    let fromFile = try Self.emp(["analyze", file.path, "--json"])
    let fromStdin = try Self.emp(["analyze", "-", "--json"], stdin: "1/2, 3/10, 1/5")
    #expect(fromFile.status == 0 && fromFile.stdout == fromStdin.stdout)
    let fields = try Self.json(fromFile)
    #expect(fields["neff"] as? String == "50/19")
    #expect(fields["neff_decimal"] as? String == "2.6315789473684211")
    #expect(fields["nu"] as? Int == 2)
    #expect(fields["s_eff"] as? String == "4/5")
    #expect(fields["bound_holds"] as? Bool == true)
    #expect(fields["bound_paper_decimal"] as? String == "0.66666666666666667")
    #expect(fields["tight_infimum_decimal"] as? String == "0.66666666666666667")
    #expect(fields["margin_decimal"] as? String == "0.13333333333333333")
    let text = try Self.emp(["analyze", file.path])
    #expect(text.stdout.contains("bound holds  yes"))
  }

  @Test func analyzeCounterexampleAndSingleScore() throws {
    let fields = try Self.json(Self.emp(["analyze", "--json"], stdin: "3 2 0"))
    #expect(fields["bound_holds"] as? Bool == false && fields["margin_decimal"] as? String == "-0.066666666666666667")
    let single = try Self.emp(["analyze", "--json"], stdin: "-4")
    let one = try Self.json(single)
    #expect(single.status == 0 && one["n"] as? Int == 1 && one["bound_holds"] is NSNull)
    #expect(try Self.emp(["analyze"], stdin: "-4").stdout.contains("not applicable"))
  }

  @Test func boundReportsTheCounterexampleShell() throws {
    let fields = try Self.json(Self.emp(["bound", "--n", "3", "--nu", "1", "--json"]))
    #expect(fields["paper_bound_valid"] as? Bool == false)
    #expect(fields["tight_infimum_decimal"] as? String == "0.5")
    #expect(fields["bound_paper_decimal"] as? String == "0.66666666666666667")
    let valid = try Self.json(Self.emp(["bound", "--n", "10000", "--nu", "37", "--k", "40", "--json"]))
    #expect(valid["paper_bound_valid"] as? Bool == true && valid["k"] as? Int == 40)
  }

  @Test(arguments: [
    (["analyze", "-"], "nan"), (["analyze", "-"], "1 inf"), (["analyze", "-"], "0 0 0"), (["analyze", "-"], ""),
    (["analyze", "-", "--beta", "0"], "1 2"), (["analyze", "-", "--beta", "-1/2"], "1 2"),
    (["bound", "--n", "1", "--nu", "1"], ""), (["bound", "--n", "5", "--nu", "0"], ""),
    (["bound", "--n", "5", "--nu", "6"], ""), (["bound", "--n", "5", "--nu", "2", "--k", "9"], ""),
  ])
  func badInputIsOneErrorLine(arguments: [String], stdin: String) throws {
    let run = try Self.emp(arguments, stdin: stdin)
    #expect(run.status != 0)
    #expect(run.stdout.isEmpty)
    #expect(run.stderr.split(separator: "\n").count == 1, "stderr: \(run.stderr)")
  }
}
