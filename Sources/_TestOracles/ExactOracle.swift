import EMPCore
import Exact

/// The EMP quantities of a score vector, computed exactly and naively (rational sums, a full
/// sort by `EMPDefinition.precedes`): the oracle the fast path is checked against.
public struct ExactOracle: Sendable {
  /// `Σ|s_i|`.
  public var absoluteSum = Rational.zero
  /// `Σs_i²`.
  public var sumOfSquares = Rational.zero
  /// `N_eff`.
  public var effectiveSampleSize: Rational
  /// `ν`.
  public var retentionCount: Int
  /// The kept indices `π`, ascending.
  public var kept: [Int]
  /// `s_eff`.
  public var preservedMass: Rational

  /// - Precondition: `magnitudes` are the exact `|s_i|`, finite, not all zero.
  public init(magnitudes: [Double], beta: Rational = 1) {
    self.init(exactMagnitudes: magnitudes.map(Rational.init(finite:)), beta: beta)
  }

  /// - Precondition: `magnitudes` are the exact `|s_i|` (not all zero).
  public init(exactMagnitudes magnitudes: [Rational], beta: Rational = 1) {
    var s1 = Rational.zero
    var s2 = Rational.zero
    for value in magnitudes {
      s1 += value
      s2 += value * value
    }
    absoluteSum = s1
    sumOfSquares = s2
    effectiveSampleSize = EMPDefinition.effectiveSampleSize(absoluteSum: s1, sumOfSquares: s2)
    retentionCount = EMPDefinition.retentionCount(
      effectiveSampleSize: effectiveSampleSize, beta: beta, count: magnitudes.count)
    let order = magnitudes.indices.sorted { EMPDefinition.precedes($0, magnitudes[$0], $1, magnitudes[$1]) }
    kept = order.prefix(retentionCount).sorted()
    var keptSum = Rational.zero
    for i in kept { keptSum += magnitudes[i] }
    preservedMass = keptSum / s1
  }
}
