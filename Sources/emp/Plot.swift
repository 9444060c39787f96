import EMPModel
import ArgumentParser
import EMPReference
import Exact
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

extension Surd {
  /// The value as a `Double` for drawing: the lower end of a 2⁻⁶⁴-wide exact enclosure,
  /// rounded to nearest, so within 2⁻⁶⁴ + 2⁻⁵³·|value| of the value — far below the 0.01
  /// user units figures are written in.
  var plotted: Double { Double(enclosure(bits: 64).lowerBound) }
}

/// The colours of successive series (colour-blind-safe, from Okabe and Ito).
enum PlotPalette {
  /// Blue, vermillion, bluish green, reddish purple, orange, sky blue.
  static let colors = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]

  /// The colour of series `index`, cycling.
  static func color(_ index: Int) -> String { colors[index % colors.count] }
}
