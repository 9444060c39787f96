import ArgumentParser
import EMPCore
import EMPModel
import EMPReference
import Exact

extension EMP {
  /// `emp search`: a deterministic hunt for points of the ordered simplex where the kept
  /// mass comes closest to (or falls below) the paper's Theorem 4.2 bound.
  struct Search: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Hunt for the smallest margin s_eff − B(N, ν) over exact points of the ordered simplex.",
      discussion: """
        Points are exact: random faces of Δ↓ and points of its edges [u_j, u_l] bisected \
        (in exact rationals) toward the boundaries of the shell A_ν. The margin of a point \
        is φ_k(ω) − B(N, ν), with φ_k the mass of the k largest weights (k = ν unless --k \
        is given) and B the paper's bound; with --k the margin is taken against the tight \
        infimum T(k, m, N) instead. Signs are decided exactly. A negative margin against B \
        is a counterexample to Theorem 4.2. Same arguments, same output.
        """)

    @Option(help: "Dimension N of the simplex (at least 2).")
    var n: Int

    @Option(help: "Only points of the shell A_ν (default: every ν in 1…N−1).")
    var nu: Int?

    @Option(help: "Retained count k for the mass φ_k (default: ν, i.e. β = 1).")
    var k: Int?

    @Option(help: "Number of points to try.")
    var trials: Int = 2000

    @Option(help: "Seed of the pseudo-random hunt.")
    var seed: UInt64 = 1

    @Flag(help: "Print the result as JSON.")
    var json = false

    func validate() throws {
      guard n >= 2 && n <= 100_000 else { throw ValidationError("--n must be in 2…100000.") }
      if let nu, !(1..<n).contains(nu) { throw ValidationError("--nu must be in 1…N−1.") }
      if let k, !(1...n).contains(k) { throw ValidationError("--k must be in 1…N.") }
      guard trials >= 1 else { throw ValidationError("--trials must be at least 1.") }
    }

    func run() throws {
      var hunt = SearchHunt(n: n, nu: nu, k: k, seed: seed)
      for _ in 0..<trials { hunt.tryOnePoint() }
      guard let best = hunt.best else {
        throw ValidationError("no point of the requested shell was found; raise --trials")
      }
      print(json ? best.json(seed: seed, trials: trials) : best.text(seed: seed, trials: trials))
    }
  }
}

/// The state of one `emp search` hunt: a seeded generator and the best point so far.
struct SearchHunt {
  /// A point of Δ↓ with its exact quantities and its margin against the bound hunted.
  struct Finding {
    let point: [Rational]
    let effectiveSampleSize: Rational
    let nu: Int
    let k: Int
    let mass: Rational
    /// B(N, ν) when k = ν (the paper's theorem), else T(k, m, N) (EMPReference).
    let bound: Surd
    let boundName: String
    let tight: TightInfimum
    let label: String

    /// `mass − bound`, exact.
    var margin: Surd { mass - bound }

    func text(seed: UInt64, trials: Int) -> String {
      let verdict = margin.signum >= 0 ? "holds (margin ≥ 0, exact)" : "VIOLATED (margin < 0, exact)"
      return """
        N = \(point.count), m = ν = \(nu), k = \(k), trials = \(trials), seed = \(seed)
        best margin φ_k − \(boundName) ≈ \(margin.decimalString(significantDigits: 12)): \(verdict)
        found on \(label)
        N_eff = \(effectiveSampleSize) ≈ \(effectiveSampleSize.decimalString(significantDigits: 15))
        φ_k   = \(mass) ≈ \(mass.decimalString(significantDigits: 15))
        \(k == nu ? "B(N, ν) = \(bound) ≈ \(bound.decimalString(significantDigits: 15))\n" : "")T(k, m, N) = \(tight.value) ≈ \(tight.value.decimalString(significantDigits: 15)), approached at \(tight.point)
        ω     = (\(point.map(\.description).joined(separator: ", ")))
        """
    }

    func json(seed: UInt64, trials: Int) -> String {
      JSONReport.render([
        "n": .int(point.count), "nu": .int(nu), "k": .int(k), "trials": .int(trials), "seed": .unsigned(seed),
        "bound": .string(boundName), "margin": .decimal(margin), "bound_holds": .bool(margin.signum >= 0),
        "where": .string(label), "tight_infimum": .decimal(tight.value), "n_eff": .string(effectiveSampleSize.description),
        "mass": .string(mass.description), "omega": .array(point.map { .string($0.description) }),
      ])
    }
  }

