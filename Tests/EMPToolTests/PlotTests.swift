import EMPCore
import Exact
import Foundation
import Testing
import _EMPPlot

/// The SVG writer, the sampler and the `emp plot` commands.
@Suite struct PlotTests {
  // MARK: - SVG text

  @Test(arguments: [
    (0.0, "0"), (-0.0, "0"), (-0.004, "0"), (0.005, "0.01"), (-0.005, "-0.01"), (12.5, "12.5"), (100, "100"),
    (-3.14159, "-3.14"), (0.07, "0.07"), (1e6 + 0.999, "1000001"), (2.675, "2.68"),
  ])
  func coordinatesHaveTwoDecimalsAtMost(value: Double, text: String) {
    #expect(value.svgText == text)
  }

  @Test func textAndAttributesAreEscaped() throws {
    let hostile = "a < b && \"c\" > 'd'"
    let element = SVGElement("g", [("class", hostile)], children: [.text(hostile, at: SVGPoint(x: 1, y: 2))])
    var markup = ""
    element.render(into: &markup, level: 0)
    #expect(!markup.contains("a < b") && markup.contains("a &lt; b &amp;&amp; &quot;c&quot; &gt; &apos;d&apos;"))
    let document = SVGDocument(width: 10, height: 10, title: hostile, summary: "<desc>", elements: [element])
    let outline = try SVGOutline(Data(document.rendered.utf8))
    #expect(outline.root == "svg" && outline.hasViewBox && outline.classes.contains(hostile))
  }

  @Test func pathsAndPolylinesUseTheSameNumberFormat() {
    var path = SVGPath()
    path.move(to: SVGPoint(x: 0.001, y: 1.234))
    path.arc(radius: 2.5, largeArc: false, clockwise: true, to: SVGPoint(x: 3, y: -4.5))
    path.close()
    #expect(path.data == "M 0 1.23 A 2.5 2.5 0 0 1 3 -4.5 Z")
    var markup = ""
    SVGElement.polyline([SVGPoint(x: 1, y: 2), SVGPoint(x: 3.333, y: 4)], []).render(into: &markup, level: 1)
    #expect(markup == "  <polyline points=\"1,2 3.33,4\" fill=\"none\"/>\n")
  }

  @Test func axesMapTheirEndsAndPlaceDecadeTicks() {
    let log = SVGChart.Axis.decades("ν", 0.85...1200)
    #expect(log.ticks.filter { $0.label != nil }.map(\.label) == ["1", "10", "100", "1000"])
    #expect(log.ticks.count == 1 + 3 * 9 + 1)  // 0.9; 1…9, 10…90, 100…900; 1000
    #expect(abs(log.fraction(0.85)) < 1e-12 && abs(log.fraction(1200) - 1) < 1e-12)
    let linear = SVGChart.Axis.linear("s", 0...1, step: 0.1)
    #expect(linear.ticks.count == 11 && linear.ticks.last?.label == "1" && linear.ticks[3].label == "0.3")
  }

  // MARK: - Sampler

  @Test func samplerIsSplitMix64() {
    var random = SplitMix64(seed: 0)
    #expect([random.next(), random.next(), random.next()] == [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F])
  }

  @Test func sampledScoreVectorsAreValidAndCoverSmallAndLargeSupports() {
    var random = SplitMix64(seed: 7)
    var supports: Set<Int> = []
    for _ in 0..<400 {
      let scores = BoundPlot.sample(count: 50, using: &random)
      #expect(scores.count == 50 && scores[0] >= 1 && scores.allSatisfy { $0 >= 0 && $0 == $0.rounded() })
      supports.insert(scores.lastIndex { $0 != 0 }! + 1)
    }
    #expect(supports.contains(1) && supports.contains(2) && supports.contains { $0 >= 32 })
  }

  @Test func plottedShellsRunFromOneToN() {
    for count in [2, 3, 64, 65, 1000] {
      let shells = BoundPlot.plottedShells(count: count)
      #expect(shells.first == 1 && shells.last == count && zip(shells, shells.dropFirst()).allSatisfy { $0 < $1 })
    }
  }

  // MARK: - The shells diagram

