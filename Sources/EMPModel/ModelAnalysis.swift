import EMPCore
import EMPFast
import EMPReference
import Exact
import Foundation
import TensorIO

/// Which score vectors EMP analyses in a model.
public enum AnalysisMode: String, CaseIterable, Sendable {
  /// Each tensor is its own score vector.
  case perTensor = "per-tensor"
  /// All selected float tensors form one score vector; each tensor gets its part of the cut.
  case global
  /// Each row of each tensor (shape `[rows, …]`, the rest flattened) is its own score vector.
  case perRow = "per-row"
}

/// The per-row results of one tensor.
public struct RowSummary: Sendable {
  /// The scores per row: every dimension but the first, multiplied.
  public internal(set) var columns: Int
  /// The number of rows.
  public internal(set) var rows = 0
  /// `Σν` over the analysed rows.
  public internal(set) var kept = 0
  /// The elements of the analysed rows.
  public internal(set) var analysedCount = 0
  /// The smallest `ν` of an analysed row.
  public internal(set) var smallestRetention = Int.max
  /// The largest `ν` of an analysed row.
  public internal(set) var largestRetention = 0
  /// Rows whose scores are all zero (no `N_eff`; left as they are).
  public internal(set) var zeroRows = 0
  /// Rows whose `ν` needed the exact fallback.
  public internal(set) var fallbackRows = 0
  /// Each row's report (`nil` for a zero row), kept only when asked for.
  public internal(set) var details: [VectorReport?]?

  /// Records one row's analysis (`nil`: a zero row).
  mutating func add(_ analysis: FastAnalysis?, count: Int) {
    add(retentionCount: analysis?.retentionCount, count: count)
    if analysis?.certificate == .exactFallback { fallbackRows += 1 }
  }

  /// Records one row's exact analysis (`nil`: a zero row).
  mutating func add(_ analysis: ExactAnalysis?, count: Int) {
    add(retentionCount: analysis?.retentionCount, count: count)
  }

  /// Records one row that keeps `retentionCount` of its `count` scores (`nil`: a zero row).
  private mutating func add(retentionCount: Int?, count: Int) {
    rows += 1
    guard let retentionCount else { return zeroRows += 1 }
    kept += retentionCount
    analysedCount += count
    smallestRetention = min(smallestRetention, retentionCount)
    largestRetention = max(largestRetention, retentionCount)
  }
}

/// What one selected tensor contributes to a model's analysis.
public struct TensorResult: Sendable {
  /// The analysis of the tensor, by mode.
  public enum Outcome: Sendable {
    /// Per-tensor mode: the tensor's own analysis (and its cut, from the fast path).
    case vector(VectorReport, cut: Cut?)
    /// Global mode: how many of its scores the global cut keeps; `startIndex` is the global
    /// index of its first score.
    case share(kept: Int, startIndex: Int)
    /// Per-row mode.
    case rows(RowSummary)
    /// Structured pruning: the groups of the tensor and those kept.
    case groups(GroupResult)
    /// No analysis, and why (not a float tensor, no elements, NaN/Inf, all zero).
    case undefined(String)
  }

  /// The tensor and the file holding it.
  public let tensor: LocatedTensor
  /// Its analysis.
  public internal(set) var outcome: Outcome
  /// Per-tensor and per-row modes: the kept indices (ascending) when the exact reference
  /// decided them for the fast path (rounded products), which then has no cut.
  var keptIndices: [Int]?

  /// The tensor's name.
  public var name: String { tensor.descriptor.name }

  /// Why the tensor has no analysis, or `nil` when it has one. Per-row mode: a tensor whose
  /// rows are all zero has none either.
  public var undefinedReason: String? {
    switch outcome {
    case .undefined(let why): why
    case .rows(let rows) where rows.analysedCount == 0: EMPInputError.allZero.description
    case .vector, .share, .rows, .groups: nil
    }
  }

  /// The scores analysed and the scores kept, when the tensor was analysed; with a grouping,
  /// the groups.
  public var counts: (analysed: Int, kept: Int)? {
    guard undefinedReason == nil else { return nil }
    return switch outcome {
    case .vector(let report, _): (report.count, report.retentionCount)
    case .share(let kept, _): (tensor.descriptor.elementCount, kept)
    case .rows(let rows): (rows.analysedCount, rows.kept)
    case .groups(let groups): (groups.groupCount, groups.keptGroups.count)
    case .undefined: nil
    }
  }

