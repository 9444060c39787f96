import EMPFast
import Exact
import Foundation
import TensorIO

/// The scores of a model's tensors under a `ScoreCriterion`, streamed chunk by chunk beside
/// the weights.
///
/// Products (Wanda, Taylor) are computed in binary64. A product of two binary16, bfloat16 or
/// binary32 values is exact there (at most 24 + 24 significand bits, exponents within
/// binary64's range), so the scores the fast path and the exact reference see are the exact
/// products. When a factor is binary64 each product is checked (Proofs/fast-path-error-bounds.md,
/// §7) and the tensor's `ProductRounding` recorded: the fast path then certifies its results
/// for the exact products or leaves the tensor to the exact reference, which multiplies exactly.
final class Scorer {
  let criterion: ScoreCriterion
  let model: ModelFiles
  private let auxiliary: ModelFiles?
  /// Each prepared tensor's partner in the auxiliary files, by `key(of:)`.
  private var partners: [String: LocatedTensor] = [:]
  /// Wanda: each prepared tensor's input-feature norms, by `key(of:)`.
  private var norms: [String: FeatureNorms] = [:]
  /// The products of the chunk being streamed, and the partner's elements beside it: kept
  /// from chunk to chunk and tensor to tensor, so their pages are touched once.
  private var products = ProductBuffer()
  private var partnerElements = Scratch()
  /// How each tensor's products round, by `key(of:)`, once a pass has formed them all.
  private var roundings: [String: ProductRounding] = [:]

  /// The norms `‖X_j‖₂` of one weight's input features, and whether they are all narrow
  /// (read from binary16, bfloat16 or binary32).
  struct FeatureNorms {
    var values: [Double]
    var areNarrow: Bool
  }

  /// Opens the auxiliary files of `criterion` (headers only).
  ///
  /// - Throws: `TensorIOError` naming the file.
  init(criterion: ScoreCriterion, model: ModelFiles) throws {
    self.criterion = criterion
    self.model = model
    let paths = criterion.auxiliaryPaths
    auxiliary = paths.isEmpty ? nil : try ModelFiles(paths: paths, progress: model.progress)
  }

  deinit {
    products.deallocate()
    partnerElements.deallocate()
  }

  private static func key(of tensor: LocatedTensor) -> String { tensor.path + "\u{0}" + tensor.descriptor.name }

  /// Pairs each of `tensors` (floating-point, not empty) with its scores, gradients or norms,
  /// checking names, shapes, dtypes and (Wanda) the norms themselves, before any data is read
  /// for the analysis.
  ///
  /// - Returns: per tensor, why the criterion cannot score it (Wanda: not a matrix), or `nil`.
  /// - Throws: `EMPModelError` naming the tensor: no partner of that name, a shape or dtype
  ///   that does not fit, a norm that is negative, NaN or infinite; `TensorIOError`.
  func prepare(_ tensors: [LocatedTensor]) throws -> [String?] {
    guard let auxiliary else { return tensors.map { _ in nil } }
    return try tensors.map { tensor in
      let descriptor = tensor.descriptor
      if case .wanda = criterion, descriptor.shape.count != 2 {
        return "wanda scores a weight of shape [out, in]; this one has \(descriptor.shape.count) dimension(s)"
      }
      let partner = try self.partner(of: tensor, in: auxiliary)
      let expected: [Int] =
        if case .wanda = criterion { [descriptor.shape[1]] } else { descriptor.shape }
      guard partner.descriptor.shape == expected else {
        throw EMPModelError.partnerShapeMismatch(
          tensor: descriptor.name, role: criterion.auxiliaryRole, file: partner.path, expected: expected,
          found: partner.descriptor.shape)
      }
      partners[Self.key(of: tensor)] = partner
      if case .wanda = criterion { norms[Self.key(of: tensor)] = try readNorms(partner, of: tensor, files: auxiliary) }
      return nil
    }
  }

  /// The tensor of `files` that pairs with `tensor`: the same name, or the only tensor when
  /// both are single `.npy` arrays.
  private func partner(of tensor: LocatedTensor, in files: ModelFiles) throws -> LocatedTensor {
    let name = tensor.descriptor.name
    let found: LocatedTensor? =
      if files.catalogs.count == 1, files.catalogs[0].format == .npy, tensor.path.hasSuffix(".npy") {
        files.tensors.first
      } else {
        files.tensors.first { $0.descriptor.name == name }
      }
    guard let found else {
      throw EMPModelError.missingPartner(
        tensor: name, role: criterion.auxiliaryRole, files: files.paths.joined(separator: ", "))
    }
    guard found.descriptor.dtype.isFloatingPoint else {
      throw EMPModelError.partnerNotFloatingPoint(
        tensor: name, role: criterion.auxiliaryRole, file: found.path, dtype: found.descriptor.dtype.safetensorsName)
    }
    return found
  }

