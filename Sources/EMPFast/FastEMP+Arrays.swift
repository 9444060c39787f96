import EMPCore
import Exact

/// A score format the fast path reads: `Float16`, `BFloat16`, `Float` and `Double`.
public protocol ScoreElement {
  /// `buffer` as the fast path's score buffer.
  static func scores(_ buffer: UnsafeBufferPointer<Self>) -> ScoreBuffer
  /// `buffer` as the fast path's mutable score buffer.
  static func scores(_ buffer: UnsafeMutableBufferPointer<Self>) -> MutableScoreBuffer
}

extension Float16: ScoreElement {
  public static func scores(_ buffer: UnsafeBufferPointer<Self>) -> ScoreBuffer { .float16(buffer) }
  public static func scores(_ buffer: UnsafeMutableBufferPointer<Self>) -> MutableScoreBuffer { .float16(buffer) }
}

extension BFloat16: ScoreElement {
  public static func scores(_ buffer: UnsafeBufferPointer<Self>) -> ScoreBuffer { .bfloat16(buffer) }
  public static func scores(_ buffer: UnsafeMutableBufferPointer<Self>) -> MutableScoreBuffer { .bfloat16(buffer) }
}

extension Float: ScoreElement {
  public static func scores(_ buffer: UnsafeBufferPointer<Self>) -> ScoreBuffer { .float32(buffer) }
  public static func scores(_ buffer: UnsafeMutableBufferPointer<Self>) -> MutableScoreBuffer { .float32(buffer) }
}

extension Double: ScoreElement {
  public static func scores(_ buffer: UnsafeBufferPointer<Self>) -> ScoreBuffer { .float64(buffer) }
  public static func scores(_ buffer: UnsafeMutableBufferPointer<Self>) -> MutableScoreBuffer { .float64(buffer) }
}

// The safe entry points: arrays in, values out. They borrow the array's storage for the
// call (no copy); the `ScoreBuffer` entry points remain for zero-copy callers.
extension FastEMP {
  /// The EMP analysis of `scores` (per-tensor mode): `N_eff` with its proven enclosure, the
  /// exact `ν`, the cut and `s_eff`.
  ///
  /// - Parameters:
  ///   - scores: the scores `s`, any sign, in any of the four formats.
  ///   - beta: `β > 0` in `ν = ⌊β·N_eff⌋`.
  /// - Throws: `EMPInputError` for no scores, a non-finite score, all zeros, or `β ≤ 0`.
  /// - Complexity: `O(N)` (see `analyze(_:beta:options:)` on a `ScoreBuffer`).
  public static func analyze<S: ScoreElement>(_ scores: [S], beta: Rational = 1, options: Options = Options()) throws
    -> FastAnalysis
  {
    try scores.withUnsafeBufferPointer { try analyze(S.scores($0), beta: beta, options: options) }
  }

  /// The EMP analysis of each row of the row-major matrix `matrix` with `columns` columns;
  /// `nil` for a row of zeros.
  ///
  /// - Precondition: `columns >= 1` and `matrix.count` is a multiple of it.
  /// - Throws: `EMPInputError.nonFinite` (indexed into `matrix`), `.empty`, `.nonPositiveBeta`.
  public static func analyzeRows<S: ScoreElement>(
    _ matrix: [S], columns: Int, beta: Rational = 1, options: Options = Options()
  ) throws -> [FastAnalysis?] {
    try matrix.withUnsafeBufferPointer { try analyzeRows(S.scores($0), columns: columns, beta: beta, options: options) }
  }
}

extension Cut {
  /// Which of `scores` this cut keeps (`true`: kept); `scores` is the vector (or, with
  /// `startIndex`, the part of it starting at that index) that the cut was computed from.
  public func keepMask<S: ScoreElement>(of scores: [S], startIndex: Int = 0) -> [Bool] {
    var bytes = [UInt8](repeating: 0, count: scores.count)
    scores.withUnsafeBufferPointer { scores in
      bytes.withUnsafeMutableBufferPointer { writeMask(of: S.scores(scores), startIndex: startIndex, into: .bytes($0)) }
    }
    return bytes.map { $0 != 0 }
  }

  /// `scores` with every score this cut does not keep set to zero.
  public func pruned<S: ScoreElement>(_ scores: [S], startIndex: Int = 0) -> [S] {
    var copy = scores
    copy.withUnsafeMutableBufferPointer { prune(S.scores($0), startIndex: startIndex) }
    return copy
  }
}
