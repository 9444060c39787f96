import EMPFast
import EMPReference
import Exact
import PropertyBased
import Testing
import _TestSupport

/// The fast path as a second decider: on the same points (rounded to floats, whose exact
/// values the oracle then analyses), its certified ν must be the exact ν, its enclosures
/// of N_eff and s_eff must contain the exact values, its mask must be the exact kept set,
/// and every decision it certifies from its enclosures must be the exact decision.
@Suite struct FastPathTests {
  /// The float scores nearest to `scores`, or nil if they all round to zero.
  static func rounded<F: BinaryFloatingPoint>(_ scores: [Rational], as _: F.Type) -> [F]? {
    let floats = scores.map { F(Double($0)) }
    return floats.allSatisfy { $0 == 0 } ? nil : floats
  }

  static func expectFastAgrees<F: BinaryFloatingPoint>(_ floats: [F], sourceLocation: SourceLocation = #_sourceLocation)
    throws
  {
    let exact = SimplexAnalysis(scores: floats.map { try! Rational(exactly: $0) })
    let fast: FastAnalysis = try floats.withUnsafeBufferPointer { buffer in
      if let b = buffer as? UnsafeBufferPointer<Double> { return try FastEMP.analyze(.float64(b)) }
      return try FastEMP.analyze(.float32(buffer as! UnsafeBufferPointer<Float>))
    }
    let point = exact.pointDescription
    #expect(fast.retentionCount == exact.retentionCount, "ν at \(point)", sourceLocation: sourceLocation)
    #expect(fast.effectiveSampleSize.contains(exact.effectiveSampleSize), "N_eff at \(point)", sourceLocation: sourceLocation)
    #expect(fast.preservedMass.contains(exact.preservedMass), "s_eff at \(point)", sourceLocation: sourceLocation)
    let keptByFast = floats.indices.filter { fast.cut.keeps(index: $0, magnitude: Double(floats[$0].magnitude)) }
    #expect(keptByFast == exact.kept.sorted(), "mask at \(point)", sourceLocation: sourceLocation)
    // Theorem 4.2 (paper and corrected), decided from the fast enclosure where it is certain.
    let n = floats.count, nu = fast.retentionCount
    guard n >= 2 else { return }
    for (bound, exactHolds) in [
      (PaperBound.value(count: n, retentionCount: nu), (exact.preservedMass - PaperBound.value(count: n, retentionCount: nu)).signum >= 0),
      (TightInfimum(keeping: nu, shell: nu, count: n).value,
       (exact.preservedMass - TightInfimum(keeping: nu, shell: nu, count: n).value).signum >= 0),
    ] {
      let b = bound.enclosure(bits: 80)
      let low = try! Rational(exactly: fast.preservedMass.lowerBound)
      let high = try! Rational(exactly: fast.preservedMass.upperBound)
      if low >= b.upperBound { #expect(exactHolds, "certified holds, exact fails at \(point)", sourceLocation: sourceLocation) }
      if high < b.lowerBound { #expect(!exactHolds, "certified fails, exact holds at \(point)", sourceLocation: sourceLocation) }
    }
  }

  @Test func agreesOnAdversarialPoints() async throws {
    await seededPropertyCheck(count: 200, input: SimplexGen.scores(maxN: 12)) { scores in
      if let d = Self.rounded(scores, as: Double.self) { try Self.expectFastAgrees(d) }
      if let f = Self.rounded(scores, as: Float.self) { try Self.expectFastAgrees(f) }
    }
  }

  /// Points whose N_eff is within 2⁻³⁰ of an integer: where a float floor goes wrong.
  @Test func agreesNearIntegerEffectiveSampleSize() async throws {
    await seededPropertyCheck(count: 200, input: SimplexGen.nearInteger(maxN: 16)) { scores in
      if let d = Self.rounded(scores, as: Double.self) { try Self.expectFastAgrees(d) }
      if let f = Self.rounded(scores, as: Float.self) { try Self.expectFastAgrees(f) }
    }
  }

  @Test func agreesForLargeN() async throws {
    await seededPropertyCheck(count: 3, input: SimplexGen.large(maxN: 10_000)) { scores in
      if let d = Self.rounded(scores, as: Double.self) { try Self.expectFastAgrees(d) }
    }
  }

  /// The fast path certifies the ν = 1 counterexample to Theorem 4.2 without exact arithmetic.
  @Test func certifiesTheTheorem42Counterexample() throws {
    let scores: [Double] = [3, 2, 0]
    let fast = try scores.withUnsafeBufferPointer { try FastEMP.analyze(.float64($0)) }
    #expect(fast.retentionCount == 1 && fast.certificate == .floatingPoint)
    let bound = PaperBound.value(count: 3, retentionCount: 1).enclosure(bits: 80)
    #expect(try Rational(exactly: fast.preservedMass.upperBound) < bound.lowerBound)
  }
}
