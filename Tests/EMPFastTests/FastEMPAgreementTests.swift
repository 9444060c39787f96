import EMPCore
@testable import EMPFast
import Exact
import PropertyBased
import Testing
import _TestSupport

/// Checks the fast analysis through every vector kernel this CPU runs (the portable one
/// first) against the exact oracle: same `ν`, the exact values inside the enclosures, and
/// every mask form keeping exactly the oracle's `π`; and the kernels against each other:
/// the same bits of the moments, the same cut and the same bits of `s_eff`.
func fastAgreesWithOracle(_ scores: TestScores, beta: Rational = 1, threads: Int = 2, _ context: String) throws {
  var portable: FastAnalysis?
  for kernel in VectorKernel.available {
    var options = FastEMP.Options(threads: threads)
    options.kernel = kernel
    let fast = try fastAgreesWithOracle(scores, beta: beta, options: options, "\(context), \(kernel) kernel")
    if let portable {
      #expect(
        enclosureBits(fast.absoluteSum) == enclosureBits(portable.absoluteSum)
          && enclosureBits(fast.sumOfSquares) == enclosureBits(portable.sumOfSquares),
        "moments, \(kernel) kernel vs portable: \(context)")
      #expect(fast.cut == portable.cut, "cut, \(kernel) kernel vs portable: \(context)")
      #expect(enclosureBits(fast.preservedMass) == enclosureBits(portable.preservedMass), "s_eff, \(kernel) kernel vs portable: \(context)")
    } else {
      portable = fast
    }
  }
}

/// The bit patterns of an enclosure's estimate and bounds.
private func enclosureBits(_ e: Enclosure<Double>) -> [UInt64] {
  [e.estimate.bitPattern, e.lowerBound.bitPattern, e.upperBound.bitPattern]
}

/// `fastAgreesWithOracle` with one set of options; returns the analysis.
private func fastAgreesWithOracle(
  _ scores: TestScores, beta: Rational, options: FastEMP.Options, _ context: String
) throws -> FastAnalysis {
  let fast = try scores.withBuffer { try FastEMP.analyze($0, beta: beta, options: options) }
  let exact = ExactOracle(magnitudes: scores.magnitudes, beta: beta)
  #expect(fast.retentionCount == exact.retentionCount, "ν: \(context)")
  #expect(fast.absoluteSum.contains(exact.absoluteSum), "Σ|s| \(fast.absoluteSum): \(context)")
  #expect(fast.sumOfSquares.contains(exact.sumOfSquares), "Σs² \(fast.sumOfSquares): \(context)")
  #expect(fast.effectiveSampleSize.contains(exact.effectiveSampleSize), "N_eff \(fast.effectiveSampleSize): \(context)")
  #expect(fast.preservedMass.contains(exact.preservedMass), "s_eff \(fast.preservedMass): \(context)")
  if fast.certificate == .exactFallback {
    #expect(fast.exactEffectiveSampleSize == exact.effectiveSampleSize, "exact N_eff: \(context)")
  }
  #expect(fast.cut.countAbove + fast.cut.tiesKept == exact.retentionCount, "cut counts: \(context)")

  let n = scores.count
  var words = [UInt64](repeating: .max, count: (n + 63) / 64)
  var bytes = [UInt8](repeating: 7, count: n)
  scores.withBuffer { buffer in
    words.withUnsafeMutableBufferPointer { fast.cut.writeMask(of: buffer, into: .bits($0), options: options) }
    bytes.withUnsafeMutableBufferPointer { fast.cut.writeMask(of: buffer, into: .bytes($0), options: options) }
  }
  let fromBits = (0..<n).filter { words[$0 / 64] >> UInt64($0 % 64) & 1 == 1 }
  #expect(fromBits == exact.kept, "bit mask: \(context)")
  #expect(n % 64 == 0 || words[n / 64] >> UInt64(n % 64) == 0, "bit mask padding: \(context)")
  #expect(bytes.allSatisfy { $0 <= 1 } && (0..<n).filter { bytes[$0] == 1 } == exact.kept, "byte mask: \(context)")
  var fusedWords = [UInt64](repeating: .max, count: (n + 63) / 64)
  var fusedBytes = [UInt8](repeating: 7, count: n)
  let fused = try scores.withBuffer { buffer in
    (
      try fusedWords.withUnsafeMutableBufferPointer {
        try FastEMP.analyze(buffer, beta: beta, writingMaskInto: .bits($0), options: options)
      },
      try fusedBytes.withUnsafeMutableBufferPointer {
        try FastEMP.analyze(buffer, beta: beta, writingMaskInto: .bytes($0), options: options)
      }
    )
  }
  #expect(fused.0.cut == fast.cut && fused.1.cut == fast.cut, "cut with a fused mask: \(context)")
  #expect(
    enclosureBits(fused.0.preservedMass) == enclosureBits(fast.preservedMass)
      && enclosureBits(fused.1.preservedMass) == enclosureBits(fast.preservedMass),
    "s_eff with a fused mask: \(context)")
  #expect(fusedWords == words, "fused bit mask: \(context)")
  #expect(fusedBytes == bytes, "fused byte mask: \(context)")
  let pruned = scores.pruned { fast.cut.prune($0, options: options) }
  let keptSet = Set(exact.kept)
  #expect(
    (0..<n).allSatisfy { keptSet.contains($0) ? pruned[$0] == scores.magnitudes[$0] : pruned[$0] == 0 },
    "in-place pruning: \(context)")
  return fast
}

