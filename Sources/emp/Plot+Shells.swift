import ArgumentParser
import _EMPPlot

extension EMP.Plot {
  /// `emp plot shells`: the simplex of N = 3, the ordered simplex Δ↓, its shells A_1 and
  /// A_2, and where Theorem 4.2 puts and where the true infimum lies for ν = 1.
  struct ShellsFigure: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "shells",
      abstract: "Draw the shells of N_eff on the ordered simplex Δ↓ for N = 3.",
      discussion: """
        The 2-simplex Δ (vertices e1, e2, e3) is drawn in barycentric projection, which \
        preserves distances up to scale, so the spheres ‖ω − ζ[3]‖ = r of constant N_eff are \
        circles about the centre ζ[3] = u3. Shaded: the shells A_1 (1 ≤ N_eff < 2) and A_2 \
        (2 ≤ N_eff < 3) of Δ↓ = triangle u1 u2 u3, and the part of A_1 where the kept mass \
        ω1 is below the paper's bound B(3, 1). Marked: the paper's extremal point p_1, the \
        point u_2 that the infimum T(1, 1, 3) approaches, and the scores (3, 2, 0).
        """)

    @OptionGroup var output: PlotOutput

    func run() throws {
      let figure = try ShellsDiagram()
      try output.write(figure.document)
      figure.facts.forEach { print($0) }
    }
  }
}
