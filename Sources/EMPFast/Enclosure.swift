import Exact

extension Enclosure<Double> where Bound == Double {
  /// The tightest enclosure of an exact value: its nearest `Double` and its neighbours below
  /// and above it when that rounding is inexact.
  public init(exactly value: Rational) {
    let nearest = Double(value)
    let asRational = nearest.isFinite ? try? Rational(exactly: nearest) : nil
    let below = asRational.map { $0 <= value } ?? (nearest < 0)
    let above = asRational.map { $0 >= value } ?? (nearest > 0)
    self.init(
      estimate: nearest,
      lowerBound: below ? nearest : nearest.nextDown,
      upperBound: above ? nearest : nearest.nextUp)
  }

  /// Whether `value` lies in `[lowerBound, upperBound]`, decided exactly.
  public func contains(_ value: Rational) -> Bool {
    (lowerBound.isInfinite || Rational(finite: lowerBound) <= value)
      && (upperBound.isInfinite || value <= Rational(finite: upperBound))
  }

  /// The largest relative distance from `estimate` to the bounds.
  public var relativeRadius: Double {
    max(estimate - lowerBound, upperBound - estimate) / estimate.magnitude
  }

  /// The enclosure with its estimate and bounds read exactly, as rationals.
  ///
  /// - Precondition: they are finite.
  public var exactBounds: Enclosure<Rational> {
    Enclosure<Rational>(
      estimate: Rational(finite: estimate), lowerBound: Rational(finite: lowerBound), upperBound: Rational(finite: upperBound))
  }
}

/// Arithmetic rounded outwards: each operation is done to nearest and then moved one ulp
/// away, so the result brackets the exact result of the same operation (Proofs §2).
enum Directed {
  @inline(__always) static func down(_ x: Double) -> Double { x.nextDown }
  @inline(__always) static func up(_ x: Double) -> Double { x.nextUp }

  /// An upper bound of `γ_n = n·u / (1 − n·u)`, `u = 2^-53`.
  ///
  /// - Precondition: `n·u < 1/2`.
  static func gamma(_ n: Int) -> Double {
    precondition(n >= 0 && n < 1 << 51, "gamma: n out of range")
    let nu = Double(n) * 0x1p-53  // exact: n < 2^51
    return up(nu / (1 - nu))  // 1 - nu is exact in [1/2, 1]
  }

  /// The enclosure `[(ŝ − α)/(1 + γ), (ŝ + α)/(1 − γ)]` of a non-negative sum `s` whose
  /// float result `ŝ` satisfies `|ŝ − s| ≤ γ·s + α` (Proofs §3), clipped below at 0.
  static func enclosure(ofSum estimate: Double, relativeError gamma: Double, absoluteError alpha: Double)
    -> Enclosure<Double>
  {
    guard estimate.isFinite else {
      return Enclosure(estimate: estimate, lowerBound: 0, upperBound: .infinity)
    }
    let lower = max(0, down(down(estimate - alpha) / up(1 + gamma)))
    let upper = up(up(estimate + alpha) / down(1 - gamma))
    return Enclosure(estimate: estimate, lowerBound: lower, upperBound: upper)
  }

  /// An enclosure of `a² / b` from enclosures of non-negative `a` and positive `b`.
  static func squareOver(_ a: Enclosure<Double>, _ b: Enclosure<Double>) -> Enclosure<Double> {
    let lower = b.upperBound == .infinity ? 0 : max(0, down(down(a.lowerBound * a.lowerBound) / up(b.upperBound)))
    let upper = b.lowerBound > 0 ? up(up(a.upperBound * a.upperBound) / down(b.lowerBound)) : .infinity
    let upperBound = max(lower, upper)
    let estimate = a.estimate * (a.estimate / b.estimate)
    return Enclosure(estimate: min(max(estimate, lower), upperBound), lowerBound: lower, upperBound: upperBound)
  }

  /// An enclosure of `a / b`, known to lie in `[0, 1]`, from enclosures of `a ≥ 0` and `b > 0`.
  static func fraction(_ a: Enclosure<Double>, _ b: Enclosure<Double>) -> Enclosure<Double> {
    let lower = b.upperBound == .infinity ? 0 : max(0, down(a.lowerBound / b.upperBound))
    let upper = b.lowerBound > 0 ? min(1, up(a.upperBound / b.lowerBound)) : 1
    let lowerBound = min(lower, upper)
    return Enclosure(estimate: min(max(a.estimate / b.estimate, lowerBound), upper), lowerBound: lowerBound, upperBound: upper)
  }
}
