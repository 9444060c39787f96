import EMPCore
import Testing

/// Each error's description is the one line the tool prints.
@Suite struct EMPInputErrorTests {
  @Test(arguments: [
    (EMPInputError.empty, "no scores: EMP needs at least one"),
    (.nonFinite(index: 17), "the score at 0-based index 17 is not finite (NaN or infinity)"),
    (.allZero, "all scores are zero: the weights ω and N_eff are undefined"),
    (.nonPositiveBeta("-0.5"), "beta must be positive, got -0.5"),
  ])
  func description(_ inputError: EMPInputError, _ expected: String) {
    #expect(inputError.description == expected)
    #expect(String(describing: inputError) == expected)
    #expect(!expected.contains { $0.isNewline })
  }

  @Test func casesWithDifferentPayloadsDiffer() {
    #expect(EMPInputError.nonFinite(index: 0) != .nonFinite(index: 1))
    #expect(EMPInputError.nonPositiveBeta("0") != .nonPositiveBeta("-1"))
    #expect(EMPInputError.empty != .allZero)
  }
}
