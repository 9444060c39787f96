import Exact

/// The exact tight lower bound on the mass kept by the `k` largest weights over a band of
/// `N_eff`: `I(k, a, b, N) = inf { Σ_{i≤k} ω_i : ω ∈ Δ↓, a ≤ N_eff(ω) < b }` for rationals
/// `1 ≤ a < b ≤ N + 1` (the infimum of the empty set, `+∞`, when no vector is in the band).
///
/// Derived and proved in Proofs/band-infimum.md (Theorem; the algorithm is its
/// "Computation"). With `p = ⌊b⌋`, `μ = √((N − b)/(b(N − 1)))` and `κ = √(p(p + 1 − b)/b)`:
/// 1. `a > N`: the band is empty, as every vector has `N_eff ≤ N`;
/// 2. `k = N`: `I = 1`, attained (every point keeps everything);
/// 3. `b > N`: `I = k/N`, attained at `u_N`;
/// 4. otherwise `I = min{E, F}` when `k ≤ p < N`, else `I = F`, where
///    `F = k/N + (1 − k/N)·μ` is kept at `μ·u_1 + (1 − μ)·u_N` and
///    `E = (k/(p + 1))·(1 + √((p + 1 − b)/(bp)))` at `κ·u_p + (1 − κ)·u_{p+1}` (the vertex
///    `u_b` when `b` is an integer). Both points have `N_eff = b`, outside the band: `I` is
///    approached, not attained.
///
/// So `I` depends on `a` only through the test `a > N`. Over a whole shell `[ν, ν + 1)` it
/// is `T(k, ν, N)` of ``TightInfimum``, with the same attained flag and extremal point. At a
/// fixed β the band of the vectors of shell `m` from which EMP keeps exactly `k` scores is
/// ``band(keeping:shell:beta:count:)``, and ``init(keeping:shell:beta:count:)`` gives the
/// tight bound on their kept mass, which ``TightInfimum`` (the whole shell) only bounds from
/// below.
public struct BandInfimum: Sendable {
  /// `k`: how many of the largest weights are kept.
  public let kept: Int
  /// `N`: the number of weights.
  public let count: Int
  /// `[a, b)`: the band of `N_eff`; `nil` when the interval is empty (`a ≥ b`), as the band
  /// of a fixed β can be.
  public let band: Range<Rational>?
  /// `I(k, a, b, N)`, exact; `nil` when no vector has `N_eff` in the band (`+∞`).
  public let value: Surd?
  /// Whether some point of the band keeps exactly `value` (else it is only approached);
  /// `false` for an empty band.
  public let isAttained: Bool
  /// A point of the closed band where the infimum is reached: in the band when attained,
  /// else on its excluded end `N_eff = b`; `nil` for an empty band.
  public let point: ExtremalPoint?

  /// Whether no weight vector has `N_eff` in the band (then `value` is `nil`).
  public var isEmpty: Bool { value == nil }

  /// Computes `I(k, a, b, N)` for the band `a..<b` by at most one exact comparison of two
  /// candidates; on a tie the point on `[u_p, u_{p+1}]` is reported (for an integer `b` the
  /// vertex `u_b`, as ``TightInfimum`` reports on a tie).
  ///
  /// - Precondition: `1 ≤ kept ≤ count` and `1 ≤ a < b ≤ count + 1`.
  /// - Complexity: O(1) exact operations on rationals of O(log N + size of a and b) bits.
  public init(keeping kept: Int, band: Range<Rational>, count: Int) {
    precondition(count >= 1 && kept >= 1 && kept <= count, "BandInfimum: need 1 ≤ k ≤ N")
    let (a, b) = (band.lowerBound, band.upperBound)
    precondition(a >= 1 && a < b && b <= Rational(count + 1), "BandInfimum: need 1 ≤ a < b ≤ N + 1")
    (self.kept, self.count, self.band) = (kept, count, band)
    let n = Rational(count)
    if a > n {
      (value, isAttained, point) = (nil, false, nil)
      return
    }
    if kept == count {
      // Every point keeps 1; report the point of the band with N_eff = a.
      let edge = BandInfimum.sphereEdge(at: a)
      (value, isAttained, point) = (Surd(1), true, edge)
      return
    }
    if b > n {
      let vertex = ExtremalPoint(support: count, weight: Surd(0))
      (value, isAttained, point) = (vertex.retainedMass(keeping: kept), true, vertex)
      return
    }
    // 1 < b ≤ N and k < N: the infimum sits on the sphere N_eff = b and is not attained.
    let far = ExtremalPoint(
      support: count, weight: Surd(0, plus: 1, timesSquareRootOf: (n - b) / (b * Rational(count - 1))))
    let farValue = far.retainedMass(keeping: kept)
    let p = BandInfimum.floor(b)
    if kept <= p && p < count {
      let near = BandInfimum.sphereEdge(at: b)
      let nearValue = near.retainedMass(keeping: kept)
      if nearValue <= farValue {
        (value, isAttained, point) = (nearValue, false, near)
        return
      }
    }
    (value, isAttained, point) = (farValue, false, far)
  }

