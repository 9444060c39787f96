import EMPCore
import EMPFast
import Exact
import TensorIO

/// How `emp prune` treats each tensor of a model, from a fast `ModelAnalysis`, and the
/// streaming pass that applies it chunk by chunk.
struct PrunePlan {
  /// What happens to one tensor.
  enum Rule {
    /// Zero the scores `cut` does not keep; the tensor's first score has global index `startIndex`.
    case cut(Cut, startIndex: Int)
    /// Analyse and prune each row of `columns` scores on its own.
    case rows(columns: Int)
    /// Copy the tensor unchanged (not selected, not a float tensor, or undefined), and why.
    case copy(String)
  }

  let beta: Rational
  private let rules: [String: Rule]

  /// The rules of `analysis`; tensors it did not select are copied.
  ///
  /// - Precondition: the analysis is a fast one.
  init(_ analysis: ModelAnalysis) {
    precondition(!analysis.isExact, "PrunePlan: pruning uses the fast analysis")
    beta = analysis.beta
    var rules: [String: Rule] = [:]
    for result in analysis.tensors {
      rules[result.tensor.path + "\u{0}" + result.name] =
        switch (result.undefinedReason, result.outcome) {
        case (let why?, _), (nil, .undefined(let why)): .copy(why)
        case (nil, .vector(_, let cut)): .cut(cut!, startIndex: 0)
        case (nil, .share(_, let startIndex)): .cut(analysis.globalCut!, startIndex: startIndex)
        case (nil, .rows(let rows)): .rows(columns: rows.columns)
        }
    }
    self.rules = rules
  }

  /// The rule of `tensor`.
  func rule(for tensor: LocatedTensor) -> Rule {
    rules[tensor.path + "\u{0}" + tensor.descriptor.name] ?? .copy("not selected")
  }

  /// Streams `tensor` through `rule`: `body` gets each chunk pruned (scores zeroed in a
  /// copy) and its keep mask (1 kept, 0 pruned), in order.
  ///
  /// A row of zeros (per-row mode) has no `N_eff` and is left as it is (mask 1).
  ///
  /// - Precondition: `rule` is not `.copy`.
  /// - Returns: how many scores were kept.
  /// - Throws: `TensorIOError`, or what `body` throws.
  func forEachPrunedChunk(
    of tensor: LocatedTensor, rule: Rule, files: ModelFiles,
    _ body: (_ pruned: MutableScoreBuffer, _ mask: UnsafeMutableBufferPointer<UInt8>) throws -> Void
  ) throws -> Int {
    let multiple: Int
    switch rule {
    case .rows(let columns): multiple = columns
    case .cut: multiple = 1
    case .copy: preconditionFailure("PrunePlan: a copied tensor is not pruned")
    }
    var offset = 0
    var kept = 0
    try files.forEachChunk(of: tensor, multiple: multiple) { chunk in
      let pruned = chunk.mutableCopy()
      defer { pruned.deallocate() }
      let mask = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: chunk.count)
      defer { mask.deallocate() }
      switch rule {
      case .cut(let cut, let startIndex):
        cut.writeMask(of: chunk, startIndex: startIndex + offset, into: .bytes(mask))
        cut.prune(pruned, startIndex: startIndex + offset)
      case .rows(let columns):
        // Undefined tensors are copied, so no row here holds NaN or Inf.
        let analyses = try ModelAnalysis.analyzeRows(chunk, columns: columns, beta: beta, offset: offset)
        for (row, analysis) in analyses.enumerated() {
          let range = row * columns..<(row + 1) * columns
          guard let cut = analysis?.cut else {
            UnsafeMutableBufferPointer(rebasing: mask[range]).update(repeating: 1)
            continue
          }
          cut.writeMask(
            of: chunk.slice(range), into: .bytes(UnsafeMutableBufferPointer(rebasing: mask[range])),
            options: FastEMP.Options(threads: 1))
          cut.prune(pruned.slice(range), options: FastEMP.Options(threads: 1))
        }
      case .copy: break
      }
      kept += mask.reduce(0) { $0 + Int($1) }
      try body(pruned, mask)
      offset += chunk.count
    }
    return kept
  }
}
