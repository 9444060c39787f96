import Foundation

/// Runs an external implementation over the corpus, one process per input file.
///
/// The command is a shell command line (run with `/bin/sh -c`) with placeholders, each
/// substituted shell-quoted: `{input}` the input's path (`.npy`, or `.safetensors` for a
/// global case), `{text}` its exact-decimal text path, `{output}` a fresh temporary path where
/// the command writes one JSON object, `{mode}` how to read the input (`per-tensor`, `per-row`
/// or `global`), `{beta}` β as an exact decimal, `{dtype}` the scores' format, `{id}` the
/// input's name. The object is a `cases` element of the results format
/// (`{"nu": ..., "neff": ..., "kept_indices": [...]}`), for a per-row input
/// `{"rows": [{"nu": ...}, ...]}`. A command that exits non-zero, or writes no valid object,
/// fails every case of that input with the last line of its standard error as the reason.
public struct CandidateCommand: Sendable {
  /// The command line template.
  public let template: String

  /// A command from its template.
  ///
  /// - Throws: `ConformanceError.commandFailed` when the template has neither `{input}` nor
  ///   `{text}`, or no `{output}`.
  public init(_ template: String) throws {
    guard template.contains("{input}") || template.contains("{text}"), template.contains("{output}") else {
      throw ConformanceError.commandFailed("the command must contain {input} (or {text}) and {output}")
    }
    self.template = template
  }

  /// Runs the command once per input file and collects the results.
  ///
  /// - Throws: `ConformanceError` when the shell cannot be started or no temporary directory can be made.
  /// - Complexity: one process per input, run one after another.
  public func run(over corpus: [ConformanceCorpus.Entry], directory: String) throws -> CandidateResults {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("emp-verify-\(UUID().uuidString)")
    do {
      try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    } catch {
      throw ConformanceError.io(path: scratch.path, reason: "cannot create a temporary directory")
    }
    defer { try? FileManager.default.removeItem(at: scratch) }
    var results = CandidateResults(implementation: template)
    var done = Set<String>()
    for entry in corpus {
      let c = entry.conformanceCase
      guard done.insert(c.input).inserted else { continue }
      func fail(_ reason: String) { results.failures[c.input] = reason }
      let output = scratch.appendingPathComponent("\(c.input).json").path
      let substitutions = [
        "{input}": entry.inputPath, "{text}": directory + "/" + ConformanceCorpus.textPath(c.input), "{output}": output,
        "{mode}": c.mode.rawValue, "{beta}": c.beta.decimalString(significantDigits: 40), "{dtype}": c.precision.rawValue,
        "{id}": c.input,
      ]
      var command = template
      for (placeholder, value) in substitutions { command = command.replacingOccurrences(of: placeholder, with: Self.quoted(value)) }
      let (status, stderr) = try Self.shell(command)
      guard status == 0 else {
        fail(stderr.isEmpty ? "exit status \(status)" : stderr)
        continue
      }
      guard let data = FileManager.default.contents(atPath: output),
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
      else {
        fail("wrote no JSON object to {output}")
        continue
      }
      guard c.mode != .perRow || object["rows"] != nil || CandidateResults.refusal(object) != nil else {
        fail("a per-row input needs {\"rows\": [...]} in {output}")
        continue
      }
      do {
        try results.record(object, id: c.input, path: output)
        if let name = object["implementation"] as? String { results.implementation = name }
      } catch {
        fail("\(error)")
      }
    }
    return results
  }

  /// `value` in single quotes for `/bin/sh`.
  static func quoted(_ value: String) -> String { "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'" }

  /// Runs `command` with `/bin/sh -c`; returns its exit status and the last line of its standard error.
  private static func shell(_ command: String) throws -> (Int32, String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command]
    let errors = Pipe()
    process.standardOutput = FileHandle.nullDevice
    process.standardError = errors
    process.standardInput = FileHandle.nullDevice
    do {
      try process.run()
    } catch {
      throw ConformanceError.commandFailed("cannot start /bin/sh: \(error.localizedDescription)")
    }
    let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    let last = text.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
    return (process.terminationStatus, last.trimmingCharacters(in: .whitespaces))
  }
}
