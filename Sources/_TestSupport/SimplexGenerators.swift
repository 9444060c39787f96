import Exact
import Foundation
import PropertyBased
import _TestOracles

/// Generators of exact score vectors and exact points of Δ and Δ↓ for the paper's
/// properties. They are built from integer generators, so they shrink toward fewer
/// components, smaller integers, and lower-dimensional faces of Δ↓ (zero barycentric
/// weights). Each returns scores: a point of Δ↓ is its own score vector.
public enum SimplexGen {
  /// Grid points of Δ, uniform over `{ω : D·ω ∈ ℤ^N}` in the limit: spacings of sorted
  /// uniform cuts of `[0, D]` (in the order drawn, so not sorted).
  public static func uniform(maxN: Int, denominator: Int = 1 << 20) -> Generator<[Rational], some SendableSequenceType> {
    Gen.int(in: 0...denominator).array(of: 1...(maxN - 1)).map { cuts -> [Rational] in
      let edges = [0] + cuts.sorted() + [denominator]
      let spacings = zip(edges.dropFirst(), edges).map { Rational($0 - $1, denominator) }
      return spacings.allSatisfy(\.isZero) ? [1] + spacings.dropFirst() : spacings
    }
  }

  /// Points on faces of Δ↓: barycentric weights over `u_1 … u_N`, about half of them zero
  /// (so vertices, edges and small faces are common).
  public static func face(maxN: Int) -> Generator<[Rational], some SendableSequenceType> {
    Gen.int(in: -6...6).array(of: 2...maxN).map { raw -> [Rational] in
      let weights = raw.map { Rational(max(0, $0)) }
      return SimplexPoint.ordered(barycentric: weights.allSatisfy(\.isZero) ? [1] + weights.dropFirst() : weights)
    }
  }

  /// A vertex `u_k` of Δ↓ in dimension `N`.
  public static func vertex(maxN: Int) -> Generator<[Rational], some SendableSequenceType> {
    zip(Gen.int(in: 1...maxN), Gen.int(in: 1...maxN)).map { n, k in
      SimplexPoint.vertex(min(k, n), dimension: n)
    }
  }

  /// A point `(1 − p/q) u_j + (p/q) u_l` of the edge `[u_j, u_l]` of Δ↓.
  public static func edge(maxN: Int) -> Generator<[Rational], some SendableSequenceType> {
    zip(Gen.int(in: 2...maxN), Gen.int(in: 1...maxN), Gen.int(in: 1...maxN), Gen.int(in: 0...1 << 16))
      .map { n, j, l, p in
        SimplexPoint.interpolate(
          SimplexPoint.vertex(min(j, n), dimension: n), SimplexPoint.vertex(min(l, n), dimension: n),
          at: Rational(p, 1 << 16))
      }
  }

  /// Points of Δ↓ whose N_eff is within `2^-30 < 10^-9` of an integer `2 … N`, from
  /// either side, so that ν flips between neighbours.
  public static func nearInteger(maxN: Int) -> Generator<[Rational], some SendableSequenceType> {
    zip(face(maxN: maxN), Gen.int(in: 2...maxN), Gen.bool).map { point, target, below in
      SimplexPoint.near(
        effectiveSampleSize: Rational(min(target, point.count)), side: below ? .below : .above, on: point,
        tolerance: Rational(1).timesPowerOfTwo(-30))
    }
  }

  /// Points `(1 − t) ζ_[N] + t ζ_[1]` of the paper's extremal segment, t = p/2^16.
  public static func extremalSegment(maxN: Int) -> Generator<[Rational], some SendableSequenceType> {
    zip(Gen.int(in: 2...maxN), Gen.int(in: 0...1 << 16)).map { n, p in
      SimplexPoint.interpolate(
        SimplexPoint.vertex(n, dimension: n), SimplexPoint.vertex(1, dimension: n), at: Rational(p, 1 << 16))
    }
  }

