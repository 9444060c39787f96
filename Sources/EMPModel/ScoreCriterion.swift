/// How EMP scores each weight of a model before it normalises the scores.
///
/// EMP does not prescribe a score: it applies to any criterion. The scores of a weight
/// tensor are computed chunk by chunk while the tensor is streamed; nothing is written.
/// Every criterion other than ``magnitude`` reads a second set of tensor files, whose
/// tensors match the model's by name (a `.npy` model pairs with one `.npy` file).
public enum ScoreCriterion: Sendable, Equatable {
  /// `|w|`, the weight's own magnitude (the default).
  case magnitude
  /// Scores read from tensor files (`.safetensors`, `*.index.json` or `.npy`): each weight
  /// tensor takes the tensor of the same name and shape, in any floating-point dtype.
  case scores(paths: [String])
  /// Wanda, `|W_ij|·‖X_j‖₂`: for each weight `W` of shape `[out, in]` the files hold a tensor of
  /// the same name and shape `[in]` with the norms of the input features. Weights of any
  /// other rank have no Wanda score and are left out.
  case wanda(activations: [String])
  /// First-order Taylor, `|w·g|`, with the gradients read from tensor files (same names and
  /// shapes as the weights).
  case taylor(gradients: [String])

  /// `magnitude`, `scores`, `wanda` or `taylor`.
  public var name: String {
    switch self {
    case .magnitude: "magnitude"
    case .scores: "scores"
    case .wanda: "wanda"
    case .taylor: "taylor"
    }
  }

  /// The files the criterion reads besides the model.
  var auxiliaryPaths: [String] {
    switch self {
    case .magnitude: []
    case .scores(let paths), .wanda(let paths), .taylor(let paths): paths
    }
  }

  /// What the auxiliary files hold, for messages.
  var auxiliaryRole: String {
    switch self {
    case .magnitude: "weights"
    case .scores: "scores"
    case .wanda: "activation norms"
    case .taylor: "gradients"
    }
  }
}
