import EMPCore
import Exact
import PropertyBased
import Testing
import _TestSupport

@testable import EMPReference

/// Checks of the band infimum I(k, a, b, N) (Proofs/band-infimum.md): the value at
/// β = 3/2, whole shells against T, an independent brute force over the edges of Δ↓,
/// sampled points of the band, and the case where the edge `[u_p, u_{p+1}]` wins.
@Suite struct BandInfimumTests {
  /// β = 3/2, k = m = 1: the band is [1, 4/3) and the infimum (2 + √2)/4, approached.
  @Test func betaThreeHalvesKeepingOne() {
    let expected = Surd(Rational(1, 2), plus: Rational(1, 4), timesSquareRootOf: 2)
    for n in 2...50 {
      let infimum = BandInfimum(keeping: 1, shell: 1, beta: Rational(3, 2), count: n)
      #expect(infimum.band == Rational(1)..<Rational(4, 3), "N = \(n): band \(String(describing: infimum.band))")
      #expect(infimum.value == expected, "N = \(n): \(String(describing: infimum.value))")
      #expect(!infimum.isAttained && !infimum.isEmpty)
      #expect(infimum.point?.retainedMass(keeping: 1) == expected)
    }
    #expect(expected.decimalString(significantDigits: 17) == "0.85355339059327376")
  }

  /// A whole shell [m, m + 1) is T(k, m, N): the same value, attained flag and point.
  @Test func wholeShellIsTheTightInfimum() {
    for n in 1...25 {
      for m in 1...n {
        for k in 1...n {
          let band = BandInfimum(keeping: k, band: Rational(m)..<Rational(m + 1), count: n)
          let tight = TightInfimum(keeping: k, shell: m, count: n)
          #expect(band.value == tight.value, "N = \(n), m = \(m), k = \(k): \(String(describing: band.value)) vs \(tight.value)")
          #expect(band.isAttained == tight.isAttained, "N = \(n), m = \(m), k = \(k)")
          #expect(band.point == tight.point && band.point?.description == tight.point.description)
        }
      }
    }
  }

