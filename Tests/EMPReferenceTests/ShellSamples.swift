import Exact

@testable import EMPReference

/// Rational points of the ordered simplex Δ↓ ⊂ R^N, chosen to stress the tight infimum:
/// random points (uniform and heavy-tailed), grids on every edge and 2-face, and points
/// next to every shell's extremal point.
enum ShellSamples {
  static func points(count n: Int, using rng: inout some RandomNumberGenerator) -> [[Rational]] {
    let vertices = (1...n).map { ExtremalPoint.coordinates(support: $0, weight: 0, count: n) }
    func mix(_ weights: [(Rational, [Rational])]) -> [Rational] {
      var point = [Rational](repeating: 0, count: n)
      for (w, v) in weights { for i in 0..<n { point[i] += w * v[i] } }
      return point
    }
    var result: [[Rational]] = []
    for _ in 0..<600 {
      let heavy = Bool.random(using: &rng)
      var raw = (0..<n).map { _ -> Rational in
        heavy ? Rational(1).timesPowerOfTwo(Int.random(in: 0...20, using: &rng)) : Rational(Int.random(in: 0...1000, using: &rng))
      }
      if raw.allSatisfy(\.isZero) { raw[0] = 1 }
      raw.sort(by: >)
      let total = raw.reduce(Rational.zero, +)
      result.append(raw.map { $0 / total })
    }
    for j in 0..<n {
      for l in (j + 1)..<n {
        for t in 0...64 {
          let lambda = Rational(t, 64)
          result.append(mix([(lambda, vertices[j]), (1 - lambda, vertices[l])]))
        }
        for m in (l + 1)..<n {
          for a in 0...10 {
            for b in 0...(10 - a) {
              result.append(mix([(Rational(a, 10), vertices[j]), (Rational(b, 10), vertices[l]), (Rational(10 - a - b, 10), vertices[m])]))
            }
          }
        }
      }
    }
    // Next to each limit point: the witness, nudged towards random vertices.
    for nu in 1..<n {
      for k in 1...n {
        let near = TightInfimum(keeping: k, shell: nu, count: n).witness(within: Rational(1, 4096))
        for _ in 0..<8 {
          let v = vertices[Int.random(in: 0..<n, using: &rng)]
          let step = Rational(1, Int.random(in: 64...65536, using: &rng))
          result.append(mix([(1 - step, near), (step, v)]))
        }
      }
    }
    return result
  }
}
