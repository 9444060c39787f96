import ArgumentParser
import EMPModel
import Exact

extension EMP {
  /// `emp neff`: the exact effective sample size of a list of scores.
  struct Neff: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Print the exact N_eff = (Σ|s|)² / Σs² of a list of scores.",
      discussion: """
        Scores are read one per line or separated by commas or white space; each is a \
        decimal (0.51, -3, 1e-3) or a fraction p/q, and is parsed exactly. Lines starting \
        with # are comments.
        """)

    @Argument(help: "A file of scores, or - for standard input.")
    var input: String = "-"

    @Option(help: "Significant digits of the decimal N_eff.")
    var digits: Int = 20

    func validate() throws {
      guard digits >= 1 else { throw ValidationError("--digits must be at least 1.") }
    }

    func run() throws {
      let scores = try TextScores.read(input)
      let neff = try TextScores.effectiveSampleSize(of: scores, source: input)
      print("N_eff = \(neff)")
      print("      ≈ \(neff.decimalString(significantDigits: digits))")
    }
  }
}
