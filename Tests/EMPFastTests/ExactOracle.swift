import EMPCore
import Exact

/// The EMP quantities of a score vector, computed exactly and naively (rational sums, a full
/// sort by `EMPDefinition.precedes`): the oracle the fast path is checked against.
struct ExactOracle {
  var absoluteSum = Rational.zero
  var sumOfSquares = Rational.zero
  var effectiveSampleSize: Rational
  var retentionCount: Int
  /// The kept indices `π`, ascending.
  var kept: [Int]
  var preservedMass: Rational

  /// - Precondition: `magnitudes` are the exact `|s_i|`, finite, not all zero.
  init(magnitudes: [Double], beta: Rational = 1) {
    var s1 = Rational.zero
    var s2 = Rational.zero
    for m in magnitudes {
      let value = try! Rational(exactly: m)
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
    for i in kept { keptSum += try! Rational(exactly: magnitudes[i]) }
    preservedMass = keptSum / s1
  }
}
