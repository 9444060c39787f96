import ArgumentParser
import EMPModel
import EMPReference
import Exact

extension EMP {
  /// `emp bound`: the paper's bound B(N, m) against the exact tight infimum T(k, m, N).
  struct Bound: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Compare Theorem 4.2's bound B(N, m) with the exact tight infimum T(k, m, N).",
      discussion: """
        m is the shell ⌊N_eff⌋ (the paper's ν: at β = 1 EMP keeps ν = m scores) and k the \
        number of largest weights kept. T(k, m, N) is the infimum of the mass they keep over \
        all weight vectors with m ≤ N_eff < m + 1. The paper's bound is valid for (N, m) iff \
        B(N, m) ≤ T(m, m, N), decided exactly (whatever --k is). B(N, N) is defined as 1.

        Examples:
          emp bound --n 3 --nu 1
          emp bound --n 1000 --nu 30 --k 15 --json
        """)

    @Option(name: .customLong("n"), help: "The number of scores N ≥ 2.")
    var count: Int

    @Option(name: .customLong("nu"), help: "The shell m, 1 ≤ m ≤ N (m ≤ N_eff < m + 1; the paper's ν).")
    var shell: Int

    @Option(name: .customLong("k"), help: "How many of the largest weights are kept, 1 ≤ k ≤ N (default m).")
    var kept: Int?

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func run() throws {
      guard count >= 2 else { throw CommandFailure(description: "--n must be at least 2 (got \(count))") }
      guard (1...count).contains(shell) else {
        throw CommandFailure(description: "--nu must be between 1 and N = \(count) (got \(shell))")
      }
      let k = kept ?? shell
      guard (1...count).contains(k) else {
        throw CommandFailure(description: "--k must be between 1 and N = \(count) (got \(k))")
      }
      let bound = PaperBound.value(count: count, retentionCount: shell)
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
        N = \(count), m = \(shell), k = \(k)
        paper bound    B(N, m) ≈ \(bound.decimalString(significantDigits: 17))  [= \(bound)]
        tight infimum  T(k, m, N) ≈ \(tight.value.decimalString(significantDigits: 17))  [= \(tight.value)]
        extremal point \(tight.point) (\(tight.isAttained ? "attained" : "approached, N_eff = m + 1"))
        paper bound valid: \(valid ? "yes" : "NO"): B \(order < 0 ? "<" : order == 0 ? "=" : ">") T(m, m, N) (decided exactly)
        """)
    }
  }
}
