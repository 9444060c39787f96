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

  @Option(
    help: ArgumentHelp(
      "Scores from tensor files: each selected tensor takes the tensor of the same name and shape (any float dtype).",
      valueName: "file"))
  var scores: String?

  @Option(help: "How weights are scored: magnitude (|w|, default), wanda (|W_ij|·‖X_j‖₂) or taylor (|w·g|).")
  var criterion: Criterion?

  @Option(help: ArgumentHelp("wanda: the input-feature norms, a tensor [in] per weight [out, in], same names.", valueName: "file"))
  var activations: String?

  @Option(help: ArgumentHelp("taylor: the gradients, same names and shapes as the weights.", valueName: "file"))
  var gradients: String?

  @Option(help: "Prune groups as units: rows, columns, rows:K or columns:K (K consecutive rows or columns).")
  var group: Grouping?

  @Option(name: .customLong("group-norm"), help: "A group's score: l1 (Σ|s|, default), sq (Σs²) or l2 (√Σs²).")
  var groupNorm: Grouping.Norm?

  @Option(
    name: .customLong("group-spec"),
    help: ArgumentHelp("Groups that span tensors (heads across q, k, v and o), as JSON families of member slices.", valueName: "file"))
  var groupSpecPath: String?

  @Flag(help: "Fail when a selected floating-point tensor cannot be analysed (all zeros, NaN/Inf, no elements).")
  var strict = false

  @Flag(help: "No progress bar on standard error.")
  var quiet = false

  /// How weights are scored, besides scores read from a file.
  enum Criterion: String, ExpressibleByArgument, CaseIterable {
    case magnitude, wanda, taylor
  }

  func validate() throws {
    // Not ValidationErrors: one line, like every other bad input, without the usage.
    guard beta.signum > 0 else { throw CommandFailure(description: "--beta must be positive, got \(beta)") }
    _ = try scoreCriterion
    if groupNorm != nil, group == nil, groupSpecPath == nil {
      throw CommandFailure(description: "--group-norm needs --group or --group-spec")
    }
    if group != nil || groupSpecPath != nil, mode == .perRow {
      throw CommandFailure(description: "--group and --group-spec apply to per-tensor and global modes, not per-row")
    }
    if groupSpecPath != nil, group != nil || !tensorPatterns.isEmpty {
      throw CommandFailure(description: "--group-spec selects its tensors and groups; it does not combine with --group or --tensor")
    }
  }

  /// The criterion the options name.
  ///
  /// - Throws: `CommandFailure` when they conflict or miss a file.
  var scoreCriterion: ScoreCriterion {
    get throws {
      if let scores {
        guard criterion == nil || criterion == .magnitude, activations == nil, gradients == nil else {
          throw CommandFailure(description: "--scores gives the scores; it does not combine with --criterion, --activations or --gradients")
        }
        return .scores(paths: [scores])
      }
      switch criterion ?? .magnitude {
      case .magnitude:
        guard activations == nil, gradients == nil else {
          throw CommandFailure(description: "--activations goes with --criterion wanda, --gradients with --criterion taylor")
        }
        return .magnitude
      case .wanda:
        guard let activations, gradients == nil else {
          throw CommandFailure(description: "--criterion wanda needs --activations FILE (and no --gradients)")
        }
        return .wanda(activations: [activations])
      case .taylor:
        guard let gradients, activations == nil else {
          throw CommandFailure(description: "--criterion taylor needs --gradients FILE (and no --activations)")
        }
        return .taylor(gradients: [gradients])
      }
    }
  }

  /// The grouping the options name, if any.
  var grouping: Grouping? { group.map { Grouping(axis: $0.axis, size: $0.size, norm: groupNorm ?? .l1) } }

  /// The group spec the options name, its norm set by `--group-norm`.
  ///
  /// - Throws: what reading the file throws.
  var groupSpec: GroupSpec? {
    get throws {
      guard let groupSpecPath else { return nil }
      var spec = try GroupSpec(contentsOf: groupSpecPath)
      spec.norm = groupNorm ?? spec.norm
      return spec
    }
  }

  /// The model files the options read besides the model itself.
  var auxiliaryPaths: [String] { [scores, activations, gradients].compactMap { $0 } }
}

extension Grouping: ExpressibleByArgument {
  /// `--group rows`, `columns`, `rows:K` or `columns:K`.
  public init?(argument: String) { self.init(argument) }
}

extension Grouping.Norm: ExpressibleByArgument {}

extension AnalysisMode: ExpressibleByArgument {}

extension Rational: ExpressibleByArgument {
  /// `β` from the command line: a decimal (`0.5`, `1e-3`) or a fraction `p/q`, exactly.
  public init?(argument: String) { self.init(argument) }
}
