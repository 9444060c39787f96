import Foundation
import Testing

/// The notebooks replay: every `$ emp …` transcript prints what the notebook shows, every
/// figure is what `emp plot` draws now. The format is documented in NotebookReplay.swift.
@Suite struct NotebookReplayTests {
  /// The numbered notebooks (`01-….md` …), which must each hold at least one transcript.
  static let numberedNotebooks = NotebookReplay.notebookNames().filter { $0.first?.isNumber == true }

  @Test(arguments: NotebookReplay.notebookNames())
  func notebookReplays(name: String) throws {
    let url = NotebookReplay.notebooks.appendingPathComponent(name)
    let text = try String(contentsOf: url, encoding: .utf8)
    let commands = try NotebookTranscript.commands(in: text, notebook: name)
    let workspace = try NotebookReplay.makeWorkspace()
    defer { try? FileManager.default.removeItem(at: workspace) }
    let (reports, outputs) = try NotebookReplay.replay(commands, in: workspace)
    if NotebookReplay.isUpdating {
      if !reports.isEmpty {
        try NotebookTranscript.replacingOutputs(in: text, of: commands, with: outputs)
          .write(to: url, atomically: true, encoding: .utf8)
      }
    } else {
      for report in reports { Issue.record(Comment(rawValue: report)) }
    }
    for report in try NotebookReplay.figureReports(in: workspace, notebook: name) {
      Issue.record(Comment(rawValue: report))
    }
  }

  @Test func everyNotebookHasTranscriptsAndItsImagesExist() throws {
    #expect(Self.numberedNotebooks.count >= 5, "notebooks found: \(Self.numberedNotebooks)")
    for name in NotebookReplay.notebookNames() {
      let text = try String(contentsOf: NotebookReplay.notebooks.appendingPathComponent(name), encoding: .utf8)
      if Self.numberedNotebooks.contains(name) {
        #expect(try !NotebookTranscript.commands(in: text, notebook: name).isEmpty, "\(name) has no transcript")
      }
      for image in Self.imageLinks(in: text) {
        let path = NotebookReplay.notebooks.appendingPathComponent(image).path
        #expect(FileManager.default.fileExists(atPath: path), "\(name) shows \(image), which does not exist")
      }
    }
  }

