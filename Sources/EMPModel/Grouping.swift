import EMPCore
import EMPFast
import EMPReference
import Exact
import TensorIO

/// Structured pruning: the scores of a tensor fall into groups that EMP keeps or prunes as
/// one unit (a neuron's row, an input channel's column, an attention head's block).
///
/// A tensor of shape `[rows, …]` is viewed as a matrix of `rows` rows (the other dimensions
/// flattened into columns; a vector is one row). Each group is `size` consecutive rows or
/// columns, and is scored by a norm of its scores. EMP then runs over the group scores: `N` is
/// the number of groups and `ν` the number of groups kept.
public struct Grouping: Sendable, Equatable, CustomStringConvertible {
  /// Which way a tensor splits into groups.
  public enum Axis: String, Sendable, CaseIterable {
    /// Blocks of consecutive rows (output neurons; a head's rows in a query projection).
    case rows
    /// Blocks of consecutive columns (input features; a head's columns in an output projection).
    case columns
  }

  /// How the scores of a group combine into the group's score.
  public enum Norm: String, Sendable, CaseIterable {
    /// `Σ|s|`.
    case l1
    /// `Σs²`.
    case sq
    /// `√Σs²`: `N_eff` is then a ratio of sums of square roots, decided exactly
    /// (Proofs/group-norms.md).
    case l2
  }

  /// The axis the groups run along.
  public var axis: Axis
  /// The rows or columns per group, `K ≥ 1`.
  public var size: Int
  /// The group score.
  public var norm: Norm

  /// Groups of `size` rows or columns scored by `norm`.
  ///
  /// - Precondition: `size >= 1`.
  public init(axis: Axis, size: Int = 1, norm: Norm = .l1) {
    precondition(size >= 1, "Grouping: size must be at least 1")
    (self.axis, self.size, self.norm) = (axis, size, norm)
  }

  /// Parses `rows`, `columns`, `rows:K` or `columns:K` (`K ≥ 1`).
  public init?(_ text: String, norm: Norm = .l1) {
    let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
    guard let axis = Axis(rawValue: String(parts[0])) else { return nil }
    guard parts.count == 2 else {
      self.init(axis: axis, norm: norm)
      return
    }
    guard let size = Int(parts[1]), size >= 1 else { return nil }
    self.init(axis: axis, size: size, norm: norm)
  }

  /// `rows`, `columns`, `rows:K` or `columns:K`.
  public var description: String { size == 1 ? axis.rawValue : "\(axis.rawValue):\(size)" }
}

/// How one tensor splits into groups: `groupCount` blocks of `grouping.size` consecutive rows
/// or columns, the first starting at row or column `start`; elements outside the blocks
/// belong to no group.
struct GroupLayout: Sendable {
  let grouping: Grouping
  /// The rows of the matrix view.
  let rows: Int
  /// The columns of the matrix view.
  let columns: Int
  /// The first row or column of the first group.
  let start: Int
  /// The number of groups, `N`.
  let groupCount: Int

  /// The layout of `grouping` on the whole of `tensor`.
  ///
  /// - Throws: `EMPModelError.groupingDoesNotFit` when `K` does not divide the rows or columns.
  init(_ grouping: Grouping, tensor: TensorDescriptor) throws {
    let columns = ModelFiles.columnCount(of: tensor)
    let dimension = grouping.axis == .rows ? tensor.elementCount / columns : columns
    guard dimension % grouping.size == 0 else {
      throw EMPModelError.groupingDoesNotFit(
        tensor: tensor.name,
        reason: "--group \(grouping): \(grouping.size) does not divide its \(dimension) \(grouping.axis.rawValue)")
    }
    try self.init(grouping.axis, 0..<dimension, groups: dimension / grouping.size, norm: grouping.norm, tensor: tensor)
  }

  /// `groups` equal blocks of the rows or columns `range` of `tensor`.
  ///
  /// - Throws: `EMPModelError.groupingDoesNotFit` when `range` is empty, leaves the tensor, or
  ///   does not split into `groups` equal blocks.
  init(_ axis: Grouping.Axis, _ range: Range<Int>, groups: Int, norm: Grouping.Norm, tensor: TensorDescriptor) throws {
    columns = ModelFiles.columnCount(of: tensor)
    rows = tensor.elementCount / columns
    let dimension = axis == .rows ? rows : columns
    guard range.lowerBound >= 0, range.upperBound <= dimension, !range.isEmpty else {
      throw EMPModelError.groupingDoesNotFit(
        tensor: tensor.name, reason: "\(axis.rawValue) \(range) are not within its \(dimension) \(axis.rawValue)")
    }
    guard groups >= 1, range.count % groups == 0 else {
      throw EMPModelError.groupingDoesNotFit(
        tensor: tensor.name, reason: "its \(range.count) \(axis.rawValue) do not split into \(groups) equal groups")
    }
    grouping = Grouping(axis: axis, size: range.count / groups, norm: norm)
    start = range.lowerBound
    groupCount = groups
  }

