import EMPCore
import EMPFast
import Exact
import PropertyBased
import Testing
import _TestSupport

/// The fields of an analysis that must be bit-identical between two runs.
private func fingerprint(_ a: FastAnalysis) -> [UInt64] {
  [a.absoluteSum, a.sumOfSquares, a.effectiveSampleSize, a.preservedMass]
    .flatMap { [$0.estimate.bitPattern, $0.lowerBound.bitPattern, $0.upperBound.bitPattern] }
    + [UInt64(a.retentionCount), a.cut.threshold.bitPattern, UInt64(a.cut.countAbove), UInt64(a.cut.lastKeptTieIndex)]
}

@Suite("Fast path modes, determinism and errors")
struct FastEMPModeTests {
  @Test("the same bits out for every thread count")
  func deterministicAcrossThreads() async {
    await seededPropertyCheck(
      count: 6, input: zip(anyFormat, anyFamily, Gen.int(in: 1...200_000), Gen.uint64(in: 0 ... .max))
    ) { format, family, n, seed in
      let scores = TestScores(family.values(count: n, format: format, seed: seed), format: format)
      guard scores.magnitudes.contains(where: { $0 > 0 }) else { return }
      let runs = try [1, 2, 3, 5].map { threads in
        try scores.withBuffer { try FastEMP.analyze($0, options: FastEMP.Options(threads: threads)) }
      }
      #expect(runs.allSatisfy { fingerprint($0) == fingerprint(runs[0]) }, "\(format) \(family) n=\(n) seed=\(seed)")
    }
  }

  @Test("float rounding is real and enclosed: Σ of 1 and many 2^-53 + 2^-60")
  func roundingErrorIsEnclosed() throws {
    let tiny = 0x1p-53 + 0x1p-60
    let values = [1.0] + [Double](repeating: tiny, count: 20_000)
    let fast = try values.withUnsafeBufferPointer { try FastEMP.moments(of: .float64($0)) }
    let exact = Rational(1) + Rational(20_000) * (try Rational(exactly: tiny))
    #expect(try Rational(exactly: fast.absoluteSum.estimate) != exact, "the float sum should round")
    #expect(fast.absoluteSum.contains(exact))
  }

  @Test("N_eff just below an integer: ν is certified by the exact fallback")
  func nearIntegerFallback() throws {
    // 999 scores 1 and one 1 − 2^-24: N_eff = 1000 − about 3.5·10^-15.
    var values = [Float](repeating: 1, count: 1000)
    values[500] = 1 - 0x1p-24
    let fast = try values.withUnsafeBufferPointer { try FastEMP.analyze(.float32($0)) }
    let exact = ExactOracle(magnitudes: values.map { Double($0) })
    #expect(exact.retentionCount == 999)
    #expect(fast.retentionCount == 999)
    #expect(fast.certificate == .exactFallback)
    #expect(fast.exactEffectiveSampleSize == exact.effectiveSampleSize)
  }

  @Test("an N_eff far from an integer is certified in floating point")
  func directCertificate() throws {
    let values: [Float] = [3, 1, 1, 0.5]
    let fast = try values.withUnsafeBufferPointer { try FastEMP.analyze(.float32($0)) }
    #expect(fast.certificate == .floatingPoint)
    #expect(fast.retentionCount == 2)  // N_eff = 30.25 / 11.25 ≈ 2.69
  }

  @Test("global mode over chunks of mixed formats equals the concatenated vector")
  func globalMode() async {
    await seededPropertyCheck(
      count: 25, input: zip(Gen.int(in: 1...6), Gen.int(in: 1...30_000), anyFamily, Gen.uint64(in: 0 ... .max))
    ) { chunkCount, chunkLength, family, seed in
      // Values exact in every format: few significant bits, moderate exponents.
      var rng = SplitMix64(seed: seed)
      let chunks = (0..<chunkCount).map { c -> TestScores in
        let length = Int.random(in: 1...chunkLength, using: &rng)
        let raw = family.values(count: length, format: .float16, seed: seed &+ UInt64(c))
        let values = raw.map { Double(BFloat16(bitPattern: UInt16(Float(Float16($0)).bitPattern >> 16)).floatValue) }
        return TestScores(values, format: ScoreFormat.allCases[c % 4])
      }
      let all = chunks.flatMap(\.magnitudes)
      guard all.contains(where: { $0 > 0 }) else { return }
      let context = "chunks=\(chunkCount) length≤\(chunkLength) \(family) seed=\(seed)"
      let exact = ExactOracle(magnitudes: all)
      try withBuffers(chunks) { buffers in
        let fast = try FastEMP.analyze(source: buffers)
        #expect(fast.retentionCount == exact.retentionCount, "ν: \(context)")
        #expect(fast.effectiveSampleSize.contains(exact.effectiveSampleSize), "N_eff: \(context)")
        #expect(fast.preservedMass.contains(exact.preservedMass), "s_eff: \(context)")
        let kept = keptIndices(of: fast, over: buffers)
        #expect(kept == exact.kept, "per-tensor masks: \(context)")
      }
    }
  }

  @Test("global mode past the direct limit: every chunk's bracket record resolves the cut", arguments: [1, 2, 3])
  func globalModeRecordsPerChunk(threads: Int) throws {
    // Three chunks, each long enough to put thousands of scores inside the sampled bracket,
    // with lengths that are not multiples of 16 or 64.
    var rng = SeededRandom()
    let chunks = (0..<3).map { c in
      let format = ScoreFormat.allCases[c % 4]
      return TestScores(ScoreFamily.gaussian.values(count: 60_001 + 7 * c, format: format, seed: rng.next()), format: format)
    }
    let exact = ExactOracle(magnitudes: chunks.flatMap(\.magnitudes))
    try withBuffers(chunks) { buffers in
      let fast = try FastEMP.analyze(source: buffers, options: FastEMP.Options(threads: threads))
      #expect(fast.retentionCount == exact.retentionCount, "\(rng)")
      #expect(fast.preservedMass.contains(exact.preservedMass), "\(rng)")
      let kept = keptIndices(of: fast, over: buffers)
      #expect(kept == exact.kept, "\(rng)")
    }
  }

