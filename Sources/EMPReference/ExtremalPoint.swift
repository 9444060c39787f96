import Exact

/// A point of the ordered simplex `Δ↓` on the edge from `u_1` to `u_l`:
/// `λ·u_1 + (1 − λ)·u_l`, where `u_m = (1/m, …, 1/m, 0, …, 0)` (m entries).
///
/// With `λ = 0` it is the vertex `u_l`. Every tight infimum of the retained mass over a
/// shell is approached (or attained) at such a point (Proofs/T-tight-infimum.md).
public struct ExtremalPoint: Sendable, Equatable, CustomStringConvertible {
  /// `l`: the number of nonzero weights.
  public let support: Int
  /// `λ ∈ [0, 1]`: the weight on the vertex `u_1`.
  public let weight: Surd

  /// The point `weight·u_1 + (1 − weight)·u_support`.
  ///
  /// - Precondition: `support ≥ 1` and `0 ≤ weight ≤ 1`.
  public init(support: Int, weight: Surd) {
    precondition(support >= 1 && weight.signum >= 0 && weight <= Surd(1), "ExtremalPoint: need l ≥ 1, 0 ≤ λ ≤ 1")
    self.support = support
    self.weight = weight
  }

  /// Whether the point is the vertex `u_support` (`λ = 0`).
  public var isVertex: Bool { weight.signum == 0 || support == 1 }

  /// `Σ_{i≤k} ω_i = λ + (1 − λ)·min(k, l)/l`.
  ///
  /// - Precondition: `k ≥ 1`.
  public func retainedMass(keeping k: Int) -> Surd {
    precondition(k >= 1, "ExtremalPoint: k must be at least 1")
    let spread = Rational(min(k, support), support)
    return spread + (1 - spread) * weight
  }

  /// `Σ ω_i² = λ²·(1 − 1/l) + 1/l` (from `u_1·u_l = 1/l`), exactly when `λ` is rational.
  ///
  /// - Precondition: `weight` is rational.
  public static func sumOfSquares(support l: Int, weight lambda: Rational) -> Rational {
    lambda * lambda * (1 - Rational(1, l)) + Rational(1, l)
  }

  /// The coordinates of `λ·u_1 + (1 − λ)·u_l` in `Δ↓ ⊂ R^count`, for a rational `λ`.
  ///
  /// - Precondition: `1 ≤ l ≤ count`.
  public static func coordinates(support l: Int, weight lambda: Rational, count: Int) -> [Rational] {
    precondition(l >= 1 && l <= count, "ExtremalPoint: support outside 1...count")
    let tail = (1 - lambda) / Rational(l)
    var point = [Rational](repeating: 0, count: count)
    for i in 0..<l { point[i] = tail }
    point[0] = lambda + tail
    return point
  }

  /// `"u_l"` for a vertex, else `"λ·u_1 + (1−λ)·u_l, λ = …"` with λ exact and to 17 digits.
  public var description: String {
    if isVertex { return "u_\(support)" }
    return "λ·u_1 + (1−λ)·u_\(support), λ = \(weight) ≈ \(weight.decimalString(significantDigits: 17))"
  }
}