  /// The rows or columns the groups cover.
  var range: Range<Int> { start..<start + groupCount * grouping.size }

  /// The elements of one group.
  var elementsPerGroup: Int { grouping.size * (grouping.axis == .rows ? columns : rows) }

  /// The group of the element at `index` (C order), or `nil` when it is in none.
  func group(ofElement index: Int) -> Int? {
    let line = grouping.axis == .rows ? index / columns : index % columns
    return range.contains(line) ? (line - start) / grouping.size : nil
  }

  /// Whether the elements of this layout and of `other` (on the same tensor) meet.
  func overlaps(_ other: GroupLayout) -> Bool {
    grouping.axis != other.grouping.axis || range.overlaps(other.range)
  }
}

/// The exact `Σ|s|` and `Σs²` of each group of one tensor, accumulated chunk by chunk.
///
/// Each group's part of a chunk is a run, added to a shared accumulator and drained into its
/// group's: the groups hold only exact sums, never exponent bins of their own. Under `l1`, a
/// run (or a column) of binary32 or bfloat16 scores is summed in binary64 first where that is
/// provably exact (`ExactRunSum`) and enters its group's sums as that one value, with no run
/// and no drain (`MomentAccumulator.add(_:)`): the groups' `Σ|s|` is then exact, while their
/// `Σs²`, which `l1` does not read, is not `Σs²`.
///
/// The parts of a chunk are spread over the fast path's threads, each with its own shared
/// accumulator; a chunk holds at most one part of each group, so no two threads drain into
/// the same group. Exact sums do not depend on the order of additions: the results are the
/// same for any number of threads.
struct GroupSums {
  let layout: GroupLayout
  private var groups: [MomentAccumulator]
  /// Each worker's shared run accumulator.
  private var runs: [MomentAccumulator]
  /// Whether runs are summed in binary64 first (under `l1`).
  private let sumsRuns: Bool
  /// With column groups summed in binary64, the chunk's column sums (NaN where not proven).
  private var columnSums: [Double] = []
  private var elementsDone = 0
  private var scratch = Scratch()

  init(_ layout: GroupLayout) {
    self.layout = layout
    groups = Array(repeating: MomentAccumulator(), count: layout.groupCount)
    runs = (0..<max(1, Parallel.defaultWorkers)).map { _ in MomentAccumulator.forShortRuns() }
    sumsRuns = layout.grouping.norm == .l1
  }

  /// The elements each chunk added should be a multiple of (but for the tensor's last):
  /// whole rows; for column groups, up to 1024 whole rows (at most 16 MiB of binary64
  /// scores, or one row), so that each group's part of a chunk is long enough to amortise
  /// draining the shared accumulator into the group's.
  var chunkMultiple: Int {
    let rows = layout.grouping.axis == .columns ? max(1, min(1024, layout.rows, (16 << 20) / max(1, 8 * layout.columns))) : 1
    return rows * layout.columns
  }

  /// Adds the next chunk of scores: whole rows, best a multiple of `chunkMultiple`.
  mutating func add(_ chunk: ScoreBuffer) {
    let columns = layout.columns
    precondition(chunk.count % columns == 0, "GroupSums: a chunk of partial rows")
    defer { elementsDone += chunk.count }
    let (k, range, groupCount, sumsRuns) = (layout.grouping.size, layout.range, layout.groupCount, sumsRuns)
    switch layout.grouping.axis {
    case .rows:
      // The chunk's rows within the layout; each group's rows among them are contiguous.
      let firstRow = elementsDone / columns
      let rows = max(firstRow, range.lowerBound)..<min(firstRow + chunk.count / columns, range.upperBound)
      guard !rows.isEmpty else { return }
      let firstGroup = (rows.lowerBound - range.lowerBound) / k
      let lastGroup = (rows.upperBound - 1 - range.lowerBound) / k
      Self.inParallel(parts: lastGroup - firstGroup + 1, elements: rows.count * columns, &groups, &runs) { part, run, groups in
        let group = firstGroup + part
        let start = range.lowerBound + group * k
        let own = max(rows.lowerBound, start)..<min(rows.upperBound, start + k)
        let elements = (own.lowerBound - firstRow) * columns..<(own.upperBound - firstRow) * columns
        Self.add(chunk.slice(elements), to: &groups[group], run: &run, summing: sumsRuns)
      }
    case .columns:
      if sumsRuns, chunk.exactColumnAbsoluteSums(of: columns, range, into: &columnSums) {
        let proven = (0..<groupCount).map { !columnSums[$0 * k..<($0 + 1) * k].contains(where: \.isNaN) }
        columnSums.withUnsafeBufferPointer { columnSums in
          Self.inParallel(parts: groupCount, elements: chunk.count, &groups, &runs) { group, _, groups in
            guard proven[group] else { return }
            for sum in columnSums[group * k..<(group + 1) * k] { groups[group].add(sum) }
          }
        }
        // A part whose columns fail the test fails it as one run too: straight to the bins.
        for group in 0..<groupCount where !proven[group] {
          let part = range.lowerBound + group * k
          let scores = chunk.groupingColumns(part..<part + k, by: k, of: columns, into: &scratch)
          Self.add(scores, to: &groups[group], run: &runs[0], summing: false)
        }
      } else {
        let grouped = chunk.groupingColumns(range, by: k, of: columns, into: &scratch)
        let size = grouped.count / groupCount
        Self.inParallel(parts: groupCount, elements: chunk.count, &groups, &runs) { group, run, groups in
          Self.add(grouped.slice(group * size..<(group + 1) * size), to: &groups[group], run: &run, summing: sumsRuns)
        }
      }
    }
  }

