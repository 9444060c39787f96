import Exact

/// A point of the ordered simplex `Δ↓` on the edge from `u_j` to `u_l` (`j ≤ l`):
/// `λ·u_j + (1 − λ)·u_l`, where `u_m = (1/m, …, 1/m, 0, …, 0)` (m entries).
///
/// With `λ = 0` it is the vertex `u_l`. Every tight infimum of the retained mass over a
/// shell is approached (or attained) at such a point with `j = 1`
/// (Proofs/T-tight-infimum.md); over a band of `N_eff`, on an edge `[u_1, u_N]` or
/// `[u_p, u_{p+1}]` (Proofs/band-infimum.md).
public struct ExtremalPoint: Sendable, Equatable, CustomStringConvertible {
  /// `j`: the edge starts at the vertex `u_j`; 1 for the edges of a shell's infimum.
  public let start: Int
  /// `l`: the number of nonzero weights (the edge ends at the vertex `u_l`).
  public let support: Int
  /// `λ ∈ [0, 1]`: the weight on the vertex `u_start`.
  public let weight: Surd

  /// The point `weight·u_1 + (1 − weight)·u_support`.
  ///
  /// - Precondition: `support ≥ 1` and `0 ≤ weight ≤ 1`.
  public init(support: Int, weight: Surd) {
    self.init(start: 1, support: support, weight: weight)
  }

  /// The point `weight·u_start + (1 − weight)·u_support`.
  ///
  /// - Precondition: `1 ≤ start ≤ support` and `0 ≤ weight ≤ 1`.
  public init(start: Int, support: Int, weight: Surd) {
    precondition(
      start >= 1 && support >= start && weight.signum >= 0 && weight <= Surd(1),
      "ExtremalPoint: need 1 ≤ j ≤ l, 0 ≤ λ ≤ 1")
    self.start = start
    self.support = support
    self.weight = weight
  }

  /// Whether the point is the vertex `u_support` (`λ = 0`, or an edge of one vertex).
  public var isVertex: Bool { weight.signum == 0 || support == start }

  /// `Σ_{i≤k} ω_i = g(l) + λ·(g(j) − g(l))` with `g(m) = min(k, m)/m`, the mass `u_m` keeps.
  ///
  /// - Precondition: `k ≥ 1`.
  public func retainedMass(keeping k: Int) -> Surd {
    precondition(k >= 1, "ExtremalPoint: k must be at least 1")
    let spread = Rational(min(k, support), support)
    return spread + (Rational(min(k, start), start) - spread) * weight
  }

  /// `Σ ω_i² = λ²·(1/j − 1/l) + 1/l` at this point, exactly (`N_eff` is its reciprocal).
  public var sumOfSquares: Surd {
    let square = Surd(
      weight.rational * weight.rational + weight.coefficient * weight.coefficient * weight.radicand,
      plus: 2 * weight.rational * weight.coefficient, timesSquareRootOf: weight.radicand)
    return (Rational(1, start) - Rational(1, support)) * square + Rational(1, support)
  }

  /// `Σ ω_i² = λ²·(1 − 1/l) + 1/l` on the edge `[u_1, u_l]`, for a rational `λ`.
  public static func sumOfSquares(support l: Int, weight lambda: Rational) -> Rational {
    sumOfSquares(start: 1, support: l, weight: lambda)
  }

  /// `Σ ω_i² = λ²·(1/j − 1/l) + 1/l` on the edge `[u_j, u_l]` (from `u_j·u_l = 1/l`), for a
  /// rational `λ`.
  ///
  /// - Precondition: `1 ≤ j ≤ l`.
  public static func sumOfSquares(start j: Int, support l: Int, weight lambda: Rational) -> Rational {
    precondition(j >= 1 && l >= j, "ExtremalPoint: need 1 ≤ j ≤ l")
    return lambda * lambda * (Rational(1, j) - Rational(1, l)) + Rational(1, l)
  }

