import EMPCore
import Exact

/// The exact EMP analysis of scores that are square roots, `s_g = √Q_g`: the `l2` norms of
/// groups of weights, each given by its exact sum of squares `Q_g`.
///
/// The definitions are those of Proofs/definitions.md for the scores `√Q_g`:
/// `N_eff = (Σ√Q_g)² / ΣQ_g`, `ν = ⌊β·N_eff⌋` clamped to `[1, N]`, `π` the `ν` largest
/// scores (ties: lowest index first), `s_eff = Σ_{g∈π}√Q_g / Σ√Q_g`. The `Q_g` may share any
/// common positive scale, which cancels from all of these.
///
/// `N_eff` is rational exactly when all nonzero `Q_g` lie in one square class (each `Q_g·Q_h`
/// a perfect square); otherwise it is irrational and `β·N_eff` is never an integer.
/// Either way `ν`, the shell and `π` are exact, and comparisons of `s_eff` with numbers
/// `a + b·√c` are decided exactly; the irrational values come as certified enclosures
/// (Proofs/group-norms.md).
public struct SquareRootScoresAnalysis: Sendable {
  /// `N`: the number of scores.
  public let count: Int
  /// `β > 0`.
  public let beta: Rational
  /// `ν = ⌊β·N_eff⌋` clamped to `[1, N]`, decided exactly: how many scores are kept.
  public let retentionCount: Int
  /// `m = ⌊N_eff⌋ ∈ [1, N]`, decided exactly: the shell that holds the weights.
  public let shell: Int
  /// `π`: the indices (0-based, ascending) of the kept scores, the `ν` largest `Q_g` with
  /// ties to the lowest index (the order of the `Q_g` is the order of the `√Q_g`).
  public let keptIndices: [Int]
  /// `N_eff` when it is rational, else `nil`; non-nil exactly when all nonzero `Q_g` lie in
  /// one square class.
  public let exactEffectiveSampleSize: Rational?
  /// `s_eff` when it is rational, else `nil`; always non-nil when `N_eff` is rational.
  public let exactPreservedMass: Rational?

  /// `ΣQ_g`.
  private let sumOfSquares: BigInteger
  /// `Σ√Q_g` and `Σ_{g∈π}√Q_g`; `nil` when `N_eff` is rational (everything is exact then).
  private let rootSums: (all: SquareRootSum, kept: SquareRootSum)?

  /// Analyses the scores `√squares[g]`.
  ///
  /// - Parameters:
  ///   - squares: the `Q_g ≥ 0`, not all zero.
  ///   - beta: the retention factor `β > 0`.
  /// - Throws: `EMPInputError` for no squares, all squares zero or `β ≤ 0`.
  /// - Precondition: every square is `≥ 0`.
  /// - Complexity: O(N log N) integer comparisons, O(N) integer products and square roots to
  ///   test the square classes, and, when `N_eff` is irrational, a few exact signs of sums of
  ///   `N + 1` square roots.
  public init(squares: [BigInteger], beta: Rational = 1) throws(EMPInputError) {
    guard beta.signum > 0 else { throw .nonPositiveBeta(beta.description) }
    guard !squares.isEmpty else { throw .empty }
    precondition(squares.allSatisfy { $0.signum >= 0 }, "SquareRootScoresAnalysis: negative square")
    guard let first = squares.firstIndex(where: { !$0.isZero }) else { throw .allZero }
    let count = squares.count
    let order = squares.indices.sorted { EMPDefinition.precedes($0, squares[$0], $1, squares[$1]) }
    let sumOfSquares = squares.reduce(BigInteger.zero, +)
    self.count = count
    self.beta = beta
    self.sumOfSquares = sumOfSquares

    if let roots = Self.commonClassRoots(squares, reference: squares[first]) {
      // √Q_g = roots[g] · √Q_first / Q_first: EMP of the integers roots[g].
      let absoluteSum = Rational(roots.reduce(BigInteger.zero, +))
      let neff = EMPDefinition.effectiveSampleSize(
        absoluteSum: absoluteSum, sumOfSquares: Rational(roots.reduce(BigInteger.zero) { $0 + $1 * $1 }))
      retentionCount = EMPDefinition.retentionCount(effectiveSampleSize: neff, beta: beta, count: count)
      shell = EMPDefinition.retentionCount(effectiveSampleSize: neff, beta: 1, count: count)
      keptIndices = order.prefix(retentionCount).sorted()
      exactEffectiveSampleSize = neff
      exactPreservedMass = Rational(keptIndices.reduce(BigInteger.zero) { $0 + roots[$1] }) / absoluteSum
      rootSums = nil
      return
    }

    var all = SquareRootSum()
    for square in squares { all.add(1, timesSquareRootOf: square) }
    let nu = Self.clampedFloor(ofEffectiveSizeTimes: beta, rootSum: all, sumOfSquares: sumOfSquares, count: count)
    retentionCount = nu
    shell = Self.clampedFloor(ofEffectiveSizeTimes: 1, rootSum: all, sumOfSquares: sumOfSquares, count: count)
    keptIndices = order.prefix(nu).sorted()
    var kept = SquareRootSum()
    for index in keptIndices { kept.add(1, timesSquareRootOf: squares[index]) }
    exactEffectiveSampleSize = nil
    exactPreservedMass = Self.rationalRatio(
      kept: keptIndices, of: squares, top: order[0], keptSum: kept, allSum: all)
    rootSums = (all, kept)
  }