  /// Runs `body(part, run, groups)` for each part in `0..<parts` of a chunk of `elements`
  /// scores, on the fast path's threads: `run` is the worker's own of `runs`, `groups` the
  /// groups' accumulators, and no two parts may drain into the same group.
  private static func inParallel(
    parts: Int, elements: Int, _ groups: inout [MomentAccumulator], _ runs: inout [MomentAccumulator],
    _ body: (Int, inout MomentAccumulator, UnsafeMutablePointer<MomentAccumulator>) -> Void
  ) {
    // At least 2^16 scores per worker, so that a short chunk is not split for a hand-off
    // between threads that could cost more than its sums.
    let workers = min(runs.count, parts, max(1, elements >> 16))
    groups.withUnsafeMutableBufferPointer { groups in
      runs.withUnsafeMutableBufferPointer { runs in
        Parallel.run(workers: workers) { worker in
          // Moved to the worker's stack for the job: side by side in `runs`, the accumulators'
          // counters, written at every run, would share cache lines between the threads.
          var run = MomentAccumulator()
          swap(&run, &runs[worker])
          defer { swap(&run, &runs[worker]) }
          for part in Parallel.share(of: worker, workers: workers, items: parts) {
            body(part, &run, groups.baseAddress!)
          }
        }
      }
    }
  }

  /// Adds a run to its group: as its binary64 sum where that is exact and `summing` allows,
  /// else score by score.
  private static func add(
    _ scores: ScoreBuffer, to group: inout MomentAccumulator, run: inout MomentAccumulator, summing: Bool
  ) {
    if summing, let total = scores.exactAbsoluteSum {
      group.add(total)
    } else {
      scores.addMoments(to: &run)
      run.drain(into: &group)
    }
  }

  /// Whether some score was NaN or infinite.
  var hasNonFinite: Bool { groups.contains { $0.nonFiniteCount > 0 } }

  /// Each group's score under `norm`, as an integer at the common scale of the sums
  /// (`2^−1074` for `Σ|s|`, `2^−2148` for `Σs²`); EMP does not depend on the scale.
  /// For `l2` these are the squares of the scores.
  func scaledScores(_ norm: Grouping.Norm) -> [BigInteger] {
    norm == .l1 ? groups.map(\.scaledAbsoluteSum) : groups.map(\.scaledSumOfSquares)
  }

  func deallocate() { scratch.deallocate() }
}

/// EMP over the scores of groups.
enum GroupEMP {
  /// The analysis of groups with `scaledScores` (non-negative integers at a common scale, as
  /// from `GroupSums.scaledScores`) under `norm`:
  /// the report of the group vector and the kept groups, ascending.
  ///
  /// - Throws: `EMPInputError.allZero` when every group scores zero.
  static func analyze(_ scaledScores: [BigInteger], norm: Grouping.Norm, beta: Rational) throws(EMPInputError)
    -> (report: VectorReport, kept: [Int])
  {
    // EMP does not depend on the scale, so the scores' common power of two (about 2^900 for
    // binary32 sums at the scale 2^−1074) is divided out: the exact sums and comparisons then
    // run on integers of a few words. Under `l2` the power is even, so the roots scale alike.
    let common = scaledScores.lazy.filter { !$0.isZero }.map(\.trailingZeroBitCount).min() ?? 0
    let shift = norm == .l2 ? common & ~1 : common
    let scores = shift == 0 ? scaledScores : scaledScores.map { $0.shifted(by: -shift) }
    switch norm {
    case .l1, .sq:
      let analysis = try ExactAnalysis(integerScores: scores, beta: beta)
      return (VectorReport(exact: analysis), analysis.keptIndices)
    case .l2:
      let analysis = try SquareRootScoresAnalysis(squares: scores, beta: beta)
      return (VectorReport(squareRoots: analysis), analysis.keptIndices)
    }
  }