  /// The coordinates of `λ·u_1 + (1 − λ)·u_l` in `Δ↓ ⊂ R^count`, for a rational `λ`.
  ///
  /// - Precondition: `1 ≤ l ≤ count`.
  public static func coordinates(support l: Int, weight lambda: Rational, count: Int) -> [Rational] {
    coordinates(start: 1, support: l, weight: lambda, count: count)
  }

  /// The coordinates of `λ·u_j + (1 − λ)·u_l` in `Δ↓ ⊂ R^count`, for a rational `λ`:
  /// `λ/j + (1 − λ)/l` for `i ≤ j`, `(1 − λ)/l` for `j < i ≤ l`, then 0.
  ///
  /// - Precondition: `1 ≤ j ≤ l ≤ count`.
  public static func coordinates(start j: Int, support l: Int, weight lambda: Rational, count: Int) -> [Rational] {
    precondition(j >= 1 && l >= j && l <= count, "ExtremalPoint: need 1 ≤ j ≤ l ≤ count")
    let tail = (1 - lambda) / Rational(l)
    var point = [Rational](repeating: 0, count: count)
    for i in 0..<l { point[i] = tail }
    let head = lambda / Rational(j) + tail
    for i in 0..<j { point[i] = head }
    return point
  }

  /// `"u_l"` for a vertex, else `"λ·u_j + (1−λ)·u_l, λ = …"` with λ exact and to 17 digits.
  public var description: String {
    if isVertex { return "u_\(support)" }
    return "λ·u_\(start) + (1−λ)·u_\(support), λ = \(weight) ≈ \(weight.decimalString(significantDigits: 17))"
  }
}

extension ExtremalPoint {
  /// The coordinates of a rational point `λ′·u_j + (1 − λ′)·u_l` of this point's edge with
  /// `floor < Σω² ≤ ceiling`, `0 ≤ λ′ ≤ 1` and `λ′` within `tolerance` of `λ`: strictly above
  /// `λ` when `above`, else at most `λ`. `λ′` is a bound of a dyadic enclosure of `λ` (moved up
  /// by one more step when `above`), refined until the conditions hold.
  ///
  /// `Σω²` grows with `λ` along the edge, so going above `λ` moves the point towards `u_j`,
  /// and the retained mass changes by at most `|λ′ − λ|`.
  ///
  /// - Precondition: `tolerance > 0`; when `above`, `start < support`, `λ < 1` and
  ///   `floor ≤ Σω² < ceiling` at this point, else `floor < Σω² ≤ ceiling` at this point (so
  ///   that every `λ′` close enough to `λ` on the chosen side will do).
  func rationalNeighbour(
    within tolerance: Rational, above: Bool, sumOfSquaresAbove floor: Rational, atMost ceiling: Rational, count: Int
  ) -> [Rational] {
    precondition(tolerance.signum > 0, "ExtremalPoint: tolerance must be positive")
    let q = sumOfSquares
    precondition(
      above
        ? start < support && weight < Surd(1) && Surd(floor) <= q && q < Surd(ceiling)
        : Surd(floor) < q && q <= Surd(ceiling),
      "ExtremalPoint: no rational point of the edge near λ has floor < Σω² ≤ ceiling")
    var bits = max(1, 2 - (tolerance.numerator.bitWidthOfMagnitude - tolerance.denominator.bitWidthOfMagnitude))
    while true {
      let enclosure = weight.enclosure(bits: bits)
      let lambda = above ? enclosure.upperBound + Rational(1).timesPowerOfTwo(-bits) : enclosure.lowerBound
      let squares = ExtremalPoint.sumOfSquares(start: start, support: support, weight: lambda)
      if lambda.signum >= 0 && lambda <= 1 && squares > floor && squares <= ceiling {
        return ExtremalPoint.coordinates(start: start, support: support, weight: lambda, count: count)
      }
      bits += 1
    }
  }
}