  private func readNorms(_ partner: LocatedTensor, of tensor: LocatedTensor, files: ModelFiles) throws -> FeatureNorms {
    var values: [Double] = []
    try files.forEachChunk(of: partner, reportingProgress: false) { $0.appendDoubles(to: &values) }
    if let index = values.firstIndex(where: { !$0.isFinite || $0 < 0 }) {
      throw EMPModelError.invalidFeatureNorm(
        tensor: tensor.descriptor.name, file: partner.path, index: index, value: "\(values[index])")
    }
    return FeatureNorms(values: values, areNarrow: partner.descriptor.dtype != .f64)
  }

  /// Calls `body` with successive chunks of `tensor`'s scores in C order, each holding whole
  /// groups of `multiple` scores; `weights` (when asked for) are the weights of the same
  /// elements, side by side. The buffers are valid only during the call of `body`, which must
  /// not stream another tensor of this scorer.
  ///
  /// Products are rounded to nearest binary64 numbers; `rounding(of:)` says how, once the
  /// tensor has been streamed.
  ///
  /// - Precondition: `tensor` was prepared and the criterion scores it.
  /// - Throws: `TensorIOError`; what `body` throws.
  func forEachChunk(
    of tensor: LocatedTensor, multiple: Int = 1, reportingProgress: Bool = true, withWeights: Bool = false,
    _ body: (_ scores: ScoreBuffer, _ weights: ScoreBuffer?) throws -> Void
  ) throws {
    switch criterion {
    case .magnitude:
      try model.forEachChunk(of: tensor, multiple: multiple, reportingProgress: reportingProgress) {
        try body($0, withWeights ? $0 : nil)
      }
    case .scores:
      let partner = partners[Self.key(of: tensor)]!
      guard withWeights else {
        return try auxiliary!.forEachChunk(of: partner, multiple: multiple, reportingProgress: reportingProgress) {
          try body($0, nil)
        }
      }
      var offset = 0
      try model.forEachChunk(of: tensor, multiple: multiple, reportingProgress: reportingProgress) { weights in
        try auxiliary!.readElements(of: partner, offset..<offset + weights.count, into: &partnerElements) {
          try body($0, weights)
        }
        offset += weights.count
      }
    case .wanda, .taylor:
      try forEachProductChunk(of: tensor, multiple: multiple, reportingProgress: reportingProgress) {
        chunk, weights, check in
        try body(products.materialize(chunk, check: &check), withWeights ? weights : nil)
      }
    }
  }

  /// Whether `forEachFormedChunk(of:)` can form `tensor`'s scores: the products of a
  /// criterion whose factors are binary16, bfloat16 or binary32, so that every product is
  /// exact (with a binary64 factor, `forEachChunk(of:)` forms and checks them).
  ///
  /// - Precondition: `tensor` was prepared and the criterion scores it.
  func formsProducts(of tensor: LocatedTensor) -> Bool {
    let key = Self.key(of: tensor)
    guard tensor.descriptor.dtype != .f64 else { return false }
    switch criterion {
    case .wanda: return norms[key]!.areNarrow
    case .taylor: return partners[key]!.descriptor.dtype != .f64
    case .magnitude, .scores: return false
    }
  }

  /// Calls `body` with successive chunks of `tensor`'s scores as products formed on demand,
  /// in the chunking of `forEachChunk(of:)`; the products are not formed here.
  ///
  /// - Precondition: `formsProducts(of: tensor)`.
  /// - Throws: `TensorIOError`; what `body` throws.
  func forEachFormedChunk(
    of tensor: LocatedTensor, reportingProgress: Bool = true, _ body: (any FormedScores) throws -> Void
  ) throws {
    precondition(formsProducts(of: tensor), "Scorer: these scores are not formed on demand")
    try forEachProductChunk(of: tensor, multiple: 1, reportingProgress: reportingProgress) { chunk, _, _ in try body(chunk) }
  }

