/// An exact real number `Σ c_i·√x_i`: a finite sum of square roots of rationals `x_i ≥ 0`
/// with rational coefficients `c_i`, whose sign is decided exactly.
///
/// Signs come from certified integer enclosures at a common scale `2^−p`, refined until they
/// exclude zero; when they still contain zero after a few refinements, the sum is tested for
/// being zero exactly, by grouping its terms into square classes (terms that are rational
/// multiples of each other) and summing each class's coefficients: distinct classes are
/// linearly independent over ℚ (Besicovitch, 1940). A nonzero sum is refined until decided,
/// which always ends. Proofs/group-norms.md proves each step. `==` is equality of the real
/// numbers.
public struct SquareRootSum: Sendable {
  /// One term `±√(square)`, with `square` a positive rational that is not the square of a
  /// rational (a term `c·√x` is stored as `sign(c)·√(c²·x)`).
  private struct Root: Sendable {
    var isNegative: Bool
    /// `square = numerator / denominator` in lowest terms.
    var numerator: BigInteger
    var denominator: BigInteger
  }

  /// The terms whose square root is rational, summed.
  private var rationalPart: Rational
  /// The other terms, in the order they were added.
  private var roots: [Root]

  /// Zero.
  public init() { (rationalPart, roots) = (.zero, []) }

  /// The rational number `value`.
  public init(_ value: Rational) { (rationalPart, roots) = (value, []) }

  /// The number `p + q·√r` of `surd`.
  public init(_ surd: Surd) {
    self.init(surd.rational)
    add(surd.coefficient, timesSquareRootOf: surd.radicand)
  }

  /// The sum `Σ coefficient·√radicand` of `terms`.
  ///
  /// - Precondition: every radicand is `≥ 0`.
  public init(terms: [(coefficient: Rational, radicand: Rational)]) {
    self.init()
    for term in terms { add(term.coefficient, timesSquareRootOf: term.radicand) }
  }

  /// Adds the term `coefficient · √radicand`.
  ///
  /// - Precondition: `radicand ≥ 0`.
  /// - Complexity: one integer square root of the numerator and of the denominator of
  ///   `coefficient² · radicand`, to fold a rational square root into the rational part.
  public mutating func add(_ coefficient: Rational, timesSquareRootOf radicand: Rational) {
    precondition(radicand.signum >= 0, "SquareRootSum: negative radicand")
    guard !coefficient.isZero && !radicand.isZero else { return }
    addRoot(isNegative: coefficient.signum < 0, square: coefficient * coefficient * radicand)
  }

  /// Adds the term `coefficient · √radicand` for an integer radicand.
  ///
  /// - Precondition: `radicand ≥ 0`.
  public mutating func add(_ coefficient: Rational, timesSquareRootOf radicand: BigInteger) {
    add(coefficient, timesSquareRootOf: Rational(radicand))
  }

  /// Adds `±√square`, folding it into the rational part when `square` is a rational square.
  private mutating func addRoot(isNegative: Bool, square: Rational) {
    if let root = square.exactSquareRoot {
      rationalPart += isNegative ? -root : root
    } else {
      roots.append(Root(isNegative: isNegative, numerator: square.numerator, denominator: square.denominator))
    }
  }
}

// MARK: - Arithmetic

extension SquareRootSum: AdditiveArithmetic {
  public static var zero: SquareRootSum { SquareRootSum() }

  public static func + (lhs: SquareRootSum, rhs: SquareRootSum) -> SquareRootSum {
    var sum = lhs
    sum += rhs
    return sum
  }

  public static func += (lhs: inout SquareRootSum, rhs: SquareRootSum) {
    lhs.rationalPart += rhs.rationalPart
    lhs.roots += rhs.roots
  }

  public static func - (lhs: SquareRootSum, rhs: SquareRootSum) -> SquareRootSum { lhs + (-rhs) }

  public static func -= (lhs: inout SquareRootSum, rhs: SquareRootSum) { lhs += -rhs }

  public static prefix func - (operand: SquareRootSum) -> SquareRootSum {
    var negated = operand
    negated.rationalPart = -operand.rationalPart
    for i in negated.roots.indices { negated.roots[i].isNegative.toggle() }
    return negated
  }

  /// The sum multiplied by a rational, term by term.
  public static func * (lhs: Rational, rhs: SquareRootSum) -> SquareRootSum {
    guard !lhs.isZero else { return SquareRootSum() }
    var product = SquareRootSum(lhs * rhs.rationalPart)
    let factorSquare = lhs * lhs
    for root in rhs.roots {
      let square = factorSquare * Rational(numerator: root.numerator, denominator: root.denominator)
      product.roots.append(
        Root(isNegative: root.isNegative != (lhs.signum < 0), numerator: square.numerator, denominator: square.denominator))
    }
    return product
  }

