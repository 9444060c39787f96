import ArgumentParser
import EMPModel
import Exact

/// The options `emp analyze` and `emp prune` share: what to analyse and how.
struct ModelOptions: ParsableArguments {
  @Option(help: "per-tensor (default), global (all selected float tensors as one vector) or per-row.")
  var mode: AnalysisMode?

  @Option(
    name: .customLong("tensor"),
    help: "Only tensors with this name or matching this glob (*, ?, [...]); repeatable. Default: all.")
  var tensorPatterns: [String] = []

  @Option(parsing: .unconditional, help: "The retention factor β > 0 (a decimal or p/q, exact): EMP keeps ⌊β·N_eff⌋ scores.")
  var beta: Rational = 1

  @Flag(help: "Fail when a selected floating-point tensor cannot be analysed (all zeros, NaN/Inf, no elements).")
  var strict = false

  @Flag(help: "No progress bar on standard error.")
  var quiet = false

  func validate() throws {
    // Not a ValidationError: one line, like every other bad input, without the usage.
    guard beta.signum > 0 else { throw CommandFailure(description: "--beta must be positive, got \(beta)") }
  }
}

extension AnalysisMode: ExpressibleByArgument {}

extension Rational: ExpressibleByArgument {
  /// `β` from the command line: a decimal (`0.5`, `1e-3`) or a fraction `p/q`, exactly.
  public init?(argument: String) { self.init(argument) }
}
