import Foundation
import Testing

/// The built `emp` (next to the test bundle), run as a user runs it.
enum EMPProcess {
  struct Run {
    /// The exit status, or the signal's number when `killedBySignal`.
    let status: Int32
    let stdout: String
    let stderr: String
    /// Whether a signal ended the process without it exiting.
    var killedBySignal = false
  }

  /// The built `emp`: `EMPKIT_EMP` when set, else the `emp` beside the test bundle. That is
  /// the directory of the test executable on Linux; on macOS the tests run inside `xctest`
  /// and the bundle (`….xctest`) sits in the build directory.
  static let executable: URL = {
    if let path = ProcessInfo.processInfo.environment["EMPKIT_EMP"] { return URL(fileURLWithPath: path) }
    let bundles = Bundle.allBundles.map(\.bundleURL).filter { $0.pathExtension == "xctest" }
    let candidates = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
      + bundles.map { $0.deletingLastPathComponent() }
    let found = candidates.map { $0.appendingPathComponent("emp") }.first {
      FileManager.default.isExecutableFile(atPath: $0.path)
    }
    return found ?? candidates[0].appendingPathComponent("emp")
  }()

  /// Runs `emp` with `arguments` and `stdin`, and waits for it; with a `signal`, sends it
  /// `after` seconds.
  static func run(_ arguments: [String], stdin: String = "", signal: Int32? = nil, after delay: Double = 0) throws -> Run {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    let (input, output, error) = (Pipe(), Pipe(), Pipe())
    (process.standardInput, process.standardOutput, process.standardError) = (input, output, error)
    try process.run()
    input.fileHandleForWriting.write(Data(stdin.utf8))
    try input.fileHandleForWriting.close()
    if let signal {
      Thread.sleep(forTimeInterval: delay)
      kill(process.processIdentifier, signal)
    }
    let out = output.fileHandleForReading.readDataToEndOfFile()
    let err = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Run(
      status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
      stderr: String(decoding: err, as: UTF8.self), killedBySignal: process.terminationReason == .uncaughtSignal)
  }

  /// The JSON object `run` printed.
  static func json(_ run: Run) throws -> [String: Any] {
    try #require(
      JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "stdout: \(run.stdout) stderr: \(run.stderr)")
  }
}