  @Test("per-row mode: each row is its own EMP")
  func perRowMode() async {
    await seededPropertyCheck(
      count: 20, input: zip(anyFormat, anyFamily, Gen.int(in: 1...40), Gen.int(in: 1...300), Gen.uint64(in: 0 ... .max))
    ) { format, family, rows, columns, seed in
      let scores = TestScores(family.values(count: rows * columns, format: format, seed: seed), format: format)
      let rowMagnitudes = (0..<rows).map { Array(scores.magnitudes[$0 * columns..<($0 + 1) * columns]) }
      guard rowMagnitudes.allSatisfy({ $0.contains { $0 > 0 } }) else { return }
      let context = "\(format) \(family) \(rows)×\(columns) seed=\(seed)"
      try scores.withBuffer { matrix in
        let analyses = try FastEMP.analyzeRows(matrix, columns: columns)
        let stride = (columns + 63) / 64
        var words = [UInt64](repeating: .max, count: rows * stride)
        words.withUnsafeMutableBufferPointer {
          FastEMP.writeRowMasks(of: matrix, columns: columns, analyses: analyses, into: .bits($0))
        }
        for row in 0..<rows {
          let exact = ExactOracle(magnitudes: rowMagnitudes[row])
          #expect(analyses[row]?.retentionCount == exact.retentionCount, "row \(row) ν: \(context)")
          #expect(analyses[row]?.preservedMass.contains(exact.preservedMass) == true, "row \(row) s_eff: \(context)")
          let kept = (0..<columns).filter { words[row * stride + $0 / 64] >> UInt64($0 % 64) & 1 == 1 }
          #expect(kept == exact.kept, "row \(row) mask: \(context)")
        }
      }
    }
  }

  @Test("bad input throws a typed error")
  func badInput() throws {
    let empty: [Float] = []
    #expect(throws: EMPInputError.empty) { try empty.withUnsafeBufferPointer { try FastEMP.analyze(.float32($0)) } }
    let zeros = [Double](repeating: 0, count: 40_000)
    #expect(throws: EMPInputError.allZero) { try zeros.withUnsafeBufferPointer { try FastEMP.analyze(.float64($0)) } }
    let one: [Float] = [1]
    #expect(throws: EMPInputError.nonPositiveBeta("0")) {
      try one.withUnsafeBufferPointer { try FastEMP.analyze(.float32($0), beta: 0) }
    }
    for (index, bad) in [(0, Float.nan), (9000, .infinity), (20_001, -.infinity)] {
      var values = [Float](repeating: 1, count: 20_002)
      values[index] = bad
      #expect(throws: EMPInputError.nonFinite(index: index)) {
        try values.withUnsafeBufferPointer { try FastEMP.analyze(.float32($0)) }
      }
    }
    var halves = [Float16](repeating: 1, count: 100)
    halves[37] = .infinity
    #expect(throws: EMPInputError.nonFinite(index: 37)) {
      try halves.withUnsafeBufferPointer { try FastEMP.analyze(.float16($0)) }
    }
    let matrix: [Float] = [1, 2, 0, 0, 3, .nan]
    #expect(throws: EMPInputError.nonFinite(index: 5)) {
      try matrix.withUnsafeBufferPointer { try FastEMP.analyzeRows(.float32($0), columns: 2) }
    }
    // A zero row has no analysis; the other rows do, and its mask keeps it whole.
    let withZeroRow: [Float] = [1, 2, 0, 0, 3, 1]
    try withZeroRow.withUnsafeBufferPointer { matrix in
      let analyses = try FastEMP.analyzeRows(.float32(matrix), columns: 2)
      #expect(analyses.map { $0?.retentionCount } == [1, nil, 1])
      var bytes = [UInt8](repeating: 9, count: 6)
      bytes.withUnsafeMutableBufferPointer {
        FastEMP.writeRowMasks(of: .float32(matrix), columns: 2, analyses: analyses, into: .bytes($0))
      }
      #expect(bytes == [0, 1, 1, 1, 1, 0])
    }
    #expect(throws: EMPInputError.nonFinite(index: 5)) {
      try matrix.withUnsafeBufferPointer { try FastEMP.analyzeRows(.float32($0), columns: 3) }
    }
  }
}

/// Runs `body` with the buffers of all `chunks`.
private func withBuffers<R>(_ chunks: [TestScores], _ body: ([ScoreBuffer]) throws -> R) rethrows -> R {
  func go(_ i: Int, _ acc: [ScoreBuffer]) throws -> R {
    i == chunks.count ? try body(acc) : try chunks[i].withBuffer { try go(i + 1, acc + [$0]) }
  }
  return try go(0, [])
}

/// The global indices a global analysis keeps, from the per-chunk byte masks its cut writes
/// (each chunk at its running offset).
func keptIndices(of fast: FastAnalysis, over buffers: [ScoreBuffer]) -> [Int] {
  var kept: [Int] = []
  var start = 0
  for buffer in buffers {
    var bytes = [UInt8](repeating: 0, count: buffer.count)
    bytes.withUnsafeMutableBufferPointer { fast.cut.writeMask(of: buffer, startIndex: start, into: .bytes($0)) }
    kept += bytes.indices.filter { bytes[$0] == 1 }.map { $0 + start }
    start += buffer.count
  }
  return kept
}