  /// The exact group sums of a whole score vector held in memory, group by group (the
  /// exact reference's path, independent of the streamed `GroupSums`).
  static func scaledScores(of scores: ExactScores, layout: GroupLayout) -> [BigInteger] {
    var absolute = [Rational](repeating: 0, count: layout.groupCount)
    var squares = [Rational](repeating: 0, count: layout.groupCount)
    for (index, score) in scores.rationals.enumerated() {
      guard let group = layout.group(ofElement: index) else { continue }
      absolute[group] += score.magnitude
      squares[group] += score * score
    }
    let sums = layout.grouping.norm == .l1 ? absolute : squares
    let scale = layout.grouping.norm == .l1 ? MomentAccumulator.absoluteSumScale : MomentAccumulator.sumOfSquaresScale
    return sums.map { sum in
      let scaled = sum * Rational(BigInteger(1).shifted(by: scale))
      precondition(scaled.denominator == 1, "GroupEMP: a float sum is an integer at its scale")
      return scaled.numerator
    }
  }
}

extension ScoreBuffer {
  /// `Σ|s|` in binary64 where `ExactRunSum` proves it exact (binary32 and bfloat16 scores),
  /// else `nil`.
  var exactAbsoluteSum: Double? {
    switch self {
    case .float32(let b): ExactRunSum.absoluteSum(b)
    case .bfloat16(let b): ExactRunSum.absoluteSum(b)
    case .float16, .float64: nil
    }
  }

  /// Fills `sums` with `ExactRunSum.columnAbsoluteSums` of the columns `range` of this chunk
  /// (rows of `columns` scores), NaN where not proven exact; `false` for binary16 and
  /// binary64 scores, which it does not sum.
  /// The columns are split among the fast path's threads.
  func exactColumnAbsoluteSums(of columns: Int, _ range: Range<Int>, into sums: inout [Double]) -> Bool {
    if sums.count != range.count { sums = Array(repeating: 0, count: range.count) }
    return sums.withUnsafeMutableBufferPointer { sums in
      func inShares(_ sum: (Range<Int>, UnsafeMutableBufferPointer<Double>) -> Void) {
        // Shares of whole groups of 8 columns, each of at least 2^16 scores.
        let workers = min(Parallel.defaultWorkers, max(1, count >> 16), (range.count + 7) / 8)
        Parallel.run(workers: workers) { worker in
          let share = Parallel.share(of: worker, workers: workers, items: (range.count + 7) / 8)
          let part = share.lowerBound * 8..<min(range.count, share.upperBound * 8)
          sum(
            range.lowerBound + part.lowerBound..<range.lowerBound + part.upperBound,
            UnsafeMutableBufferPointer(rebasing: sums[part]))
        }
      }
      switch self {
      case .float32(let b): inShares { ExactRunSum.columnAbsoluteSums(b, columns: columns, range: $0, into: $1) }
      case .bfloat16(let b): inShares { ExactRunSum.columnAbsoluteSums(b, columns: columns, range: $0, into: $1) }
      case .float16, .float64: return false
      }
      return true
    }
  }

  /// The columns `range` of this chunk (rows of `columns` scores) reordered into `scratch`
  /// group by group, each group being `k` consecutive columns: group `g` holds its part of
  /// each row, row after row. Rows are taken in blocks, so that each block's reads and each
  /// group's writes stay within a few cache lines.
  func groupingColumns(_ range: Range<Int>, by k: Int, of columns: Int, into scratch: inout Scratch) -> ScoreBuffer {
    let rows = count / columns
    let rowBlock = 32
    func reorder<T>(_ source: UnsafeBufferPointer<T>) -> UnsafeBufferPointer<T> {
      let out = scratch.bytes(rows * range.count * MemoryLayout<T>.stride).bindMemory(to: T.self)
      for firstRow in stride(from: 0, to: rows, by: rowBlock) {
        for group in 0..<range.count / k {
          for row in firstRow..<min(firstRow + rowBlock, rows) {
            let target = group * rows * k + row * k
            let origin = row * columns + range.lowerBound + group * k
            for j in 0..<k { out[target + j] = source[origin + j] }
          }
        }
      }
      return UnsafeBufferPointer(out)
    }
    return switch self {
    case .float16(let b): .float16(reorder(b))
    case .bfloat16(let b): .bfloat16(reorder(b))
    case .float32(let b): .float32(reorder(b))
    case .float64(let b): .float64(reorder(b))
    }
  }
}
