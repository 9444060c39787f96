import Exact
import PropertyBased
import Testing
import _TestSupport

/// "Tight" checked both ways (SPEC.md): no point of the shell A_ν beats the infimum T of
/// s_eff over A_ν, and points of A_ν come within the search's resolution of it.
@Suite struct TightnessTests {
  /// Bisection steps on an edge's parameter. The found point is within 2⁻⁶⁴ of the edge's
  /// crossing with the shell boundary, and φ_ν is affine along the edge with slope at most 1
  /// in magnitude (it lies in [0, 1] at both ends), so its margin is within 2⁻⁶⁴ of the
  /// margin at the crossing: that is the search's tolerance.
  static let steps = 64
  static let tolerance = Rational(1).timesPowerOfTwo(-steps)

  /// The point of the edge `[u_j, u_l]` just inside A_ν at its crossing with the sphere
  /// Σω² = 1/boundary (boundary ν+1 approached from below, or ν from above), if any.
  static func crossing(n: Int, j: Int, l: Int, nu: Int, boundary: Int) -> [Rational]? {
    let a = SimplexPoint.vertex(j, dimension: n), b = SimplexPoint.vertex(l, dimension: n)
    let level = Rational(1, boundary)
    // inside(t): the side of the sphere that belongs to A_ν.
    func inside(_ p: [Rational]) -> Bool {
      let q = SimplexPoint.sumOfSquares(p)
      return boundary == nu + 1 ? q > level : q <= level
    }
    guard inside(a) != inside(b) else { return nil }
    var t0 = Rational.zero, t1 = Rational(1)  // inside at t0
    if !inside(a) { swap(&t0, &t1) }
    for _ in 0..<steps {
      let mid = (t0 + t1) / 2
      if inside(SimplexPoint.interpolate(a, b, at: mid)) { t0 = mid } else { t1 = mid }
    }
    return SimplexPoint.interpolate(a, b, at: t0)
  }

  @Test(arguments: 2...8)
  func infimumOverEachShellIsApproachedAndNeverBeaten(_ n: Int) async {
    for nu in 1..<n {
      let tight = SimplexBounds.tight(n: n, nu: nu)
      var best: (margin: Surd, where: String)?
      func consider(_ point: [Rational], _ label: String) {
        let a = SimplexAnalysis(point: point)
        guard a.retentionCount == nu else { return }
        let margin = a.preservedMass - tight.value
        #expect(margin.signum > 0, "N=\(n) ν=\(nu): s_eff ≤ T at \(a.pointDescription)")
        if best == nil || margin.compare(best!.margin) < 0 { best = (margin, label) }
      }
      for j in 1...n {
        for l in j + 1 ..< n + 1 {
          for boundary in [nu, nu + 1] where boundary >= 2 {
            if let p = Self.crossing(n: n, j: j, l: l, nu: nu, boundary: boundary) {
              consider(p, "edge [u_\(j), u_\(l)] at N_eff → \(boundary):")
            }
          }
        }
      }
      for k in 1...n { consider(SimplexPoint.vertex(k, dimension: n), "vertex u_\(k):") }
      var bestRandom: Surd?
      await propertyCheck(count: PaperRun.cases(25), input: SimplexGen.shell(nu, dimension: n)) { point in
        let margin = SimplexAnalysis(point: point).preservedMass - tight.value
        #expect(margin.signum > 0, "N=\(n) ν=\(nu): random point beats T: \(point)")
        if bestRandom == nil || margin.compare(bestRandom!) < 0 { bestRandom = margin }
      }
      let found = try! #require(best)
      #expect(found.margin.compare(Surd(Self.tolerance)) <= 0, "N=\(n) ν=\(nu): best margin \(found.margin.decimal())")
      print(
        "tightness N=\(n) ν=\(nu): T = \(tight.value.decimal()) (face u_1…u_\(tight.face)); "
          + "best margin \(found.margin.decimal(3)) at \(found.where); "
          + "best random margin \(bestRandom?.decimal(3) ?? "-")")
    }
  }

  /// The paper's bound B(N, ν) equals the tight infimum T for ν ≥ 2 (checked exactly for
  /// N ≤ 60) and exceeds it for ν = 1, N ≥ 3, where T = 1/2.
  @Test func paperBoundAgainstTheInfimum() {
    for n in 2...60 {
      for nu in 1..<n {
        let paper = SimplexBounds.paper(n: n, nu: nu), tight = SimplexBounds.tight(n: n, nu: nu).value
        if nu == 1 {
          #expect(tight.compare(Surd(Rational(1, 2))) == 0)
          #expect(paper.compare(tight) == (n == 2 ? 0 : 1), "N=\(n)")
        } else {
          #expect(paper.compare(tight) == 0, "N=\(n) ν=\(nu): B = \(paper.decimal()) T = \(tight.decimal())")
        }
      }
    }
  }
}
