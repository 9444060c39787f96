import EMPReference
import Exact
import PropertyBased
import Testing
import _TestSupport

/// The statements are decided by the from-definition oracle (`SimplexAnalysis`) and by
/// EMPReference; the two must agree on every quantity and every decision.
@Suite struct ReferenceAgreementTests {
  static func expectAgreement(_ scores: [Rational], sourceLocation: SourceLocation = #_sourceLocation) throws {
    let oracle = SimplexAnalysis(scores: scores)
    let reference = try ExactAnalysis(scores: scores)
    #expect(reference.effectiveSampleSize == oracle.effectiveSampleSize, sourceLocation: sourceLocation)
    #expect(reference.retentionCount == oracle.retentionCount, sourceLocation: sourceLocation)
    #expect(reference.preservedMass == oracle.preservedMass, sourceLocation: sourceLocation)
    #expect(reference.keptIndices.sorted() == oracle.kept.sorted(), sourceLocation: sourceLocation)
    if scores.count >= 2 {
      let paperHolds = SimplexStatement.theorem42.violation(of: scores, form: .paper) == nil
      #expect(reference.paperBound?.holds == paperHolds, "\(oracle.pointDescription)", sourceLocation: sourceLocation)
    }
  }

  @Test func agreeOnAdversarialPoints() async throws {
    await seededPropertyCheck(count: 200, input: SimplexGen.scores(maxN: 12)) { scores in
      try Self.expectAgreement(scores)
    }
  }

  @Test func agreeInEveryShell() async throws {
    for n in 2...7 {
      for nu in 1...n {
        await seededPropertyCheck(count: 4, input: SimplexGen.shell(nu, dimension: n)) { point in
          try Self.expectAgreement(point)
        }
      }
    }
  }
}
