import ArgumentParser
import _EMPPlot
import Foundation

extension EMP.Plot {
  /// `emp plot bound`: Theorem 4.2's bound `B(N, ν)` and the exact tight infimum
  /// `T(ν, ν, N)` against ν, with the kept mass `s_eff` of seeded random score vectors.
  struct BoundFigure: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "bound",
      abstract: "Draw B(N, ν) against T(ν, ν, N) over ν, with s_eff of sampled score vectors.",
      discussion: """
        For each N, the paper's bound B(N, ν) (solid) and the tight infimum T(ν, ν, N) \
        (dashed) are drawn over ν on a logarithmic axis; they differ only at ν = 1, N ≥ 3 \
        (Proofs/theorem-4.2.md). Each sampled vector (β = 1) is drawn at (ν, s_eff). A vector \
        has l nonzero scores, l drawn log-uniformly from 1...N (a uniform power-of-two bucket, \
        then uniform inside it): a head score uniform in 1...1000·l, then l − 1 scores that \
        are all 1000 (with probability 1/2) or each uniform in 1...1000. Every s_eff and \
        every comparison with B and T is exact; the summary counts the vectors below each.
        """)

    @Option(name: .customLong("n"), help: "The values of N, comma-separated, each at least 2.")
    var counts: String = "10,50,1000"

    @Option(help: "How many random score vectors to sample per N.")
    var samples: Int = 120

    @Option(help: "The seed of the sampler (SplitMix64).")
    var seed: UInt64 = 1

    @OptionGroup var output: PlotOutput

    func validate() throws {
      guard samples >= 0 else { throw ValidationError("--samples must not be negative.") }
    }

    func run() throws {
      let figure = try BoundPlot(counts: Self.parseCounts(counts), countsText: counts, samples: samples, seed: seed)
      try output.write(figure.document)
      figure.facts.forEach { print($0) }
    }

    /// Parses `--n`: comma-separated integers, each at least 2.
    ///
    /// - Throws: `CommandFailure` naming the bad entry.
    static func parseCounts(_ text: String) throws -> [Int] {
      let entries = text.split(separator: ",", omittingEmptySubsequences: false)
      return try entries.map { entry in
        guard let count = Int(entry.trimmingCharacters(in: .whitespaces)), count >= 2 else {
          throw CommandFailure(description: "--n: '\(entry)' is not an integer N ≥ 2")
        }
        return count
      }
    }
  }
}