  /// Streams `tensor`'s weights for a product criterion: `body` gets each chunk's products (not
  /// formed yet), its weights, and whether to check how its products round (until one whole
  /// pass has), into `rounding`.
  private func forEachProductChunk(
    of tensor: LocatedTensor, multiple: Int, reportingProgress: Bool,
    _ body: (_ products: any ProductChunk, _ weights: ScoreBuffer, _ check: inout ProductRounding?) throws -> Void
  ) throws {
    let key = Self.key(of: tensor)
    var check: ProductRounding? = roundings[key] == nil ? .exact : nil
    var offset = 0
    let chunkBytes = ProductBuffer.chunkCount * tensor.descriptor.dtype.byteSize
    func forEachWeightChunk(_ chunk: (ScoreBuffer) throws -> Void) throws {
      try model.forEachChunk(of: tensor, multiple: multiple, maxBytes: chunkBytes, reportingProgress: reportingProgress) {
        try chunk($0)
        offset += $0.count
      }
    }
    switch criterion {
    case .wanda:
      let (norms, columns) = (norms[key]!, tensor.descriptor.shape[1])
      try norms.values.withUnsafeBufferPointer { values in
        try forEachWeightChunk { weights in
          let products = WandaProducts(
            weights: weights, norms: values, normsAreNarrow: norms.areNarrow, firstColumn: offset % columns)
          try body(products, weights, &check)
        }
      }
    case .taylor:
      let partner = partners[key]!
      try forEachWeightChunk { weights in
        try auxiliary!.readElements(of: partner, offset..<offset + weights.count, into: &partnerElements) { gradients in
          try body(TaylorProducts(weights: weights, gradients: gradients), weights, &check)
        }
      }
    case .magnitude, .scores:
      preconditionFailure("Scorer: \(criterion) forms no products")
    }
    if let check { roundings[key] = check }
  }

  /// How the products of `tensors` round (the worst of them): `.exact` for a criterion that
  /// forms no products.
  ///
  /// - Precondition: each tensor has been streamed whole once.
  func rounding(of tensors: [LocatedTensor]) -> ProductRounding {
    tensors.map { roundings[Self.key(of: $0)] ?? .exact }.max() ?? .exact
  }

  /// All scores of `tensors`, one after the other, exactly (see `exactScores(of:)`).
  func exactScores(of tensors: [LocatedTensor]) throws -> ExactScores {
    let parts = try tensors.map(exactScores(of:))
    guard parts.contains(where: { if case .rationals = $0 { true } else { false } }) else {
      return .doubles(parts.flatMap { part -> [Double] in if case .doubles(let values) = part { values } else { [] } })
    }
    return .rationals(parts.flatMap(\.rationals))
  }

  /// All scores of `tensor` exactly, for the exact reference: `Double`s when every score is
  /// one, else exact products as `Rational`s.
  func exactScores(of tensor: LocatedTensor) throws -> ExactScores {
    var doubles: [Double] = []
    try forEachChunk(of: tensor) { scores, _ in scores.appendDoubles(to: &doubles) }
    return rounding(of: [tensor]) == .exact ? .doubles(doubles) : .rationals(try exactProducts(of: tensor))
  }

  /// The exact products of a Wanda or Taylor criterion, computed as rationals.
  private func exactProducts(of tensor: LocatedTensor) throws -> [Rational] {
    var weights: [Double] = []
    var others: [Double] = []
    try model.forEachChunk(of: tensor, reportingProgress: false) { $0.appendDoubles(to: &weights) }
    switch criterion {
    case .wanda:
      let norms = norms[Self.key(of: tensor)]!.values
      others = weights.indices.map { norms[$0 % norms.count] }
    case .taylor:
      try auxiliary!.forEachChunk(of: partners[Self.key(of: tensor)]!, reportingProgress: false) {
        $0.appendDoubles(to: &others)
      }
    case .magnitude, .scores:
      preconditionFailure("Scorer: only products can be inexact")
    }
    return zip(weights, others).map { Rational(finite: $0) * Rational(finite: $1) }
  }
}

/// A score vector held whole for the exact reference.
enum ExactScores {
  case doubles([Double])
  case rationals([Rational])

  /// The scores as rationals.
  var rationals: [Rational] {
    switch self {
    case .doubles(let values): values.map(Rational.init(finite:))
    case .rationals(let values): values
    }
  }
}

extension ModelFiles {
  /// Reads the elements `range` of `tensor` (C order) into a buffer and passes them to
  /// `body` as scores: the partner of a chunk of weights, side by side.
  func readElements(
    of tensor: LocatedTensor, _ range: Range<Int>, into scratch: inout Scratch, _ body: (ScoreBuffer) throws -> Void
  ) throws {
    let dtype = tensor.descriptor.dtype
    let buffer = scratch.bytes(range.count * dtype.byteSize)
    try reader(for: tensor.path).readElements(of: tensor.descriptor, range, into: buffer)
    try body(Self.scores(UnsafeRawBufferPointer(buffer), dtype: dtype))
  }
}