  /// The elements kept, when the tensor was analysed.
  public var keptElements: Int? {
    guard let counts else { return nil }
    if case .groups(let groups) = outcome { return groups.keptElements }
    return counts.kept
  }
}

/// What a structured grouping made of one tensor.
public struct GroupResult: Sendable {
  /// The grouping.
  public var grouping: Grouping { layout.grouping }
  /// The number of groups of the tensor.
  public var groupCount: Int { layout.groupCount }
  /// The elements of each group.
  public var elementsPerGroup: Int { layout.elementsPerGroup }
  /// The groups kept, ascending (0-based, along the grouping's axis).
  public internal(set) var keptGroups: [Int]
  /// Per-tensor mode: EMP over this tensor's groups. `nil` in global mode, where
  /// `ModelAnalysis.global` holds the analysis of every group.
  public internal(set) var report: VectorReport?
  /// With a group spec: the family the tensor's groups belong to.
  public internal(set) var family: String?
  /// The elements kept.
  public var keptElements: Int { keptGroups.count * elementsPerGroup }

  let layout: GroupLayout
}

/// One family of a group spec: groups that span tensors.
public struct FamilyResult: Sendable {
  /// The family's name.
  public let name: String
  /// Its number of groups.
  public let groupCount: Int
  /// The names of its member tensors.
  public let members: [String]
  /// The groups kept, ascending (0-based).
  public internal(set) var keptGroups: [Int] = []
  /// Per-tensor mode: EMP over the family's groups; `nil` in global mode and when undefined.
  public internal(set) var report: VectorReport?
  /// Why the family has no analysis, or `nil`.
  public internal(set) var undefinedReason: String?
}

/// The EMP analysis of the selected tensors of some model files, in one of three modes,
/// by the fast path (streamed, bounded memory) or the exact reference (in memory).
public struct ModelAnalysis: Sendable {
  /// The mode of the analysis.
  public let mode: AnalysisMode
  /// The retention factor `β`.
  public let beta: Rational
  /// Whether the exact reference computed it (else the certified fast path).
  public let isExact: Bool
  /// How each weight was scored.
  public let criterion: ScoreCriterion
  /// The structured grouping, or `nil` when each score is its own unit.
  public let grouping: Grouping?
  /// The groups that span tensors, or `nil`.
  public let groupSpec: GroupSpec?
  /// With a group spec: each family's analysis, in the spec's order.
  public internal(set) var families: [FamilyResult] = []
  /// Every selected tensor, in file order.
  public internal(set) var tensors: [TensorResult] = []
  /// Global mode: the analysis of all analysed tensors as one vector.
  public internal(set) var global: VectorReport?
  /// Global mode, fast: the global cut.
  public internal(set) var globalCut: Cut?
  /// Global mode, fast: the kept global indices (ascending) when the exact reference decided
  /// them (rounded products), which then leaves no global cut.
  var globalKeptIndices: [Int]?
  /// Global mode: why there is no global analysis, if there is none.
  public internal(set) var globalUndefined: String?

  /// The tensors that are not part of the totals, with the reason.
  public var leftOut: [(name: String, reason: String)] {
    tensors.compactMap { result in result.undefinedReason.map { (result.name, $0) } }
  }

  /// `--strict`: throws unless every selected floating-point tensor was analysed (integer
  /// tensors hold no scores and never count).
  ///
  /// - Throws: `EMPModelError.tensorsNotAnalysed` naming each tensor left out, and why.
  public func requireAllAnalysed() throws(EMPModelError) {
    let failed = tensors.filter { $0.tensor.descriptor.dtype.isFloatingPoint && $0.undefinedReason != nil }
    guard !failed.isEmpty else { return }
    throw .tensorsNotAnalysed(names: failed.map(\.name), reasons: failed.map { $0.undefinedReason! })
  }

