import ArgumentParser
import EMPModel
import EMPVerify
import Foundation

extension EMP {
  /// `emp verify`: checks another implementation's results against the conformance corpus.
  struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Verify another EMP implementation against the conformance corpus and diagnose each deviation.",
      discussion: """
        Give the candidate's results as a file (--candidate, JSON or CSV, see Conformance/README.md) \
        or a command run once per input file (--candidate-cmd, with {input} the .npy or .safetensors, \
        {output} the JSON file it writes, and optionally {mode} (per-tensor, per-row or global), \
        {beta}, {dtype}, {text}, {id}). Every deviation is \
        classified by the known mistakes that reproduce it exactly (float rounding of N_eff within \
        its proven bound, in float64 down to bfloat16, ceiling or rounding instead of floor, β \
        applied differently or ignored, clamps, signed sums, ε guards, vanished scores, ≥ or > \
        thresholds, ties, casts, complement, quantile cuts). Exit status: 0 when \
        every case agrees, 1 when any deviates, 2 when an input cannot be read.
        """)

    @Option(help: "The corpus directory (with manifest.json).")
    var reference: String

    @Option(help: "The candidate's results file (JSON or CSV).")
    var candidate: String?

    @Option(name: .customLong("candidate-cmd"), help: "A shell command run per input: 'python3 my_emp.py {input} {output} --mode {mode}'.")
    var candidateCommand: String?

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func validate() throws {
      guard (candidate == nil) != (candidateCommand == nil) else {
        throw ValidationError("Give exactly one of --candidate and --candidate-cmd.")
      }
    }

    func run() throws {
      let report: VerificationReport
      do {
        let corpus = try ConformanceCorpus.load(from: reference)
        let results =
          if let candidate { try CandidateResults.read(candidate) } else {
            try CandidateCommand(candidateCommand!).run(over: corpus, directory: reference)
          }
        report = VerificationReport(corpus: corpus, results: results)
      } catch {
        FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
        throw ExitCode(2)
      }
      print(json ? JSONReport.render(Self.fields(report)) : Self.text(report))
      if !report.isClean { throw ExitCode(1) }
    }

    /// The summary table, then one line per deviating case.
    static func text(_ report: VerificationReport) -> String {
      let counts = report.classCounts
      let width = max(5, counts.map(\.label.count).max() ?? 0)
      func pad(_ s: String) -> String { s + String(repeating: " ", count: width - s.count) }
      var lines = ["\(report.implementation): \(report.verdicts.count) cases", "", pad("class") + "  cases"]
      lines += counts.map { pad($0.label) + "  " + String(repeating: " ", count: max(0, 5 - String($0.count).count)) + "\($0.count)" }
      let deviating = report.verdicts.filter { $0.status != .agrees }
      if !deviating.isEmpty { lines.append("") }
      lines += deviating.map(line)
      if !report.unknownCaseIDs.isEmpty {
        lines.append("results for cases not in the corpus (ignored): " + report.unknownCaseIDs.joined(separator: ", "))
      }
      lines.append("")
      lines.append(report.isClean ? "PASS: every case agrees" : "FAIL: \(deviating.count) of \(report.verdicts.count) cases deviate")
      return lines.joined(separator: "\n")
    }

    private static func line(_ verdict: CaseVerdict) -> String {
      switch verdict.status {
      case .agrees: return "\(verdict.id): agrees"
      case .missing: return "\(verdict.id): missing result"
      case .failed: return "\(verdict.id): candidate failed: \(verdict.evidence)"
      case .deviates:
        let output = verdict.output!
        var head = "\(verdict.id): ν = \(output.retentionCount)"
        if let expected = verdict.expectedRetentionCount, output.retentionCount != expected { head += ", expected \(expected)" }
        if let kept = output.keptIndices, let expected = verdict.expectedKeptCount, kept.count != expected {
          head += "; kept \(kept.count), expected \(expected)"
        }
        return head + ": " + verdict.evidence
      }
    }

    /// The JSON report.
    static func fields(_ report: VerificationReport) -> [String: JSONValue] {
      let deviations: [JSONValue] = report.verdicts.filter { $0.status != .agrees }.map { verdict in
        var fields: [String: JSONValue] = [
          "id": .string(verdict.id),
          "classes": .array(verdict.classes.map(JSONValue.string)),
          "class_ids": .array(verdict.classIdentifiers.map(JSONValue.string)),
          "expected_nu": verdict.expectedRetentionCount.map(JSONValue.int) ?? .null,
          "expected_kept_count": verdict.expectedKeptCount.map(JSONValue.int) ?? .null,
          "evidence": .string(verdict.evidence),
          "nu": verdict.output.map { .int($0.retentionCount) } ?? .null,
          "kept_count": verdict.output?.keptIndices.map { .int($0.count) } ?? .null,
          "retention_rule": verdict.explanation.map { .string($0.retention.rawValue) } ?? .null,
          "selection_rule": verdict.explanation.map { .string($0.selection.rawValue) } ?? .null,
          "transform": verdict.explanation?.transform.map { .string($0.rawValue) } ?? .null,
          "ignores_beta": verdict.explanation.map { .bool($0.ignoresBeta) } ?? .null,
        ]
        if case .failed(let reason) = verdict.status { fields["failure"] = .string(reason) }
        return .object(fields)
      }
      return [
        "implementation": .string(report.implementation),
        "cases": .int(report.verdicts.count),
        "agree": .int(report.verdicts.filter { $0.status == .agrees }.count),
        "clean": .bool(report.isClean),
        "classes": .object(Dictionary(uniqueKeysWithValues: report.classCounts.map { ($0.label, JSONValue.int($0.count)) })),
        "class_ids": .object(
          Dictionary(uniqueKeysWithValues: report.classCounts.map { ($0.identifier, JSONValue.int($0.count)) })),
        "deviations": .array(deviations),
        "unknown_cases": .array(report.unknownCaseIDs.map(JSONValue.string)),
      ]
    }
  }
}
