import EMPReference
import Exact

/// The statements of the paper (numbered as in Proofs/README.md), each decided exactly at
/// one score vector, as the paper gives it and as corrected in Proofs/.
///
/// `violation(of:form:)` returns `nil` when the statement holds at the point and a
/// one-line description with the exact numbers when it does not.
public enum SimplexStatement: String, Sendable, CaseIterable {
  /// 1. `1 ≤ N_eff ≤ N`, the equality cases, and the invariances (Proofs/1-range-and-invariance.md).
  case range
  /// 2. The shells `A_ν` partition Δ↓, one per ν (Proofs/2-shells.md).
  case shells
  /// 3. The trivial bound (Proofs/3-trivial-bound.md).
  case trivialBound
  /// 4. Theorem 4.2, the mass bound (Proofs/theorem-4.2.md).
  case theorem42
  /// 5. The asymptotic form (Proofs/5-asymptotic-form.md).
  case asymptoticForm
  /// 6. The loss-chain norm inequalities (Proofs/6-loss-chain.md).
  case lossChain

  /// Which version of a statement to decide.
  public enum Form: String, Sendable, CaseIterable {
    /// As the paper states it (false where Proofs/ gives a counterexample).
    case paper
    /// As Proofs/ states what holds (equal to `.paper` where the paper is right).
    case corrected
  }

  /// Decides the statement exactly at `scores` (β = 1).
  ///
  /// - Precondition: `scores` is not empty and not all zero.
  public func violation(of scores: [Rational], form: Form) -> String? {
    let a = SimplexAnalysis(scores: scores)
    switch self {
    case .range: return Self.rangeViolation(a)
    case .shells: return Self.shellViolation(a)
    case .trivialBound: return Self.trivialBoundViolation(a, form: form)
    case .theorem42: return Self.theorem42Violation(a, form: form)
    case .asymptoticForm: return Self.asymptoticViolation(a, form: form)
    case .lossChain: return Self.lossChainViolation(a)
    }
  }

  static func rangeViolation(_ a: SimplexAnalysis) -> String? {
    let n = Rational(a.count), x = a.effectiveSampleSize
    if x < 1 || x > n { return "N_eff = \(x) outside [1, \(a.count)] at \(a.pointDescription)" }
    let uniform = a.weights.allSatisfy { $0 == a.weights[0] }
    if (x == n) != uniform { return "N_eff = N is \(x == n) but uniform is \(uniform) at \(a.pointDescription)" }
    let vertex = a.weights.filter { !$0.isZero }.count == 1
    if (x == 1) != vertex { return "N_eff = 1 is \(x == 1) but vertex is \(vertex) at \(a.pointDescription)" }
    // Invariance: reversed order, scaled by −7/3, alternate signs flipped.
    let copies: [[Rational]] = [
      a.scores.reversed(),
      a.scores.map { $0 * Rational(-7, 3) },
      a.scores.enumerated().map { $0.offset % 2 == 0 ? -$0.element : $0.element },
    ]
    for copy in copies {
      let b = SimplexAnalysis(scores: copy)
      if b.effectiveSampleSize != x || b.retentionCount != a.retentionCount || b.preservedMass != a.preservedMass {
        return "not invariant: N_eff \(x) vs \(b.effectiveSampleSize) for \(copy) at \(a.pointDescription)"
      }
    }
    return nil
  }

  static func shellViolation(_ a: SimplexAnalysis) -> String? {
    // ‖ω − ζ_[N]‖² = Σω² − 1/N ≤ r_k² = 1/k − 1/N  ⟺  Σω² ≤ 1/k; B_{N+1} is empty (r² < 0).
    let n = a.count
    func inBall(_ k: Int) -> Bool { k <= n && a.sumOfSquares - Rational(1, n) <= Rational(1, k) - Rational(1, n) }
    let shells = (1...n).filter { inBall($0) && !inBall($0 + 1) }
    if shells != [a.retentionCount] {
      return "ω lies in shells \(shells), but ν = \(a.retentionCount), at \(a.pointDescription)"
    }
    if a.retentionCount == n && a.weights != SimplexPoint.vertex(n, dimension: n) {
      return "a point of A_N other than u_N: \(a.pointDescription)"
    }
    return nil
  }

