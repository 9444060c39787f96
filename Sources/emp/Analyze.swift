import ArgumentParser
import EMPCore
import EMPReference
import Exact

extension EMP {
  /// `emp analyze`: the exact EMP analysis of one score vector, with Theorem 4.2 decided.
  struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Analyse one score vector exactly: N_eff, ν, s_eff, Theorem 4.2 and the tight bound.",
      discussion: """
        Scores are read as for `emp neff` (decimals or fractions p/q, parsed exactly). The \
        paper's bound B(N, ν) is decided exactly (it needs N ≥ 2); the tight infimum \
        T(ν, m, N) over the shell m = ⌊N_eff⌋ is the best bound that holds for every vector \
        of that shell. Irrational values print correctly rounded to 17 digits.
        """)

    @Argument(help: "A file of scores, or - for standard input.")
    var input: String = "-"

    @Option(parsing: .unconditional, help: "The retention factor β > 0 (a decimal or p/q): EMP keeps ⌊β·N_eff⌋ scores.")
    var beta: String = "1"

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func run() throws {
      guard let factor = Rational(beta) else {
        throw ScoreInput.Failure(description: "--beta: '\(beta)' is not a number (a decimal or p/q)")
      }
      guard factor.signum > 0 else { throw ScoreInput.Failure(description: "--beta must be positive, got \(beta)") }
      let scores = try ScoreInput.read(input)
      let analysis: ExactAnalysis
      do {
        analysis = try ExactAnalysis(scores: scores, beta: factor)
      } catch {
        throw ScoreInput.Failure(description: "\(ScoreInput.displayName(input)): \(error)")
      }
      print(json ? JSONReport.render(JSONReport.fields(of: analysis)) : Self.text(analysis))
    }

    /// The human-readable report.
    static func text(_ analysis: ExactAnalysis) -> String {
      func both(_ x: Rational) -> String { "\(x) ≈ \(x.decimalString(significantDigits: 17))" }
      func approx(_ x: Surd) -> String { x.decimalString(significantDigits: 17) }
      let tight = analysis.tightInfimum
      var lines = [
        "N            \(analysis.count)",
        "N_eff        \(both(analysis.effectiveSampleSize))",
        "ν            \(analysis.retentionCount)  (β = \(analysis.beta), shell ⌊N_eff⌋ = \(analysis.shell))",
        "sparsity     \(both(analysis.sparsity))",
        "s_eff        \(both(analysis.preservedMass))",
        "pruned mass  \(both(analysis.prunedMass))",
      ]
      if let paper = analysis.paperBound {
        lines += [
          "paper bound  B(N, ν) ≈ \(approx(paper.bound))  [= \(paper.bound)]",
          "bound holds  \(paper.holds ? "yes" : "NO"): s_eff \(paper.holds ? "≥" : "<") B (decided exactly)",
          "margin       s_eff − B ≈ \(approx(paper.margin))",
        ]
      } else {
        lines.append("paper bound  not applicable (Theorem 4.2 needs N ≥ 2)")
      }
      lines += [
        "tight bound  T(ν, \(analysis.shell), N) ≈ \(approx(tight.value))  [= \(tight.value)], "
          + "\(tight.isAttained ? "attained" : "approached") at \(tight.point)",
        "tight margin s_eff − T ≈ \(approx(analysis.tightMargin))",
      ]
      return lines.joined(separator: "\n")
    }
  }
}
