import EMPKit
import Foundation
import Testing

/// Score criteria and structured groups, checked against scores and group sums computed
/// here independently, with rationals, then analysed by the exact reference.
@Suite struct ScoresAndGroupsTests {
  typealias Tensor = ModelFile.Tensor

  /// The weights: every float format, matrices and a vector.
  static let weights = ModelFile.tensors

  /// A partner of each weight (same name and shape) in `dtype`, drawn from `stream`.
  static func partners(dtype: DType, stream: UInt64, shape: (Tensor) -> [Int] = \.shape) -> [Tensor] {
    weights.enumerated().map { i, w in
      let shape = shape(w)
      return Tensor(
        name: w.name, dtype: dtype, shape: shape,
        values: ModelFile.values(shape.reduce(1, *), dtype: dtype, stream: stream + UInt64(i)))
    }
  }

  /// The exact scores of `weight` under a criterion, from its partner's values.
  static func exactScores(_ weight: Tensor, criterion: String, partner: [Double]) -> [Rational] {
    let w = weight.values.map { Rational(finite: $0) }
    switch criterion {
    case "scores": return partner.map { Rational(finite: $0) }
    case "wanda": return w.indices.map { w[$0].magnitude * Rational(finite: partner[$0 % partner.count]).magnitude }
    case "taylor": return w.indices.map { (w[$0] * Rational(finite: partner[$0])).magnitude }
    default: return w
    }
  }

  /// Writes `tensors`, runs `body` with the path, removes the file.
  static func withFile<R>(_ tensors: [Tensor], _ body: (String) throws -> R) throws -> R {
    let path = try ModelFile.write(tensors)
    defer { ModelFile.remove(path) }
    return try body(path)
  }

  // MARK: - Criteria

  @Test(arguments: ["scores", "wanda", "taylor"], [DType.f16, .bf16, .f32, .f64])
  func perTensorRetentionCountsAreTheReferences(criterion: String, dtype: DType) throws {
    let partners =
      criterion == "wanda"
      ? Self.partners(dtype: dtype, stream: 40) { $0.shape.count == 2 ? [$0.shape[1]] : $0.shape }.map {
        Tensor(name: $0.name, dtype: $0.dtype, shape: $0.shape, values: $0.values.map(\.magnitude))
      }
      : Self.partners(dtype: dtype, stream: 20)
    try Self.withFile(Self.weights) { model in
      try Self.withFile(partners) { other in
        let scoreCriterion: ScoreCriterion =
          switch criterion {
          case "scores": .scores(paths: [other])
          case "wanda": .wanda(activations: [other])
          default: .taylor(gradients: [other])
          }
        for exact in [false, true] {
          // Binary64 products that round (binary64 weights or partners) are certified for the
          // exact products, or analysed by the exact reference.
          let analysis = try ModelAnalysis(
            paths: [model], beta: Rational(3, 4), exact: exact, criterion: scoreCriterion)
          for result in analysis.tensors {
            let weight = try #require(Self.weights.first { $0.name == result.name })
            let partner = try #require(partners.first { $0.name == result.name })
            if criterion == "wanda", weight.shape.count != 2 {
              #expect(result.undefinedReason != nil, "\(weight.name)")
              continue
            }
            let reference = try ExactAnalysis(
              scores: Self.exactScores(weight, criterion: criterion, partner: partner.values), beta: Rational(3, 4))
            guard case .vector(let report, _) = result.outcome else {
              Issue.record("\(weight.name): \(result.undefinedReason ?? "no analysis")")
              continue
            }
            #expect(report.retentionCount == reference.retentionCount, "\(criterion) \(dtype) \(weight.name)")
            #expect(report.effectiveSampleSize.contains(Surd(reference.effectiveSampleSize)), "\(weight.name)")
          }
        }
      }
    }
  }

