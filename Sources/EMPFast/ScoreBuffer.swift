import Exact

/// A contiguous buffer of scores in one of the formats the fast path reads.
///
/// The buffer is borrowed: it must stay valid and unchanged for the duration of each call
/// that receives it.
public enum ScoreBuffer {
  /// IEEE 754 binary16 scores.
  case float16(UnsafeBufferPointer<Float16>)
  /// bfloat16 scores, as raw bits.
  case bfloat16(UnsafeBufferPointer<BFloat16>)
  /// IEEE 754 binary32 scores.
  case float32(UnsafeBufferPointer<Float>)
  /// IEEE 754 binary64 scores.
  case float64(UnsafeBufferPointer<Double>)

  /// The number of scores.
  public var count: Int {
    switch self {
    case .float16(let b): b.count
    case .bfloat16(let b): b.count
    case .float32(let b): b.count
    case .float64(let b): b.count
    }
  }

  /// Runs `visitor` on the typed buffer, specialised for its format.
  func accept<V: ScoreVisitor>(_ visitor: inout V) throws -> V.Result {
    switch self {
    case .float16(let b): try visitor.visit(b)
    case .bfloat16(let b): try visitor.visit(b)
    case .float32(let b): try visitor.visit(b)
    case .float64(let b): try visitor.visit(b)
    }
  }

  /// The scores `range` of this buffer (indices relative to its start).
  public func slice(_ range: Range<Int>) -> ScoreBuffer {
    precondition(range.lowerBound >= 0 && range.upperBound <= count, "ScoreBuffer.slice: range out of bounds")
    switch self {
    case .float16(let b): return .float16(UnsafeBufferPointer(rebasing: b[range]))
    case .bfloat16(let b): return .bfloat16(UnsafeBufferPointer(rebasing: b[range]))
    case .float32(let b): return .float32(UnsafeBufferPointer(rebasing: b[range]))
    case .float64(let b): return .float64(UnsafeBufferPointer(rebasing: b[range]))
    }
  }
}

/// A computation over one typed buffer of scores. `ScoreBuffer.accept` calls `visit` with
/// the concrete format, so the SIMD kernels are specialised for each.
protocol ScoreVisitor {
  associatedtype Result
  mutating func visit<T: FastScalar>(_ scores: UnsafeBufferPointer<T>) throws -> Result
  /// Visits formed scores; by default formed whole into a buffer and visited as binary64.
  mutating func visit(formed scores: some FormedScores) throws -> Result
}

extension ScoreVisitor {
  mutating func visit(formed scores: some FormedScores) throws -> Result {
    let buffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: scores.count)
    defer { buffer.deallocate() }
    if let start = buffer.baseAddress { scores.form(0..<scores.count, into: start) }
    return try visit(UnsafeBufferPointer(buffer))
  }
}

/// Binary64 scores formed from other data on demand, block by block, by the pass that reads
/// them: criterion products, which are then never written out whole and read back.
/// (Package access: `EMPModel` forms them.)
package protocol FormedScores {
  /// The number of scores.
  var count: Int { get }
  /// Writes the scores `range` to `out`. Called concurrently for disjoint ranges.
  func form(_ range: Range<Int>, into out: UnsafeMutablePointer<Double>)
}

extension FormedScores {
  /// The `length` scores from `start`, formed into `room`: the block reader of the passes.
  func block(_ start: Int, _ length: Int, in room: UnsafeMutablePointer<Double>) -> UnsafePointer<Double> {
    form(start..<start + length, into: room)
    return UnsafePointer(room)
  }
}

/// A score source that can also present its chunks as `FormedScores`: the moments and cut
/// passes then form each block on the thread that reads it. The formed chunks hold the same
/// scores, in the same chunking, as `forEachChunk`'s buffers, which the other passes read.
package protocol FormingScoreSource: ScoreSource {
  /// Calls `body` on each chunk in order as formed scores and returns `true`, or returns
  /// `false` at once (having called nothing) when this source does not form its chunks.
  func forEachFormedChunk(_ body: (any FormedScores) throws -> Void) throws -> Bool
}

extension ScoreSource {
  /// Runs `visitor` on each chunk in order: formed (`FormingScoreSource`) where the source
  /// forms them, else as typed buffers.
  func visitChunks(_ visitor: inout some ScoreVisitor) throws {
    if let forming = self as? any FormingScoreSource,
      try forming.forEachFormedChunk({ _ = try visitor.visit(formed: $0) })
    {
      return
    }
    try forEachChunk { _ = try $0.accept(&visitor) }
  }
}

/// Scores that arrive in chunks, possibly of different formats, and can be read again.
///
/// The global mode reads a source twice or three times (reductions, the cut, masks), so
/// `forEachChunk` must present the same values, in the same order and the same chunking,
/// on every call. Chunks are indexed consecutively: the first score of a chunk follows
/// the last score of the previous one.
public protocol ScoreSource {
  /// Calls `body` on each chunk in order.
  ///
  /// - Throws: whatever reading the chunks or `body` throws.
  func forEachChunk(_ body: (ScoreBuffer) throws -> Void) throws

  /// The number of scores, when known before the first read (default `nil`): the fast path
  /// then samples as densely as for a single buffer of that length, which usually saves the
  /// passes that narrow a missed bracket.
  var scoreCount: Int? { get }
}

extension ScoreSource {
  public var scoreCount: Int? { nil }
}

extension Array: ScoreSource where Element == ScoreBuffer {
  /// Calls `body` on each buffer of the array, in order.
  public func forEachChunk(_ body: (ScoreBuffer) throws -> Void) throws {
    for chunk in self { try body(chunk) }
  }

  /// The total number of scores of the buffers.
  public var scoreCount: Int? { reduce(0) { $0 + $1.count } }
}
