import EMPReference
import Exact
import Testing
import _TestSupport

/// The first counterexample in the order Proofs/ states: score vectors are non-negative
/// integers, sorted (statement 1: order and signs do not matter), never all zero, and
/// enumerated by the keys named below, then lexicographically from the largest entry. Each
/// test walks that order and checks that the named vector is the first that breaks the
/// statement (Proofs/theorem-4.2.md, Proofs/3-trivial-bound.md, Proofs/5-asymptotic-form.md).
@Suite struct CounterexampleOrderTests {
  /// The partitions of `sum` (non-increasing positive parts), largest first part first.
  static func partitions(_ sum: Int, largestPart: Int? = nil) -> [[Int]] {
    if sum == 0 { return [[]] }
    return stride(from: min(sum, largestPart ?? sum), through: 1, by: -1).flatMap { first in
      partitions(sum - first, largestPart: first).map { [first] + $0 }
    }
  }

  /// `parts` padded with zeros to length `n`.
  static func vector(_ parts: [Int], count n: Int) -> [Rational] {
    (parts + Array(repeating: 0, count: n - parts.count)).map { Rational($0) }
  }

  /// Whether Theorem 4.2 as the paper states it fails at `scores` (β = 1, N ≥ 2), decided
  /// by the exact reference.
  static func theorem42Fails(_ scores: [Rational]) throws -> Bool {
    guard scores.count >= 2 else { return false }  // the theorem is stated for N ≥ 2
    let analysis = try ExactAnalysis(scores: scores)
    return analysis.paperBound.map { !$0.holds } ?? false
  }

  /// Theorem 4.2, order "least N, then least sum": at N = 2 no vector breaks it
  /// (B(2, ν) ≤ T(ν, ν, 2), the infimum, for ν = 1, 2); at N = 3 the first is (3, 2, 0),
  /// sum 5, and it is the only one of sum 5.
  @Test func theorem42LeastCountThenLeastSum() throws {
    for nu in 1...2 {
      #expect(PaperBound.value(count: 2, retentionCount: nu) <= TightInfimum(keeping: nu, shell: nu, count: 2).value)
    }
    #expect(PaperBound.value(count: 3, retentionCount: 1) > TightInfimum(keeping: 1, shell: 1, count: 3).value)
    var first: [Rational]? = nil
    var failingOfThatSum: [[Rational]] = []
    for sum in 1...5 where first == nil {
      for parts in Self.partitions(sum) where parts.count <= 3 {
        let scores = Self.vector(parts, count: 3)
        if try Self.theorem42Fails(scores) {
          if first == nil { first = scores }
          failingOfThatSum.append(scores)
        }
      }
    }
    #expect(first == Self.vector([3, 2], count: 3))
    #expect(failingOfThatSum == [Self.vector([3, 2], count: 3)])
  }

  /// Theorem 4.2, order "least sum, then least N": a vector that keeps everything
  /// (s_eff = 1) satisfies the theorem at every N, since B ≤ 1. Every vector of sum 1 or 2
  /// keeps everything; of sum 3 only (2, 1) does not, and it breaks the theorem first at
  /// N = 4: (2, 1, 0, 0). N = 3 gives the tie s_eff = 2/3 = B(3, 1).
  @Test func theorem42LeastSumThenLeastCount() throws {
    for sum in 1...2 {
      for parts in Self.partitions(sum) {
        #expect(try ExactAnalysis(scores: parts.map { Rational($0) }).preservedMass == 1, "\(parts)")
      }
    }
    for n in 2...40 {
      for nu in 1...n { #expect(PaperBound.value(count: n, retentionCount: nu) <= Surd(1)) }
    }
    let keepsLess = try Self.partitions(3).filter { try ExactAnalysis(scores: $0.map { Rational($0) }).preservedMass < 1 }
    #expect(keepsLess == [[2, 1]])
    let firstCount = try (2...40).first { try Self.theorem42Fails(Self.vector([2, 1], count: $0)) }
    #expect(firstCount == 4)
    // From N = 4 on, (2, 1, 0, …, 0) breaks it at every N tried: B(N, 1) grows towards 1/√2.
    for n in 4...40 { #expect(try Self.theorem42Fails(Self.vector([2, 1], count: n)), "N = \(n)") }
    #expect(try !Self.theorem42Fails(Self.vector([2, 1], count: 3)))
    #expect(try ExactAnalysis(scores: Self.vector([2, 1], count: 3)).paperBound?.margin == Surd(0))
  }

  /// Statements 3 and 5 as the paper gives them: (2, 1) at N = 2 is first in both orders.
  /// A vector that keeps everything cannot fail (s_eff = 1 ≥ N_eff/N; 1 − s_eff = 0 ≤ the
  /// right side of statement 5, which is ≥ 0 as N_eff ∈ [1, N]): so no vector at N = 1, and
  /// no vector of sum 1 or 2 at any N (each keeps everything), breaks either statement.
  @Test(arguments: [SimplexStatement.trivialBound, .asymptoticForm])
  func statementsThreeAndFiveFirstAtTwoOne(_ statement: SimplexStatement) {
    func fails(_ parts: [Int], _ n: Int) -> Bool {
      statement.violation(of: Self.vector(parts, count: n), form: .paper) != nil
    }
    for sum in 1...2 {
      for parts in Self.partitions(sum) {
        #expect(SimplexAnalysis(scores: parts.map { Rational($0) }).preservedMass == 1)
      }
    }
    // Least N, then least sum.
    var first: ([Int], Int)? = nil
    for n in 1...2 where first == nil {
      for sum in 1...4 where first == nil {
        for parts in Self.partitions(sum) where parts.count <= n && first == nil && fails(parts, n) { first = (parts, n) }
      }
    }
    #expect(first.map { $0.0 == [2, 1] && $0.1 == 2 } == true)
    // Least sum, then least N (the N-range of sums 1 and 2 is unbounded; by the argument
    // above none fails, and N ≤ 12 is checked).
    first = nil
    for sum in 1...3 where first == nil {
      for n in 1...12 where first == nil {
        for parts in Self.partitions(sum) where parts.count <= n && first == nil && fails(parts, n) { first = (parts, n) }
      }
    }
    #expect(first.map { $0.0 == [2, 1] && $0.1 == 2 } == true)
  }
}