  /// `(ΣN, Σν)` over the analysed tensors; with a group spec, over the analysed families (a
  /// family's groups span its tensors).
  public var totals: (analysed: Int, kept: Int) {
    guard groupSpec == nil else {
      return families.filter { $0.undefinedReason == nil }.reduce((0, 0)) {
        ($0.0 + $1.groupCount, $0.1 + $1.keptGroups.count)
      }
    }
    return tensors.compactMap(\.counts).reduce((0, 0)) { ($0.0 + $1.analysed, $0.1 + $1.kept) }
  }

  /// The model files analysed.
  public let paths: [String]

  /// Whether `path` names a tensor file (`.safetensors`, `*.index.json`, `.npy`) rather than text.
  public static func isTensorFile(_ path: String) -> Bool {
    path.hasSuffix(".safetensors") || path.hasSuffix(".index.json") || path.hasSuffix(".npy")
  }

  /// Analyses the tensors of the model files at `paths` whose names match `patterns`.
  ///
  /// The fast path streams each file in chunks (memory stays bounded whatever its size) and
  /// certifies `ν`; the exact reference loads each score vector and computes everything
  /// exactly. A tensor that cannot be analysed (not floating-point, no elements, a NaN or
  /// infinite score, all zeros) is reported with the reason, and the others are analysed.
  ///
  /// - Parameters:
  ///   - paths: `.safetensors` files, sharded models' `*.index.json`, or `.npy` files.
  ///   - patterns: tensor names or shell globs (`*`, `?`, `[…]`); empty: every tensor.
  ///   - mode: per tensor, all tensors as one vector, or row by row.
  ///   - beta: the retention factor `β > 0`.
  ///   - exact: the exact reference instead of the fast path.
  ///   - rowDetails: per-row mode: keep every row's report.
  ///   - criterion: how each weight is scored (default: its magnitude).
  ///   - grouping: structured pruning: groups of rows or columns kept or pruned as one unit
  ///     (per-tensor and global modes).
  ///   - groupSpec: groups that span tensors (per-tensor mode: EMP per family; global: over
  ///     all families); it selects its member tensors, instead of `patterns` and `grouping`.
  ///   - progress: receives the bytes read, phase by phase.
  /// - Throws: `TensorIOError` for file problems; `EMPModelError.noTensorMatches` when a
  ///   pattern matches nothing; `EMPModelError` when the criterion's files do not fit the
  ///   selected tensors, a score is NaN or infinite (any criterion but magnitude, where the
  ///   tensor is left out instead), or the grouping does not fit a tensor or the mode;
  ///   `EMPInputError.nonPositiveBeta`.
  public init(
    paths: [String], tensors patterns: [String] = [], mode: AnalysisMode = .perTensor, beta: Rational = 1,
    exact: Bool = false, rowDetails: Bool = false, criterion: ScoreCriterion = .magnitude, grouping: Grouping? = nil,
    groupSpec: GroupSpec? = nil, progress: (any ModelProgress)? = nil
  ) throws {
    guard beta.signum > 0 else { throw EMPInputError.nonPositiveBeta(beta.description) }
    if grouping != nil || groupSpec != nil, mode == .perRow {
      throw EMPModelError.incompatibleOptions("--group and --group-spec apply to per-tensor and global modes, not per-row")
    }
    if groupSpec != nil, grouping != nil || !patterns.isEmpty {
      throw EMPModelError.incompatibleOptions("--group-spec selects its tensors and groups; it does not combine with --group or --tensor")
    }
    let files = try ModelFiles(paths: paths, progress: progress ?? SilentProgress())
    self.paths = files.paths
    self.mode = mode
    self.beta = beta
    self.isExact = exact
    self.criterion = criterion
    self.grouping = grouping
    self.groupSpec = groupSpec
    let scorer = try Scorer(criterion: criterion, model: files)
    if let groupSpec {
      try analyzeFamilies(groupSpec, files: files, scorer: scorer)
      files.progress.finish()
      return
    }
    let selected = try Self.select(files.tensors, patterns: patterns)
    tensors = selected.map { TensorResult(tensor: $0, outcome: .undefined(Self.unsupportedReason($0.descriptor) ?? "")) }
    let floating = tensors.indices.filter { Self.unsupportedReason(tensors[$0].tensor.descriptor) == nil }
    var analysable: [Int] = []
    for (i, reason) in zip(floating, try scorer.prepare(floating.map { tensors[$0].tensor })) {
      if let reason { tensors[i].outcome = .undefined(reason) } else { analysable.append(i) }
    }
    let layouts = try grouping.map { grouping in
      try analysable.map { try GroupLayout(grouping, tensor: tensors[$0].tensor.descriptor) }
    }
    let total = ModelFiles.byteCount(of: analysable.map { tensors[$0].tensor })
    switch (mode, layouts) {
    case (.perTensor, nil):
      files.progress.beginPhase("analyze", totalBytes: total)
      for i in analysable { (tensors[i].outcome, tensors[i].keptIndices) = try analyzeTensor(tensors[i].tensor, scorer: scorer) }
    case (.perTensor, let layouts?):
      files.progress.beginPhase("analyze groups", totalBytes: total)
      for (i, layout) in zip(analysable, layouts) {
        tensors[i].outcome = try analyzeGroups(of: tensors[i].tensor, layout: layout, scorer: scorer)
      }
    case (.perRow, _):
      files.progress.beginPhase("analyze rows", totalBytes: total)
      for i in analysable {
        (tensors[i].outcome, tensors[i].keptIndices) = try analyzeRows(tensors[i].tensor, scorer: scorer, details: rowDetails)
      }
    case (.global, nil):
      try analyzeGlobally(analysable, scorer: scorer)
    case (.global, let layouts?):
      files.progress.beginPhase("analyze groups", totalBytes: total)
      try analyzeGroupsGlobally(analysable, layouts: layouts, scorer: scorer)
    }
    files.progress.finish()
  }