@Suite("Fast path agrees with the exact oracle")
struct FastEMPAgreementTests {
  @Test("the portable kernel is always tested, and the best one too")
  func kernelsUnderTest() {
    print("vector kernels tested: \(VectorKernel.available)")
    #expect(VectorKernel.available.first == .portable && VectorKernel.available.contains(VectorKernel.best))
  }

  @Test("every family and format, small and odd lengths")
  func smallInputs() async {
    await seededPropertyCheck(
      count: 300,
      input: zip(anyFormat, anyFamily, Gen.int(in: 1...700), Gen.uint64(in: 0 ... .max))
    ) { format, family, n, seed in
      let scores = TestScores(family.values(count: n, format: format, seed: seed), format: format)
      guard scores.magnitudes.contains(where: { $0 > 0 }) else { return }
      try fastAgreesWithOracle(scores, "\(format) \(family) n=\(n) seed=\(seed)")
    }
  }

  @Test("N = 1, 2, 3 and β ≠ 1", arguments: ScoreFormat.allCases)
  func tinyInputs(format: ScoreFormat) async {
    await seededPropertyCheck(
      count: 100, input: zip(Gen.int(in: 1...3), anyFamily, Gen.int(in: 1...40), Gen.uint64(in: 0 ... .max))
    ) { n, family, betaTenths, seed in
      let scores = TestScores(family.values(count: n, format: format, seed: seed), format: format)
      guard scores.magnitudes.contains(where: { $0 > 0 }) else { return }
      try fastAgreesWithOracle(
        scores, beta: Rational(betaTenths, 10), "\(format) \(family) n=\(n) β=\(betaTenths)/10 seed=\(seed)")
    }
  }

  @Test("inputs past the direct-selection limit take the bracketed or radix cut")
  func largeInputs() async {
    await seededPropertyCheck(
      count: 8,
      input: zip(anyFormat, anyFamily, Gen.int(in: 70_000...140_000), Gen.uint64(in: 0 ... .max))
    ) { format, family, n, seed in
      let scores = TestScores(family.values(count: n, format: format, seed: seed), format: format)
      try fastAgreesWithOracle(scores, "\(format) \(family) n=\(n) seed=\(seed)")
    }
  }

  @Test("10^6 + 3 scores of each format")
  func millionScores() throws {
    var rng = SeededRandom()
    for format in ScoreFormat.allCases {
      let seed = rng.next()
      let scores = TestScores(ScoreFamily.gaussian.values(count: 1_000_003, format: format, seed: seed), format: format)
      try fastAgreesWithOracle(scores, "\(format) gaussian n=1000003 seed=\(seed); \(rng)")
    }
  }

  @Test("all scores tied: the tie path keeps the lowest indices", arguments: [1, 2, 3])
  func allTied(threads: Int) throws {
    let scores = TestScores([Double](repeating: -0.75, count: 100_000), format: .float32)
    try fastAgreesWithOracle(scores, threads: threads, "100000 equal scores, \(threads) threads")
  }

  @Test("more ties at the cut than the candidate limit, among distinct scores", arguments: ScoreFormat.allCases)
  func crowdedTies(format: ScoreFormat) throws {
    // 90 000 scores equal to 0.5 hold the cut; 30 000 others, larger and smaller, around them.
    let values = (0..<120_000).map { i in i % 4 == 0 ? (i % 8 == 0 ? 2.0 : 0.125) : -0.5 }
    try fastAgreesWithOracle(TestScores(values, format: format), "\(format) crowded ties")
  }

  @Test("a sample that misses the cut: histogram refinement finds it", arguments: ScoreFormat.allCases)
  func sampleMissesTheCut(format: ScoreFormat) throws {
    // Every sampled position (multiples of 16 in each block at this size) holds 100, and
    // ν ≈ 0.07·N exceeds their number, so the cut lies among the uniform scores below 1 that
    // the sample never sees; refinement narrows [0, +∞) by histograms.
    let n = 200_000
    var rng = SeededRandom()
    let values = (0..<n).map { i in i % 16 == 0 ? 100 : Double.random(in: 0.001..<1, using: &rng) }
    try fastAgreesWithOracle(TestScores(values, format: format), "\(format) sample misses the cut; \(rng)")
  }
}