/// A buffer reused chunk after chunk (64-byte aligned), grown when a chunk needs more.
struct Scratch {
  private var storage = UnsafeMutableRawBufferPointer(start: nil, count: 0)

  /// The first `count` bytes of the buffer, grown to hold them.
  mutating func bytes(_ count: Int) -> UnsafeMutableRawBufferPointer {
    if storage.count < count {
      storage.deallocate()
      storage = .allocate(byteCount: count, alignment: 64)
    }
    return UnsafeMutableRawBufferPointer(rebasing: storage[..<count])
  }

  func deallocate() { storage.deallocate() }
}

/// The binary64 products of one chunk: Wanda's `|W_ij|·‖X_j‖₂` or Taylor's `|w·g|`.
struct ProductBuffer {
  /// The most products of one chunk, formed whole or block by block: 2^18, beside 1 MiB of
  /// binary32 weights (the chunk of the magnitude criterion). When every chunk was formed
  /// whole, in a job of its own before each pass, halving it cost 8% of a Wanda analysis in
  /// the model benchmark and doubling it saved nothing.
  static let chunkCount = 1 << 18

  private var scratch = Scratch()

  func deallocate() { scratch.deallocate() }

  /// Room for `count` products.
  private mutating func reserve(_ count: Int) -> UnsafeMutableBufferPointer<Double> {
    scratch.bytes(count * MemoryLayout<Double>.size).bindMemory(to: Double.self)
  }

  /// The products of `chunk`, formed on the fast path's threads; unless `check` is `nil`, how
  /// they round is folded into it.
  mutating func materialize(_ chunk: some ProductChunk, check: inout ProductRounding?) -> ScoreBuffer {
    let out = reserve(chunk.count)
    Self.inShares(of: chunk.count) { chunk.form($0, into: out.baseAddress! + $0.lowerBound) }
    if chunk.mayRound { Self.fold(out, into: &check, factors: chunk.factors(at:)) }
    return .float64(UnsafeBufferPointer(out))
  }

  /// Runs `fill` on contiguous shares of `0..<count`, on the fast path's threads.
  private static func inShares(of count: Int, _ fill: (Range<Int>) -> Void) {
    let workers = min(Parallel.defaultWorkers, max(1, count >> 15))
    Parallel.run(workers: workers) { fill(Parallel.share(of: $0, workers: workers, items: count)) }
  }

  /// Folds into `check` (unless `nil`) how each product `out[i]` of `factors(i)` rounds.
  private static func fold(
    _ out: UnsafeMutableBufferPointer<Double>, into check: inout ProductRounding?, factors: (Int) -> (Double, Double)
  ) {
    guard var worst = check else { return }
    for i in out.indices where worst != .unbounded {
      let (a, b) = factors(i)
      worst = max(worst, ProductRounding(of: out[i], a, b))
    }
    check = worst
  }
}

/// The binary64 products `RN(|a_i·b_i|)` of a chunk, formed on demand, with their factors.
protocol ProductChunk: FormedScores {
  /// Whether a factor is binary64, so that a product may round.
  var mayRound: Bool { get }
  /// The factors of product `i`, exactly.
  func factors(at i: Int) -> (Double, Double)
}

/// Wanda's products `|W_ij|·‖X_j‖₂` of a chunk of weights (C order, its first element in
/// column `firstColumn`).
struct WandaProducts: ProductChunk {
  let weights: ScoreBuffer
  /// The norms of the weights' input features (one per column).
  let norms: UnsafeBufferPointer<Double>
  /// Whether the norms were read from binary16, bfloat16 or binary32.
  let normsAreNarrow: Bool
  let firstColumn: Int

  var count: Int { weights.count }
  var mayRound: Bool { weights.isBinary64 || !normsAreNarrow }
  func factors(at i: Int) -> (Double, Double) { (weights.double(at: i), norms[(firstColumn + i) % norms.count]) }

