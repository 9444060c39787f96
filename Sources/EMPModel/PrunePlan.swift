import EMPCore
import EMPFast
import Exact
import TensorIO

/// How `emp prune` treats each tensor of a model, from a fast `ModelAnalysis`, and the
/// streaming pass that applies it chunk by chunk: the keep mask comes from the scores, and
/// the weights it does not keep are set to zero.
struct PrunePlan {
  /// What happens to one tensor.
  enum Rule {
    /// Zero the weights whose scores `cut` does not keep; the tensor's first score has global
    /// index `startIndex`.
    case cut(Cut, startIndex: Int)
    /// Zero the weights whose global index is not in `kept` (ascending): the exact
    /// reference's choice where no cut expresses it; the tensor starts at `startIndex`.
    case indices([Int], startIndex: Int)
    /// Analyse and prune each row of `columns` scores on its own.
    case rows(columns: Int)
    /// Zero the groups of `layout` not in `kept` (elements in no group are kept).
    case groups(GroupLayout, kept: [Bool])
    /// Copy the tensor unchanged (not selected, not a float tensor, or undefined), and why.
    case copy(String)
  }

  let beta: Rational
  /// The scores of the analysed tensors, paired with the weights.
  let scorer: Scorer
  private let rules: [String: Rule]

  /// The rules of `analysis`; tensors it did not select are copied. The analysed tensors are
  /// scored by `scorer` (prepared here).
  ///
  /// - Precondition: the analysis is a fast one.
  /// - Throws: what `Scorer.prepare` throws.
  init(_ analysis: ModelAnalysis, scorer: Scorer) throws {
    precondition(!analysis.isExact, "PrunePlan: pruning uses the fast analysis")
    beta = analysis.beta
    self.scorer = scorer
    var rules: [String: Rule] = [:]
    for result in analysis.tensors {
      rules[result.tensor.path + "\u{0}" + result.name] =
        switch (result.undefinedReason, result.outcome) {
        case (let why?, _), (nil, .undefined(let why)): .copy(why)
        case (nil, .vector(_, let cut)): cut.map { .cut($0, startIndex: 0) } ?? .indices(result.keptIndices!, startIndex: 0)
        case (nil, .share(_, let startIndex)):
          analysis.globalCut.map { .cut($0, startIndex: startIndex) }
            ?? .indices(analysis.globalKeptIndices!, startIndex: startIndex)
        case (nil, .rows(let rows)): result.keptIndices.map { .indices($0, startIndex: 0) } ?? .rows(columns: rows.columns)
        case (nil, .groups(let groups)):
          .groups(groups.layout, kept: Self.membership(groups.keptGroups, count: groups.groupCount))
        }
    }
    self.rules = rules
    let pruned = analysis.tensors.filter { if case .copy = rules[$0.tensor.path + "\u{0}" + $0.name]! { false } else { true } }
    _ = try scorer.prepare(pruned.map(\.tensor))
  }

  /// `kept` (ascending indices below `count`) as a membership table.
  private static func membership(_ kept: [Int], count: Int) -> [Bool] {
    var table = [Bool](repeating: false, count: count)
    for index in kept { table[index] = true }
    return table
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
    of tensor: LocatedTensor, rule: Rule,
    _ body: (_ pruned: MutableScoreBuffer, _ mask: UnsafeMutableBufferPointer<UInt8>) throws -> Void
  ) throws -> Int {
    let multiple: Int
    switch rule {
    case .rows(let columns): multiple = columns
    case .groups(let layout, _): multiple = layout.columns
    case .cut, .indices: multiple = 1
    case .copy: preconditionFailure("PrunePlan: a copied tensor is not pruned")
    }
    var offset = 0
    var kept = 0
    try scorer.forEachChunk(of: tensor, multiple: multiple, withWeights: true) { scores, weights in
      let pruned = weights!.mutableCopy()
      defer { pruned.deallocate() }
      let mask = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: scores.count)
      defer { mask.deallocate() }
      switch rule {
      case .cut(let cut, let startIndex):
        cut.writeMask(of: scores, startIndex: startIndex + offset, into: .bytes(mask))
      case .indices(let kept, let startIndex):
        mask.update(repeating: 0)
        let start = startIndex + offset
        for index in kept[kept.positions(of: start..<start + scores.count)] { mask[index - start] = 1 }
      case .rows(let columns):
        // Undefined tensors are copied, so no row here holds NaN or Inf.
        let analyses = try ModelAnalysis.analyzeRows(scores, columns: columns, beta: beta, offset: offset)
        for (row, analysis) in analyses.enumerated() {
          let range = row * columns..<(row + 1) * columns
          guard let cut = analysis?.cut else {
            UnsafeMutableBufferPointer(rebasing: mask[range]).update(repeating: 1)
            continue
          }
          cut.writeMask(
            of: scores.slice(range), into: .bytes(UnsafeMutableBufferPointer(rebasing: mask[range])),
            options: FastEMP.Options(threads: 1))
        }
      case .groups(let layout, let keptGroups):
        for i in mask.indices { mask[i] = layout.group(ofElement: offset + i).map { keptGroups[$0] } ?? true ? 1 : 0 }
      case .copy: break
      }
      pruned.zero(where: UnsafeBufferPointer(mask))
      kept += mask.reduce(0) { $0 + Int($1) }
      try body(pruned, mask)
      offset += scores.count
    }
    return kept
  }
}

extension MutableScoreBuffer {
  /// Sets to +0 each score whose `mask` byte is 0 (every byte is 0 or 1): the bits are
  /// cleared with an integer mask, without a branch, so the loop vectorises.
  func zero(where mask: UnsafeBufferPointer<UInt8>) {
    func clear<T, Bits: FixedWidthInteger & UnsignedInteger>(_ scores: UnsafeMutableBufferPointer<T>, as _: Bits.Type) {
      scores.withMemoryRebound(to: Bits.self) { bits in
        for i in bits.indices { bits[i] &= 0 &- Bits(truncatingIfNeeded: mask[i]) }
      }
    }
    switch self {
    case .float16(let b): clear(b, as: UInt16.self)
    case .bfloat16(let b): clear(b, as: UInt16.self)
    case .float32(let b): clear(b, as: UInt32.self)
    case .float64(let b): clear(b, as: UInt64.self)
    }
  }
}
