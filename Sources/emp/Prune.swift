import ArgumentParser
import Exact
import Foundation
import TensorIO

extension EMP {
  /// `emp prune`: writes the model with the scores EMP does not keep set to zero.
  struct Prune: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write the pruned model: every score EMP does not keep set to zero.",
      discussion: """
        IN is a .safetensors file (OUT: a .safetensors file), a sharded model's *.index.json \
        (OUT: a directory, created, holding the same shard names and the index) or a .npy file \
        (OUT: a .npy file, C order). Tensors are analysed as by `emp analyze --fast` in the \
        chosen mode; tensors not selected, integer tensors and undefined ones (all zeros, \
        NaN/Inf) are copied unchanged, and metadata is kept. --mask also writes the keep masks \
        (1 kept, 0 pruned) of the pruned tensors as U8 tensors of the same names and shapes: a \
        .safetensors file, or a .npy file for a .npy input. Data are streamed in chunks, so \
        memory stays bounded whatever the model's size. Every output appears complete or not \
        at all.
        """)

    @Argument(help: "The model to prune: .safetensors, *.index.json or .npy.")
    var input: String

    @Argument(help: "Where to write the pruned model (a directory for a sharded model).")
    var output: String

    @OptionGroup var model: ModelOptions

    @Option(help: "Also write the keep masks to this file.")
    var mask: String?

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func run() throws {
      guard ModelFiles.isTensorFile(input) else {
        throw ScoreInput.Failure(description: "\(input): not a tensor file (.safetensors, .npy, *.index.json)")
      }
      let catalog = try TensorCatalog(contentsOf: input)
      try checkOutputs(format: catalog.format)
      let progress = ProgressReporter(quiet: model.quiet)
      let files = try ModelFiles(paths: [input], progress: progress)
      let analysis = try ModelAnalysis(
        files: files, patterns: model.tensorPatterns, mode: model.mode ?? .perTensor,
        beta: try model.retentionFactor(), exact: false)
      let writer = PrunedModelWriter(plan: PrunePlan(analysis), files: files, catalog: catalog)
      let results = try writer.write(to: output, mask: mask)
      progress.finish()
      print(json ? JSONReport.render(JSONReport.fields(of: results, analysis: analysis)) : Self.text(results, analysis))
    }

    /// Refuses outputs that would overwrite the input or that have the wrong kind.
    private func checkOutputs(format: TensorFormat) throws {
      for path in [output] + (mask.map { [$0] } ?? []) {
        if Self.isSameFile(path, input) {
          throw ScoreInput.Failure(description: "\(path): would overwrite the input \(input)")
        }
      }
      if format == .shardedSafetensors, let contents = try? FileManager.default.contentsOfDirectory(atPath: output),
        !contents.isEmpty
      {
        throw ScoreInput.Failure(description: "\(output): the output directory exists and is not empty")
      }
    }

    private static func isSameFile(_ a: String, _ b: String) -> Bool {
      var (x, y) = (stat(), stat())
      return stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev && x.st_ino == y.st_ino
    }

    /// The summary table: per tensor, scores, kept and achieved sparsity; then the total.
    static func text(_ results: PrunedModelWriter.Results, _ analysis: ModelAnalysis) -> String {
      var lines = [
        "wrote \(results.output) (\(analysis.mode.rawValue) mode, β = \(analysis.beta))"
          + (results.mask.map { ", masks in \($0)" } ?? "")
      ]
      let nameWidth = max(12, results.tensors.map(\.name.count).max() ?? 0)
      func pad(_ s: String, _ width: Int, left: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - s.count))
        return left ? s + fill : fill + s
      }
      lines.append(pad("tensor", nameWidth, left: true) + "  " + pad("N", 12) + "  " + pad("kept", 12) + "  sparsity")
      var copied: [String] = []
      for tensor in results.tensors {
        guard let kept = tensor.kept else {
          copied.append("\(tensor.name) (\(tensor.reason ?? ""))")
          continue
        }
        lines.append(
          pad(tensor.name, nameWidth, left: true) + "  " + pad("\(tensor.count)", 12) + "  " + pad("\(kept)", 12) + "  "
            + ReportText.percent(1 - Rational(kept, tensor.count)))
      }
      let (count, kept) = results.totals
      if count > 0 {
        lines.append(
          pad("all pruned", nameWidth, left: true) + "  " + pad("\(count)", 12) + "  " + pad("\(kept)", 12) + "  "
            + ReportText.percent(1 - Rational(kept, count)))
      }
      lines += copied.map { "copied unchanged: \($0)" }
      return lines.joined(separator: "\n")
    }
  }
}
