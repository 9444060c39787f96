import Foundation
import Testing

/// The machine-checked steps of Proofs/: `Proofs/machine/check.sh` runs z3 on every SMT-LIB
/// file, each claim with a false variant that z3 must refute, so the check cannot pass
/// vacuously, then compiles the Coq proofs of `Proofs/machine/coq` (skipped without coqc,
/// unless EMPKIT_REQUIRE_PROVERS=1). Without z3 the test is skipped, unless
/// EMPKIT_REQUIRE_PROVERS=1 (as in CI).
@Suite struct MachineCheckTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static var z3: String? {
    let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
    return directories.map { "\($0)/z3" }.first { FileManager.default.isExecutableFile(atPath: $0) }
  }

  @Test func z3ProvesEveryClaimAndRefutesEveryFalseVariant() throws {
    guard Self.z3 != nil else {
      if ProcessInfo.processInfo.environment["EMPKIT_REQUIRE_PROVERS"] == "1" {
        Issue.record("z3 is not installed, and EMPKIT_REQUIRE_PROVERS=1 requires it (apt-get install z3)")
      }
      return
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = [Self.root.appendingPathComponent("Proofs/machine/check.sh").path]
    // The other tests run beside this one: give z3 time enough for its slowest claim (about
    // 10 s alone) on a loaded machine, so that a timeout never reads as a failed proof.
    var environment = ProcessInfo.processInfo.environment
    environment["Z3_CLAIM_TIMEOUT"] = environment["Z3_CLAIM_TIMEOUT"] ?? "900"
    environment["Z3_FILE_TIMEOUT"] = environment["Z3_FILE_TIMEOUT"] ?? "1800"
    process.environment = environment
    let output = Pipe()
    (process.standardOutput, process.standardError) = (output, output)
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    let summary = text.split(separator: "\n").last.map(String.init) ?? ""
    #expect(process.terminationStatus == 0, "\(text.suffix(2000))")
    #expect(summary.hasSuffix(" passed, 0 failed") && !summary.hasPrefix("0 passed"), "\(summary)")
  }
}
