import ArgumentParser

/// The `emp` command: Effective Model Pruning, computed exactly and fast.
@main
struct EMP: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "emp",
    abstract: "Effective Model Pruning: how many scored components to keep, computed exactly.",
    discussion: """
      EMP keeps the ν = ⌊β·N_eff⌋ largest scores, where N_eff = (Σ|s|)² / Σs² is the \
      inverse Simpson index of the normalised scores. Without a subcommand, emp analyses \
      a small built-in example.
      """,
    version: EMPVersion.current,
    subcommands: [
      Example.self, Analyze.self, Prune.self, Neff.self, Bound.self, Search.self, Verify.self,
      Conformance.self, Plot.self,
    ],
    defaultSubcommand: Example.self)
}
