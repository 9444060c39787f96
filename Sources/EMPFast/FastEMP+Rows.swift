import EMPCore
import Exact

extension FastEMP {
  /// The EMP analysis of each row of a row-major `rows × columns` matrix (per-row mode):
  /// each row has its own `N_eff`, `ν`, cut and `s_eff`, as in row-wise LLM pruning.
  ///
  /// Each row's result is bit-identical to `analyze(_:beta:options:)` on that row alone. A row
  /// whose scores are all zero has no `N_eff`: its result is `nil` (the matrix's other rows are
  /// analysed). Rows are processed in parallel.
  ///
  /// - Parameters:
  ///   - matrix: `rows × columns` scores, row-major; `rows = matrix.count / columns`.
  ///   - columns: the row length, at least 1; `matrix.count` must be a multiple of it.
  /// - Throws: `EMPInputError.nonFinite` for the first non-finite score, indexed into
  ///   `matrix`; `.empty` for no rows; `.nonPositiveBeta`.
  /// - Complexity: `O(N)`.
  public static func analyzeRows(
    _ matrix: ScoreBuffer, columns: Int, beta: Rational = 1, options: Options = Options()
  ) throws -> [FastAnalysis?] {
    precondition(columns >= 1 && matrix.count % columns == 0, "FastEMP.analyzeRows: bad column count")
    guard beta.signum > 0 else { throw EMPInputError.nonPositiveBeta("\(beta)") }
    let rows = matrix.count / columns
    guard rows > 0 else { throw EMPInputError.empty }
    var results = [Result<FastAnalysis, EMPInputError>?](repeating: nil, count: rows)
    let workers = min(options.threads, rows)
    results.withUnsafeMutableBufferPointer { results in
      Parallel.run(workers: workers) { worker in
        for row in Parallel.share(of: worker, workers: workers, items: rows) {
          let scores = matrix.slice(row * columns..<(row + 1) * columns)
          do {
            results[row] = .success(try analyze(scores, beta: beta, options: Options(threads: 1)))
          } catch let error as EMPInputError {
            results[row] = .failure(error)
          } catch {
            preconditionFailure("FastEMP.analyzeRows: unexpected error \(error)")
          }
        }
      }
    }
    return try results.enumerated().map { row, result in
      switch result! {
      case .success(let analysis): return analysis
      case .failure(.allZero): return nil
      case .failure(.nonFinite(let index)): throw EMPInputError.nonFinite(index: row * columns + index)
      case .failure(let error): throw error
      }
    }
  }

  /// Writes each row's keep mask, by the cuts of `analyzeRows` (in row order); a row without
  /// an analysis (all zeros) is kept whole.
  ///
  /// Row `r` of a `.bits` destination occupies words `r·⌈columns/64⌉ ..< (r+1)·⌈columns/64⌉`
  /// (each row starts on a word); of a `.bytes` destination, bytes `r·columns ..< (r+1)·columns`.
  ///
  /// - Precondition: `analyses.count == matrix.count / columns` and the destination is large
  ///   enough.
  public static func writeRowMasks(
    of matrix: ScoreBuffer, columns: Int, analyses: [FastAnalysis?], into destination: MaskDestination,
    options: Options = Options()
  ) {
    forEachRow(count: matrix.count, columns: columns, analyses: analyses, options: options) { row, cut in
      let scores = matrix.slice(row * columns..<(row + 1) * columns)
      switch destination {
      case .bits(let words):
        let stride = (columns + 63) / 64
        precondition(words.count >= stride * analyses.count, "FastEMP.writeRowMasks: bit mask too short")
        cut.writeMask(
          of: scores, into: .bits(UnsafeMutableBufferPointer(rebasing: words[row * stride..<(row + 1) * stride])),
          options: Options(threads: 1))
      case .bytes(let bytes):
        precondition(bytes.count >= matrix.count, "FastEMP.writeRowMasks: byte mask too short")
        cut.writeMask(
          of: scores,
          into: .bytes(UnsafeMutableBufferPointer(rebasing: bytes[row * columns..<(row + 1) * columns])),
          options: Options(threads: 1))
      }
    }
  }

  /// Sets every pruned score of each row to zero, in place, by the cuts of `analyzeRows`; a
  /// row without an analysis (all zeros) is left as it is.
  public static func pruneRows(
    _ matrix: MutableScoreBuffer, columns: Int, analyses: [FastAnalysis?], options: Options = Options()
  ) {
    forEachRow(count: matrix.scores.count, columns: columns, analyses: analyses, options: options) { row, cut in
      cut.prune(matrix.slice(row * columns..<(row + 1) * columns), options: Options(threads: 1))
    }
  }

  private static func forEachRow(
    count: Int, columns: Int, analyses: [FastAnalysis?], options: Options, _ body: (Int, Cut) -> Void
  ) {
    precondition(columns >= 1 && count == analyses.count * columns, "FastEMP: analyses do not match the matrix")
    let workers = max(1, min(options.threads, analyses.count))
    Parallel.run(workers: workers) { worker in
      for row in Parallel.share(of: worker, workers: workers, items: analyses.count) {
        body(row, analyses[row]?.cut ?? .keepingAll)
      }
    }
  }
}

extension MutableScoreBuffer {
  /// The scores `range` of this buffer.
  public func slice(_ range: Range<Int>) -> MutableScoreBuffer {
    switch self {
    case .float16(let b): .float16(UnsafeMutableBufferPointer(rebasing: b[range]))
    case .bfloat16(let b): .bfloat16(UnsafeMutableBufferPointer(rebasing: b[range]))
    case .float32(let b): .float32(UnsafeMutableBufferPointer(rebasing: b[range]))
    case .float64(let b): .float64(UnsafeMutableBufferPointer(rebasing: b[range]))
    }
  }
}
