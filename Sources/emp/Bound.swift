import ArgumentParser
import EMPReference
import Exact

extension EMP {
  /// `emp bound`: the paper's bound B(N, ν) against the exact tight infimum T(k, ν, N).
  struct Bound: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Compare Theorem 4.2's bound B(N, ν) with the exact tight infimum T(k, ν, N).",
      discussion: """
        T(k, ν, N) is the infimum of the mass kept by the k largest weights over all weight \
        vectors with ν ≤ N_eff < ν + 1. The paper's bound is valid for (N, ν) iff \
        B(N, ν) ≤ T(ν, ν, N), decided exactly (whatever --k is). B(N, N) is defined as 1.
        """)

    @Option(name: .customLong("n"), help: "The number of scores N ≥ 2.")
    var count: Int

    @Option(name: .customLong("nu"), help: "The shell ν, 1 ≤ ν ≤ N (ν ≤ N_eff < ν + 1).")
    var shell: Int

    @Option(name: .customLong("k"), help: "How many of the largest weights are kept, 1 ≤ k ≤ N (default ν).")
    var kept: Int?

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func run() throws {
      guard count >= 2 else { throw ScoreInput.Failure(description: "--n must be at least 2 (got \(count))") }
      guard (1...count).contains(shell) else {
        throw ScoreInput.Failure(description: "--nu must be between 1 and N = \(count) (got \(shell))")
      }
      let k = kept ?? shell
      guard (1...count).contains(k) else {
        throw ScoreInput.Failure(description: "--k must be between 1 and N = \(count) (got \(k))")
      }
      let bound = PaperBound.value(count: count, shell: shell)
      let tight = TightInfimum(keeping: k, shell: shell, count: count)
      let theorem = k == shell ? tight : TightInfimum(keeping: shell, shell: shell, count: count)
      let valid = bound <= theorem.value
      if json {
        print(JSONReport.render(JSONReport.fields(bound: bound, tight: tight, paperBoundValid: valid)))
        return
      }
      let order = Surd.compare(bound, theorem.value)
      print(
        """
        N = \(count), ν = \(shell), k = \(k)
        paper bound    B(N, ν) ≈ \(bound.decimalString(significantDigits: 17))  [= \(bound)]
        tight infimum  T(k, ν, N) ≈ \(tight.value.decimalString(significantDigits: 17))  [= \(tight.value)]
        extremal point \(tight.point) (\(tight.isAttained ? "attained" : "approached, N_eff = ν + 1"))
        paper bound valid: \(valid ? "yes" : "NO"): B \(order < 0 ? "<" : order == 0 ? "=" : ">") T(ν, ν, N) (decided exactly)
        """)
    }
  }
}
