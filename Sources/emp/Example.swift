import EMPModel
import ArgumentParser
import Foundation

extension EMP {
  /// `emp example` (and `emp` alone): analyses the built-in example model and explains the numbers.
  struct Example: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Analyse the built-in example model and explain what the numbers mean (what `emp` alone runs).",
      discussion: """
        The example is a small safetensors file shipped with emp: four weight tensors (F32, \
        BF16, F16) with heavy-tailed values and one integer tensor, made by \
        make-default-model.py beside it.
        """)

    @Flag(help: "Print only the path of the example file (to try other commands on it).")
    var path = false

    func run() throws {
      guard let file = Bundle.module.path(forResource: "default-model", ofType: "safetensors") else {
        throw CommandFailure(description: "the built-in example model is missing from emp's resources")
      }
      if path {
        print(file)
        return
      }
      let options = try ModelOptions.parse(["--quiet"])
      let analysis = try Analyze.analyzeModel(paths: [file], options: options, exact: false, rowDetails: false)
      print("EMP on the built-in example model (per-tensor mode, β = 1):\n")
      print(ReportText.table(analysis))
      print("\n" + Self.explanation)
    }

    /// What the columns mean and what to run next.
    static let explanation = """
      What the numbers mean, for each tensor's scores s (here: its weights):
        N_eff     (Σ|s|)² / Σs², the effective number of scores: N if all are equal, 1 if one dominates.
        ν         ⌊β·N_eff⌋, how many of the largest |s| EMP keeps; the rest are pruned.
        sparsity  1 − ν/N, the fraction of scores pruned.
        s_eff     the fraction of the mass Σ|s| the kept scores carry.
        B(N,ν)    the paper's lower bound on s_eff (Theorem 4.2); s_eff≥B says whether it holds.
        T(ν,m,N)  the exact tight lower bound on s_eff over all vectors with ⌊N_eff⌋ = m.
      ν is exact and every printed digit is certified (run with --exact to compute all of it exactly).

      Next:
        emp analyze your-model.safetensors              # per tensor; --mode global|per-row, --json
        emp prune your-model.safetensors pruned.safetensors --mask masks.safetensors
        emp bound --n 1000 --nu 10                      # the paper's bound against the tight one
        emp example --path                              # where this example file is
      """
  }
}