  /// The sum multiplied by `√radicand`, term by term: `c·√x·√radicand = c·√(x·radicand)`.
  ///
  /// - Precondition: `radicand ≥ 0`.
  public func timesSquareRoot(of radicand: Rational) -> SquareRootSum {
    precondition(radicand.signum >= 0, "SquareRootSum: negative radicand")
    var product = SquareRootSum()
    guard !radicand.isZero else { return product }
    product.add(rationalPart, timesSquareRootOf: radicand)
    for root in roots {
      let square = radicand * Rational(numerator: root.numerator, denominator: root.denominator)
      product.addRoot(isNegative: root.isNegative, square: square)
    }
    return product
  }

  /// The product `(p + q·√r) · sum`.
  public static func * (lhs: Surd, rhs: SquareRootSum) -> SquareRootSum {
    lhs.rational * rhs + lhs.coefficient * rhs.timesSquareRoot(of: lhs.radicand)
  }
}

extension SquareRootSum: Comparable {
  /// Equality of the real numbers, decided exactly.
  public static func == (lhs: SquareRootSum, rhs: SquareRootSum) -> Bool { (lhs - rhs).signum == 0 }

  public static func < (lhs: SquareRootSum, rhs: SquareRootSum) -> Bool { (lhs - rhs).signum < 0 }
}

// MARK: - Signs and enclosures

extension SquareRootSum {
  /// -1, 0 or 1, decided exactly.
  ///
  /// The irrational terms are enclosed at `p` fractional bits, `p` set for 64, 128, 256 bits
  /// below the largest term and then doubled, until the enclosure excludes zero. After the
  /// 256-bit attempt the sum is tested for zero by its square classes, once; a nonzero sum
  /// is then refined until decided, which ends because its enclosures shrink to its nonzero
  /// value.
  ///
  /// - Complexity: per refinement, one integer division and square root per irrational term
  ///   at `p` bits; the class test, once, a few remainders by small primes per term and an
  ///   integer square root per pair of terms whose classes it cannot tell apart otherwise
  ///   (pairs of one class, in the usual case).
  public var signum: Int {
    guard !roots.isEmpty else { return rationalPart.signum }
    let guardBits = roots.count.bitWidthOfValue
    let top = magnitudeExponent
    var relativeBits = 64
    var zeroTested = false
    while true {
      let precision = relativeBits + guardBits - top
      let (lower, upper) = rootBounds(precision: precision)
      let scaledRational = rationalPart.timesPowerOfTwo(precision)
      if (scaledRational + Rational(lower)).signum > 0 { return 1 }
      if (scaledRational + Rational(upper)).signum < 0 { return -1 }
      if !zeroTested && relativeBits >= 256 {
        if isZeroByClasses { return 0 }
        zeroTested = true
      }
      relativeBits *= 2
    }
  }

  /// An enclosure of the value by rationals with `upperBound − lowerBound ≤ 2^−bits`, estimated
  /// by its midpoint; exact when the value is rational because every term is.
  ///
  /// Each irrational term is enclosed at `p = bits + ⌈log₂(terms + 1)⌉` fractional bits with a
  /// width of `2^−p`; the rational part is exact.
  ///
  /// - Precondition: `bits ≥ 0`.
  public func enclosure(bits: Int) -> Enclosure<Rational> {
    precondition(bits >= 0, "SquareRootSum: negative precision")
    guard !roots.isEmpty else { return Enclosure(exactly: rationalPart) }
    let precision = bits + roots.count.bitWidthOfValue
    let (lower, upper) = rootBounds(precision: precision)
    let low = rationalPart + Rational(lower).timesPowerOfTwo(-precision)
    let high = rationalPart + Rational(upper).timesPowerOfTwo(-precision)
    return Enclosure(estimate: (low + high) * Rational(1, 2), lowerBound: low, upperBound: high)
  }

  /// Integers `lower`, `upper` with `lower ≤ 2^precision · Σ(irrational terms) ≤ upper`
  /// and `upper − lower` the number of irrational terms.
  ///
  /// For `y = square · 4^precision`, `L = ⌊√⌊y⌋⌋ = ⌊√y⌋`, and `√y` is irrational, so
  /// `L < √y < L + 1`. A negative precision is allowed (then `⌊y⌋` divides instead).
  private func rootBounds(precision: Int) -> (lower: BigInteger, upper: BigInteger) {
    var lower = BigInteger.zero
    let one = BigInteger(1)
    for root in roots {
      let scaled = root.numerator.shifted(by: 2 * precision)
      // Both are positive, so the truncating quotient is the floor.
      let floorOfSquare = root.denominator == one ? scaled : scaled / root.denominator
      let floorOfRoot = floorOfSquare.squareRootFloor()
      if root.isNegative {
        lower -= floorOfRoot + one
      } else {
        lower += floorOfRoot
      }
    }
    return (lower, lower + BigInteger(roots.count))
  }

