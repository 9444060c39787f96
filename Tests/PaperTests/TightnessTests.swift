import EMPReference
import Exact
import PropertyBased
import Testing
import _TestSupport

/// "Tight" checked both ways (Proofs/definitions.md, "Bounds"): no point of the shell A_ν beats the infimum T of
/// s_eff over A_ν, and points of A_ν come within the search's resolution of it.
@Suite struct TightnessTests {
  /// Bisection steps on an edge's parameter. The found point is within 2⁻⁶⁴ of the edge's
  /// crossing with the shell boundary, and φ_ν is affine along the edge with slope at most 1
  /// in magnitude (it lies in [0, 1] at both ends), so its margin is within 2⁻⁶⁴ of the
  /// margin at the crossing: that is the search's tolerance.
  static let steps = 64
  static let tolerance = Rational(1).timesPowerOfTwo(-steps)

  static func decimal(_ value: Surd) -> String { value.decimalString(significantDigits: 3) }

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
      let tight = TightInfimum(keeping: nu, shell: nu, count: n)
      var best: (margin: Surd, where: String)?
      func consider(_ point: [Rational], _ label: String) {
        let a = SimplexAnalysis(point: point)
        guard a.retentionCount == nu else { return }
        let margin = a.preservedMass - tight.value
        #expect(margin.signum > 0, "N=\(n) ν=\(nu): s_eff ≤ T at \(a.pointDescription)")
        if best == nil || margin < best!.margin { best = (margin, label) }
      }
      for j in 1...n {
        for l in j + 1 ..< n + 1 {
          for boundary in [nu, nu + 1] where boundary >= 2 {
            if let p = Self.crossing(n: n, j: j, l: l, nu: nu, boundary: boundary) {
              consider(p, "edge [u_\(j), u_\(l)] at N_eff → \(boundary)")
            }
          }
        }
      }
      for k in 1...n { consider(SimplexPoint.vertex(k, dimension: n), "vertex u_\(k):") }
      var bestRandom: Surd?
      await seededPropertyCheck(count: 40, input: SimplexGen.shell(nu, dimension: n)) { point in
        let margin = SimplexAnalysis(point: point).preservedMass - tight.value
        #expect(margin.signum > 0, "N=\(n) ν=\(nu): random point beats T: \(point)")
        if bestRandom == nil || margin < bestRandom! { bestRandom = margin }
      }
      let found = try! #require(best)
      #expect(!(Surd(Self.tolerance) < found.margin), "N=\(n) ν=\(nu): best margin \(Self.decimal(found.margin))")
      print(
        "tightness N=\(n) ν=\(nu): T = \(Self.decimal(tight.value)) at \(tight.point); "
          + "best margin \(Self.decimal(found.margin)) at \(found.where); "
          + "best random margin \(bestRandom.map(Self.decimal) ?? "-")")
    }
  }

  /// EMPReference's T(ν, ν, N) (two candidates: u_{ν+1} and the paper's point) equals the
  /// minimum over every face u_1…u_l of B(l, ν) (Proofs/5-asymptotic-form.md); the paper's
  /// bound B(N, ν) equals T for ν ≥ 2 and exceeds it for ν = 1, N ≥ 3, where T = 1/2.
  /// Exact, N ≤ 60.
  @Test func infimumAgainstTheFacesAndThePaper() {
    for n in 2...60 {
      for nu in 1..<n {
        let tight = TightInfimum(keeping: nu, shell: nu, count: n).value
        let faces = SimplexBounds.minimumOverFaces(n: n, nu: nu).value
        let paper = PaperBound.value(count: n, retentionCount: nu)
        #expect(tight == faces, "N=\(n) ν=\(nu): T = \(tight), faces give \(faces)")
        if nu == 1 {
          #expect(tight == Surd(Rational(1, 2)))
          #expect(n == 2 ? paper == tight : tight < paper, "N=\(n)")
        } else {
          #expect(paper == tight, "N=\(n) ν=\(nu): B = \(paper), T = \(tight)")
        }
      }
    }
  }
}
