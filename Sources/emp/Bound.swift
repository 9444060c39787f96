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

        With --beta β, EMP keeps ⌊β·N_eff⌋ scores (clamped to [1, N]), so in shell m it keeps \
        exactly k scores only where N_eff lies in a band [a, b) ⊆ [m, m + 1), which may be \
        empty. The tight infimum I(k, a, b, N) of the mass kept over that band is printed \
        beside T (Proofs/band-infimum.md); T is a valid lower bound there but need not be tight.

        Examples:
          emp bound --n 3 --nu 1
          emp bound --n 1000 --nu 30 --k 15 --json
          emp bound --n 10 --nu 1 --k 1 --beta 3/2
        """)

    @Option(name: .customLong("n"), help: "The number of scores N ≥ 2.")
    var count: Int

    @Option(name: .customLong("nu"), help: "The shell m, 1 ≤ m ≤ N (m ≤ N_eff < m + 1; the paper's ν).")
    var shell: Int

    @Option(name: .customLong("k"), help: "How many of the largest weights are kept, 1 ≤ k ≤ N (default m).")
    var kept: Int?

    @Option(
      parsing: .unconditional,
      help: "A retention factor β > 0 (a decimal or p/q, exact): also the tight infimum over the N_eff of shell m at which β keeps k scores.")
    var beta: Rational?

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
      if let beta, beta.signum <= 0 { throw CommandFailure(description: "--beta must be positive, got \(beta)") }
      let atBeta = beta.map { BandInfimum(keeping: k, shell: shell, beta: $0, count: count) }
      let bound = PaperBound.value(count: count, retentionCount: shell)
      let tight = TightInfimum(keeping: k, shell: shell, count: count)
      let theorem = k == shell ? tight : TightInfimum(keeping: shell, shell: shell, count: count)
      let valid = bound <= theorem.value
      if json {
        print(
          JSONReport.render(
            JSONReport.fields(bound: bound, tight: tight, paperBoundValid: valid, beta: beta, atBeta: atBeta)))
        return
      }
      let order = Surd.compare(bound, theorem.value)
      var lines = [
        "N = \(count), m = \(shell), k = \(k)",
        "paper bound    B(N, m) ≈ \(bound.decimalString(significantDigits: 17))  [= \(bound)]",
        "tight infimum  T(k, m, N) ≈ \(tight.value.decimalString(significantDigits: 17))  [= \(tight.value)]",
        "extremal point \(tight.point) (\(tight.isAttained ? "attained" : "approached, N_eff = m + 1"))",
      ]
      if let beta, let atBeta { lines += Self.lines(atBeta, beta: beta) }
      lines.append(
        "paper bound valid: \(valid ? "yes" : "NO"): B \(order < 0 ? "<" : order == 0 ? "=" : ">") T(m, m, N) (decided exactly)")
      print(lines.joined(separator: "\n"))
    }

    /// The lines of the tight infimum over the band of a fixed β: the band exactly (or that
    /// it is empty), the infimum and where it is attained or approached.
    static func lines(_ atBeta: BandInfimum, beta: Rational) -> [String] {
      guard let band = atBeta.band else {
        return ["band at β      empty: at β = \(beta), EMP keeps k scores for no N_eff in shell m"]
      }
      let interval = "[\(band.lowerBound), \(band.upperBound))"
      guard let value = atBeta.value, let point = atBeta.point else {
        return ["band at β      \(interval): empty, as N_eff ≤ N for every vector"]
      }
      return [
        "band at β      \(interval): the N_eff of shell m at which β = \(beta) keeps k scores",
        "infimum at β   I(k, band, N) ≈ \(value.decimalString(significantDigits: 17))  [= \(value)]",
        "point at β     \(point) (\(atBeta.isAttained ? "attained" : "approached, N_eff = \(band.upperBound)"))",
      ]
    }
  }
}
