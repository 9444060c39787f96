import ArgumentParser
import EMPCore
import EMPModel
import EMPReference
import Exact
import TensorIO

extension EMP {
  /// `emp analyze`: the EMP analysis of a score vector (text) or of the tensors of model files.
  struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Analyse scores: N_eff, ν, sparsity, s_eff, Theorem 4.2 and the tight bound.",
      discussion: """
        A .safetensors file, a sharded model's *.index.json or a .npy file is analysed per \
        tensor (--mode per-tensor, the default), as one score vector over all selected float \
        tensors (--mode global), or row by row (--mode per-row: shape [rows, …], the rest \
        flattened). Integer tensors are listed and left out; a tensor that is all zeros or \
        holds NaN/Inf is reported as undefined and the others are analysed.

        Tensor files use the fast path by default (--fast): streamed in chunks with bounded \
        memory, ν exact (certified from a proven float enclosure of N_eff, or by an exact \
        fallback, as nu_certificate says), and each decimal printed with only the digits its \
        enclosure certifies, correctly rounded. The exact fields (neff, s_eff, pruned_mass as \
        p/q) are null in that case, unless exact sums were computed (exact_sums: true): that \
        happens, in one extra pass with exact accumulation, whenever an enclosure cannot decide \
        s_eff ≥ B or certify a digit, so bound_holds is always a decision, never a guess. \
        --exact loads each score vector into memory and computes everything exactly; both \
        print the same keys.

        Any other file (or - for standard input) holds text scores, as for `emp neff` \
        (decimals or fractions p/q, parsed exactly), analysed exactly. The paper's bound \
        B(N, ν) needs N ≥ 2; the tight infimum T(ν, m, N) over the shell m = ⌊N_eff⌋ is the \
        best bound on the mass kept by the ν largest scores that holds for every vector of that \
        shell: valid for every β, and tight over the shell for a fixed retention count. At a \
        fixed β ≠ 1 only part of the shell keeps ν scores: the text of a vector then also shows \
        that band of N_eff and the tight infimum I of the kept mass over it \
        (Proofs/band-infimum.md), which can exceed T. \
        Irrational values print correctly rounded to 17 digits. N_eff prints with enough \
        digits that its integer part is ⌊N_eff⌋. --strict fails, naming them, when selected \
        floating-point tensors cannot be analysed. Every JSON key is documented in \
        Schemas/emp-output.schema.json.

        Examples:
          emp analyze scores.txt --beta 1/2 --json
          printf '3\\n2\\n0\\n' | emp analyze -
          emp analyze model.safetensors --mode global
          emp analyze model.safetensors --mode per-row --rows-json --json
          emp analyze model.safetensors.index.json --strict --quiet
        """)

    @Argument(help: "Tensor files (.safetensors, *.index.json, .npy), or one text file of scores, or - for standard input.")
    var inputs: [String] = []

    @OptionGroup var model: ModelOptions

    @Flag(help: "The fast, streamed analysis (default for tensor files) or the exact one (default for text).")
    var method: Method?

    @Flag(name: .customLong("rows-json"), help: "Per-row mode: include every row's fields in the JSON.")
    var rowDetails = false

    @Flag(name: .customLong("groups-json"), help: "With --group: include each tensor's kept group indices in the JSON.")
    var groupDetails = false

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    enum Method: String, EnumerableFlag {
      case fast, exact
    }

    func run() throws {
      let beta = model.beta
      let inputs = self.inputs.isEmpty ? ["-"] : self.inputs
      if inputs.contains(where: ModelAnalysis.isTensorFile) {
        let report = try Self.analyzeModel(
          paths: inputs, options: model, exact: method == .exact, rowDetails: rowDetails)
        if model.strict { try report.requireAllAnalysed() }
        print(
          json ? JSONReport.render(JSONReport.fields(of: report, keptGroups: groupDetails)) : ReportText.table(report))
        return
      }
      guard inputs.count == 1 else {
        throw CommandFailure(description: "give one text file of scores, or tensor files (.safetensors, .npy, *.index.json)")
      }
      guard method != .fast, model.mode == nil, model.tensorPatterns.isEmpty, !rowDetails, !groupDetails,
        try model.scoreCriterion == .magnitude, model.group == nil, model.groupSpecPath == nil
      else {
        throw CommandFailure(
          description: "\(TextScores.displayName(inputs[0])): --fast, --mode, --tensor, --rows-json, the criteria and groups apply to tensor files; text scores are analysed exactly")
      }
      let scores = try TextScores.read(inputs[0])
      let analysis: ExactAnalysis
      do {
        analysis = try ExactAnalysis(scores: scores, beta: beta)
      } catch {
        throw CommandFailure(description: "\(TextScores.displayName(inputs[0])): \(error)")
      }
      print(json ? JSONReport.render(JSONReport.fields(of: analysis)) : Self.text(analysis))
    }

    /// Opens `paths` and analyses their tensors as `options` say.
    ///
    /// - Throws: `CommandFailure` or `TensorIOError`, each one line naming the file.
    static func analyzeModel(
      paths: [String], options: ModelOptions, exact: Bool, rowDetails: Bool, progress: ProgressReporter? = nil
    ) throws -> ModelAnalysis {
      for path in paths + options.auxiliaryPaths { try TensorCatalog.requireRegularFile(path) }
      for path in paths where !ModelAnalysis.isTensorFile(path) {
        throw CommandFailure(description: "\(path): not a tensor file (.safetensors, .npy, *.index.json); text scores go alone")
      }
      for path in options.auxiliaryPaths where !ModelAnalysis.isTensorFile(path) {
        throw CommandFailure(description: "\(path): not a tensor file (.safetensors, .npy, *.index.json)")
      }
      return try ModelAnalysis(
        paths: paths, tensors: options.tensorPatterns, mode: options.mode ?? .perTensor, beta: options.beta,
        exact: exact, rowDetails: rowDetails, criterion: options.scoreCriterion, grouping: options.grouping,
        groupSpec: options.groupSpec, progress: progress ?? ProgressReporter(quiet: options.quiet))
    }

    /// The human-readable report of one exact analysis.
    static func text(_ analysis: ExactAnalysis) -> String {
      ReportText.lines(VectorReport(exact: analysis)).joined(separator: "\n")
    }
  }
}
