// How the notebooks in Notebooks-md/ are replayed (the format is also described in
// Notebooks-md/README.md):
//
// - Only fenced blocks opened with ```console are transcripts. In one, a line `$ emp ARGS`
//   starts a command; the lines after it, up to the next `$ ` line or the closing fence, are
//   exactly what the command printed: its standard output, then its standard error, then a
//   line `[exit N]` when its exit status N is not 0. Nothing is trimmed or ignored, so
//   changing, adding or deleting any line of output makes the replay fail.
// - ARGS are split at spaces; '…' and "…" quote (no escapes, no variables, no pipes).
//   Standard input is empty: commands read files.
// - A notebook's commands run in order, in a fresh temporary working directory that holds a
//   copy of Notebooks-md/data/ as data/ and an empty figures/; a command may read files that
//   an earlier one wrote. After the last command, every file the notebook wrote into figures/
//   must be byte-identical to the committed Notebooks-md/figures/ file of the same name.
// - EMPKIT_UPDATE_NOTEBOOKS=1 makes the replay rewrite the transcripts and copy the figures
//   with what the tool prints and draws now, instead of failing (review the diff).

import Foundation

/// One `$ emp …` line of a notebook and the output written under it.
struct TranscriptCommand: Sendable {
  /// The notebook's file name, for messages.
  let notebook: String
  /// The 1-based line number of the `$ emp …` line.
  let line: Int
  /// The arguments after `emp`.
  let arguments: [String]
  /// The output lines the notebook shows.
  let expected: [String]

  /// The command as the notebook writes it.
  var display: String { "$ emp " + arguments.joined(separator: " ") }

  /// The 1-based notebook line of output line `index`.
  func outputLine(_ index: Int) -> Int { line + 1 + index }
}

/// A malformed transcript; its description names the notebook and line.
struct TranscriptError: Error, CustomStringConvertible {
  /// `notebook:line: problem`.
  let description: String
}

/// Reading transcripts out of a markdown notebook.
enum NotebookTranscript {
  /// Every `$ emp …` command of `text`, in order, with its expected output.
  ///
  /// - Throws: `TranscriptError` for output before the first `$` line of a block, a `$`
  ///   line that does not run `emp`, an unclosed quote or an unclosed block.
  static func commands(in text: String, notebook: String) throws -> [TranscriptCommand] {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var commands: [TranscriptCommand] = []
    var current: (line: Int, arguments: [String], output: [String])?
    var openFence: (line: Int, isConsole: Bool)?
    func finish() {
      if let command = current {
        commands.append(
          TranscriptCommand(notebook: notebook, line: command.line, arguments: command.arguments, expected: command.output))
      }
      current = nil
    }
    for (index, line) in lines.enumerated() {
      let number = index + 1
      if line.hasPrefix("```") {
        if openFence == nil {
          openFence = (number, line.dropFirst(3).trimmingCharacters(in: .whitespaces) == "console")
        } else {
          finish()
          openFence = nil
        }
        continue
      }
      guard openFence?.isConsole == true else { continue }
      if line.hasPrefix("$ ") {
        finish()
        let words = try split(String(line.dropFirst(2)), at: "\(notebook):\(number)")
        guard words.first == "emp" else {
          throw TranscriptError(description: "\(notebook):\(number): only `$ emp …` commands can be replayed")
        }
        current = (number, Array(words.dropFirst()), [])
      } else if current != nil {
        current!.output.append(line)
      } else {
        throw TranscriptError(description: "\(notebook):\(number): output before the first `$ emp …` line of the block")
      }
    }
    if let fence = openFence {
      throw TranscriptError(description: "\(notebook):\(fence.line): the code block is never closed")
    }
    return commands
  }

  /// `text` rewritten so that each command's output is `outputs[i]` (update mode).
  ///
  /// - Precondition: `outputs` has one entry per command of `commands(in: text, …)`.
  static func replacingOutputs(in text: String, of commands: [TranscriptCommand], with outputs: [[String]]) -> String {
    precondition(commands.count == outputs.count, "NotebookTranscript: one output per command")
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    for (command, output) in zip(commands, outputs).reversed() {
      lines.replaceSubrange(command.line..<(command.line + command.expected.count), with: output)
    }
    return lines.joined(separator: "\n")
  }

  /// Splits a command line at spaces; `'…'` and `"…"` quote.
  private static func split(_ text: String, at place: String) throws -> [String] {
    var words: [String] = []
    var word: String?
    var quote: Character?
    for character in text {
      if let open = quote {
        if character == open { quote = nil } else { word!.append(character) }
      } else if character == "'" || character == "\"" {
        quote = character
        word = word ?? ""
      } else if character == " " {
        if let finished = word { words.append(finished) }
        word = nil
      } else {
        word = (word ?? "") + String(character)
      }
    }
    guard quote == nil else { throw TranscriptError(description: "\(place): unclosed quote") }
    if let finished = word { words.append(finished) }
    return words
  }
}

