import EMPCore

/// What can go wrong when EMPModel reads scores or analyses and prunes a model, besides the
/// file errors (`TensorIOError`) and the score errors (`EMPInputError`) of the modules below.
///
/// `description` is one line for the user, naming the file, tensor or pattern concerned.
public enum EMPModelError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A tensor-name pattern matched no tensor of the model.
  case noTensorMatches(pattern: String)
  /// Selected floating-point tensors could not be analysed (strict analysis), with why.
  case tensorsNotAnalysed(names: [String], reasons: [String])
  /// A mask was asked for, but the model holds no floating-point tensor.
  case nothingToMask(file: String, model: String)
  /// A token of a text score file is not a finite number (`line` counts from 1).
  case invalidScore(file: String, line: Int, token: String, isNonFinite: Bool)
  /// A text score file holds no scores.
  case noScores(file: String)
  /// A model cannot be pruned as asked.
  case cannotPrune(reason: String)
  /// The scores of a file have no EMP analysis.
  case undefined(file: String, reason: EMPInputError)

  public var description: String {
    switch self {
    case .noTensorMatches(let pattern):
      "--tensor '\(pattern)': no tensor of that name"
    case .tensorsNotAnalysed(let names, let reasons):
      "--strict: \(names.count) tensor\(names.count == 1 ? "" : "s") cannot be analysed: "
        + zip(names, reasons).map { "\($0) (\($1))" }.joined(separator: "; ")
    case .nothingToMask(let file, let model):
      "\(file): no mask to write: \(model) holds no floating-point tensor"
    case .invalidScore(let file, let line, let token, let isNonFinite):
      "\(file):\(line): '\(token)' "
        + (isNonFinite
          ? "is not finite; EMP needs finite scores"
          : "is not a number (expected a decimal such as 0.51 or 1e-3, or a fraction p/q)")
    case .noScores(let file):
      "\(file): no scores found"
    case .cannotPrune(let reason):
      "cannot prune: \(reason)"
    case .undefined(let file, let reason):
      "\(file): \(reason)"
    }
  }
}
