import ArgumentParser
import EMPVerify

extension EMP {
  /// `emp conformance`: the reference vectors other implementations are verified against.
  struct Conformance: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "The conformance corpus: reference vectors with exact expected outputs.",
      subcommands: [Generate.self])

    /// `emp conformance generate DIR`: rebuilds the corpus, byte for byte.
    struct Generate: ParsableCommand {
      static let configuration = CommandConfiguration(
        abstract: "Write the conformance corpus (manifest.json and inputs/) into a directory.",
        discussion: """
          The corpus is a function of the seed alone: the same seed writes the same bytes on \
          every machine. Expected values are derived by the exact reference. The committed \
          corpus is `emp conformance generate Conformance --seed 1`.
          """)

      @Argument(help: "The corpus directory (created if needed).")
      var directory: String

      @Option(help: "The seed of the generated cases.")
      var seed: UInt64 = ConformanceCorpus.defaultSeed

      @Flag(help: "Add cases with N = 100,000 (several MB; not in the committed corpus).")
      var large = false

      func run() throws {
        let cases = ConformanceCorpus.cases(seed: seed, large: large)
        let command = "emp conformance generate DIR --seed \(seed)" + (large ? " --large" : "")
        do {
          try ConformanceCorpus.write(cases, generator: command, to: directory)
        } catch {
          throw CommandFailure(description: "\(error)")
        }
        print("wrote \(cases.count) cases to \(directory)")
      }
    }
  }
}
