import EMPReference
import Exact
import Foundation

/// The drawing of Δ and Δ↓ for N = 3, with every marked point computed by the reference.
package struct ShellsDiagram {
  /// The figure.
  package let document: SVGDocument
  /// The exact facts the figure shows, one line each.
  package let facts: [String]

  /// The screen positions of e1 (top), e2 (bottom left) and e3 (bottom right); the side is
  /// `side` user units, so a Euclidean length d in R³ is drawn `d · side/√2` long.
  private static let side = 600.0
  private static let corners = [
    SVGPoint(x: 340, y: 96), SVGPoint(x: 340 - side / 2, y: 96 + side * 3.0.squareRoot() / 2),
    SVGPoint(x: 340 + side / 2, y: 96 + side * 3.0.squareRoot() / 2),
  ]

  /// Where the weights ω (summing to 1) are drawn: Σ ω_i·e_i.
  package static func position(_ weights: [Rational]) -> SVGPoint {
    precondition(weights.count == 3, "ShellsDiagram: N = 3")
    let w = weights.map(Double.init)
    return SVGPoint(
      x: zip(w, corners).map { $0 * $1.x }.reduce(0, +), y: zip(w, corners).map { $0 * $1.y }.reduce(0, +))
  }

  /// The drawn radius of the sphere N_eff = c: `‖ω − ζ[3]‖² = 1/c − 1/3`, scaled.
  package static func radius(neff: Double) -> Double { (1 / neff - 1.0 / 3).squareRoot() * side / 2.0.squareRoot() }

  /// Builds the figure from the reference's values.
  ///
  /// - Throws: nothing in practice; `EMPInputError` would mean the fixed scores (3, 2, 0)
  ///   were rejected.
  package init() throws {
    let u = (1...3).map { ExtremalPoint.coordinates(support: $0, weight: 0, count: 3) }
    let (u1, u2, u3) = (Self.position(u[0]), Self.position(u[1]), Self.position(u[2]))
    let paperBound = PaperBound.value(count: 3, retentionCount: 1)
    let tight = TightInfimum(keeping: 1, shell: 1, count: 3)
    guard let lambda = TightInfimum.edgeWeight(support: 3, shell: 1).exactValue,
      let bound = paperBound.exactValue
    else { preconditionFailure("ShellsDiagram: λ and B(3, 1) are rational for N = 3") }
    let paperPoint = ExtremalPoint.coordinates(support: 3, weight: lambda, count: 3)
    let infimumPoint = ExtremalPoint.coordinates(support: tight.point.support, weight: 0, count: 3)
    let scores: [Rational] = [3, 2, 0]
    let counterexample = try ExactAnalysis(scores: scores)
    let weights = scores.map { $0 / scores.reduce(Rational.zero, +) }
    // Where the line ω1 = B(3, 1) leaves Δ↓ through the edge u1–u2 (ω3 = 0).
    let boundOnEdge = Self.position([bound, 1 - bound, 0])
    let (p1, q, c) = (Self.position(paperPoint), Self.position(infimumPoint), Self.position(weights))
    let halfOnEdge = Self.position([Rational(1, 2), Rational(1, 4), Rational(1, 4)])
    let r2 = Self.radius(neff: 2)

    var a1 = SVGPath()
    a1.move(to: u1); a1.line(to: u2); a1.arc(radius: r2, largeArc: false, clockwise: true, to: p1); a1.close()
    var a2 = SVGPath()
    a2.move(to: u3); a2.line(to: u2); a2.arc(radius: r2, largeArc: false, clockwise: true, to: p1); a2.close()
    var violation = SVGPath()
    violation.move(to: u2); violation.line(to: boundOnEdge); violation.line(to: p1)
    violation.arc(radius: r2, largeArc: false, clockwise: false, to: u2); violation.close()
    var simplex = SVGPath()
    simplex.move(to: Self.corners[0]); simplex.line(to: Self.corners[1]); simplex.line(to: Self.corners[2]); simplex.close()
    var ordered = SVGPath()
    ordered.move(to: u1); ordered.line(to: u2); ordered.line(to: u3); ordered.close()

    let colors = (a1: "#56B4E9", a2: "#009E73", violation: "#D55E00", level: "#8a8a8a")
    let levels = [1.25, 1.5, 1.75, 2.25, 2.5, 2.75]
    var drawing: [SVGElement] = [
      .text(
        "The shells of N_eff on the ordered simplex Δ↓, N = 3", at: SVGPoint(x: 24, y: 30),
        [("font-size", "17"), ("font-weight", "bold")]),
      .text(
        "ν = 1: the paper's bound is reached at p₁; the true infimum 1/2 is approached at u₂.",
        at: SVGPoint(x: 24, y: 50), [("font-size", "12"), ("fill", "#444444")]),
      .path(simplex, [("fill", "#f4f4f4")] + SVGStyle.stroke("#b0b0b0", width: 1)),
      .path(a1, [("fill", colors.a1), ("fill-opacity", "0.35")]),
      .path(a2, [("fill", colors.a2), ("fill-opacity", "0.3")]),
      .path(violation, [("fill", colors.violation), ("fill-opacity", "0.55")]),
    ]
    drawing += levels.map { .path(Self.levelArc(neff: $0, u1: u1, u2: u2, u3: u3), [("fill", "none")] + SVGStyle.stroke(colors.level, width: 0.8)) }
    drawing += [
      .path(ordered, [("fill", "none")] + SVGStyle.stroke("#222222", width: 1.8)),
      .path(Self.levelArc(neff: 2, u1: u1, u2: u2, u3: u3), [("fill", "none")] + SVGStyle.stroke("#222222", width: 2.4)),
      .line(boundOnEdge.x, boundOnEdge.y, p1.x, p1.y, SVGStyle.stroke("#222222", width: 1.4, dash: "6 4")),
      .line(q.x, q.y, halfOnEdge.x, halfOnEdge.y, SVGStyle.stroke("#222222", width: 1.4, dash: "1.5 3")),
      Self.paperMarker.element(at: p1, color: "#222222"),
      Self.infimumMarker.element(at: q, color: "#222222"),
      Self.counterexampleMarker.element(at: c, color: colors.violation),
      Self.centreMarker.element(at: u3, color: "#222222"),
    ]
    let labels: [(String, SVGPoint, String)] = [
      ("e₁ = u₁ = ζ[1]", SVGPoint(x: u1.x, y: u1.y - 12), "middle"),
      ("e₂", SVGPoint(x: Self.corners[1].x - 8, y: Self.corners[1].y + 16), "end"),
      ("e₃", SVGPoint(x: Self.corners[2].x + 8, y: Self.corners[2].y + 16), "start"),
      ("u₂ = ζ[2]", SVGPoint(x: q.x - 12, y: q.y + 4), "end"),
      ("u₃ = ζ[3]: N_eff = 3", SVGPoint(x: u3.x + 10, y: u3.y + 18), "start"),
      ("p₁ = \(Self.tuple(paperPoint)): ω₁ = \(bound)", SVGPoint(x: p1.x + 10, y: p1.y + 4), "start"),
      ("(3, 2, 0): ω₁ = \(counterexample.preservedMass)", SVGPoint(x: c.x - 12, y: c.y + 4), "end"),
      ("N_eff = 2", SVGPoint(x: p1.x - 14, y: p1.y + 26), "end"),
    ]
    drawing += labels.map { .text($0.0, at: $0.1, anchor: $0.2, [("font-size", "12")]) }
    let legend = SVGLegend(entries: [
      .init(swatch: .area(color: colors.a1, opacity: 0.35), label: "A₁: 1 ≤ N_eff < 2, ν = 1"),
      .init(swatch: .area(color: colors.a2, opacity: 0.3), label: "A₂: 2 ≤ N_eff < 3, ν = 2"),
      .init(swatch: .area(color: colors.violation, opacity: 0.55), label: "A₁ with ω₁ < B(3, 1) = \(bound)"),
      .init(swatch: .line(color: "#222222", dash: nil), label: "sphere N_eff = 2 (radius r₂)"),
      .init(swatch: .line(color: colors.level, dash: nil), label: "N_eff = 1.25, 1.5, …, 2.75"),
      .init(swatch: .line(color: "#222222", dash: "6 4"), label: "ω₁ = \(bound): the paper's bound"),
      .init(swatch: .line(color: "#222222", dash: "1.5 3"), label: "ω₁ = \(tight.value): the infimum"),
      .init(swatch: .marker(Self.paperMarker, color: "#222222"), label: "p₁: the paper's extremal point"),
      .init(swatch: .marker(Self.infimumMarker, color: "#222222"), label: "u₂: T(1, 1, 3), approached"),
      .init(swatch: .marker(Self.counterexampleMarker, color: colors.violation), label: "scores (3, 2, 0)"),
    ])
    drawing.append(legend.element(at: SVGPoint(x: 680, y: 80), width: 256))
    document = SVGDocument(
      width: 960, height: 660, title: "The shells of N_eff on the ordered simplex, N = 3",
      summary: "Δ↓ for N = 3 with the shells A_1 and A_2, the paper's point p_1 and the infimum point u_2 for ν = 1.",
      elements: drawing)
    facts = [
      "B(3, 1) = \(paperBound): the kept mass ω₁ at the paper's point p_1 = \(Self.tuple(paperPoint)), "
        + "N_eff = \(Self.neff(paperPoint))",
      "T(1, 1, 3) = \(tight.value): approached at \(tight.point) = \(Self.tuple(infimumPoint)), "
        + "N_eff = \(Self.neff(infimumPoint)), outside A_1",
      "scores (3, 2, 0): N_eff = \(counterexample.effectiveSampleSize), ν = \(counterexample.retentionCount), "
        + "s_eff = \(counterexample.preservedMass) \(counterexample.paperBound?.holds == true ? "≥" : "<") B(3, 1)",
    ]
  }

  /// The markers: the paper's point, the infimum's point, the scores (3, 2, 0), the centre.
  private static let paperMarker = SVGMarker(shape: .ring, radius: 5, opacity: 1)
  private static let infimumMarker = SVGMarker(shape: .disc, radius: 5, opacity: 1)
  private static let counterexampleMarker = SVGMarker(shape: .square, radius: 4.5, opacity: 1)
  private static let centreMarker = SVGMarker(shape: .disc, radius: 3, opacity: 1)

  /// The part inside Δ↓ of the circle N_eff = `neff` (1 < neff ≤ 3) about u3: from the
  /// edge u3–u1 to the edge u3–u2 when the circle is inside the sphere through u2
  /// (N_eff ≥ 2), else to the edge u1–u2, which that sphere touches at u2.
  package static func levelArc(neff: Double, u1: SVGPoint, u2: SVGPoint, u3: SVGPoint) -> SVGPath {
    func along(_ from: SVGPoint, _ to: SVGPoint, _ distance: Double) -> SVGPoint {
      let length = ((to.x - from.x) * (to.x - from.x) + (to.y - from.y) * (to.y - from.y)).squareRoot()
      return SVGPoint(x: from.x + (to.x - from.x) * distance / length, y: from.y + (to.y - from.y) * distance / length)
    }
    let radius = Self.radius(neff: neff)
    let toEdgeFoot = Self.radius(neff: 2)  // u2 is the foot of the perpendicular from u3 to u1–u2
    let end =
      radius <= toEdgeFoot
      ? along(u3, u2, radius) : along(u2, u1, (radius * radius - toEdgeFoot * toEdgeFoot).squareRoot())
    var path = SVGPath()
    path.move(to: along(u3, u1, radius))
    path.arc(radius: radius, largeArc: false, clockwise: false, to: end)
    return path
  }

  /// `(a, b, c)` with exact entries.
  private static func tuple(_ weights: [Rational]) -> String { "(" + weights.map(\.description).joined(separator: ", ") + ")" }

  /// `N_eff = 1/Σω²` of weights summing to 1, exactly.
  private static func neff(_ weights: [Rational]) -> Rational { weights.reduce(Rational.zero) { $0 + $1 * $1 }.reciprocal }
}