  func form(_ range: Range<Int>, into out: UnsafeMutablePointer<Double>) {
    let columns = norms.count
    // Row by row, so that the inner loop runs over contiguous weights and norms, and through
    // pointers: index arithmetic without overflow checks, so that it vectorises.
    func form<T: ProductFactor>(_ w: UnsafeBufferPointer<T>) {
      var (start, column) = (range.lowerBound, (firstColumn + range.lowerBound) % columns)
      while start < range.upperBound {
        let run = min(columns - column, range.upperBound - start)
        let (o, v, n) = (out + (start - range.lowerBound), w.baseAddress! + start, norms.baseAddress! + column)
        for j in 0..<run { o[j] = v[j].exactDouble.magnitude * n[j] }
        (start, column) = (start + run, 0)
      }
    }
    switch weights {
    case .float16(let b): form(b)
    case .bfloat16(let b): form(b)
    case .float32(let b): form(b)
    case .float64(let b): form(b)
    }
  }
}

/// Taylor's products `|w_i·g_i|` of a chunk of weights and their gradients.
struct TaylorProducts: ProductChunk {
  let weights: ScoreBuffer
  let gradients: ScoreBuffer

  var count: Int { weights.count }
  var mayRound: Bool { weights.isBinary64 || gradients.isBinary64 }
  func factors(at i: Int) -> (Double, Double) { (weights.double(at: i), gradients.double(at: i)) }

  func form(_ range: Range<Int>, into out: UnsafeMutablePointer<Double>) {
    // One loop for every pair of formats.
    func form<W: ProductFactor, G: ProductFactor>(_ w: UnsafeBufferPointer<W>, _ g: UnsafeBufferPointer<G>) {
      let (v, d) = (w.baseAddress! + range.lowerBound, g.baseAddress! + range.lowerBound)
      for i in 0..<range.count { out[i] = (v[i].exactDouble * d[i].exactDouble).magnitude }
    }
    func withWeights<G: ProductFactor>(_ g: UnsafeBufferPointer<G>) {
      switch weights {
      case .float16(let w): form(w, g)
      case .bfloat16(let w): form(w, g)
      case .float32(let w): form(w, g)
      case .float64(let w): form(w, g)
      }
    }
    switch gradients {
    case .float16(let g): withWeights(g)
    case .bfloat16(let g): withWeights(g)
    case .float32(let g): withWeights(g)
    case .float64(let g): withWeights(g)
    }
  }
}

/// How binary64 products `p = RN(|a·b|)` relate to the exact products
/// (Proofs/fast-path-error-bounds.md, §7); ordered from best to worst.
enum ProductRounding: Int, Comparable {
  /// Every product is exact.
  case exact
  /// Some products are rounded; each is exact or at least `2^−968`, so within a relative
  /// `2^−53` of the exact product: the fast path certifies its results for the exact products.
  case rounded
  /// Some nonzero product below `2^−968` is not proven exact (its rounding may underflow):
  /// only the exact reference analyses it.
  case unbounded

  static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

  /// How `p`, the magnitude of the binary64 product of `a` and `b`, rounds: `exact` when a
  /// factor is zero or not finite (the score is then 0 or reported as not finite) or the
  /// product overflows, or when `|p| ≥ 2^−968` and `a·b − RN(a·b)`, which is then
  /// representable, is 0 (the fused multiply-add returns it exactly).
  init(of p: Double, _ a: Double, _ b: Double) {
    guard a.isFinite, b.isFinite, a != 0, b != 0, p.isFinite else {
      self = .exact
      return
    }
    guard p >= 0x1p-968 else {
      self = .unbounded
      return
    }
    self = (-(a * b)).addingProduct(a, b) == 0 ? .exact : .rounded
  }
}

extension ScoreBuffer {
  /// Whether the scores are binary64.
  var isBinary64: Bool { if case .float64 = self { true } else { false } }

  /// The score at `index` as a `Double` (exact).
  func double(at index: Int) -> Double {
    switch self {
    case .float16(let b): b[index].exactDouble
    case .bfloat16(let b): b[index].exactDouble
    case .float32(let b): b[index].exactDouble
    case .float64(let b): b[index].exactDouble
    }
  }
}

/// A format of a product's factors, converted to binary64 exactly (every value of these
/// formats is a binary64 value): a protocol rather than a closure, so that the product
/// loops are specialised per format and vectorised.
protocol ProductFactor {
  var exactDouble: Double { get }
}

extension Float16: ProductFactor {
  var exactDouble: Double { Double(Float(self)) }
}

extension BFloat16: ProductFactor {
  var exactDouble: Double { Double(floatValue) }
}

extension Float: ProductFactor {
  var exactDouble: Double { Double(self) }
}

extension Double: ProductFactor {
  var exactDouble: Double { self }
}