  let n: Int
  let nu: Int?
  let k: Int?
  var generator: SplitMix64
  var best: Finding?

  init(n: Int, nu: Int?, k: Int?, seed: UInt64) {
    self.n = n
    self.nu = nu
    self.k = k
    generator = SplitMix64(seed: seed)
  }

  /// A draw in `0..<bound` (by remainder: the search only needs a fixed stream).
  mutating func next(_ bound: Int) -> Int { Int(generator.next() % UInt64(bound)) }

  func vertex(_ k: Int) -> [Rational] { (0..<n).map { $0 < k ? Rational(1, k) : .zero } }

  static func sumOfSquares(_ point: [Rational]) -> Rational { point.reduce(Rational.zero) { $0 + $1 * $1 } }

  /// One candidate: half the time an edge point bisected toward a shell boundary, half
  /// the time a random sparse face point.
  mutating func tryOnePoint() {
    let shell = nu ?? 1 + next(n - 1)
    if next(2) == 0 {
      let j = 1 + next(n), l = 1 + next(n)
      guard j != l else { return }
      let boundary = next(4) == 0 ? shell : shell + 1
      let steps = 8 + next(57)
      if let point = Self.bisect(vertex(j), vertex(l), level: Rational(1, boundary), insideAbove: boundary == shell + 1, steps: steps) {
        consider(point, "edge [u_\(j), u_\(l)], N_eff → \(boundary) from inside A_\(shell), \(steps) bisections")
      }
    } else {
      var weights = (0..<n).map { _ in next(3) == 0 ? Rational(next(64)) : .zero }
      if weights.allSatisfy(\.isZero) { weights[next(n)] = 1 }
      let total = weights.reduce(Rational.zero, +)
      var point = [Rational](repeating: .zero, count: n)
      var tail = Rational.zero
      for i in stride(from: n, through: 1, by: -1) {
        tail += weights[i - 1] / Rational(i)
        point[i - 1] = tail / total
      }
      consider(point, "a random face point (barycentric weights over u_1…u_N)")
    }
  }

  /// Bisects `t` on `[a, b]` for `steps` steps toward `Σω² = level`, returning the end that
  /// is strictly inside (`Σω² > level` when `insideAbove`, else `Σω² ≤ level`), if the
  /// segment crosses the level.
  static func bisect(_ a: [Rational], _ b: [Rational], level: Rational, insideAbove: Bool, steps: Int) -> [Rational]? {
    func point(_ t: Rational) -> [Rational] { zip(a, b).map { $0 + t * ($1 - $0) } }
    func inside(_ p: [Rational]) -> Bool { insideAbove ? sumOfSquares(p) > level : sumOfSquares(p) <= level }
    guard inside(a) != inside(b) else { return nil }
    var (inT, outT) = inside(a) ? (Rational.zero, Rational(1)) : (Rational(1), Rational.zero)
    for _ in 0..<steps {
      let mid = (inT + outT) / 2
      if inside(point(mid)) { inT = mid } else { outT = mid }
    }
    return point(inT)
  }

  mutating func consider(_ point: [Rational], _ label: String) {
    let q = Self.sumOfSquares(point)
    let neff = EMPDefinition.effectiveSampleSize(absoluteSum: 1, sumOfSquares: q)
    let retained = EMPDefinition.retentionCount(effectiveSampleSize: neff, beta: 1, count: n)
    guard retained < n, nu == nil || retained == nu else { return }
    let kept = k ?? retained
    let mass = point.prefix(kept).reduce(Rational.zero, +)
    let tight = TightInfimum(keeping: kept, shell: retained, count: n)
    let (bound, name) =
      kept == retained ? (PaperBound.value(count: n, retentionCount: retained), "B(N, ν)") : (tight.value, "T(k, m, N)")
    let finding = Finding(
      point: point, effectiveSampleSize: neff, nu: retained, k: kept, mass: mass, bound: bound,
      boundName: name, tight: tight, label: label)
    if let best, !(finding.margin < best.margin) { return }
    best = finding
  }
}