/// Running transcripts with the built `emp` and comparing what it prints.
enum NotebookReplay {
  /// The package's root folder (this file is Tests/EMPToolTests/NotebookReplay.swift).
  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// The notebooks' folder.
  static let notebooks = packageRoot.appendingPathComponent("Notebooks-md")

  /// The `emp` executable built next to the test bundle.
  static var executable: URL { EMPProcess.executable }

  /// Whether EMPKIT_UPDATE_NOTEBOOKS=1 asks to rewrite transcripts and figures.
  static var isUpdating: Bool { ProcessInfo.processInfo.environment["EMPKIT_UPDATE_NOTEBOOKS"] == "1" }

  /// The markdown files of Notebooks-md/, sorted.
  static func notebookNames() -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: notebooks.path)) ?? []
    return names.filter { $0.hasSuffix(".md") }.sorted()
  }

  /// A fresh working directory holding `data/` (a copy of Notebooks-md/data/) and an empty `figures/`.
  static func makeWorkspace() throws -> URL {
    let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("emp-notebook-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: workspace.appendingPathComponent("figures"), withIntermediateDirectories: true)
    let data = notebooks.appendingPathComponent("data")
    if FileManager.default.fileExists(atPath: data.path) {
      try FileManager.default.copyItem(at: data, to: workspace.appendingPathComponent("data"))
    }
    return workspace
  }

  /// Runs `emp arguments` in `workspace` with empty standard input, and returns what a
  /// transcript shows: standard output, standard error, then `[exit N]` if N ≠ 0.
  static func run(_ arguments: [String], in workspace: URL) throws -> [String] {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("emp-replay-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let (outURL, errURL) = (scratch.appendingPathComponent("out"), scratch.appendingPathComponent("err"))
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let (out, err) = (try FileHandle(forWritingTo: outURL), try FileHandle(forWritingTo: errURL))
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = workspace
    (process.standardInput, process.standardOutput, process.standardError) = (FileHandle.nullDevice, out, err)
    try process.run()
    process.waitUntilExit()
    try out.close()
    try err.close()
    let lines = { (url: URL) throws -> [String] in
      let text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
      var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      if lines.last == "" { lines.removeLast() }
      return lines
    }
    let status = process.terminationStatus
    return try lines(outURL) + lines(errURL) + (status == 0 ? [] : ["[exit \(status)]"])
  }

  /// `nil` when `actual` is what the notebook shows; else a report naming the notebook, the
  /// command's line, the first differing line, and the whole current output.
  static func staleness(of command: TranscriptCommand, actual: [String]) -> String? {
    guard command.expected != actual else { return nil }
    let first =
      zip(command.expected, actual).enumerated().first { $0.element.0 != $0.element.1 }?.offset
      ?? min(command.expected.count, actual.count)
    let shown = first < command.expected.count ? "\"\(command.expected[first])\"" : "(nothing: the notebook's output ends)"
    let printed = first < actual.count ? "\"\(actual[first])\"" : "(nothing: the tool's output ends)"
    var report = [
      "\(command.notebook):\(command.line): `\(command.display)` is stale",
      "  \(command.notebook):\(command.outputLine(first)): the notebook shows \(shown)",
      "  the tool prints now \(printed)",
      "  (the notebook shows \(command.expected.count) lines, the tool printed \(actual.count)); the tool's output:",
    ]
    report += actual.map { "  | " + $0 }
    return report.joined(separator: "\n")
  }

  /// Replays `commands` in order in `workspace`: one staleness report per stale command, and
  /// what every command printed (for update mode).
  static func replay(_ commands: [TranscriptCommand], in workspace: URL) throws -> (reports: [String], outputs: [[String]]) {
    var reports: [String] = []
    var outputs: [[String]] = []
    for command in commands {
      let actual = try run(command.arguments, in: workspace)
      outputs.append(actual)
      if let report = staleness(of: command, actual: actual) { reports.append(report) }
    }
    return (reports, outputs)
  }

  /// One report per figure that `workspace/figures/` holds and Notebooks-md/figures/ lacks
  /// or holds with other bytes (when updating, copies them instead).
  static func figureReports(in workspace: URL, notebook: String) throws -> [String] {
    let drawn = workspace.appendingPathComponent("figures")
    let committed = notebooks.appendingPathComponent("figures")
    var reports: [String] = []
    for name in try FileManager.default.contentsOfDirectory(atPath: drawn.path).sorted() {
      let fresh = try Data(contentsOf: drawn.appendingPathComponent(name))
      let target = committed.appendingPathComponent(name)
      let old = FileManager.default.contents(atPath: target.path)
      guard old != fresh else { continue }
      if isUpdating {
        try FileManager.default.createDirectory(at: committed, withIntermediateDirectories: true)
        try fresh.write(to: target, options: .atomic)
      } else {
        reports.append(
          "\(notebook): figures/\(name) is \(old == nil ? "not committed" : "stale"): "
            + "run Notebooks-md/regenerate-figures.sh")
      }
    }
    return reports
  }
}