  /// The closed form equals the least kept mass over every vertex and edge point of Δ↓ in
  /// the closed band, and agrees on attainment, for N ≤ 7, every k and many bands
  /// (shells, integer and nearly integer ends, thin, empty, fixed-β and random rational
  /// bands); and a rational point of each band keeps the value (attained) or at most
  /// `2⁻⁴⁰` more (approached).
  @Test func closedFormMatchesEveryEdge() {
    let seed = PropertyCheckSettings.seed(at: #_sourceLocation)
    print("BandInfimumTests.closedFormMatchesEveryEdge: seed 0x\(String(seed, radix: 16))")
    var rng = PropertyCheckSettings.generator(seed: seed)
    let tolerance = Rational(1).timesPowerOfTwo(-40)
    var (pairs, empty, attained) = (0, 0, 0)
    for n in 1...7 {
      for band in BandCases.bands(count: n, random: 30, using: &rng) {
        for k in 1...n {
          pairs += 1
          let infimum = BandInfimum(keeping: k, band: band, count: n)
          let edges = Oracle.bandInfimumByAllEdges(keeping: k, band: band, count: n)
          let label = "N = \(n), k = \(k), band [\(band.lowerBound), \(band.upperBound))"
          guard let (value, isAttained) = edges else {
            #expect(infimum.isEmpty && infimum.witness(within: tolerance) == nil, "\(label): the edges miss the band")
            empty += 1
            continue
          }
          #expect(infimum.value == value, "\(label): \(String(describing: infimum.value)), edges \(value)")
          #expect(infimum.isAttained == isAttained, "\(label): attained \(infimum.isAttained), edges \(isAttained)")
          #expect(infimum.point?.retainedMass(keeping: k) == value, "\(label): point \(String(describing: infimum.point))")
          if isAttained { attained += 1 }
          guard let witness = infimum.witness(within: tolerance) else {
            Issue.record("\(label): no witness")
            continue
          }
          let kept = Surd(Oracle.retainedMass(witness, keeping: k))
          #expect(Oracle.isInBand(witness, band), "\(label): witness \(witness) is not in the band")
          #expect(kept >= value && kept <= value + tolerance, "\(label): the witness keeps \(kept)")
          #expect(!isAttained || kept == value, "\(label): attained, but the witness keeps \(kept)")
        }
      }
    }
    print("BandInfimumTests: \(pairs) (k, band) pairs against every edge; \(empty) empty, \(attained) attained")
    #expect(empty > 0 && attained > 0 && pairs - empty - attained > 1000)
  }

  /// No sampled rational point of a band keeps less than I: points next to the extremal
  /// points, next to both ends of the band on segments through random face points, and
  /// random face points, for N ≤ 8.
  @Test func noSampledPointKeepsLess() async {
    var inBand = 0
    let total = PropertyCheckSettings.scaled(3000)
    await seededPropertyCheck(count: 3000, input: BandCases.samples(maxN: 8)) { sample in
      guard Oracle.isInBand(sample.point, sample.band) else { return }
      inBand += 1
      let n = sample.point.count
      for k in 1...n {
        let value = try #require(BandInfimum(keeping: k, band: sample.band, count: n).value)
        let kept = Surd(Oracle.retainedMass(sample.point, keeping: k))
        #expect(kept >= value, "k = \(k): keeps \(kept) < I = \(value)")
      }
    }
    print("BandInfimumTests.noSampledPointKeepsLess: \(inBand) of \(total) samples in their band")
    #expect(inBand * 2 > total)
  }

  /// N = 5, k = 2, b = 9/2: the point of `[u_4, u_5]` keeps 7/15, less than 1/2 on `[u_1, u_5]`.
  @Test func edgeBetweenNeighboursWins() {
    for a in [Rational(1), Rational(4), Rational(17, 4)] {
      let infimum = BandInfimum(keeping: 2, band: a..<Rational(9, 2), count: 5)
      #expect(infimum.value == Surd(Rational(7, 15)) && !infimum.isAttained)
      #expect(infimum.point == ExtremalPoint(start: 4, support: 5, weight: Surd(Rational(2, 3))))
      #expect(infimum.point?.description == "λ·u_4 + (1−λ)·u_5, λ = 2/3 ≈ 0.66666666666666667")
    }
    let seven = [Rational(7, 30), Rational(7, 30), Rational(7, 30), Rational(7, 30), Rational(1, 15)]
    #expect(ExtremalPoint.coordinates(start: 4, support: 5, weight: Rational(2, 3), count: 5) == seven)
    #expect(ExtremalPoint.sumOfSquares(start: 4, support: 5, weight: Rational(2, 3)) == Rational(2, 9))
    // The other candidate, μ·u_1 + (1 − μ)·u_5 with μ = 1/6, keeps 1/2.
    let far = ExtremalPoint(support: 5, weight: Surd(Rational(1, 6)))
    #expect(far.retainedMass(keeping: 2) == Surd(Rational(1, 2)))
    #expect(ExtremalPoint.sumOfSquares(support: 5, weight: Rational(1, 6)) == Rational(2, 9))
  }

  /// The band of a fixed β holds exactly the N_eff of shell m at which EMP keeps k scores,
  /// with the clamps of ⌊β·N_eff⌋ to [1, N] at k = 1 and k = N; it is empty (nil, or above
  /// N) otherwise.
  @Test func betaBandIsWhereEMPKeepsK() {
    let betas = [Rational(3, 2), Rational(2, 3), Rational(1), Rational(5, 4), Rational(1, 10), Rational(7), Rational(9, 10)]
    for n in 1...6 {
      for beta in betas {
        for m in 1...n {
          var covered = 0
          for k in 1...n {
            let band = BandInfimum.band(keeping: k, shell: m, beta: beta, count: n)
            // N_eff on a grid of [m, m + 1), the ends of the band, and just beside them.
            var xs = (0..<24).map { Rational(m) + Rational($0, 24) }
            if let band {
              let nudge = Rational(1, 1_000_000)
              xs += [band.lowerBound, band.upperBound, band.lowerBound - nudge, band.upperBound - nudge]
            }
            for x in xs where x >= Rational(m) && x < Rational(m + 1) {
              let keeps = EMPDefinition.retentionCount(effectiveSampleSize: x, beta: beta, count: n) == k
              #expect(keeps == (band?.contains(x) ?? false), "N = \(n), β = \(beta), m = \(m), k = \(k), N_eff = \(x)")
            }
            let infimum = BandInfimum(keeping: k, shell: m, beta: beta, count: n)
            #expect(infimum.band == band)
            if band == nil { #expect(infimum.isEmpty && infimum.point == nil && !infimum.isAttained) }
            if !infimum.isEmpty { covered += 1 }
          }
          #expect(covered >= 1, "N = \(n), β = \(beta), m = \(m): no k has a point")
        }
      }
    }
    // A band above N: [10/3, 4) at N = 3, k = 3, β = 9/10 is an interval, but no vector has N_eff > 3.
    let above = BandInfimum(keeping: 3, shell: 3, beta: Rational(9, 10), count: 3)
    #expect(above.band == Rational(10, 3)..<Rational(4) && above.isEmpty && above.value == nil)
    // β = 1 is the whole shell with k = m.
    #expect(BandInfimum.band(keeping: 4, shell: 4, beta: 1, count: 10) == Rational(4)..<Rational(5))
    #expect(BandInfimum.band(keeping: 3, shell: 4, beta: 1, count: 10) == nil)
  }

  /// k = N keeps everything; the reported point is in the band (N_eff = a), irrational for
  /// a non-integer a, and the witness is a rational point of the band.
  @Test func keepingEverythingIsAttainedInTheBand() throws {
    let band = Rational(5, 2)..<Rational(8, 3)
    let infimum = BandInfimum(keeping: 4, band: band, count: 4)
    #expect(infimum.value == Surd(1) && infimum.isAttained)
    let point = try #require(infimum.point)
    #expect(point.start == 2 && point.support == 3 && point.weight.exactValue == nil)
    let witness = try #require(infimum.witness(within: Rational(1, 1000)))
    #expect(Oracle.isInBand(witness, band) && witness.reduce(Rational.zero, +) == 1)
  }
}

/// The bands and sample points the tests use.
enum BandCases {
  /// Shells, bands with integer and nearly integer ends, thin bands, bands above N, the
  /// bands of a few β and `random` random rational bands, all with `1 ≤ a < b ≤ N + 1`.
  static func bands(count n: Int, random: Int, using rng: inout Xoshiro) -> [Range<Rational>] {
    let tiny = Rational(1, 1_000_000)
    var pairs: [(Rational, Rational)] = (1...n).map { (Rational($0), Rational($0 + 1)) }
    for p in 1...n {
      let (low, high) = (Rational(p), Rational(p + 1))
      pairs += [(1, low + tiny), (1, high - tiny), (high - 2 * tiny, high - tiny), (low, low + Rational(1, 2))]
    }
    let top = Rational(n)
    pairs += [(top + Rational(1, 3), top + Rational(2, 3)), (top, top + Rational(1, 7)), (top - Rational(1, 9), top + 1)]
    for beta in [Rational(3, 2), Rational(2, 3), Rational(5, 4), Rational(2), Rational(1, 2), Rational(7, 3)] {
      for m in 1...n {
        for k in 1...n {
          if let band = BandInfimum.band(keeping: k, shell: m, beta: beta, count: n) {
            pairs.append((band.lowerBound, band.upperBound))
          }
        }
      }
    }
    for _ in 0..<random {
      let d = [1, 2, 3, 7, 12, 30, 1000].randomElement(using: &rng) ?? 1
      let x = Rational(Int.random(in: d...(d * (n + 1)), using: &rng), d)
      let y = Rational(Int.random(in: d...(d * (n + 1)), using: &rng), d)
      pairs.append((min(x, y), max(x, y)))
    }
    var seen = Set<Range<Rational>>()
    return pairs.filter { $0.0 >= 1 && $0.0 < $0.1 && $0.1 <= Rational(n + 1) }.map { $0.0..<$0.1 }
      .filter { seen.insert($0).inserted }
  }

  /// A band and a rational point of Δ↓ aimed at it.
  struct Sample: CustomStringConvertible {
    var band: Range<Rational>
    var point: [Rational]
    var description: String { "band [\(band.lowerBound), \(band.upperBound)), ω = \(point)" }
  }

  /// Bands of N ≤ maxN (random rational, fixed-β, near-integer ends) with points near an
  /// extremal point (a witness nudged towards a random vertex), near either end of the band
  /// on a segment through a random face point, or on a random face.
  static func samples(maxN: Int) -> Generator<Sample, Shrink.None<Sample>> {
    Generator { rng in
      let n = Int.random(in: 2...maxN, using: &rng)
      let band = randomBand(count: n, using: &rng)
      let face = randomFacePoint(count: n, using: &rng)
      switch Int.random(in: 0..<10, using: &rng) {
      case 0..<4:
        let k = Int.random(in: 1...n, using: &rng)
        let tolerance = Rational(1).timesPowerOfTwo(-Int.random(in: 4...40, using: &rng))
        guard let near = BandInfimum(keeping: k, band: band, count: n).witness(within: tolerance) else {
          return Sample(band: band, point: face)
        }
        let vertex = SimplexPoint.vertex(Int.random(in: 1...n, using: &rng), dimension: n)
        let step = Rational(1).timesPowerOfTwo(-Int.random(in: 6...44, using: &rng))
        let point = zip(near, vertex).map { (1 - step) * $0 + step * $1 }
        return Sample(band: band, point: Bool.random(using: &rng) ? point : near)
      case 4..<8:
        let end = Bool.random(using: &rng) ? band.upperBound : band.lowerBound
        guard end > 1 && end <= Rational(n) else { return Sample(band: band, point: face) }
        let side: SimplexPoint.Side = end == band.upperBound ? .below : .above
        let tolerance = Rational(1).timesPowerOfTwo(-Int.random(in: 8...50, using: &rng))
        let point = SimplexPoint.near(effectiveSampleSize: end, side: side, on: face, tolerance: tolerance)
        return Sample(band: band, point: point)
      default:
        return Sample(band: band, point: face)
      }
    }
  }

  private static func randomBand(count n: Int, using rng: inout any SeededRandomNumberGenerator) -> Range<Rational> {
    let m = Int.random(in: 1...n, using: &rng)
    switch Int.random(in: 0..<3, using: &rng) {
    case 0:
      let betas = [Rational(3, 2), Rational(2, 3), Rational(5, 4), Rational(7, 3), Rational(4, 5)]
      let beta = betas[Int.random(in: 0..<betas.count, using: &rng)]
      let k = Int.random(in: 1...n, using: &rng)
      if let band = BandInfimum.band(keeping: k, shell: m, beta: beta, count: n) { return band }
      return Rational(m)..<Rational(m + 1)
    case 1:
      let gap = Rational(1, Int.random(in: 2...1000, using: &rng))
      return Rational(m) + gap..<Rational(m + 1) - gap / 2
    default:
      let d = Int.random(in: 1...60, using: &rng)
      let x = Rational(Int.random(in: d...(d * (n + 1)), using: &rng), d)
      let y = Rational(Int.random(in: d...(d * (n + 1)), using: &rng), d)
      return x == y ? Rational(m)..<Rational(m + 1) : min(x, y)..<max(x, y)
    }
  }

  /// A point of a random face of Δ↓ of dimension at most 2 (or of Δ↓ itself), with
  /// barycentric weights of at most 1000.
  private static func randomFacePoint(count n: Int, using rng: inout any SeededRandomNumberGenerator) -> [Rational] {
    let sizes = [1, 2, 2, 3, 3, n]
    var free = Array(0..<n)
    var weights = [Rational](repeating: 0, count: n)
    for _ in 0..<min(n, sizes[Int.random(in: 0..<sizes.count, using: &rng)]) {
      let m = free.remove(at: Int.random(in: 0..<free.count, using: &rng))
      weights[m] = Rational(Int.random(in: 1...1000, using: &rng))
    }
    return SimplexPoint.ordered(barycentric: weights)
  }
}