  /// The tight bound at a fixed β: over the vectors of shell `m` (`m ≤ N_eff < m + 1`) from
  /// which EMP keeps exactly `k` scores, the band ``band(keeping:shell:beta:count:)``.
  /// An empty band gives an empty result (`value` `nil`).
  ///
  /// - Precondition: `β > 0`, `1 ≤ shell ≤ count` and `1 ≤ kept ≤ count`.
  /// - Complexity: O(1) exact operations.
  public init(keeping kept: Int, shell: Int, beta: Rational, count: Int) {
    if let band = BandInfimum.band(keeping: kept, shell: shell, beta: beta, count: count) {
      self.init(keeping: kept, band: band, count: count)
    } else {
      self.init(emptyBandKeeping: kept, count: count)
    }
  }

  /// The result for an empty interval of `N_eff`.
  private init(emptyBandKeeping kept: Int, count: Int) {
    (self.kept, self.count, band, value, isAttained, point) = (kept, count, nil, nil, false, nil)
  }

  /// The `N_eff` of shell `m` at which EMP keeps exactly `k` scores at β, where it keeps
  /// `⌊β·N_eff⌋` clamped to `[1, N]` (Proofs/band-infimum.md, "Why bands"):
  /// `[max(m, ℓ_k), min(m + 1, h_k))` with `ℓ_1 = 1`, `ℓ_k = k/β` for `k ≥ 2`,
  /// `h_k = (k + 1)/β` for `k < N` and `h_N = N + 1`; `nil` when that interval is empty.
  ///
  /// - Precondition: `β > 0`, `1 ≤ shell ≤ count` and `1 ≤ kept ≤ count`.
  public static func band(keeping kept: Int, shell: Int, beta: Rational, count: Int) -> Range<Rational>? {
    precondition(beta.signum > 0, "BandInfimum: need β > 0")
    precondition(count >= 1 && shell >= 1 && shell <= count, "BandInfimum: need 1 ≤ m ≤ N")
    precondition(kept >= 1 && kept <= count, "BandInfimum: need 1 ≤ k ≤ N")
    let low = kept == 1 ? Rational(1) : Rational(kept) / beta
    let high = kept == count ? Rational(count + 1) : Rational(kept + 1) / beta
    let a = max(Rational(shell), low)
    let b = min(Rational(shell + 1), high)
    return a < b ? a..<b : nil
  }

  /// The point of `[u_p, u_{p+1}]`, `p = ⌊x⌋`, with `N_eff = x`: weight
  /// `√(p(p + 1 − x)/x)` on `u_p`; the vertex `u_x` when `x` is an integer.
  ///
  /// - Precondition: `1 ≤ x`, and `x` is an integer if `⌊x⌋ ≥ count`.
  private static func sphereEdge(at x: Rational) -> ExtremalPoint {
    let p = floor(x)
    guard !x.isInteger else { return ExtremalPoint(support: p, weight: Surd(0)) }
    let weight = Surd(0, plus: 1, timesSquareRootOf: Rational(p) * (Rational(p + 1) - x) / x)
    return ExtremalPoint(start: p, support: p + 1, weight: weight)
  }

  /// `⌊x⌋` of a rational `x ≤ N + 1`, as an `Int`.
  private static func floor(_ x: Rational) -> Int {
    guard let value = x.floor.intValue else { preconditionFailure("BandInfimum: \(x) is at most N + 1") }
    return value
  }

  /// A rational point of the band that keeps at most `value + tolerance`; `nil` when the
  /// band is empty.
  ///
  /// When the infimum is attained at a rational point, that point. When it is attained at
  /// an irrational one (`k = N` and `N_eff = a` non-integer; every point keeps 1), a rational
  /// point of the same edge with `N_eff` just above `a`. Otherwise a point of the same edge
  /// as `point` with a rational weight `λ′` just above `λ`: `Σω²` grows with `λ` along the
  /// edge, so `λ′ > λ` puts `N_eff` below `b`, `λ′` close enough to `λ` keeps it at least
  /// `a`, and the kept mass grows by at most `λ′ − λ ≤ tolerance`.
  ///
  /// - Precondition: `tolerance > 0`.
  /// - Returns: `count` exact weights, non-increasing, summing to 1.
  public func witness(within tolerance: Rational) -> [Rational]? {
    precondition(tolerance.signum > 0, "BandInfimum: tolerance must be positive")
    guard let band, let point, !isEmpty else { return nil }
    if isAttained, let lambda = point.weight.exactValue {
      return ExtremalPoint.coordinates(start: point.start, support: point.support, weight: lambda, count: count)
    }
    return point.rationalNeighbour(
      within: tolerance, above: !isAttained, sumOfSquaresAbove: band.upperBound.reciprocal,
      atMost: band.lowerBound.reciprocal, count: count)
  }
}