  /// Products formed block by block inside the passes (narrow factors) over many blocks and
  /// two chunks (a `[640, 500]` weight: 320,000 products, past one chunk of 2^18, the second
  /// starting inside a row), and the same tensor with binary64 gradients, whose products are
  /// formed whole and checked: per tensor and global `ν`, and the kept weights of a prune,
  /// are the rational references'.
  @Test(arguments: ["wanda", "taylor"])
  func productsOfManyBlocksAndChunksAreTheReferences(criterion: String) throws {
    let (rows, columns) = (640, 500)
    let weight = Tensor(name: "w", dtype: .f32, shape: [rows, columns], values: ModelFile.values(rows * columns, dtype: .f32, stream: 80))
    let partnerTypes: [DType] = criterion == "wanda" ? [.f32] : [.bf16, .f64]
    for dtype in partnerTypes {
      let shape = criterion == "wanda" ? [columns] : [rows, columns]
      let values = ModelFile.values(shape.reduce(1, *), dtype: dtype, stream: 81).map { criterion == "wanda" ? $0.magnitude : $0 }
      let partner = Tensor(name: "w", dtype: dtype, shape: shape, values: values)
      let reference = try ExactAnalysis(
        scores: Self.exactScores(weight, criterion: criterion, partner: values), beta: Rational(5, 4))
      try Self.withFile([weight]) { model in
        try Self.withFile([partner]) { other in
          let scoreCriterion: ScoreCriterion = criterion == "wanda" ? .wanda(activations: [other]) : .taylor(gradients: [other])
          for mode in [AnalysisMode.perTensor, .global] {
            let analysis = try ModelAnalysis(paths: [model], mode: mode, beta: Rational(5, 4), criterion: scoreCriterion)
            #expect(analysis.tensors[0].keptElements == reference.retentionCount, "\(criterion) \(dtype) \(mode)")
          }
          let (output, masks) = (model + ".pruned.safetensors", model + ".masks.safetensors")
          defer { [output, masks].forEach(ModelFile.remove) }
          let analysis = try ModelAnalysis(paths: [model], beta: Rational(5, 4), criterion: scoreCriterion)
          _ = try PrunedModelWriter(analysis: analysis).write(to: output, mask: masks)
          let kept = Set(reference.keptIndices)
          #expect(try ModelFile.read(masks)["w"] == (0..<rows * columns).map { kept.contains($0) ? 1 : 0 }, "\(criterion) \(dtype)")
        }
      }
    }
  }

  @Test func globalPruneWithScoresKeepsTheReferencesSetOfWeights() throws {
    let scores = Self.partners(dtype: .f32, stream: 60)
    try Self.withFile(Self.weights) { model in
      try Self.withFile(scores) { other in
        let (output, masks) = (model + ".pruned.safetensors", model + ".masks.safetensors")
        defer { [output, masks].forEach(ModelFile.remove) }
        let analysis = try ModelAnalysis(paths: [model], mode: .global, criterion: .scores(paths: [other]))
        let reference = try ExactAnalysis(scores: scores.flatMap(\.values))
        #expect(analysis.global?.retentionCount == reference.retentionCount)
        _ = try PrunedModelWriter(analysis: analysis).write(to: output, mask: masks)
        let (pruned, mask) = (try ModelFile.read(output), try ModelFile.read(masks))
        let kept = Set(reference.keptIndices)
        var start = 0
        for weight in Self.weights {
          let keeps = weight.values.indices.map { kept.contains(start + $0) }
          #expect(pruned[weight.name] == weight.values.indices.map { keeps[$0] ? weight.values[$0] : 0 }, "\(weight.name)")
          #expect(mask[weight.name] == keeps.map { $0 ? 1 : 0 }, "\(weight.name)")
          start += weight.values.count
        }
      }
    }
  }