  /// The tensors whose names match one of `patterns` (shell globs: `*`, `?`, `[…]`).
  ///
  /// - Throws: `ScoreInput.Failure` when a pattern matches nothing.
  static func select(_ tensors: [LocatedTensor], patterns: [String]) throws -> [LocatedTensor] {
    guard !patterns.isEmpty else { return tensors }
    for pattern in patterns where !tensors.contains(where: { fnmatch(pattern, $0.descriptor.name, 0) == 0 }) {
      throw EMPModelError.noTensorMatches(pattern: pattern)
    }
    return tensors.filter { tensor in patterns.contains { fnmatch($0, tensor.descriptor.name, 0) == 0 } }
  }

  /// Why `tensor` cannot be analysed at all, or `nil`.
  static func unsupportedReason(_ tensor: TensorDescriptor) -> String? {
    if !tensor.dtype.isFloatingPoint { return "\(tensor.dtype) is not a floating-point type (EMP reads F16, BF16, F32, F64)" }
    if tensor.elementCount == 0 { return "no elements" }
    return nil
  }

  // MARK: - Per-tensor

  private func analyzeTensor(_ tensor: LocatedTensor, scorer: Scorer) throws -> (TensorResult.Outcome, [Int]?) {
    let source = TensorScoreSource(scorer: scorer, tensors: [tensor])
    do {
      if isExact {
        return (.vector(VectorReport(exact: try Self.exactAnalysis(of: scorer.exactScores(of: tensor), beta: beta)), cut: nil), nil)
      }
      switch try fastAnalysis(of: source) {
      case .fast(let report, let cut): return (.vector(report, cut: cut), nil)
      case .exact(let analysis): return (.vector(VectorReport(exactFallback: analysis), cut: nil), analysis.keptIndices)
      }
    } catch let error as EMPInputError {
      return (try undefined(error, tensor: tensor), nil)
    }
  }

  /// A fast analysis of a source: its report and cut, or the exact reference's analysis
  /// where rounded products leave the fast one uncertified.
  enum FastOutcome {
    case fast(VectorReport, Cut)
    case exact(ExactAnalysis)
  }

