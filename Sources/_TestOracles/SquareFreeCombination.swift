import Exact

/// A sum `Σ_m C_m·√m` over distinct square-free integers `m ≥ 1`: the normal form of a sum of
/// square roots, the oracle `SquareRootSum` and the analysis of square-root scores are checked
/// against.
///
/// Its route is independent of theirs: radicands are put in normal form by trial division (or
/// come with a known square-free part), equal `m` merge by dictionary lookup, and the sign is
/// that of the first nonzero interval of per-term rational enclosures. The normal form is
/// unique (the roots of distinct square-free integers are linearly independent over ℚ), so
/// the sum is zero iff every `C_m` is, and a nonzero sum is refined until its sign shows.
public struct SquareFreeCombination: Sendable, CustomStringConvertible {
  /// `C_m` by square-free `m`; no zero coefficients.
  public private(set) var coefficients: [BigInteger: Rational]

  /// Zero.
  public init() { coefficients = [:] }

  /// The rational `value` (`m = 1`).
  public init(_ value: Rational) {
    self.init()
    add(value, squareFree: BigInteger(1))
  }

  /// `coefficient·√radicand`, the radicand factored by trial division.
  ///
  /// - Precondition: `radicand ≥ 0`, and its numerator times its denominator is below 2⁴⁰.
  public init(_ coefficient: Rational, squareRootOf radicand: Rational) {
    self.init(coefficient, squareRootOf: radicand, timesSquareFree: BigInteger(1))
  }

  /// `coefficient·√(radicand·squareFree)` for a known square-free `squareFree` of any size;
  /// the radicand is factored by trial division.
  ///
  /// - Precondition: as for ``init(_:squareRootOf:)``, and `squareFree` is square-free.
  public init(_ coefficient: Rational, squareRootOf radicand: Rational, timesSquareFree squareFree: BigInteger) {
    self.init()
    precondition(radicand.signum >= 0, "SquareFreeCombination: negative radicand")
    guard !radicand.isZero else { return }
    // √(u/v) = √(uv)/v, and uv = f²·m.
    let (factor, part) = Self.squareFreeDecomposition(radicand.numerator * radicand.denominator)
    let (common, product) = Self.multiplySquareFree(part, squareFree)
    add(coefficient * Rational(numerator: factor * common, denominator: radicand.denominator), squareFree: product)
  }

  /// Adds `coefficient·√squareFree`.
  public mutating func add(_ coefficient: Rational, squareFree: BigInteger) {
    let sum = coefficients[squareFree, default: .zero] + coefficient
    coefficients[squareFree] = sum.isZero ? nil : sum
  }

  public static func + (lhs: Self, rhs: Self) -> Self {
    var sum = lhs
    for (m, c) in rhs.coefficients { sum.add(c, squareFree: m) }
    return sum
  }

  public static func - (lhs: Self, rhs: Self) -> Self { lhs + Rational(-1) * rhs }

  public static func * (lhs: Rational, rhs: Self) -> Self {
    var product = Self()
    for (m, c) in rhs.coefficients { product.add(lhs * c, squareFree: m) }
    return product
  }

  /// The product, expanded: `√m·√m' = g·√(m·m'/g²)` with `g = gcd(m, m')`.
  public static func * (lhs: Self, rhs: Self) -> Self {
    var product = Self()
    for (m, c) in lhs.coefficients {
      for (n, d) in rhs.coefficients {
        let (common, part) = multiplySquareFree(m, n)
        product.add(c * d * Rational(common), squareFree: part)
      }
    }
    return product
  }

  /// Whether the value is rational (only `m = 1` remains).
  public var isRational: Bool { coefficients.keys.allSatisfy { $0 == BigInteger(1) } }

  /// The sign, exact: 0 iff no coefficient is left; otherwise from enclosures
  /// `⌊√(m·4^p)⌋/2^p ≤ √m ≤ (⌊√(m·4^p)⌋ + 1)/2^p` at `p = 32, 64, 128, …` until the interval
  /// of the sum excludes zero, which happens because the value is not zero.
  public var signum: Int {
    guard !coefficients.isEmpty else { return 0 }
    var bits = 32
    while true {
      var low = Rational.zero
      var high = Rational.zero
      let scale = Rational(BigInteger(1).shifted(by: bits))
      for (m, c) in coefficients {
        let root = (m * BigInteger(1).shifted(by: 2 * bits)).squareRootFloor()
        let exact = m == BigInteger(1)
        let below = Rational(root) / scale
        let above = exact ? below : Rational(root + BigInteger(1)) / scale
        low += c.signum > 0 ? c * below : c * above
        high += c.signum > 0 ? c * above : c * below
      }
      if low.signum > 0 { return 1 }
      if high.signum < 0 { return -1 }
      bits *= 2
    }
  }

  public var description: String {
    coefficients.sorted { $0.key < $1.key }.map { "(\($0.value))·√\($0.key)" }.joined(separator: " + ")
  }

  /// `n = f²·m` with `m` square-free, by trial division.
  ///
  /// - Precondition: `0 < n < 2⁴⁰`.
  public static func squareFreeDecomposition(_ n: BigInteger) -> (factor: BigInteger, squareFree: BigInteger) {
    guard let value = n.intValue, value > 0, value < 1 << 40 else {
      preconditionFailure("SquareFreeCombination: \(n) is not in (0, 2^40)")
    }
    var rest = value
    var factor = 1
    var squareFree = 1
    var divisor = 2
    while divisor * divisor <= rest {
      var exponent = 0
      while rest % divisor == 0 {
        rest /= divisor
        exponent += 1
      }
      for _ in 0..<(exponent / 2) { factor *= divisor }
      if exponent % 2 == 1 { squareFree *= divisor }
      divisor += 1
    }
    return (BigInteger(factor), BigInteger(squareFree * rest))
  }

  /// `m·n = g²·(m·n/g²)` for square-free `m`, `n` and `g = gcd(m, n)`; the second part is
  /// square-free.
  public static func multiplySquareFree(_ m: BigInteger, _ n: BigInteger) -> (common: BigInteger, squareFree: BigInteger) {
    let g = BigInteger.gcd(m, n)
    return (g, (m / g) * (n / g))
  }
}