  @Test func roundedBinary64ProductsAreCertifiedForTheExactProducts() throws {
    // 1 + 2⁻⁵² squared needs 105 bits: the product rounds in binary64.
    let odd = 1 + 0x1p-52
    #expect(Rational(finite: odd) * Rational(finite: odd) != Rational(finite: odd * odd))
    let weight = Tensor(name: "w", dtype: .f64, shape: [1, 3], values: [odd, 1, 0.5])
    let gradient = Tensor(name: "w", dtype: .f64, shape: [1, 3], values: [odd, 1, 0.25])
    try Self.withFile([weight]) { model in
      try Self.withFile([gradient]) { other in
        let reference = try ExactAnalysis(
          scores: Self.exactScores(weight, criterion: "taylor", partner: gradient.values))
        for exact in [false, true] {
          let analysis = try ModelAnalysis(paths: [model], exact: exact, criterion: .taylor(gradients: [other]))
          guard case .vector(let report, _) = analysis.tensors[0].outcome else {
            Issue.record("no analysis")
            return
          }
          #expect(report.retentionCount == reference.retentionCount)
          #expect(report.method == (exact ? .exact : .floatingPoint))
          #expect(report.effectiveSampleSize.contains(Surd(reference.effectiveSampleSize)))
          #expect(report.preservedMass.contains(Surd(reference.preservedMass)))
        }
      }
    }
  }

  @Test func productsThatRoundToATieAtTheCutArePrunedByTheExactProducts() throws {
    // 1·(1 + 2⁻⁵¹) is exact; (1 + 2⁻⁵²)² = 1 + 2⁻⁵¹ + 2⁻¹⁰⁴ rounds to the same binary64. At
    // β = 1/2 one is kept: by the roundings, the first (lowest index); by the exact
    // products, the second.
    let weight = Tensor(name: "w", dtype: .f64, shape: [1, 2], values: [1, 1 + 0x1p-52])
    let gradient = Tensor(name: "w", dtype: .f64, shape: [1, 2], values: [1 + 0x1p-51, 1 + 0x1p-52])
    try Self.withFile([weight]) { model in
      try Self.withFile([gradient]) { other in
        let (output, masks) = (model + ".pruned.safetensors", model + ".masks.safetensors")
        defer { [output, masks].forEach(ModelFile.remove) }
        let reference = try ExactAnalysis(
          scores: Self.exactScores(weight, criterion: "taylor", partner: gradient.values), beta: Rational(1, 2))
        #expect(reference.keptIndices == [1])
        for mode in [AnalysisMode.perTensor, .global, .perRow] {
          let analysis = try ModelAnalysis(
            paths: [model], mode: mode, beta: Rational(1, 2), criterion: .taylor(gradients: [other]))
          _ = try PrunedModelWriter(analysis: analysis).write(to: output, mask: masks, replacingExisting: true)
          #expect(try ModelFile.read(masks)["w"] == [0, 1], "\(mode)")
          #expect(try ModelFile.read(output)["w"] == [0, 1 + 0x1p-52], "\(mode)")
        }
      }
    }
  }