  /// The fast analysis of `source`, certified for the exact scores when the criterion's
  /// products rounded (`Scorer.rounding`; Proofs/fast-path-error-bounds.md, §7), else
  /// computed by the exact reference.
  private func fastAnalysis(of source: TensorScoreSource) throws -> FastOutcome {
    let analysis = try FastEMP.analyze(source: source, beta: beta)
    let scorer = source.scorer
    switch scorer.rounding(of: source.tensors) {
    case .exact:
      let report = try VectorReport(fast: analysis, beta: beta) { try VectorReport.ExactSums(of: source, cut: analysis.cut) }
      return .fast(report, analysis.cut)
    case .rounded:
      if let certified = analysis.certifiedForExactScores(beta: beta) {
        let report = try VectorReport(fast: certified, beta: beta) {
          VectorReport.ExactSums(of: try scorer.exactScores(of: source.tensors).rationals, roundingsCutBy: certified.cut)
        }
        return .fast(report, certified.cut)
      }
      fallthrough
    case .unbounded:
      return .exact(try Self.exactAnalysis(of: scorer.exactScores(of: source.tensors), beta: beta))
    }
  }

  /// The exact analysis of `scores`.
  static func exactAnalysis(of scores: ExactScores, beta: Rational) throws(EMPInputError) -> ExactAnalysis {
    switch scores {
    case .doubles(let values): try ExactAnalysis(scores: values, beta: beta)
    case .rationals(let values): try ExactAnalysis(scores: values, beta: beta)
    }
  }

  /// The outcome of a tensor whose scores have no analysis: undefined, unless a score the
  /// criterion read or computed is NaN or infinite, which is an error.
  ///
  /// - Throws: `EMPModelError.nonFiniteScore`.
  private func undefined(_ error: EMPInputError, tensor: LocatedTensor) throws -> TensorResult.Outcome {
    if case .nonFinite(let index) = error, criterion != .magnitude {
      throw EMPModelError.nonFiniteScore(tensor: tensor.descriptor.name, criterion: criterion.name, index: index)
    }
    return .undefined(error.description)
  }

  // MARK: - Per-row

  private func analyzeRows(_ tensor: LocatedTensor, scorer: Scorer, details: Bool) throws
    -> (TensorResult.Outcome, keptIndices: [Int]?)
  {
    let columns = ModelFiles.columnCount(of: tensor.descriptor)
    var summary = RowSummary(columns: columns, details: details ? [] : nil)
    /// Every row by the exact reference, and the kept indices of the tensor.
    func exactRows(report: (ExactAnalysis) -> VectorReport) throws -> (TensorResult.Outcome, [Int]) {
      let scores = try scorer.exactScores(of: tensor)
      var kept: [Int] = []
      for row in 0..<tensor.descriptor.elementCount / columns {
        let range = row * columns..<(row + 1) * columns
        let analysis = try Self.rowAnalysis(offset: range.lowerBound) {
          switch scores {
          case .doubles(let values): try ExactAnalysis(scores: Array(values[range]), beta: beta)
          case .rationals(let values): try ExactAnalysis(scores: Array(values[range]), beta: beta)
          }
        }
        summary.add(analysis, count: columns)
        summary.details?.append(analysis.map(report))
        kept += analysis.map { $0.keptIndices.map { range.lowerBound + $0 } } ?? Array(range)
      }
      return (.rows(summary), kept)
    }
    do {
      if isExact { return (try exactRows(report: VectorReport.init(exact:)).0, nil) }
      var offset = 0
      try scorer.forEachChunk(of: tensor, multiple: columns) { chunk, _ in
        let analyses = try Self.analyzeRows(chunk, columns: columns, beta: beta, offset: offset)
        for (row, analysis) in analyses.enumerated() {
          summary.add(analysis, count: columns)
          guard summary.details != nil else { continue }
          let scores = chunk.slice(row * columns..<(row + 1) * columns)
          summary.details!.append(
            try analysis.map { analysis in
              try VectorReport(fast: analysis, beta: beta) {
                try VectorReport.ExactSums(of: [scores], cut: analysis.cut)
              }
            })
        }
        offset += chunk.count
      }
      if scorer.rounding(of: [tensor]) != .exact {
        // Rows of rounded products: the exact reference decides them, and prunes by their indices.
        summary = RowSummary(columns: columns, details: details ? [] : nil)
        let (outcome, kept) = try exactRows(report: VectorReport.init(exactFallback:))
        return (outcome, kept)
      }
    } catch let error as EMPInputError {
      return (try undefined(error, tensor: tensor), nil)
    }
    return (.rows(summary), nil)
  }