  static func trivialBoundViolation(_ a: SimplexAnalysis, form: Form) -> String? {
    let n = a.count
    switch form {
    case .paper:
      let bound = a.effectiveSampleSize / Rational(n)
      return a.preservedMass >= bound
        ? nil : "s_eff = \(a.preservedMass) < N_eff/N = \(bound) at \(a.pointDescription)"
    case .corrected:
      for k in 1...n where a.topMass(k) < Rational(k, n) {
        return "φ_\(k) = \(a.topMass(k)) < \(k)/\(n) at \(a.pointDescription)"
      }
      return nil
    }
  }

  static func theorem42Violation(_ a: SimplexAnalysis, form: Form) -> String? {
    let n = a.count, nu = a.retentionCount, s = a.preservedMass
    switch form {
    case .paper:
      if n == 1 { return nil }  // the theorem is stated for N ≥ 2; at N = 1, s_eff = 1
      let decision = PaperBound(preservedMass: s, count: n, retentionCount: nu)
      return decision.holds
        ? nil : "ν = \(nu): s_eff = \(s) < B(\(n),\(nu)) = \(decision.bound) ≈ \(decimal(decision.bound)) at \(a.pointDescription)"
    case .corrected:
      if nu == n { return s == 1 ? nil : "ν = N but s_eff = \(s) at \(a.pointDescription)" }
      // Every retained count k (β ≠ 1 included): φ_k ≥ T(k, m, N), strictly unless attained.
      for k in 1...n {
        let tight = TightInfimum(keeping: k, shell: nu, count: n)
        let sign = (a.topMass(k) - tight.value).signum
        if sign < 0 || (sign == 0 && !tight.isAttained) {
          return "ν = \(nu): φ_\(k) = \(a.topMass(k)) vs T(\(k),\(nu),\(n)) = \(tight.value) at \(a.pointDescription)"
        }
      }
      return nil
    }
  }

  static func asymptoticViolation(_ a: SimplexAnalysis, form: Form) -> String? {
    switch form {
    case .paper:
      let pruned = 1 - a.preservedMass
      let bound = SimplexBounds.asymptoticPrunedMass(n: a.count, effectiveSampleSize: a.effectiveSampleSize)
      return (bound - pruned).signum >= 0
        ? nil : "1 − s_eff = \(pruned) > \(bound) ≈ \(decimal(bound)) at \(a.pointDescription)"
    case .corrected:
      for k in 1...a.count {
        let floor = SimplexBounds.topMassFloor(k: k, effectiveSampleSize: a.effectiveSampleSize)
        if (floor - a.topMass(k)).signum > 0 {
          return "φ_\(k) = \(a.topMass(k)) < min(k/N_eff, 1/√N_eff) = \(floor) at \(a.pointDescription)"
        }
      }
      if a.retentionCount >= 2 && a.preservedMass * a.preservedMass < a.sumOfSquares {
        return "ν ≥ 2 but s_eff² = \(a.preservedMass * a.preservedMass) < 1/N_eff at \(a.pointDescription)"
      }
      return nil
    }
  }

  static func decimal(_ value: Surd) -> String { value.decimalString(significantDigits: 12) }

  static func lossChainViolation(_ a: SimplexAnalysis) -> String? {
    // θ = scores; θ^ν keeps the entries in `kept`; ‖θ − θ^ν‖₂² = Σ_{i∉π} θ_i².
    let keptSet = Set(a.kept)
    let pruned = a.scores.indices.filter { !keptSet.contains($0) }
    let residual = pruned.reduce(Rational.zero) { $0 + a.scores[$1] * a.scores[$1] }
    let l1 = a.scores.reduce(Rational.zero) { $0 + $1.magnitude }
    let prunedMass = 1 - a.preservedMass
    let tight = l1 * l1 * prunedMass * prunedMass
    if residual > tight { return "‖θ−θ^ν‖² = \(residual) > ‖θ‖₁²(1−s_eff)² = \(tight) for θ = \(a.scores)" }
    let looser = Rational(a.count - a.retentionCount) * tight
    if residual > looser { return "‖θ−θ^ν‖² = \(residual) > (N−ν)‖θ‖₁²(1−s_eff)² = \(looser) for θ = \(a.scores)" }
    return nil
  }
}