  /// Heavy-tailed float scores as real weights look: a power law `i^-α` (α ∈ 0.1…4) or a
  /// log-normal `exp(σ z)` (σ ∈ 0.1…4), with random signs; each float taken exactly.
  public static func heavyTailed(maxN: Int) -> Generator<[Rational], some SendableSequenceType> {
    zip(Gen.bool, Gen.int(in: 1...40), Gen.int(in: 1...Int(UInt32.max)).array(of: 2...maxN)).map {
      powerLaw, shape, draws -> [Rational] in
      let parameter = Double(shape) / 10
      return draws.enumerated().map { index, draw in
        let u = (Double(draw & 0xFFFF) + 0.5) / 65536, v = (Double(draw >> 16) + 0.5) / 65536
        let magnitude =
          powerLaw
          ? pow(Double(index + 1) + u, -parameter)
          : exp(parameter * (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v))
        return Rational(finite: draw % 3 == 0 ? -magnitude : magnitude)
      }
    }
  }

  /// Small integer scores in `-2…2`: ties, zeros and sign flips everywhere.
  public static func tiesAndZeros(maxN: Int) -> Generator<[Rational], some SendableSequenceType> {
    Gen.int(in: -2...2).array(of: 1...maxN).map { raw in
      raw.allSatisfy { $0 == 0 } ? [1] + raw.dropFirst().map { Rational($0) } : raw.map { Rational($0) }
    }
  }

  /// Every kind above, equally often.
  public static func scores(maxN: Int) -> Generator<[Rational], some SendableSequenceType> {
    Gen.oneOf(
      uniform(maxN: maxN), face(maxN: maxN), vertex(maxN: maxN), edge(maxN: maxN), nearInteger(maxN: maxN),
      extremalSegment(maxN: maxN), heavyTailed(maxN: maxN), tiesAndZeros(maxN: maxN))
  }

  /// A copy of a score vector that EMP must not tell apart: permuted (a rotation by
  /// `shift` then a reversal when `reverse`), scaled by `p/q` with a sign, and with the
  /// signs of the entries whose index bit in `flips` is set flipped.
  public static func transform(_ scores: [Rational], shift: Int, reverse: Bool, scale: Rational, flips: Int)
    -> [Rational]
  {
    precondition(!scale.isZero, "SimplexGen: zero scale")
    let k = shift % scores.count
    let rotated = Array(scores[k...] + scores[..<k])
    let permuted = reverse ? rotated.reversed() : rotated
    return permuted.enumerated().map { index, s in (flips >> (index % 60)) & 1 == 1 ? -s * scale : s * scale }
  }

  /// Random parameters for `transform`: shift, reversal, a nonzero scale, sign flips.
  public static var transformParameters: Generator<(Int, Bool, Rational, Int), some SendableSequenceType> {
    zip(Gen.int(in: 0...1000), Gen.bool, Gen.int(in: -1000...1000), Gen.int(in: 1...1000), Gen.int(in: 0...Int.max))
      .map { shift, reverse, p, q, flips in (shift, reverse, Rational(p == 0 ? 1 : p, q), flips) }
  }

  /// Points of the shell `A_ν` of Δ↓ in dimension `n`: from a random face point, at a
  /// random depth in the shell (Proofs/2-shells.md).
  public static func shell(_ nu: Int, dimension n: Int) -> Generator<[Rational], some SendableSequenceType> {
    zip(Gen.int(in: 0...6).array(of: n), Gen.int(in: 0...1023)).map { raw, depth in
      let weights = raw.map { Rational(max(0, $0 - 3)) }
      let base = SimplexPoint.ordered(barycentric: weights.allSatisfy(\.isZero) ? [1] + weights.dropFirst() : weights)
      return SimplexPoint.inShell(nu, position: Rational(depth, 1024), on: base)
    }
  }

  /// Large random integer score vectors in `-1000…1000`, `N` up to `maxN` (for the 10⁴
  /// scale), drawn by a linear congruential generator from one seed so that a case is one
  /// pair of integers; the last score is 1, so no vector is all zero.
  public static func large(maxN: Int) -> Generator<[Rational], some SendableSequenceType> {
    zip(Gen.int(in: 2...maxN), Gen.int(in: 0...Int.max)).map { n, seed -> [Rational] in
      var state = UInt64(truncatingIfNeeded: seed)
      return (1..<n).map { _ in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Rational(Int((state >> 33) % 2001) - 1000)
      } + [1]
    }
  }
}
