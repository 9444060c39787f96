import ArgumentParser
import EMPModel
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
        (OUT: a directory holding the same shard names and the index) or a .npy file (OUT: a \
        .npy file, C order). Tensors are analysed as by `emp analyze --fast` in the chosen \
        mode; tensors not selected, integer tensors and undefined ones (all zeros, NaN/Inf) \
        are copied unchanged (--strict refuses undefined float tensors instead), and metadata \
        is kept. --mask also writes the keep masks as U8 tensors of the same names and shapes, \
        one for every floating-point tensor: 1 where the score is kept or the tensor (or, in \
        per-row mode, the row) was not analysed, 0 where it is pruned; a .safetensors file, or \
        a .npy file for a .npy input.

        Data are streamed in chunks, so memory stays bounded whatever the model's size. The \
        model and its masks appear together, complete, or not at all: they are written to \
        hidden temporary files beside the outputs (.NAME.tmp-XXXXXX) and renamed into place \
        together at the end. SIGINT, SIGTERM or SIGHUP removes them and exits with 128 + the \
        signal number. A process killed outright leaves them behind; --clean removes those of \
        OUT and the mask before pruning.

        An output that exists is refused unless --force is given. With --force a file is \
        replaced, and a sharded model's directory keeps its other files: each file the new \
        model writes replaces the file of that name.

        Examples:
          emp prune model.safetensors pruned.safetensors --mask masks.safetensors
          emp prune model.safetensors pruned.safetensors --mode global --beta 1/2
          emp prune model.safetensors.index.json pruned/ --tensor '*.mlp.*' --json
          emp prune weights.npy pruned.npy --force --clean
        """)

    @Argument(help: "The model to prune: .safetensors, *.index.json or .npy.")
    var input: String

    @Argument(help: "Where to write the pruned model (a directory for a sharded model).")
    var output: String

    @OptionGroup var model: ModelOptions

    @Option(help: "Also write the keep masks to this file.")
    var mask: String?

    @Flag(help: "Replace outputs that exist (a sharded model's directory keeps its other files).")
    var force = false

    @Flag(help: "First remove the temporary files a killed run left beside OUT and the mask.")
    var clean = false

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func run() throws {
      try TensorCatalog.requireRegularFile(input)
      guard ModelAnalysis.isTensorFile(input) else {
        throw CommandFailure(description: "\(input): not a tensor file (.safetensors, .npy, *.index.json)")
      }
      let catalog = try TensorCatalog(contentsOf: input)
      let outputs = [output] + (mask.map { [$0] } ?? [])
      if clean {
        for path in outputs {
          for leftover in try TemporaryOutputs.removeLeftovers(of: path) {
            FileHandle.standardError.write(Data("emp: removed \(leftover), left by an interrupted run\n".utf8))
          }
        }
      }
      try checkOutputs(catalog: catalog)
      Interruption.install()
      let progress = ProgressReporter(quiet: model.quiet)
      let analysis = try Analyze.analyzeModel(
        paths: [input], options: model, exact: false, rowDetails: false, progress: progress)
      if model.strict { try analysis.requireAllAnalysed() }
      let writer = try PrunedModelWriter(analysis: analysis, progress: progress)
      let results = try writer.write(to: output, mask: mask, replacingExisting: force)
      progress.finish()
      print(json ? JSONReport.render(JSONReport.fields(of: results, analysis: analysis)) : Self.text(results, analysis))
    }

    /// Refuses outputs that would overwrite an input, that exist (unless `--force`), or that
    /// have the wrong kind.
    private func checkOutputs(catalog: TensorCatalog) throws {
      let inputs = [input] + catalog.tensors.map(\.path) + model.auxiliaryPaths + [model.groupSpecPath].compactMap { $0 }
      if let mask, OutputPaths.isSamePath(mask, output) {
        throw CommandFailure(description: "\(mask): --mask names the output too; the masks would replace the pruned model")
      }
      for path in [output] + (mask.map { [$0] } ?? []) {
        if let read = inputs.first(where: { OutputPaths.isSamePath(path, $0) }) {
          throw CommandFailure(description: "\(path): would overwrite the input \(read)")
        }
        let isModelDirectory = path == output && catalog.format == .shardedSafetensors
        var info = stat()
        guard lstat(path, &info) == 0 else { continue }
        let isDirectory = info.st_mode & S_IFMT == S_IFDIR
        if isDirectory != isModelDirectory {
          let (kind, needed) = isDirectory ? ("a directory", "a file") : ("a file", "a directory")
          throw CommandFailure(description: "\(path): is \(kind); the output here must be \(needed)")
        }
        if isModelDirectory, inputs.contains(where: { OutputPaths.isSamePath(path, OutputPaths.directory(of: $0)) }) {
          throw CommandFailure(description: "\(path): holds the input \(input); write the pruned shards elsewhere")
        }
        guard force else {
          throw CommandFailure(description: "\(path): exists; pass --force to replace it")
        }
      }
    }

    /// The summary table: per tensor, scores, kept and achieved sparsity; then the total.
    static func text(_ results: PrunedModelWriter.Results, _ analysis: ModelAnalysis) -> String {
      let leftOut = analysis.leftOut.count
      var lines = [
        "wrote \(results.output) (\(analysis.mode.rawValue) mode, β = \(analysis.beta))"
          + (results.mask.map { ", masks in \($0)" } ?? "")
          + (leftOut == 0 ? "" : "; \(leftOut) tensor\(leftOut == 1 ? "" : "s") left out, copied unchanged (below)")
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
