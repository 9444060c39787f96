import Exact
@testable import EMPReference

/// Independent oracles the tests compare the reference with: straight from the
/// definitions, with none of the reference's shortcuts.
enum Oracle {
  /// `N_eff = 1 / Σω²` with `ω_i = |s_i| / Σ|s|`, computed weight by weight.
  static func effectiveSampleSize(_ scores: [Rational]) -> Rational {
    let total = scores.reduce(Rational.zero) { $0 + $1.magnitude }
    let weights = scores.map { $0.magnitude / total }
    return weights.reduce(Rational.zero) { $0 + $1 * $1 }.reciprocal
  }

  /// The largest kept mass over all index subsets of size `k` (brute force, `2^N` subsets).
  static func bestSubsetMass(_ scores: [Rational], keeping k: Int) -> Rational {
    let total = scores.reduce(Rational.zero) { $0 + $1.magnitude }
    var best = Rational(-1)
    for mask in 0..<(1 << scores.count) where mask.nonzeroBitCount == k {
      var sum = Rational.zero
      for i in scores.indices where mask & (1 << i) != 0 { sum += scores[i].magnitude }
      best = max(best, sum / total)
    }
    return best
  }

  /// The sign of `p + q·√r`, by refining `⌊√(r·4^m)⌋` with plain integer arithmetic until
  /// the interval excludes zero; `0` only when `r` is a perfect square and the value is 0.
  /// Independent of `Surd`'s squaring method.
  static func sign(_ p: Rational, _ q: Rational, _ r: Rational) -> Int {
    if q.isZero || r.isZero { return p.signum }
    let root = r.numerator * r.denominator  // √r = √(root) / den
    for bits in stride(from: 64, through: 4096, by: 64) {
      let scaled = root * BigInteger(1).shifted(by: 2 * bits)
      let s = scaled.squareRootFloor()
      let scale = Rational(r.denominator.shifted(by: bits))
      let low = Rational(s) / scale
      let high = s * s == scaled ? low : Rational(s + BigInteger(1)) / scale
      let (a, b) = q.signum > 0 ? (p + q * low, p + q * high) : (p + q * high, p + q * low)
      if a.signum > 0 { return 1 }
      if b.signum < 0 { return -1 }
      if a == b { return a.signum }
    }
    fatalError("Oracle.sign: no decision at 4096 bits")
  }

  /// The infimum of `φ_k` over the shell `A_ν`, by the edge lemma of
  /// Proofs/T-tight-infimum.md without its reductions: the minimum over the vertices
  /// `u_ν`, `u_{ν+1}` and every edge point `λ·u_j + (1 − λ)·u_l` (`j ≤ ν < ν + 2 ≤ l`)
  /// on the sphere `Σω² = 1/(ν + 1)`.
  static func tightInfimumByAllEdges(keeping k: Int, shell nu: Int, count n: Int) -> Surd {
    func g(_ m: Int) -> Rational { Rational(min(k, m), m) }
    var best = Surd(g(nu))
    if nu < n { best = min(best, Surd(g(nu + 1))) }
    if nu + 2 <= n {
      for j in 1...nu {
        for l in (nu + 2)...n {
          // λ² = (1/(ν+1) − 1/l) / (1/j − 1/l) = j(l − ν − 1) / ((ν + 1)(l − j))
          let lambda = Surd(0, plus: 1, timesSquareRootOf: Rational(j * (l - nu - 1), (nu + 1) * (l - j)))
          let value = g(l) + (g(j) - g(l)) * lambda
          if value < best { best = value }
        }
      }
    }
    return best
  }

  /// `Σ_{i≤k} ω_i`.
  static func retainedMass(_ omega: [Rational], keeping k: Int) -> Rational {
    omega.prefix(k).reduce(Rational.zero, +)
  }

  /// Whether `ω` is in the ordered simplex and its `N_eff` lies in `[ν, ν + 1)`.
  static func isInShell(_ omega: [Rational], shell nu: Int) -> Bool {
    guard omega.reduce(Rational.zero, +) == 1, omega.allSatisfy({ $0.signum >= 0 }) else { return false }
    guard zip(omega, omega.dropFirst()).allSatisfy({ $0 >= $1 }) else { return false }
    let q = omega.reduce(Rational.zero) { $0 + $1 * $1 }
    return q > Rational(1, nu + 1) && q <= Rational(1, nu)
  }
}