  /// An integer `e` with every term and the rational part below `2^e` in magnitude, or far
  /// below when everything is zero; it only sets where refinement starts.
  private var magnitudeExponent: Int {
    var top = rationalPart.isZero
      ? Int.min / 4 : rationalPart.numerator.bitWidthOfMagnitude - rationalPart.denominator.bitWidthOfMagnitude + 1
    for root in roots {
      // square < 2^(bits(n) − bits(d) + 1), so √square < 2^⌈that / 2⌉.
      let exponent = root.numerator.bitWidthOfMagnitude - root.denominator.bitWidthOfMagnitude + 1
      top = max(top, exponent >= 0 ? (exponent + 1) / 2 : exponent / 2)
    }
    return top
  }

  /// Whether the sum is zero, decided by square classes.
  ///
  /// A term `±√(u/v)` (lowest terms) is `±√(uv)/v`. Two terms are in one class iff the
  /// product of their integers `uv` is a perfect square; then `√n = (⌊√(n·n₀)⌋/n₀)·√n₀` for
  /// the class's first integer `n₀`. Every stored root is irrational, so none is in the class
  /// of the rational part, and the sum is zero iff the rational part and every class's
  /// coefficient sum (in units of `√n₀/n₀`) are zero. Classes are first bucketed by
  /// ``squareClassKey(_:)``, which is equal for integers of one class.
  private var isZeroByClasses: Bool {
    guard rationalPart.isZero else { return false }
    var buckets: [UInt64: [(representative: BigInteger, coefficientSum: Rational)]] = [:]
    for root in roots {
      let n = root.numerator * root.denominator
      let key = Self.squareClassKey(n)
      var classes = buckets[key, default: []]
      var found = false
      for index in classes.indices {
        let product = n * classes[index].representative
        let productRoot = product.squareRootFloor()
        guard productRoot * productRoot == product else { continue }
        let share = Rational(numerator: productRoot, denominator: root.denominator)
        classes[index].coefficientSum += root.isNegative ? -share : share
        found = true
        break
      }
      if !found {
        let share = Rational(numerator: n, denominator: root.denominator)
        classes.append((n, root.isNegative ? -share : share))
      }
      buckets[key] = classes
    }
    return buckets.values.allSatisfy { classes in classes.allSatisfy { $0.coefficientSum.isZero } }
  }

  /// The primes whose square-class data ``squareClassKey(_:)`` records.
  private static let keyPrimes = [3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47]

  /// A hash of the square class of a positive integer `n`, equal for `n` and `n'` whenever
  /// `n·n'` is a perfect square: for `ℓ = 2`, the parity of `v₂(n)` and the odd part mod 8;
  /// for each odd prime `ℓ` of ``keyPrimes``, the parity of `v_ℓ(n)` and whether `n/ℓ^v_ℓ(n)`
  /// is a square mod `ℓ` (Proofs/group-norms.md).
  private static func squareClassKey(_ n: BigInteger) -> UInt64 {
    let twos = n.trailingZeroBitCount
    let oddResidue = n.shifted(by: -twos).flooredQuotientAndRemainder(dividingBy: 8).remainder.intValue!
    var key = UInt64(twos & 1) | UInt64(oddResidue >> 1) << 1
    var shift = 3
    for prime in keyPrimes {
      let modulus = BigInteger(prime)
      var (rest, residue) = n.flooredQuotientAndRemainder(dividingBy: modulus)
      var valuation = 0
      while residue.isZero {
        valuation += 1
        let cofactor = rest
        (rest, residue) = cofactor.flooredQuotientAndRemainder(dividingBy: modulus)
      }
      let isSquareResidue = Self.isQuadraticResidue(residue.intValue!, modulo: prime)
      key |= UInt64(valuation & 1) << shift | UInt64(isSquareResidue ? 1 : 0) << (shift + 1)
      shift += 2
    }
    return key
  }

  /// Euler's criterion: whether `a` (not divisible by the odd prime `p`) is a square mod `p`.
  private static func isQuadraticResidue(_ a: Int, modulo p: Int) -> Bool {
    var (result, base, exponent) = (1, a % p, (p - 1) / 2)
    while exponent > 0 {
      if exponent & 1 == 1 { result = result * base % p }
      base = base * base % p
      exponent >>= 1
    }
    return result == 1
  }
}

extension Int {
  /// The number of bits of a non-negative value (0 for 0); `2^bitWidthOfValue > self`.
  fileprivate var bitWidthOfValue: Int { Int.bitWidth - leadingZeroBitCount }
}
