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

  /// The criterion's files hold no tensor pairing with a selected tensor.
  case missingPartner(tensor: String, role: String, files: String)
  /// The tensor pairing with a selected tensor has the wrong shape.
  case partnerShapeMismatch(tensor: String, role: String, file: String, expected: [Int], found: [Int])
  /// The tensor pairing with a selected tensor is not floating-point.
  case partnerNotFloatingPoint(tensor: String, role: String, file: String, dtype: String)
  /// A Wanda input-feature norm is negative, NaN or infinite (`index` from 0).
  case invalidFeatureNorm(tensor: String, file: String, index: Int, value: String)
  /// A score computed or read for a tensor is NaN or infinite (`index` from 0, C order).
  case nonFiniteScore(tensor: String, criterion: String, index: Int)
  /// A structured grouping does not fit a tensor.
  case groupingDoesNotFit(tensor: String, reason: String)
  /// A group spec file is not valid JSON of the expected shape.
  case invalidGroupSpec(file: String, reason: String)
  /// A group spec names a tensor the model does not have.
  case unknownGroupTensor(tensor: String, family: String)
  /// Two member slices of a group spec name the same tensor (`overlapping`: and share elements).
  case repeatedGroupTensor(tensor: String, families: [String], overlapping: Bool)
  /// Options that do not go together.
  case incompatibleOptions(String)

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
    case .missingPartner(let tensor, let role, let files):
      "tensor \"\(tensor)\": no \(role) of that name in \(files)"
    case .partnerShapeMismatch(let tensor, let role, let file, let expected, let found):
      "tensor \"\(tensor)\": its \(role) in \(file) have shape \(found), expected \(expected)"
    case .partnerNotFloatingPoint(let tensor, let role, let file, let dtype):
      "tensor \"\(tensor)\": its \(role) in \(file) are \(dtype), not a floating-point type"
    case .invalidFeatureNorm(let tensor, let file, let index, let value):
      "tensor \"\(tensor)\": input-feature norm \(index) (0-based) in \(file) is \(value); norms are finite and ≥ 0"
    case .nonFiniteScore(let tensor, let criterion, let index):
      "tensor \"\(tensor)\": its \(criterion) score at 0-based index \(index) is NaN or infinite"
    case .groupingDoesNotFit(let tensor, let reason):
      "tensor \"\(tensor)\": \(reason)"
    case .invalidGroupSpec(let file, let reason):
      "\(file): not a group spec: \(reason)"
    case .unknownGroupTensor(let tensor, let family):
      "--group-spec family \(family): no tensor \"\(tensor)\" in the model"
    case .repeatedGroupTensor(let tensor, let families, let overlapping):
      "tensor \"\(tensor)\": named twice by --group-spec (families \(families.joined(separator: " and ")))"
        + (overlapping ? ", by slices that overlap" : "; a tensor takes part in one member slice")
    case .incompatibleOptions(let reason):
      reason
    }
  }
}