  /// An enclosure of `N_eff` with `upperBound − lowerBound ≤ 2^−bits` (as `N_eff ≥ 1`, the
  /// relative width is at most that too); exact when `N_eff` is rational.
  ///
  /// - Precondition: `bits ≥ 0`.
  public func effectiveSampleSize(bits: Int) -> Enclosure<Rational> {
    precondition(bits >= 0, "SquareRootScoresAnalysis: negative precision")
    if let exact = exactEffectiveSampleSize { return Enclosure(exactly: exact) }
    guard let rootSums else { preconditionFailure("SquareRootScoresAnalysis: no root sums for an irrational N_eff") }
    return Self.effectiveSizeEnclosure(rootSum: rootSums.all, sumOfSquares: sumOfSquares, count: count, bits: bits)
  }

  /// An enclosure of `s_eff` with `upperBound − lowerBound ≤ 2^−bits`; exact when `s_eff` is
  /// rational.
  ///
  /// `K = Σ_{g∈π}√Q_g` and `S = Σ√Q_g` are enclosed to `w = 2^−(bits+2)`; then
  /// `K/S ∈ [K_lo/S_hi, K_hi/S_lo]`, whose width is at most `w(2S + w)/((S − w)S) ≤ 4w` since
  /// `S ≥ 1` (Proofs/group-norms.md).
  ///
  /// - Precondition: `bits ≥ 0`.
  public func preservedMass(bits: Int) -> Enclosure<Rational> {
    precondition(bits >= 0, "SquareRootScoresAnalysis: negative precision")
    if let exact = exactPreservedMass { return Enclosure(exactly: exact) }
    guard let rootSums else { preconditionFailure("SquareRootScoresAnalysis: no root sums for an irrational s_eff") }
    let kept = rootSums.kept.enclosure(bits: bits + 2)
    let all = rootSums.all.enclosure(bits: bits + 2)
    return Enclosure(
      estimate: kept.estimate / all.estimate, lowerBound: kept.lowerBound / all.upperBound,
      upperBound: kept.upperBound / all.lowerBound)
  }

  /// The sign of `s_eff − bound` (-1, 0 or 1), decided exactly.
  ///
  /// With `K = Σ_{g∈π}√Q_g`, `S = Σ√Q_g > 0` and `bound = a + b·√c`, it is the sign of
  /// `K − a·S − b·Σ√(c·Q_g)`, a ``SquareRootSum``.
  public func comparePreservedMass(to bound: Surd) -> Int {
    if let exact = exactPreservedMass { return Surd.compare(Surd(exact), bound) }
    guard let rootSums else { preconditionFailure("SquareRootScoresAnalysis: no root sums for an irrational s_eff") }
    return (rootSums.kept - bound * rootSums.all).signum
  }
}

