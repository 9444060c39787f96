import ArgumentParser
import Exact

/// The options `emp analyze` and `emp prune` share: what to analyse and how.
struct ModelOptions: ParsableArguments {
  @Option(help: "per-tensor (default), global (all selected float tensors as one vector) or per-row.")
  var mode: AnalysisMode?

  @Option(
    name: .customLong("tensor"),
    help: "Only tensors with this name or matching this glob (*, ?, [...]); repeatable. Default: all.")
  var tensorPatterns: [String] = []

  @Option(parsing: .unconditional, help: "The retention factor β > 0 (a decimal or p/q): EMP keeps ⌊β·N_eff⌋ scores.")
  var beta: String = "1"

  @Flag(help: "Fail when a selected floating-point tensor cannot be analysed (all zeros, NaN/Inf, no elements).")
  var strict = false

  @Flag(help: "No progress bar on standard error.")
  var quiet = false

  /// `β` as an exact positive rational.
  ///
  /// - Throws: `ScoreInput.Failure` when `--beta` is not a positive number.
  func retentionFactor() throws -> Rational {
    guard let factor = Rational(beta) else {
      throw ScoreInput.Failure(description: "--beta: '\(beta)' is not a number (a decimal or p/q)")
    }
    guard factor.signum > 0 else { throw ScoreInput.Failure(description: "--beta must be positive, got \(beta)") }
    return factor
  }
}
