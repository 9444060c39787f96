import EMPFast
import Exact
import Foundation
import TensorIO

/// The tensor files named on the command line: their tensors, and readers that stream
/// any tensor's elements as scores, in C order, in chunks of bounded size.
final class ModelFiles {
  /// The largest chunk read at once: memory stays O(this), whatever the file size. 1 MiB
  /// stays in the cache between the read and the fast path's pass (16 MiB had cost a fresh
  /// process more in page faults than the whole analysis).
  static let chunkByteCount = 1 << 20

  /// Every tensor of every file, in file order and each file's data order.
  let tensors: [LocatedTensor]
  /// Each file's validated catalog, in the order given.
  let catalogs: [TensorCatalog]
  /// The files, as given.
  var paths: [String] { catalogs.map(\.path) }
  /// What reports the bytes read.
  let progress: any ModelProgress
  private var readers: [String: TensorFileReader] = [:]

  /// Opens and validates `paths` (headers only).
  ///
  /// - Throws: `TensorIOError` naming the file and the problem.
  init(paths: [String], progress: any ModelProgress) throws {
    catalogs = try paths.map { try TensorCatalog(contentsOf: $0) }
    tensors = catalogs.flatMap(\.tensors)
    self.progress = progress
  }

  /// The number of elements in each row of `tensor` for per-row mode: the product of all
  /// dimensions but the first (a vector or scalar is one row).
  static func columnCount(of tensor: TensorDescriptor) -> Int {
    tensor.shape.count < 2 ? max(1, tensor.elementCount) : tensor.shape.dropFirst().reduce(1, *)
  }

  /// Calls `body` with successive chunks of `tensor`'s elements in C order as scores.
  ///
  /// Each chunk holds whole groups of `multiple` elements (whole rows, for per-row mode),
  /// at most `maxBytes` bytes unless one group is larger.
  ///
  /// - Precondition: `tensor`'s dtype is a floating-point type EMP analyses.
  /// - Throws: `TensorIOError` (file problems) or what `body` throws.
  func forEachChunk(
    of tensor: LocatedTensor, multiple: Int = 1, maxBytes: Int = chunkByteCount, reportingProgress: Bool = true,
    _ body: (ScoreBuffer) throws -> Void
  ) throws {
    let descriptor = tensor.descriptor
    let groupBytes = multiple * descriptor.dtype.byteSize
    let chunkBytes = max(groupBytes, min(maxBytes, Self.chunkByteCount) / groupBytes * groupBytes)
    try reader(for: tensor.path).forEachChunkInCOrder(of: descriptor, maxChunkByteCount: chunkBytes) { raw in
      try body(Self.scores(raw, dtype: descriptor.dtype))
      if reportingProgress { progress.advance(by: raw.count) }
    }
  }

  /// Calls `body` with successive chunks of `tensor`'s bytes in C order, host byte order,
  /// whatever its dtype.
  ///
  /// - Throws: `TensorIOError` or what `body` throws.
  func forEachRawChunk(of tensor: LocatedTensor, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
    try reader(for: tensor.path).forEachChunkInCOrder(of: tensor.descriptor, maxChunkByteCount: Self.chunkByteCount) {
      try body($0)
      progress.advance(by: $0.count)
    }
  }

  /// The total number of data bytes of `tensors`.
  static func byteCount(of tensors: [LocatedTensor]) -> Int {
    tensors.reduce(0) { $0 + $1.descriptor.byteCount }
  }

  func reader(for path: String) throws -> TensorFileReader {
    if let reader = readers[path] { return reader }
    let reader = try TensorFileReader(path: path)
    readers[path] = reader
    return reader
  }

  /// The chunk `raw` (host byte order, 64-byte aligned) viewed as scores of `dtype`.
  static func scores(_ raw: UnsafeRawBufferPointer, dtype: DType) -> ScoreBuffer {
    switch dtype {
    case .f16: .float16(raw.bindMemory(to: Float16.self))
    case .bf16: .bfloat16(raw.bindMemory(to: BFloat16.self))
    case .f32: .float32(raw.bindMemory(to: Float.self))
    case .f64: .float64(raw.bindMemory(to: Double.self))
    default: preconditionFailure("ModelFiles: \(dtype) is not a score type")
    }
  }
}

