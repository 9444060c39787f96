import ArgumentParser
import _EMPPlot
import Foundation

extension EMP {
  /// `emp plot`: the figures of the notebooks, drawn as standalone SVG files.
  struct Plot: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Draw SVG figures: Theorem 4.2's bound against the tight infimum, the shells of N = 3, a model's tensors.",
      discussion: """
        Each figure is computed from the exact reference and written as a standalone SVG \
        file (axes, labels, legend). The output is byte-stable: the same command writes the \
        same bytes, so committed figures can be checked for staleness.
        """,
      subcommands: [BoundFigure.self, ShellsFigure.self, TensorsFigure.self])
  }
}

/// The `--out` option of every figure, and the writing of the file.
struct PlotOutput: ParsableArguments {
  @Option(name: .customLong("out"), help: "The SVG file to write (replaced atomically; the folder must exist).")
  var path: String

  /// Writes `document` to `path` through a temporary file and a rename, then prints
  /// `wrote PATH`.
  ///
  /// - Throws: `CommandFailure` (one line) when the file cannot be written.
  func write(_ document: SVGDocument) throws {
    do {
      try Data(document.rendered.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
      throw CommandFailure(description: "\(path): cannot write the figure")
    }
    print("wrote \(path)")
  }
}