  /// The fast analyses of the rows of `chunk` (`nil` for a row of zeros).
  ///
  /// - Throws: `EMPInputError.nonFinite` with the index in the tensor (`offset` is the
  ///   chunk's first index).
  static func analyzeRows(_ chunk: ScoreBuffer, columns: Int, beta: Rational, offset: Int) throws -> [FastAnalysis?] {
    do {
      return try FastEMP.analyzeRows(chunk, columns: columns, beta: beta)
    } catch EMPInputError.nonFinite(let index) {
      throw EMPInputError.nonFinite(index: offset + index)
    }
  }

  /// `analysis()`, or `nil` when the row is all zeros; a non-finite index is moved by `offset`.
  private static func rowAnalysis<T>(offset: Int, _ analysis: () throws -> T) throws -> T? {
    do {
      return try analysis()
    } catch EMPInputError.allZero {
      return nil
    } catch EMPInputError.nonFinite(let index) {
      throw EMPInputError.nonFinite(index: offset + index)
    }
  }

  // MARK: - Global

  private mutating func analyzeGlobally(_ analysable: [Int], scorer: Scorer) throws {
    var included = analysable
    while true {
      guard !included.isEmpty else {
        globalUndefined = "no floating-point tensor to analyse"
        return
      }
      let parts = included.map { tensors[$0].tensor }
      let source = TensorScoreSource(scorer: scorer, tensors: parts, phase: "analyze")
      do {
        if isExact {
          let analysis = try Self.exactAnalysis(of: scorer.exactScores(of: parts), beta: beta)
          global = VectorReport(exact: analysis)
          assignShares(included) { range in
            Self.count(of: analysis.keptIndices, in: range)
          }
        } else {
          switch try fastAnalysis(of: source) {
          case .fast(let report, let cut):
            (global, globalCut) = (report, cut)
            let kept = try Self.keptCounts(of: parts, cut: cut, scorer: scorer)
            var next = kept.makeIterator()
            assignShares(included) { _ in next.next()! }
          case .exact(let analysis):
            (global, globalKeptIndices) = (VectorReport(exactFallback: analysis), analysis.keptIndices)
            assignShares(included) { range in Self.count(of: analysis.keptIndices, in: range) }
          }
        }
        return
      } catch EMPInputError.nonFinite(let index) {
        // Leave the tensor holding the bad score out, and analyse the rest again.
        var start = 0
        for (position, i) in included.enumerated() {
          let count = tensors[i].tensor.descriptor.elementCount
          if index < start + count {
            tensors[i].outcome = try undefined(.nonFinite(index: index - start), tensor: tensors[i].tensor)
            included.remove(at: position)
            break
          }
          start += count
        }
      } catch let error as EMPInputError {
        globalUndefined = error.description
        for i in included { tensors[i].outcome = .undefined("part of the global vector: \(error)") }
        return
      }
    }
  }

  /// Sets the `.share` outcome of each included tensor; `kept` gets its global index range.
  private mutating func assignShares(_ included: [Int], kept: (Range<Int>) -> Int) {
    var start = 0
    for i in included {
      let count = tensors[i].tensor.descriptor.elementCount
      tensors[i].outcome = .share(kept: kept(start..<start + count), startIndex: start)
      start += count
    }
  }

  /// How many of the sorted `indices` lie in `range`.
  private static func count(of indices: [Int], in range: Range<Int>) -> Int {
    indices.positions(of: range).count
  }

  // MARK: - Groups

  /// Per-tensor mode with a grouping: EMP over the tensor's group scores.
  private func analyzeGroups(of tensor: LocatedTensor, layout: GroupLayout, scorer: Scorer) throws
    -> TensorResult.Outcome
  {
    do {
      let scores = try groupScores(of: [tensor], layouts: [layout], scorer: scorer)
      let (report, kept) = try GroupEMP.analyze(scores, norm: layout.grouping.norm, beta: beta)
      return .groups(GroupResult(keptGroups: kept, report: report, family: nil, layout: layout))
    } catch let error as EMPInputError {
      return try undefined(error, tensor: tensor)
    }
  }

