import EMPKit
import Foundation
import Testing

/// The code of the DocC articles, run: each test body below is an article's snippet, and
/// `everySnippetIsHere` checks that every ```swift block of the catalog is one of them, word
/// for word, so the articles cannot show code that does not compile or does not hold.
@Suite struct ArticleTests {
  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  @Test func everySnippetIsHere() throws {
    let catalog = Self.packageRoot.appendingPathComponent("Sources/EMPKit/EMPKit.docc")
    let source = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8)
    let normalised = Self.normalise(source)
    var snippets = 0
    for article in try FileManager.default.contentsOfDirectory(atPath: catalog.path) where article.hasSuffix(".md") {
      let text = try String(contentsOf: catalog.appendingPathComponent(article), encoding: .utf8)
      for block in text.components(separatedBy: "```swift\n").dropFirst() {
        let code = block.components(separatedBy: "```")[0]
        #expect(normalised.contains(Self.normalise(code)), "\(article): a snippet that no test runs:\n\(code)")
        snippets += 1
      }
    }
    #expect(snippets >= 6)
  }

  /// Lines trimmed and joined, so indentation does not matter.
  static func normalise(_ text: String) -> String {
    text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
      .joined(separator: "\n")
  }

  @Test func analysingAVectorExactly() throws {
    let analysis = try ExactAnalysis(scores: [3, 2, 0] as [Rational])
    #expect(analysis.effectiveSampleSize == Rational(25, 13))
    #expect(analysis.retentionCount == 1 && analysis.keptIndices == [0])
    #expect(analysis.preservedMass == Rational(3, 5))
    #expect(analysis.paperBound?.holds == false)  // Theorem 4.2 fails at ν = 1
  }

  @Test func analysingAVectorFast() throws {
    let scores: [Float] = [0.5, -0.25, 0.125, 0.0625, 0]
    let fast = try FastEMP.analyze(scores, beta: Rational(3, 2))
    let exact = try ExactAnalysis(scores: scores, beta: Rational(3, 2))
    #expect(fast.retentionCount == exact.retentionCount)
    #expect(fast.effectiveSampleSize.contains(exact.effectiveSampleSize))
    #expect(fast.cut.keepMask(of: scores) == [true, true, true, false, false])
  }

  @Test func analysingAModelFile() throws {
    let path = try ModelFile.write(ModelFile.tensors)
    defer { ModelFile.remove(path) }
    let model = try ModelAnalysis(paths: [path], mode: .perTensor)
    for tensor in model.tensors {
      if case .vector(let report, _) = tensor.outcome {
        print(tensor.name, report.retentionCount, report.effectiveSampleSize.decimal(maxDigits: 6) ?? "?")
      }
    }
    #expect(model.leftOut.isEmpty && model.tensors.count == ModelFile.tensors.count)
  }

  @Test func pruningAModelFile() throws {
    let path = try ModelFile.write(ModelFile.tensors)
    let (output, masks) = (path + ".pruned.safetensors", path + ".masks.safetensors")
    defer { [path, output, masks].forEach(ModelFile.remove) }
    let analysis = try ModelAnalysis(paths: [path], mode: .global)
    let written = try PrunedModelWriter(analysis: analysis).write(to: output, mask: masks)
    #expect(written.totals.kept == analysis.global?.retentionCount)
  }

  @Test func scoresAndStructures() throws {
    let matrices = ModelFile.tensors.filter { $0.shape.count == 2 }
    let path = try ModelFile.write(matrices)
    let norms = try ModelFile.write(
      matrices.map {
        ModelFile.Tensor(name: $0.name, dtype: .f32, shape: [$0.shape[1]], values: Array(repeating: 0.5, count: $0.shape[1]))
      })
    let gradients = try ModelFile.write(
      matrices.map { ModelFile.Tensor(name: $0.name, dtype: .f32, shape: $0.shape, values: Array(repeating: -2, count: $0.values.count)) })
    let scores = try ModelFile.write(matrices)  // the weights themselves, as a scores file
    let (output, masks) = (path + ".pruned.safetensors", path + ".masks.safetensors")
    let (headsOutput, headMasks) = (path + ".heads.safetensors", path + ".head-masks.safetensors")
    defer { [path, norms, gradients, scores, output, masks, headsOutput, headMasks].forEach(ModelFile.remove) }
    let wanda = try ModelAnalysis(paths: [path], criterion: .wanda(activations: [norms]))
    let taylor = try ModelAnalysis(paths: [path], criterion: .taylor(gradients: [gradients]))
    let own = try ModelAnalysis(paths: [path], criterion: .scores(paths: [scores]))
    let heads = try ModelAnalysis(paths: [path], grouping: Grouping(axis: .rows, size: 16, norm: .l2))
    for case .groups(let groups) in heads.tensors.map(\.outcome) {
      print(groups.groupCount, groups.keptGroups)  // N and the kept heads
    }
    try PrunedModelWriter(analysis: wanda).write(to: output, mask: masks)
    try PrunedModelWriter(analysis: heads).write(to: headsOutput, mask: headMasks)  // whole heads zeroed
    // Equal norms and equal gradients scale every score alike, and the scores file holds the
    // weights: each keeps what magnitudes keep.
    let magnitudes = try ModelAnalysis(paths: [path]).tensors.map(\.keptElements)
    #expect([wanda, taylor, own].allSatisfy { $0.tensors.map(\.keptElements) == magnitudes })
    #expect(heads.tensors.allSatisfy { if case .groups(let groups) = $0.outcome { groups.groupCount * 16 == $0.tensor.descriptor.shape[0] } else { false } })
    // A pruned head is zero in all its 16 rows, a kept one in none of them.
    let pruned = try ModelFile.read(headsOutput)
    for (matrix, result) in zip(matrices, heads.tensors) {
      guard case .groups(let groups) = result.outcome, let values = pruned[matrix.name] else { continue }
      let columns = matrix.shape[1]
      for head in 0..<groups.groupCount {
        let zero = values[head * 16 * columns..<(head + 1) * 16 * columns].allSatisfy { $0 == 0 }
        #expect(zero == !groups.keptGroups.contains(head), "\(matrix.name) head \(head)")
      }
    }
  }

  @Test func verifyingAnImplementation() throws {
    let corpusDirectory = Self.packageRoot.appendingPathComponent("Conformance").path
    // The reference's ν, and a refusal where the scores have no EMP analysis.
    let cases = try ConformanceCorpus.load(from: corpusDirectory).map { entry in
      let answer = entry.expected.map { "\"nu\": \($0.retentionCount)" } ?? "\"error\": \"no EMP analysis\""
      return "{\"id\": \"\(entry.conformanceCase.id)\", \(answer)}"
    }
    let resultsFile = FileManager.default.temporaryDirectory.appendingPathComponent("results-\(UUID()).json").path
    try Data("{\"implementation\": \"exact ν\", \"cases\": [\(cases.joined(separator: ","))]}".utf8)
      .write(to: URL(fileURLWithPath: resultsFile))
    defer { ModelFile.remove(resultsFile) }
    let corpus = try ConformanceCorpus.load(from: corpusDirectory)
    let report = VerificationReport(corpus: corpus, results: try CandidateResults.read(resultsFile))
    #expect(report.isClean)
  }

  @Test func thePapersTheorems() {
    let bound = PaperBound.value(count: 3, retentionCount: 1)
    let tight = TightInfimum(keeping: 1, shell: 1, count: 3)
    #expect(bound == Surd(Rational(2, 3)) && tight.value == Surd(Rational(1, 2)))
    #expect(tight.value < bound)  // the theorem claims s_eff ≥ 2/3; scores (3, 2, 0) keep 3/5
  }

  @Test func thePapersTheoremsAtAFixedBeta() {
    let atBeta = BandInfimum(keeping: 1, shell: 1, beta: Rational(3, 2), count: 3)
    #expect(atBeta.band == Rational(1)..<Rational(4, 3))  // ⌊(3/2)·N_eff⌋ ≤ 1
    #expect(atBeta.value == Surd(Rational(1, 2), plus: Rational(1, 4), timesSquareRootOf: 2))  // (2 + √2)/4
    #expect(atBeta.isAttained == false)  // approached as N_eff → 4/3
  }
}
