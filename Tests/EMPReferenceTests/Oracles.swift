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
    isInBand(omega, Rational(nu)..<Rational(nu + 1))
  }

  /// Whether `ω` is in the ordered simplex and `a ≤ N_eff(ω) < b`.
  static func isInBand(_ omega: [Rational], _ band: Range<Rational>) -> Bool {
    guard omega.reduce(Rational.zero, +) == 1, omega.allSatisfy({ $0.signum >= 0 }) else { return false }
    guard zip(omega, omega.dropFirst()).allSatisfy({ $0 >= $1 }) else { return false }
    let q = omega.reduce(Rational.zero) { $0 + $1 * $1 }
    return q > band.upperBound.reciprocal && q <= band.lowerBound.reciprocal
  }

  /// The infimum of `φ_k` over the band `a ≤ N_eff < b` of Δ↓ ⊂ R^N by brute force, from
  /// the definitions only: the least `φ_k` over the vertices of Δ↓ and the points where its
  /// edges meet the two spheres of the closed band `1/b ≤ Σω² ≤ 1/a` (a least point is such
  /// an edge point, Proofs/band-infimum.md, Step 3), with whether some point that keeps it
  /// lies in the band itself (attained); `nil` when no vertex or edge point is in the
  /// closed band. On an edge, `Σω²` is a quadratic in the edge parameter, solved exactly
  /// with square roots as `Surd`s, and `φ_k` is linear in it, so its least value over the
  /// part of the edge in the closed band is at an end of that part: a vertex or a root.
  static func bandInfimumByAllEdges(keeping k: Int, band: Range<Rational>, count n: Int) -> (Surd, Bool)? {
    let (low, high) = (band.upperBound.reciprocal, band.lowerBound.reciprocal)
    let vertices = (1...n).map { m in (0..<n).map { $0 < m ? Rational(1, m) : 0 } }
    var best: Surd?
    var attained = false
    func consider(_ value: Surd, inside: Bool) {
      let order = best.map { Surd.compare(value, $0) } ?? -1
      if order < 0 { (best, attained) = (value, inside) } else if order == 0 { attained = attained || inside }
    }
    func dot(_ x: [Rational], _ y: [Rational]) -> Rational { zip(x, y).reduce(Rational.zero) { $0 + $1.0 * $1.1 } }
    for u in vertices {
      let q = dot(u, u)
      if q >= low && q <= high { consider(Surd(retainedMass(u, keeping: k)), inside: q > low) }
    }
    for i in 0..<n {
      for j in (i + 1)..<n {
        // ω(t) = u_j + t·(u_i − u_j), t ∈ [0, 1]: Σω² = A t² + B t + C and φ_k = φ₀ + φ₁ t.
        let (start, end) = (vertices[j], vertices[i])
        let d = zip(end, start).map { $0 - $1 }
        let (a2, a1, a0) = (dot(d, d), 2 * dot(start, d), dot(start, start))
        let phi0 = retainedMass(start, keeping: k)
        let phi1 = retainedMass(end, keeping: k) - phi0
        for level in [low, high] {
          let discriminant = a1 * a1 - 4 * a2 * (a0 - level)
          guard discriminant.signum >= 0 else { continue }
          for sign in [Rational(1), Rational(-1)] {
            let t = Surd(-a1 / (2 * a2), plus: sign / (2 * a2), timesSquareRootOf: discriminant)
            guard t.signum >= 0 && t <= Surd(1) else { continue }
            consider(phi1 * t + phi0, inside: level == high)
          }
        }
      }
    }
    return best.map { ($0, attained) }
  }
}
