import ArgumentParser
import _EMPPlot
import Foundation

extension EMP.Plot {
  /// `emp plot tensors`: `N_eff/N` and the sparsity of each tensor of a model file, from the
  /// per-tensor analysis `emp analyze` prints.
  struct TensorsFigure: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "tensors",
      abstract: "Draw N_eff/N and the sparsity 1 − ν/N of each tensor of a model file.",
      discussion: """
        The tensors are analysed per tensor by the fast path, as `emp analyze MODEL` does \
        (same --tensor selection and --beta; --mode accepts only per-tensor); each gets a bar of N_eff/N and a bar of the \
        sparsity 1 − ν/N, in file order. A tensor with no analysis (not a float type, no \
        elements, all zeros, NaN/Inf) is drawn as a gap labelled with the reason and listed \
        on standard output. The figure names the model by its file name.
        """)

    @Argument(help: "The model: a .safetensors file, a sharded model's *.index.json or a .npy file.")
    var model: String

    @OptionGroup var options: ModelOptions

    @OptionGroup var output: PlotOutput

    func validate() throws {
      guard (options.mode ?? .perTensor) == .perTensor else {
        throw ValidationError("emp plot tensors draws the per-tensor analysis; --mode must be per-tensor.")
      }
    }

    func run() throws {
      let analysis = try EMP.Analyze.analyzeModel(paths: [model], options: options, exact: false, rowDetails: false)
      let tensors = analysis.tensors.map(TensorSummary.init)
      let source = URL(fileURLWithPath: model).lastPathComponent
      try output.write(TensorBars.document(for: tensors, source: source, beta: analysis.beta))
      for (name, reason) in analysis.leftOut {
        print("not drawn: \(name): \(reason)")
      }
    }
  }
}