  /// Global mode with a grouping: EMP over the groups of all analysable tensors as one vector.
  private mutating func analyzeGroupsGlobally(_ analysable: [Int], layouts: [GroupLayout], scorer: Scorer) throws {
    guard let norm = grouping?.norm, !analysable.isEmpty else {
      globalUndefined = "no floating-point tensor to analyse"
      return
    }
    var scores: [BigInteger] = []
    var included: [(index: Int, layout: GroupLayout)] = []
    for (i, layout) in zip(analysable, layouts) {
      do {
        scores += try groupScores(of: [tensors[i].tensor], layouts: [layout], scorer: scorer)
        included.append((i, layout))
      } catch let error as EMPInputError {
        tensors[i].outcome = try undefined(error, tensor: tensors[i].tensor)
      }
    }
    do {
      let (report, kept) = try GroupEMP.analyze(scores, norm: norm, beta: beta)
      global = report
      var start = 0
      for (i, layout) in included {
        let range = start..<start + layout.groupCount
        let local = kept.drop { $0 < range.lowerBound }.prefix { $0 < range.upperBound }.map { $0 - start }
        tensors[i].outcome = .groups(GroupResult(keptGroups: local, report: nil, family: nil, layout: layout))
        start = range.upperBound
      }
    } catch {
      globalUndefined = error.description
      for (i, _) in included { tensors[i].outcome = .undefined("part of the global vector: \(error)") }
    }
  }

  /// A group spec: each member's layout checked and its group scores summed into its
  /// family's, then EMP per family (per-tensor mode) or over all families (global mode).
  private mutating func analyzeFamilies(_ spec: GroupSpec, files: ModelFiles, scorer: Scorer) throws {
    let norm = spec.norm ?? .l1
    var memberOf: [String: (family: String, layout: GroupLayout)] = [:]
    for family in spec.families {
      for member in family.members {
        guard let tensor = files.tensors.first(where: { $0.descriptor.name == member.tensor }) else {
          throw EMPModelError.unknownGroupTensor(tensor: member.tensor, family: family.name)
        }
        if let reason = Self.unsupportedReason(tensor.descriptor) {
          throw EMPModelError.groupingDoesNotFit(tensor: member.tensor, reason: reason)
        }
        let descriptor = tensor.descriptor
        let columns = ModelFiles.columnCount(of: descriptor)
        let whole = 0..<(member.axis == .rows ? descriptor.elementCount / columns : columns)
        let layout = try GroupLayout(
          member.axis, member.range.map { $0[0]..<max($0[0], $0[1]) } ?? whole, groups: family.groups, norm: norm,
          tensor: descriptor)
        if let other = memberOf[member.tensor] {
          throw EMPModelError.repeatedGroupTensor(
            tensor: member.tensor, families: [other.family, family.name], overlapping: other.layout.overlaps(layout))
        }
        memberOf[member.tensor] = (family.name, layout)
      }
    }
    tensors = files.tensors.filter { memberOf[$0.descriptor.name] != nil }.map { TensorResult(tensor: $0, outcome: .undefined("")) }
    for (tensor, reason) in zip(tensors.map(\.tensor), try scorer.prepare(tensors.map(\.tensor))) {
      if let reason { throw EMPModelError.groupingDoesNotFit(tensor: tensor.descriptor.name, reason: reason) }
    }
    files.progress.beginPhase("analyze groups", totalBytes: ModelFiles.byteCount(of: tensors.map(\.tensor)))
    var scores: [[BigInteger]] = []
    for family in spec.families {
      var result = FamilyResult(name: family.name, groupCount: family.groups, members: family.members.map(\.tensor))
      var sums = [BigInteger](repeating: .zero, count: family.groups)
      for member in family.members {
        let tensor = tensors.first { $0.name == member.tensor }!.tensor
        do {
          let part = try groupScores(of: [tensor], layouts: [memberOf[member.tensor]!.layout], scorer: scorer)
          for g in sums.indices { sums[g] += part[g] }
        } catch let error as EMPInputError {
          if case .undefined(let why) = try undefined(error, tensor: tensor) {
            result.undefinedReason = "\(member.tensor): \(why)"
          }
        }
      }
      if result.undefinedReason == nil, mode == .perTensor {
        do {
          let (report, kept) = try GroupEMP.analyze(sums, norm: norm, beta: beta)
          (result.report, result.keptGroups) = (report, kept)
        } catch {
          result.undefinedReason = error.description
        }
      }
      families.append(result)
      scores.append(result.undefinedReason == nil ? sums : [])
    }
    if mode == .global {
      do {
        let (report, kept) = try GroupEMP.analyze(scores.flatMap { $0 }, norm: norm, beta: beta)
        global = report
        var start = 0
        for (i, part) in scores.enumerated() where !part.isEmpty {
          let range = start..<start + part.count
          families[i].keptGroups = kept.drop { $0 < range.lowerBound }.prefix { $0 < range.upperBound }.map { $0 - start }
          start = range.upperBound
        }
      } catch {
        globalUndefined = error.description
        for i in families.indices where families[i].undefinedReason == nil {
          families[i].undefinedReason = "part of the global vector: \(error)"
        }
      }
    }
    let byName = Dictionary(uniqueKeysWithValues: families.map { ($0.name, $0) })
    for i in tensors.indices {
      let (familyName, layout) = memberOf[tensors[i].name]!
      let family = byName[familyName]!
      tensors[i].outcome =
        family.undefinedReason.map { .undefined("family \(familyName): \($0)") }
        ?? .groups(GroupResult(keptGroups: family.keptGroups, report: nil, family: familyName, layout: layout))
    }
  }

