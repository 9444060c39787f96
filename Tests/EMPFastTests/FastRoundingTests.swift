import EMPCore
import EMPFast
import Exact
import PropertyBased
import Testing
import _TestSupport

/// Random products `a·b` of binary64 factors, as their exact magnitudes and their binary64
/// roundings: full 53-bit significands, or `1 + k·2⁻⁵²` factors whose products round to
/// the same number for the same sum of `k` (ties that the exact products break).
private func roundedProducts(count: Int, seed: UInt64) -> (exact: [Rational], rounded: [Double]) {
  var rng = SplitMix64(seed: seed)
  let nearOne = rng.next() % 2 == 0
  func factor() -> Double {
    let scale = Double(sign: .plus, exponent: Int(rng.next() % 41) - 20, significand: 1)
    if nearOne { return (1 + Double(Int(rng.next() % 64) - 32) * 0x1p-52) * scale }
    return (1 + Double(rng.next() >> 12) * 0x1p-52) * scale
  }
  var exact: [Rational] = []
  var rounded: [Double] = []
  for _ in 0..<count {
    let (a, b) = rng.next() % 16 == 0 ? (0, factor()) : (factor(), factor())
    exact.append(Rational(finite: a) * Rational(finite: b))
    rounded.append((a * b).magnitude)
  }
  return (exact, rounded)
}

@Suite("Fast path over rounded products")
struct FastRoundingTests {
  @Test("a certified analysis of the roundings is the exact products' analysis")
  func certifiedAnalysesAreTheExactProducts() async {
    await seededPropertyCheck(
      count: 40, input: zip(Gen.int(in: 1...30_000), Gen.int(in: 0...3), Gen.uint64(in: 0 ... .max))
    ) { n, betaIndex, seed in
      let beta = [Rational(1), Rational(1, 2), Rational(3, 2), Rational(2, 3)][betaIndex]
      let (exact, rounded) = roundedProducts(count: n, seed: seed)
      guard exact.contains(where: { $0 != 0 }) else { return }
      let context = "n=\(n) β=\(beta) seed=\(seed)"
      let oracle = ExactOracle(exactMagnitudes: exact, beta: beta)
      try rounded.withUnsafeBufferPointer { buffer in
        let fast = try FastEMP.analyze(.float64(buffer), beta: beta)
        guard let certified = fast.certifiedForExactScores(beta: beta) else {
          // Refused only where rounding could matter: a split tie at the cut, or β·N_eff
          // within a relative 2^−40 of the integer where ⌊β·N_eff⌋ steps.
          let scaled = beta * oracle.effectiveSampleSize
          let step = Rational(BigInteger(Int((Double(scaled)).rounded())))
          let near = (scaled - step).magnitude <= scaled * Rational(1, 1 << 40)
          #expect(fast.cut.tiesKept < fast.cut.tieCount || near, "refused: \(context)")
          return
        }
        #expect(certified.retentionCount == oracle.retentionCount, "ν: \(context)")
        #expect(certified.absoluteSum.contains(oracle.absoluteSum), "Σ|s|: \(context)")
        #expect(certified.sumOfSquares.contains(oracle.sumOfSquares), "Σs²: \(context)")
        #expect(certified.effectiveSampleSize.contains(oracle.effectiveSampleSize), "N_eff: \(context)")
        #expect(certified.preservedMass.contains(oracle.preservedMass), "s_eff: \(context)")
        #expect(keptIndices(of: certified, over: [.float64(buffer)]) == oracle.kept, "kept: \(context)")
      }
    }
  }

  @Test("a cut that splits roundings tied at its threshold is refused")
  func splitTiesAreRefused() throws {
    // 1·(1 + 2⁻⁵¹) and (1 + 2⁻⁵²)² round to the same binary64 number; β = 1/2 keeps one.
    let odd = 1 + 0x1p-52
    let rounded = [1 + 0x1p-51, odd * odd]
    #expect(rounded[0] == rounded[1])
    #expect(Rational(finite: odd) * Rational(finite: odd) > Rational(finite: rounded[0]))
    let fast = try rounded.withUnsafeBufferPointer { try FastEMP.analyze(.float64($0), beta: Rational(1, 2)) }
    #expect((fast.retentionCount, fast.cut.tiesKept, fast.cut.tieCount) == (1, 1, 2))
    #expect(fast.certifiedForExactScores(beta: Rational(1, 2)) == nil)
    // β = 1: the roundings' N_eff is 2 (ν = 2), the exact products' just below 2 (ν = 1);
    // the widened enclosure holds both, so it certifies neither.
    let all = try rounded.withUnsafeBufferPointer { try FastEMP.analyze(.float64($0)) }
    #expect((all.retentionCount, all.cut.tiesKept, all.cut.tieCount) == (2, 2, 2))
    #expect(all.certifiedForExactScores(beta: 1) == nil)
  }
}