  @Test func theSphereOfNeffTwoRunsFromU2ToThePapersPoint() throws {
    let u = (1...3).map { ShellsDiagram.position([Rational](repeating: Rational(1, $0), count: $0) + [Rational](repeating: 0, count: 3 - $0)) }
    let p1 = ShellsDiagram.position([Rational(2, 3), Rational(1, 6), Rational(1, 6)])
    let arc = ShellsDiagram.levelArc(neff: 2, u1: u[0], u2: u[1], u3: u[2]).data
    // Starts at p_1 on the edge u3–u1 and ends at u2, with the radius |u3 − u2|.
    let radius = ((u[1].x - u[2].x) * (u[1].x - u[2].x) + (u[1].y - u[2].y) * (u[1].y - u[2].y)).squareRoot()
    #expect(arc == "M \(p1.x.svgText) \(p1.y.svgText) A \(radius.svgText) \(radius.svgText) 0 0 0 \(u[1].x.svgText) \(u[1].y.svgText)")
    #expect(abs(ShellsDiagram.radius(neff: 2) - radius) < 1e-9)
    // Beyond N_eff < 2 the arc ends on the edge u1–u2, at the point of that N_eff.
    let edgePoint = ShellsDiagram.position([Rational(3, 4), Rational(1, 4), 0])  // Σω² = 5/8
    let outer = ShellsDiagram.levelArc(neff: 1.6, u1: u[0], u2: u[1], u3: u[2]).data
    #expect(outer.hasSuffix("\(edgePoint.x.svgText) \(edgePoint.y.svgText)"))
  }

  // MARK: - The per-tensor figure

  @Test func tensorBarsHaveTheExactLengthsAndUndefinedTensorsAreLabelledGaps() throws {
    let tensors = [
      TensorSummary(
        name: "layer.0.weight", outcome: .analysed(count: 8, effectiveSampleSize: Enclosure<Surd>(exactly: Rational(6)), retentionCount: 6)),
      TensorSummary(
        name: String(repeating: "x", count: 80),
        outcome: .analysed(count: 4, effectiveSampleSize: Enclosure<Surd>(exactly: Rational(1)), retentionCount: 1)),
      TensorSummary(name: "ids", outcome: .undefined("I64 is not a floating-point type")),
    ]
    #expect(tensors[0].effectiveFraction == 0.75 && tensors[0].sparsity == Rational(1, 4))
    #expect(tensors[2].effectiveFraction == nil && tensors[2].sparsity == nil)
    let document = TensorBars.document(for: tensors, source: "model <test>.safetensors", beta: Rational(1, 2))
    let outline = try SVGOutline(Data(document.rendered.utf8))
    #expect(outline.classes.isSuperset(of: ["legend", "bars", "undefined"]))
    #expect(document.rendered.contains("model &lt;test&gt;.safetensors: 3 tensors (1 without an analysis)"))
    #expect(document.rendered.contains("β = 1/2") && document.rendered.contains("no analysis: I64 is not a floating-point type"))
    let short = TensorBars.shortened(tensors[1].name, to: 56)
    #expect(short.count == 56 && short.contains("…"))
    // Bars are 460 units for a fraction of 1: N_eff/N = 3/4 → 345, sparsity 1/4 → 115,
    // N_eff/N = 1/4 → 115, sparsity 3/4 → 345; the undefined tensor has no bar.
    let widths = Self.barWidths(in: document.rendered)
    #expect(widths == ["345", "115", "115", "345"])
  }

  /// The `width` of every bar of a per-tensor figure, in order.
  static func barWidths(in svg: String) -> [String] {
    guard let bars = svg.range(of: "<g class=\"bars\">"), let end = svg[bars.upperBound...].range(of: "</g>") else { return [] }
    return svg[bars.upperBound..<end.lowerBound].split(separator: "\n").filter { $0.contains("<rect") }.compactMap { line in
      line.range(of: "width=\"").map { String(line[$0.upperBound...].prefix { $0 != "\"" }) }
    }
  }

  // MARK: - The commands

  @Test func boundFigureIsByteStableAndSeeded() throws {
    let workspace = try NotebookReplay.makeWorkspace()
    defer { try? FileManager.default.removeItem(at: workspace) }
    func draw(seed: Int, to name: String) throws -> (output: [String], bytes: Data) {
      let output = try NotebookReplay.run(
        ["plot", "bound", "--n", "5,20", "--samples", "40", "--seed", "\(seed)", "--out", name], in: workspace)
      return (output, try Data(contentsOf: workspace.appendingPathComponent(name)))
    }
    let (first, again, other) = (try draw(seed: 3, to: "a.svg"), try draw(seed: 3, to: "b.svg"), try draw(seed: 4, to: "c.svg"))
    #expect(first.bytes == again.bytes && first.bytes != other.bytes)
    #expect(first.output.first == "wrote a.svg" && first.output.count == 3)
    #expect(first.output[1].hasPrefix("N = 5: B(N, 1) ≈ 0.") && first.output[1].hasSuffix(", 0 below T"))
    let outline = try SVGOutline(first.bytes)
    #expect(outline.classes.isSuperset(of: ["legend", "axes", "series", "grid"]))
  }