/// Some tensors of a model read as one score vector under a criterion, in the given order
/// (global mode reads all of them; per-tensor mode one).
///
/// With a `phase` name, each read of the source is a phase of the progress bar (`"name,
/// pass k"`); without one, only the first read advances the current phase.
final class TensorScoreSource: FormingScoreSource {
  let scorer: Scorer
  let tensors: [LocatedTensor]
  private let phase: String?
  private var reads = 0

  init(scorer: Scorer, tensors: [LocatedTensor], phase: String? = nil) {
    (self.scorer, self.tensors, self.phase) = (scorer, tensors, phase)
  }

  var scoreCount: Int? { tensors.reduce(0) { $0 + $1.descriptor.elementCount } }

  func forEachChunk(_ body: (ScoreBuffer) throws -> Void) throws {
    beginRead()
    for tensor in tensors {
      try scorer.forEachChunk(of: tensor, reportingProgress: phase != nil || reads == 1) { scores, _ in try body(scores) }
    }
  }

  /// Products whose factors are all narrow are formed by the passes that read them.
  func forEachFormedChunk(_ body: (any FormedScores) throws -> Void) throws -> Bool {
    guard tensors.allSatisfy(scorer.formsProducts(of:)) else { return false }
    beginRead()
    for tensor in tensors {
      try scorer.forEachFormedChunk(of: tensor, reportingProgress: phase != nil || reads == 1, body)
    }
    return true
  }

  /// Counts a read of the source, beginning its phase when it has one.
  private func beginRead() {
    reads += 1
    if let phase {
      scorer.model.progress.beginPhase("\(phase), pass \(reads)", totalBytes: ModelFiles.byteCount(of: tensors))
    }
  }
}

extension ScoreBuffer {
  /// The index of the first NaN or infinite score, if any.
  func firstNonFiniteIndex() -> Int? {
    switch self {
    case .float16(let b): b.firstIndex { !$0.isFinite }
    case .bfloat16(let b): b.firstIndex { !$0.floatValue.isFinite }
    case .float32(let b): b.firstIndex { !$0.isFinite }
    case .float64(let b): b.firstIndex { !$0.isFinite }
    }
  }

  /// The scores as `Double`s (exact: every supported format converts exactly).
  func appendDoubles(to values: inout [Double]) {
    switch self {
    case .float16(let b): values.append(contentsOf: b.lazy.map(Double.init))
    case .bfloat16(let b): values.append(contentsOf: b.lazy.map { Double($0.floatValue) })
    case .float32(let b): values.append(contentsOf: b.lazy.map(Double.init))
    case .float64(let b): values.append(contentsOf: b)
    }
  }

  /// Adds the scores to `accumulator`, exactly.
  func addMoments(to accumulator: inout MomentAccumulator) {
    switch self {
    case .float16(let b): accumulator.add(contentsOf: b)
    case .bfloat16(let b): accumulator.add(contentsOf: b)
    case .float32(let b): accumulator.add(contentsOf: b)
    case .float64(let b): accumulator.add(contentsOf: b)
    }
  }

  /// A fresh mutable copy; the caller deallocates it with `deallocate()`.
  func mutableCopy() -> MutableScoreBuffer {
    func copy<T>(_ b: UnsafeBufferPointer<T>) -> UnsafeMutableBufferPointer<T> {
      let copy = UnsafeMutableBufferPointer<T>.allocate(capacity: b.count)
      _ = copy.initialize(from: b)
      return copy
    }
    switch self {
    case .float16(let b): return .float16(copy(b))
    case .bfloat16(let b): return .bfloat16(copy(b))
    case .float32(let b): return .float32(copy(b))
    case .float64(let b): return .float64(copy(b))
    }
  }
}

extension MutableScoreBuffer {
  /// Frees a buffer made by `ScoreBuffer.mutableCopy()`.
  func deallocate() {
    switch self {
    case .float16(let b): b.deallocate()
    case .bfloat16(let b): b.deallocate()
    case .float32(let b): b.deallocate()
    case .float64(let b): b.deallocate()
    }
  }

  /// The bytes of the scores.
  var rawBytes: UnsafeRawBufferPointer { scores.rawBytes }
}

extension ScoreBuffer {
  /// The bytes of the scores.
  var rawBytes: UnsafeRawBufferPointer {
    switch self {
    case .float16(let b): UnsafeRawBufferPointer(b)
    case .bfloat16(let b): UnsafeRawBufferPointer(b)
    case .float32(let b): UnsafeRawBufferPointer(b)
    case .float64(let b): UnsafeRawBufferPointer(b)
    }
  }
}