  /// The scaled group scores (`GroupSums.scaledScores`) of `parts`, one after the other:
  /// streamed with exact sums on the fast path, summed from the whole vectors in memory by
  /// the exact reference.
  ///
  /// - Throws: `EMPInputError.nonFinite` with the index in the tensor.
  private func groupScores(of parts: [LocatedTensor], layouts: [GroupLayout], scorer: Scorer) throws -> [BigInteger] {
    var scores: [BigInteger] = []
    for (tensor, layout) in zip(parts, layouts) {
      func exactGroupScores() throws -> [BigInteger] {
        let exact = try scorer.exactScores(of: tensor)
        if case .doubles(let values) = exact, let index = values.firstIndex(where: { !$0.isFinite }) {
          throw EMPInputError.nonFinite(index: index)
        }
        return GroupEMP.scaledScores(of: exact, layout: layout)
      }
      if isExact {
        scores += try exactGroupScores()
        continue
      }
      var sums = GroupSums(layout)
      defer { sums.deallocate() }
      var offset = 0
      try scorer.forEachChunk(of: tensor, multiple: sums.chunkMultiple) { chunk, _ in
        sums.add(chunk)
        if sums.hasNonFinite, let index = chunk.firstNonFiniteIndex() {
          throw EMPInputError.nonFinite(index: offset + index)
        }
        offset += chunk.count
      }
      // Sums of rounded products are not the exact group sums: the exact reference forms them.
      scores += scorer.rounding(of: [tensor]) == .exact ? sums.scaledScores(layout.grouping.norm) : try exactGroupScores()
    }
    return scores
  }

  /// How many scores of each tensor the global `cut` keeps (one pass).
  static func keptCounts(of parts: [LocatedTensor], cut: Cut, scorer: Scorer) throws -> [Int] {
    scorer.model.progress.beginPhase("count kept", totalBytes: ModelFiles.byteCount(of: parts))
    var start = 0
    return try parts.map { tensor in
      var kept = 0
      try scorer.forEachChunk(of: tensor) { chunk, _ in
        let words = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: (chunk.count + 63) / 64)
        defer { words.deallocate() }
        cut.writeMask(of: chunk, startIndex: start, into: .bits(words))
        kept += words.reduce(0) { $0 + $1.nonzeroBitCount }
        start += chunk.count
      }
      return kept
    }
  }
}

extension [Int] {
  /// The positions of this ascending array whose values lie in `range` (binary search).
  func positions(of range: Range<Int>) -> Range<Int> {
    func firstPosition(notBelow bound: Int) -> Int {
      var (low, high) = (0, count)
      while low < high {
        let middle = (low + high) / 2
        if self[middle] < bound { low = middle + 1 } else { high = middle }
      }
      return low
    }
    return firstPosition(notBelow: range.lowerBound)..<firstPosition(notBelow: range.upperBound)
  }
}