extension SquareRootScoresAnalysis {
  /// `√(Q_g·reference)` for every `g` when every `Q_g·reference` is a perfect square (all
  /// nonzero `Q_g` in the class of `reference`), else `nil`.
  private static func commonClassRoots(_ squares: [BigInteger], reference: BigInteger) -> [BigInteger]? {
    var roots: [BigInteger] = []
    roots.reserveCapacity(squares.count)
    for square in squares {
      let product = square * reference
      let root = product.squareRootFloor()
      guard root * root == product else { return nil }
      roots.append(root)
    }
    return roots
  }

  /// `⌊factor·N_eff⌋` clamped to `[1, count]`, decided exactly, with `N_eff = S²/T`.
  ///
  /// Enclosures `[lo, hi]` of `factor·N_eff` are tightened until both ends clamp to one count,
  /// or `⌊hi⌋ = ⌊lo⌋ + 1 =: k`; then the floor is `k` iff `factor·N_eff ≥ k`, iff
  /// `S − √(k·T/factor) ≥ 0`, one exact sign.
  private static func clampedFloor(
    ofEffectiveSizeTimes factor: Rational, rootSum: SquareRootSum, sumOfSquares: BigInteger, count: Int
  ) -> Int {
    func clamped(_ floor: BigInteger) -> Int {
      if floor < BigInteger(1) { return 1 }
      if floor > BigInteger(count) { return count }
      guard let value = floor.intValue else { preconditionFailure("SquareRootScoresAnalysis: a count is an Int") }
      return value
    }
    var bits = 8 + factor.ceiling.bitWidthOfMagnitude
    while true {
      let enclosure = effectiveSizeEnclosure(rootSum: rootSum, sumOfSquares: sumOfSquares, count: count, bits: bits)
      let low = (factor * enclosure.lowerBound).floor
      let high = (factor * enclosure.upperBound).floor
      if clamped(low) == clamped(high) { return clamped(low) }
      if high - low == BigInteger(1) {
        var difference = rootSum
        difference.add(-1, timesSquareRootOf: Rational(high * sumOfSquares) / factor)
        return clamped(difference.signum >= 0 ? high : low)
      }
      bits *= 2
    }
  }

  /// An enclosure of `N_eff = S²/T` of width at most `2^−bits`, from one of `S` of width
  /// `w = 2^−(bits+g)`: the width is at most `w(2S + w)/T ≤ w(2√N + 1)` as `S ≤ √(N·T)`
  /// (Cauchy–Schwarz) and `T ≥ 1`, and `2^g ≥ 4√N`.
  private static func effectiveSizeEnclosure(
    rootSum: SquareRootSum, sumOfSquares: BigInteger, count: Int, bits: Int
  ) -> Enclosure<Rational> {
    let guardBits = ((Int.bitWidth - count.leadingZeroBitCount) + 1) / 2 + 2
    let sum = rootSum.enclosure(bits: bits + guardBits)
    let total = Rational(sumOfSquares)
    return Enclosure(
      estimate: sum.estimate * sum.estimate / total, lowerBound: sum.lowerBound * sum.lowerBound / total,
      upperBound: sum.upperBound * sum.upperBound / total)
  }

  /// `s_eff` when it is rational, else `nil`. If `K/S = ρ` is rational, then by the linear
  /// independence of the square classes `ρ = D/C`, with `C` and `D` the coefficients of the
  /// class of the largest score `√Q_top` in `S` and `K` (`C > 0`); so `ρ` is that candidate
  /// when `K − ρ·S = 0`, and `s_eff` is irrational otherwise.
  private static func rationalRatio(
    kept: [Int], of squares: [BigInteger], top: Int, keptSum: SquareRootSum, allSum: SquareRootSum
  ) -> Rational? {
    let reference = squares[top]
    let keptSet = Set(kept)
    var classTotal = BigInteger.zero
    var classKept = BigInteger.zero
    for (index, square) in squares.enumerated() where !square.isZero {
      let product = square * reference
      let root = product.squareRootFloor()
      guard root * root == product else { continue }
      classTotal += root
      if keptSet.contains(index) { classKept += root }
    }
    let candidate = Rational(numerator: classKept, denominator: classTotal)
    return (keptSum - candidate * allSum).signum == 0 ? candidate : nil
  }
}