  @Test func tensorsFigureDrawsThePerTensorAnalysisWithGapsForUndefinedTensors() throws {
    let workspace = try NotebookReplay.makeWorkspace()
    defer { try? FileManager.default.removeItem(at: workspace) }
    let fixtures = try ModelFixtures()
    defer { fixtures.remove() }
    typealias Tensor = ModelFixtures.Tensor
    let model = try fixtures.safetensors(
      "mixed.safetensors",
      [
        Tensor(name: "flat", dtype: .f32, shape: [2, 4], values: [Double](repeating: -2, count: 8)),
        Tensor(name: "ids", dtype: .i64, shape: [3], values: [0, 1, 2]),
        Tensor(name: "half", dtype: .f16, shape: [8], values: [3, -3, 3, -3, 0, 0, 0, 0]),
        Tensor(name: "zeros", dtype: .f32, shape: [4], values: [0, 0, 0, 0]),
        Tensor(name: "nan", dtype: .f64, shape: [2], values: [1, .nan]),
        Tensor(name: "heavy", dtype: .bf16, shape: [8, 10], values: ModelFixtures.scores(80, stream: 9)),
      ])
    let output = try NotebookReplay.run(["plot", "tensors", model, "--out", "t.svg"], in: workspace)
    #expect(output.first == "wrote t.svg" && output.count == 4, "\(output)")
    #expect(output.dropFirst().map { $0.prefix { $0 != ":" } } == ["not drawn", "not drawn", "not drawn"])
    #expect(output[1].hasPrefix("not drawn: ids: I64") && output[2].hasPrefix("not drawn: zeros: ") && output[3].hasPrefix("not drawn: nan: "))
    let svg = String(decoding: try Data(contentsOf: workspace.appendingPathComponent("t.svg")), as: UTF8.self)
    #expect(svg.contains("mixed.safetensors: 6 tensors (3 without an analysis)") && !svg.contains(fixtures.directory))
    #expect(svg.components(separatedBy: "no analysis: ").count == 4)
    // flat: N_eff/N = 1, sparsity 0; half: N_eff/N = 1/2, sparsity 1/2; heavy: the values of
    // `emp analyze`, to the figure's 0.01 units (its ν is exact, its N_eff has ≥ 10 digits).
    let heavy = try EMPProcess.json(EMPProcess.run(["analyze", model, "--tensor", "heavy", "--json", "--quiet"]))
    let entry = try #require((heavy["tensors"] as? [[String: Any]])?.first)
    let nu = try #require(entry["nu"] as? Int)
    let neffText = try #require(entry["neff_decimal"] as? String)
    let neff = try #require(Double(neffText))
    let widths = Self.barWidths(in: svg).map { Double($0)! }
    #expect(widths.count == 6 && Array(widths.prefix(4)) == [460, 0, 230, 230])
    #expect(abs(widths[4] - (460 * neff / 80 * 100).rounded() / 100) <= 0.01 && abs(widths[5] - 460 * Double(80 - nu) / 80) <= 0.005)
    let again = try NotebookReplay.run(["plot", "tensors", model, "--out", "again.svg"], in: workspace)
    let againBytes = try Data(contentsOf: workspace.appendingPathComponent("again.svg"))
    #expect(again.count == 4 && againBytes == Data(svg.utf8))
  }

  @Test(arguments: [
    ["plot", "bound", "--n", "1", "--out", "x.svg"], ["plot", "bound", "--n", "5,,9", "--out", "x.svg"],
    ["plot", "bound", "--n", "ten", "--out", "x.svg"], ["plot", "shells", "--out", "missing-folder/x.svg"],
    ["plot", "bound", "--samples", "-1", "--out", "x.svg"],
    ["plot", "tensors", "data/tiny-model.safetensors", "--mode", "global", "--out", "x.svg"],
    ["plot", "tensors", "data/layer-scores.txt", "--out", "x.svg"],
    ["plot", "tensors", "data/missing.safetensors", "--out", "x.svg"],
  ])
  func badPlotArgumentsAreOneErrorLine(arguments: [String]) throws {
    let workspace = try NotebookReplay.makeWorkspace()
    defer { try? FileManager.default.removeItem(at: workspace) }
    let output = try NotebookReplay.run(arguments, in: workspace)
    #expect(output.first?.hasPrefix("Error: ") == true && output.last?.hasPrefix("[exit ") == true, "\(output)")
    #expect(!FileManager.default.fileExists(atPath: workspace.appendingPathComponent("x.svg").path))
  }
}