  @Test func everyFigureIsWellFormedShownAndDrawnByATranscript() throws {
    let folder = NotebookReplay.notebooks.appendingPathComponent("figures")
    let figures = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".svg") }
    #expect(figures.count >= 2)
    var shown: Set<String> = []
    var drawn: Set<String> = []
    for name in NotebookReplay.notebookNames() {
      let text = try String(contentsOf: NotebookReplay.notebooks.appendingPathComponent(name), encoding: .utf8)
      shown.formUnion(Self.imageLinks(in: text))
      for command in try NotebookTranscript.commands(in: text, notebook: name) where command.arguments.first == "plot" {
        if let out = command.arguments.firstIndex(of: "--out"), out + 1 < command.arguments.count {
          drawn.insert(command.arguments[out + 1])
        }
      }
    }
    for figure in figures {
      let data = try Data(contentsOf: folder.appendingPathComponent(figure))
      let outline = try SVGOutline(data)
      #expect(outline.root == "svg" && outline.hasViewBox, "\(figure): not an <svg> with a viewBox")
      #expect(outline.elementCounts["title", default: 0] == 1, "\(figure): needs one <title>")
      #expect(outline.classes.contains("legend"), "\(figure): no legend")
      #expect(outline.elementCounts["text", default: 0] >= 8, "\(figure): too few labels")
      #expect(shown.contains("figures/\(figure)"), "\(figure) is shown by no notebook")
      #expect(drawn.contains("figures/\(figure)"), "\(figure) is drawn by no `$ emp plot … --out figures/\(figure)`")
    }
  }

  // MARK: - The comparison itself can fail

  @Test func changedDeletedAndAddedOutputLinesAreReported() throws {
    let arguments = ["bound", "--n", "3", "--nu", "1"]
    let workspace = try NotebookReplay.makeWorkspace()
    defer { try? FileManager.default.removeItem(at: workspace) }
    let output = try NotebookReplay.run(arguments, in: workspace)
    try #require(output.count >= 3)
    func notebook(_ lines: [String]) -> String {
      (["# A notebook", "", "```console", "$ emp " + arguments.joined(separator: " ")] + lines + ["```", ""])
        .joined(separator: "\n")
    }
    func reports(_ lines: [String]) throws -> [String] {
      let commands = try NotebookTranscript.commands(in: notebook(lines), notebook: "doctored.md")
      return try NotebookReplay.replay(commands, in: workspace).reports
    }
    #expect(try reports(output).isEmpty)
    var changed = output
    changed[1] = changed[1].replacingOccurrences(of: "2/3", with: "3/4")
    let changedReports = try reports(changed)
    try #require(changedReports.count == 1)
    #expect(changedReports[0].hasPrefix("doctored.md:4: `$ emp bound --n 3 --nu 1` is stale"))
    #expect(changedReports[0].contains("doctored.md:6: the notebook shows \"\(changed[1])\""))
    #expect(changedReports[0].contains("the tool prints now \"\(output[1])\""))
    #expect(try reports(Array(output.dropLast())).first?.contains("(nothing: the notebook's output ends)") == true)
    #expect(try reports(output + ["[exit 1]"]).first?.contains("(nothing: the tool's output ends)") == true)
    #expect(try reports(output + [""]).count == 1)
  }

  @Test func deletingALineOfARealNotebookFailsItsReplay() throws {
    let name = "02-theorem-4.2-and-tightness.md"
    let text = try String(contentsOf: NotebookReplay.notebooks.appendingPathComponent(name), encoding: .utf8)
    let first = try #require(try NotebookTranscript.commands(in: text, notebook: name).first)
    try #require(first.expected.count >= 2)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    lines.remove(at: first.outputLine(1) - 1)
    let doctored = try NotebookTranscript.commands(in: lines.joined(separator: "\n"), notebook: name)
    let workspace = try NotebookReplay.makeWorkspace()
    defer { try? FileManager.default.removeItem(at: workspace) }
    let reports = try NotebookReplay.replay([doctored[0]], in: workspace).reports
    #expect(reports.count == 1 && reports[0].contains("\(name):\(first.outputLine(1)): the notebook shows"))
  }

  @Test func failingCommandsShowStandardErrorAndTheExitStatus() throws {
    let workspace = try NotebookReplay.makeWorkspace()
    defer { try? FileManager.default.removeItem(at: workspace) }
    let output = try NotebookReplay.run(["bound", "--n", "1", "--nu", "1"], in: workspace)
    #expect(output.count == 2 && output[0].hasPrefix("Error: ") && output[1] == "[exit 1]", "\(output)")
  }

  // MARK: - Parsing

  @Test func transcriptsAreReadOnlyFromConsoleBlocks() throws {
    let text = """
      Prose with `$ emp neff` inline.
      ```sh
      $ swift run emp
      ```
      ```console
      $ emp analyze 'data/a b.txt' --beta "1/2"
      line one

      line three
      $ emp neff data/x.txt
      ```
      """
    let commands = try NotebookTranscript.commands(in: text, notebook: "n.md")
    try #require(commands.count == 2)
    #expect(commands[0].line == 6 && commands[0].arguments == ["analyze", "data/a b.txt", "--beta", "1/2"])
    #expect(commands[0].expected == ["line one", "", "line three"])
    #expect(commands[1].line == 10 && commands[1].expected.isEmpty)
    let updated = NotebookTranscript.replacingOutputs(in: text, of: commands, with: [["new"], ["a", "b"]])
    let reread = try NotebookTranscript.commands(in: updated, notebook: "n.md")
    #expect(reread.map(\.expected) == [["new"], ["a", "b"]] && reread.map(\.arguments) == commands.map(\.arguments))
  }

  @Test(arguments: [
    ("```console\noutput first\n$ emp neff\n```", "n.md:2: output before the first `$ emp …` line of the block"),
    ("```console\n$ ls data\n```", "n.md:2: only `$ emp …` commands can be replayed"),
    ("```console\n$ emp neff 'data\n```", "n.md:2: unclosed quote"),
    ("text\n```console\n$ emp neff\n", "n.md:2: the code block is never closed"),
  ])
  func malformedTranscriptsAreErrors(text: String, message: String) {
    #expect(throws: TranscriptError.self) { try NotebookTranscript.commands(in: text, notebook: "n.md") }
    do {
      _ = try NotebookTranscript.commands(in: text, notebook: "n.md")
    } catch {
      #expect("\(error)" == message)
    }
  }

  /// The targets of `![…](figures/…)` image links.
  static func imageLinks(in text: String) -> [String] {
    text.components(separatedBy: "](").dropFirst().compactMap { rest in
      let target = rest.prefix { $0 != ")" }
      return target.hasPrefix("figures/") ? String(target) : nil
    }
  }
}