  @Test func badPartnersAreErrorsNamingTheTensor() throws {
    let matrix = Tensor(name: "w", dtype: .f32, shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
    try Self.withFile([matrix]) { model in
      let cases: [(Tensor, (String) -> ScoreCriterion, EMPModelError)] = [
        (
          Tensor(name: "v", dtype: .f32, shape: [2, 3], values: [1, 2, 3, 4, 5, 6]), { .scores(paths: [$0]) },
          .missingPartner(tensor: "w", role: "scores", files: "")
        ),
        (
          Tensor(name: "w", dtype: .f32, shape: [3, 2], values: [1, 2, 3, 4, 5, 6]), { .scores(paths: [$0]) },
          .partnerShapeMismatch(tensor: "w", role: "scores", file: "", expected: [2, 3], found: [3, 2])
        ),
        (
          Tensor(name: "w", dtype: .f32, shape: [2], values: [1, 2]), { .wanda(activations: [$0]) },
          .partnerShapeMismatch(tensor: "w", role: "activation norms", file: "", expected: [3], found: [2])
        ),
        (
          Tensor(name: "w", dtype: .f32, shape: [3], values: [1, -2, 3]), { .wanda(activations: [$0]) },
          .invalidFeatureNorm(tensor: "w", file: "", index: 1, value: "-2.0")
        ),
        (
          Tensor(name: "w", dtype: .f32, shape: [2, 3], values: [1, 2, .nan, 4, 5, 6]), { .scores(paths: [$0]) },
          .nonFiniteScore(tensor: "w", criterion: "scores", index: 2)
        ),
        (
          Tensor(name: "w", dtype: .f32, shape: [2, 3], values: [1, 2, 3, 4, .infinity, 6]),
          { .taylor(gradients: [$0]) }, .nonFiniteScore(tensor: "w", criterion: "taylor", index: 4)
        ),
      ]
      for (partner, criterion, expected) in cases {
        try Self.withFile([partner]) { other in
          for exact in [false, true] {
            do {
              _ = try ModelAnalysis(paths: [model], exact: exact, criterion: criterion(other))
              Issue.record("no error for \(expected)")
            } catch let error as EMPModelError {
              #expect(error.withoutFiles == expected.withoutFiles, "\(error)")
              #expect(error.description.contains("\"w\""), "\(error)")
            }
          }
        }
      }
    }
  }

  // MARK: - Groups

  /// The exact group sums of `values` (a `[rows, columns]` view) for `grouping`: `Σ|s|`
  /// (`l1`) or `Σs²` (`sq`, `l2`), by explicit row and column loops.
  static func groupSums(_ values: [Rational], rows: Int, columns: Int, grouping: Grouping) -> [Rational] {
    let k = grouping.size
    let count = (grouping.axis == .rows ? rows : columns) / k
    var sums = [Rational](repeating: 0, count: count)
    for row in 0..<rows {
      for column in 0..<columns {
        let value = values[row * columns + column]
        let group = grouping.axis == .rows ? row / k : column / k
        sums[group] += grouping.norm == .l1 ? value.magnitude : value * value
      }
    }
    return sums
  }

  /// The reference's `ν` and kept groups of group sums.
  static func reference(_ sums: [Rational], norm: Grouping.Norm, beta: Rational) throws -> (nu: Int, kept: [Int]) {
    switch norm {
    case .l1, .sq:
      let analysis = try ExactAnalysis(scores: sums, beta: beta)
      return (analysis.retentionCount, analysis.keptIndices)
    case .l2:
      // Σs² of floats is an integer multiple of 2^−2148; EMP does not depend on the scale.
      let scale = Rational(BigInteger(1).shifted(by: 2148))
      let analysis = try SquareRootScoresAnalysis(squares: sums.map { ($0 * scale).numerator }, beta: beta)
      return (analysis.retentionCount, analysis.keptIndices)
    }
  }

  @Test(arguments: ["rows", "columns", "rows:4", "columns:8", "columns:16"], Grouping.Norm.allCases)
  func groupsAreTheReferences(layout: String, norm: Grouping.Norm) throws {
    let matrices = Self.weights.filter { $0.shape.count == 2 }
    let grouping = try #require(Grouping(layout, norm: norm))
    try Self.withFile(matrices) { model in
      for (mode, exact) in [(AnalysisMode.perTensor, false), (.perTensor, true), (.global, false), (.global, true)] {
        let analysis = try ModelAnalysis(
          paths: [model], mode: mode, beta: Rational(5, 4), exact: exact, grouping: grouping)
        let sums = matrices.map {
          Self.groupSums($0.values.map { Rational(finite: $0) }, rows: $0.shape[0], columns: $0.shape[1], grouping: grouping)
        }
        var expected: [[Int]]
        if mode == .global {
          let (nu, kept) = try Self.reference(sums.flatMap { $0 }, norm: norm, beta: Rational(5, 4))
          #expect(analysis.global?.retentionCount == nu, "\(layout) \(norm) global")
          var start = 0
          expected = sums.map { part in
            defer { start += part.count }
            return kept.filter { (start..<start + part.count).contains($0) }.map { $0 - start }
          }
        } else {
          expected = try sums.map { try Self.reference($0, norm: norm, beta: Rational(5, 4)).kept }
        }
        for (i, result) in analysis.tensors.enumerated() {
          guard case .groups(let groups) = result.outcome else {
            Issue.record("\(result.name): \(result.undefinedReason ?? "no groups")")
            continue
          }
          #expect(groups.keptGroups == expected[i], "\(layout) \(norm) \(mode) exact: \(exact) \(result.name)")
          #expect(result.keptElements == expected[i].count * groups.elementsPerGroup)
          if mode == .perTensor { #expect(groups.report?.retentionCount == expected[i].count) }
        }
      }
    }
  }

  /// Under `l1`, rows and columns of binary32 and bfloat16 scores are summed in binary64 where
  /// a test on their exponents proves it exact, and the others score by score. Here some rows
  /// and columns hold a magnitude near 2^−80 beside magnitudes near 1, which binary64 sums would
  /// round away: the exact `N_eff` of the groups (which every group sum decides) and the kept
  /// groups must still be those of rational group sums, for runs that pass and that fail alike.
  @Test(arguments: ["rows", "columns", "rows:3", "columns:2"])
  func groupRunsThatBinary64CannotHoldAreSummedExactly(layout: String) throws {
    let (rows, columns) = (12, 10)
    let matrices = [DType.f32, .bf16].enumerated().map { i, dtype in
      var values = ModelFile.values(rows * columns, dtype: dtype, stream: 40 + UInt64(i))
      for (row, column) in [(0, 2), (3, 7), (3, 2), (9, 5)] { values[row * columns + column] = 0x1p-80 * (1 + Double(row) / 8) }
      return Tensor(name: "m\(i).weight", dtype: dtype, shape: [rows, columns], values: values)
    }
    let grouping = try #require(Grouping(layout, norm: .l1))
    try Self.withFile(matrices) { model in
      let analysis = try ModelAnalysis(paths: [model], beta: Rational(5, 4), grouping: grouping)
      for (matrix, result) in zip(matrices, analysis.tensors) {
        let sums = Self.groupSums(matrix.values.map { Rational(finite: $0) }, rows: rows, columns: columns, grouping: grouping)
        let reference = try ExactAnalysis(scores: sums, beta: Rational(5, 4))
        guard case .groups(let groups) = result.outcome, let report = groups.report else {
          Issue.record("\(result.name): no group report")
          continue
        }
        #expect(report.effectiveSampleSize == Enclosure<Surd>(exactly: Surd(reference.effectiveSampleSize)), "\(layout) \(result.name)")
        #expect(groups.keptGroups == reference.keptIndices, "\(layout) \(result.name)")
      }
    }
  }

  /// A chunk long enough to be split among threads (a `[384, 512]` tensor is one chunk of
  /// 196,608 scores): each thread sums its own groups' parts, with its own shared accumulator.
  /// Some columns hold a magnitude near 2^−80, so that both kinds of column sums meet. Every
  /// norm's `ν` and kept groups must be those of rational group sums.
  @Test(arguments: ["rows", "rows:4", "columns", "columns:8"], Grouping.Norm.allCases)
  func groupsOfLongChunksSummedOnSeveralThreadsAreTheReferences(layout: String, norm: Grouping.Norm) throws {
    let (rows, columns) = (384, 512)
    var values = ModelFile.values(rows * columns, dtype: .f32, stream: 60)
    for (row, column) in [(0, 3), (5, 200), (300, 201), (383, 511)] { values[row * columns + column] = 0x1p-80 }
    let matrix = Tensor(name: "w", dtype: .f32, shape: [rows, columns], values: values)
    let grouping = try #require(Grouping(layout, norm: norm))
    try Self.withFile([matrix]) { model in
      let analysis = try ModelAnalysis(paths: [model], beta: Rational(3, 2), grouping: grouping)
      let sums = Self.groupSums(values.map { Rational(finite: $0) }, rows: rows, columns: columns, grouping: grouping)
      let expected = try Self.reference(sums, norm: norm, beta: Rational(3, 2))
      guard case .groups(let groups) = analysis.tensors[0].outcome else {
        Issue.record("\(layout) \(norm): \(analysis.tensors[0].undefinedReason ?? "no groups")")
        return
      }
      #expect(groups.keptGroups == expected.kept, "\(layout) \(norm)")
      #expect(groups.report?.retentionCount == expected.nu, "\(layout) \(norm)")
    }
  }

  /// Random products and group layouts: matrices of random shapes and formats, Taylor
  /// scores from random gradients, a random grouping that fits, a random norm and β; the
  /// fast analysis against the rational oracle, per tensor.
  @Test func randomProductsAndLayoutsAreTheReferences() throws {
    let seed: UInt64 = 0x5EED_0013
    print("randomProductsAndLayoutsAreTheReferences: seed \(seed)")
    var generator = SplitMix64(seed: seed)
    func draw(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &generator) }
    let formats: [DType] = [.f16, .bf16, .f32]
    for round in 0..<40 {
      let (k, rows, columns) = (draw(1...3), draw(1...4), draw(1...6))
      let axis: Grouping.Axis = draw(0...1) == 0 ? .rows : .columns
      let shape = axis == .rows ? [rows * k, columns] : [rows, columns * k]
      let count = shape[0] * shape[1]
      let (weightFormat, gradientFormat) = (formats[draw(0...2)], formats[draw(0...2)])
      let stored = Tensor(
        name: "w", dtype: weightFormat, shape: shape,
        values: ModelFile.values(count, dtype: weightFormat, stream: 100 + UInt64(round)))
      let gradient = Tensor(
        name: "w", dtype: gradientFormat, shape: shape,
        values: ModelFile.values(count, dtype: gradientFormat, stream: 200 + UInt64(round)))
      let grouping = Grouping(axis: axis, size: k, norm: Grouping.Norm.allCases[draw(0...2)])
      let beta = Rational(draw(1...8), 4)
      try Self.withFile([stored]) { model in
        try Self.withFile([gradient]) { other in
          let scores = Self.exactScores(stored, criterion: "taylor", partner: gradient.values)
          let sums = Self.groupSums(scores, rows: shape[0], columns: shape[1], grouping: grouping)
          let context = "round \(round): \(shape) \(stored.dtype)×\(gradient.dtype) \(grouping) \(grouping.norm) β = \(beta)"
          guard sums.contains(where: { !$0.isZero }) else { return }
          let expected = try Self.reference(sums, norm: grouping.norm, beta: beta)
          let analysis = try ModelAnalysis(
            paths: [model], beta: beta, criterion: .taylor(gradients: [other]), grouping: grouping)
          guard case .groups(let groups) = analysis.tensors[0].outcome else {
            Issue.record("\(context): \(analysis.tensors[0].undefinedReason ?? "no groups")")
            return
          }
          #expect(groups.keptGroups == expected.kept, "\(context)")
          #expect(groups.report?.retentionCount == expected.nu, "\(context)")
        }
      }
    }
  }

  @Test func groupPruneZeroesWholeGroups() throws {
    let matrix = Self.weights[1]  // f32 [48, 48]
    try Self.withFile([matrix]) { model in
      let (output, masks) = (model + ".pruned.safetensors", model + ".masks.safetensors")
      defer { [output, masks].forEach(ModelFile.remove) }
      let grouping = Grouping(axis: .columns, size: 4)
      let analysis = try ModelAnalysis(paths: [model], beta: Rational(1, 2), grouping: grouping)
      let sums = Self.groupSums(matrix.values.map { Rational(finite: $0) }, rows: 48, columns: 48, grouping: grouping)
      let kept = Set(try Self.reference(sums, norm: .l1, beta: Rational(1, 2)).kept)
      let written = try PrunedModelWriter(analysis: analysis).write(to: output, mask: masks)
      #expect(written.totals.kept == kept.count * 4 * 48)
      let keeps = matrix.values.indices.map { kept.contains($0 % 48 / 4) }
      #expect(try ModelFile.read(output)["attn.q.weight"] == matrix.values.indices.map { keeps[$0] ? matrix.values[$0] : 0 })
      #expect(try ModelFile.read(masks)["attn.q.weight"] == keeps.map { $0 ? 1 : 0 })
    }
  }

  // MARK: - Groups across tensors

  /// Heads of size 8 across a query projection's rows (`[48, 48]`), a bias's entries and an
  /// output projection's columns restricted to `[8, 56)` of a `[48, 64]` tensor: six groups.
  static let headTensors = [
    Tensor(name: "q.weight", dtype: .f32, shape: [48, 48], values: ModelFile.values(48 * 48, dtype: .f32, stream: 70)),
    Tensor(name: "q.bias", dtype: .bf16, shape: [48], values: ModelFile.values(48, dtype: .bf16, stream: 71)),
    Tensor(name: "o.weight", dtype: .f16, shape: [48, 64], values: ModelFile.values(48 * 64, dtype: .f16, stream: 72)),
    Tensor(name: "mlp.weight", dtype: .f32, shape: [8, 8], values: ModelFile.values(64, dtype: .f32, stream: 73)),
  ]
  static let heads = GroupSpec.Family(
    name: "heads", groups: 6,
    members: [
      .init(tensor: "q.weight", axis: .rows), .init(tensor: "q.bias", axis: .columns),
      .init(tensor: "o.weight", axis: .columns, range: 8..<56),
    ])
  static let mlp = GroupSpec.Family(name: "mlp", groups: 4, members: [.init(tensor: "mlp.weight", axis: .columns)])

  /// The family's group sums by explicit loops over each member's slice.
  static func familySums(_ family: GroupSpec.Family, norm: Grouping.Norm) -> [Rational] {
    var sums = [Rational](repeating: 0, count: family.groups)
    for member in family.members {
      let tensor = headTensors.first { $0.name == member.tensor }!
      let (rows, columns) = tensor.shape.count == 2 ? (tensor.shape[0], tensor.shape[1]) : (1, tensor.shape[0])
      let range = member.range.map { $0[0]..<$0[1] } ?? 0..<(member.axis == .rows ? rows : columns)
      let size = range.count / family.groups
      for row in 0..<rows {
        for column in 0..<columns {
          let line = member.axis == .rows ? row : column
          guard range.contains(line) else { continue }
          let value = Rational(finite: tensor.values[row * columns + column])
          sums[(line - range.lowerBound) / size] += norm == .l1 ? value.magnitude : value * value
        }
      }
    }
    return sums
  }

  @Test(arguments: Grouping.Norm.allCases)
  func groupSpecFamiliesAreTheReferences(norm: Grouping.Norm) throws {
    let spec = GroupSpec(families: [Self.heads, Self.mlp], norm: norm)
    try Self.withFile(Self.headTensors) { model in
      for exact in [false, true] {
        let perFamily = try ModelAnalysis(paths: [model], beta: Rational(3, 2), exact: exact, groupSpec: spec)
        for (family, result) in zip(spec.families, perFamily.families) {
          let expected = try Self.reference(Self.familySums(family, norm: norm), norm: norm, beta: Rational(3, 2))
          #expect(result.keptGroups == expected.kept && result.report?.retentionCount == expected.nu, "\(family.name)")
        }
        let global = try ModelAnalysis(paths: [model], mode: .global, exact: exact, groupSpec: spec)
        let sums = spec.families.map { Self.familySums($0, norm: norm) }
        let expected = try Self.reference(sums.flatMap { $0 }, norm: norm, beta: 1)
        #expect(global.global?.retentionCount == expected.nu)
        #expect(global.families[0].keptGroups == expected.kept.filter { $0 < 6 })
        #expect(global.families[1].keptGroups == expected.kept.filter { $0 >= 6 }.map { $0 - 6 })
      }
    }
  }

  @Test func groupSpecPruneZeroesEachMembersSlice() throws {
    let spec = GroupSpec(families: [Self.heads])
    try Self.withFile(Self.headTensors) { model in
      let output = model + ".pruned.safetensors"
      defer { ModelFile.remove(output) }
      let analysis = try ModelAnalysis(paths: [model], beta: Rational(1, 2), groupSpec: spec)
      let kept = Set(try Self.reference(Self.familySums(Self.heads, norm: .l1), norm: .l1, beta: Rational(1, 2)).kept)
      try PrunedModelWriter(analysis: analysis).write(to: output)
      let pruned = try ModelFile.read(output)
      for tensor in Self.headTensors {
        let keeps: (Int) -> Bool =
          switch tensor.name {
          case "q.weight": { kept.contains($0 / 48 / 8) }
          case "q.bias": { kept.contains($0 / 8) }
          case "o.weight": { column in !(8..<56).contains(column % 64) || kept.contains((column % 64 - 8) / 8) }
          default: { _ in true }  // not in the spec: copied
          }
        #expect(pruned[tensor.name] == tensor.values.indices.map { keeps($0) ? tensor.values[$0] : 0 }, "\(tensor.name)")
      }
    }
  }

  @Test func badGroupSpecsAreErrors() throws {
    try Self.withFile(Self.headTensors) { model in
      let cases: [(GroupSpec.Family, String)] = [
        (.init(name: "f", groups: 6, members: [.init(tensor: "k.weight", axis: .rows)]), "no tensor \"k.weight\""),
        (.init(name: "f", groups: 5, members: [.init(tensor: "q.weight", axis: .rows)]), "do not split into 5"),
        (.init(name: "f", groups: 2, members: [.init(tensor: "q.weight", axis: .rows, range: 40..<50)]), "not within"),
        (
          .init(name: "f", groups: 2, members: [.init(tensor: "q.weight", axis: .rows), .init(tensor: "q.weight", axis: .columns)]),
          "by slices that overlap"
        ),
        (
          .init(
            name: "f", groups: 2,
            members: [.init(tensor: "q.weight", axis: .rows, range: 0..<8), .init(tensor: "q.weight", axis: .rows, range: 8..<16)]),
          "takes part in one member slice"
        ),
      ]
      for (family, message) in cases {
        #expect {
          try ModelAnalysis(paths: [model], groupSpec: GroupSpec(families: [family]))
        } throws: { error in
          (error as? EMPModelError)?.description.contains(message) == true
        }
      }
      #expect(throws: EMPModelError.self) {
        try ModelAnalysis(paths: [model], grouping: Grouping(axis: .rows), groupSpec: GroupSpec(families: [Self.mlp]))
      }
      let file = model + ".spec.json"
      defer { ModelFile.remove(file) }
      for (json, message) in [("{\"families\": []}", "no families"), ("{\"families\": [{\"name\": \"f\"}]}", "no \"groups\"")] {
        try Data(json.utf8).write(to: URL(fileURLWithPath: file))
        #expect {
          try GroupSpec(contentsOf: file)
        } throws: { error in
          (error as? EMPModelError)?.description.contains(message) == true
        }
      }
    }
  }

  @Test func groupingsThatDoNotFitAreErrors() throws {
    let matrix = Tensor(name: "w", dtype: .f32, shape: [6, 4], values: (1...24).map(Double.init))
    try Self.withFile([matrix]) { model in
      for (grouping, dimension) in [("rows:4", "6 rows"), ("columns:3", "4 columns")] {
        #expect {
          try ModelAnalysis(paths: [model], grouping: Grouping(grouping))
        } throws: { error in
          (error as? EMPModelError)?.description.contains(dimension) == true
        }
      }
      #expect(throws: EMPModelError.self) {
        try ModelAnalysis(paths: [model], mode: .perRow, grouping: Grouping(axis: .rows))
      }
      #expect(Grouping("rows:0") == nil && Grouping("heads") == nil && Grouping("rows:x") == nil)
    }
  }
}

extension EMPModelError {
  /// The error with file names blanked, to compare cases whose files are temporary.
  var withoutFiles: EMPModelError {
    switch self {
    case .missingPartner(let tensor, let role, _): .missingPartner(tensor: tensor, role: role, files: "")
    case .partnerShapeMismatch(let tensor, let role, _, let expected, let found):
      .partnerShapeMismatch(tensor: tensor, role: role, file: "", expected: expected, found: found)
    case .invalidFeatureNorm(let tensor, _, let index, let value):
      .invalidFeatureNorm(tensor: tensor, file: "", index: index, value: value)
    default: self
    }
  }
}
