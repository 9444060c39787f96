import EMPKit
import Foundation
import Testing

/// What a user of `import EMPKit` alone does with a model file, checked against the exact
/// reference: ν per tensor and globally, and the pruned file's values.
@Suite struct ModelFileTests {
  @Test func perTensorRetentionCountsAreTheReferences() throws {
    let path = try ModelFile.write(ModelFile.tensors)
    defer { ModelFile.remove(path) }
    for exact in [false, true] {
      let model = try ModelAnalysis(paths: [path], mode: .perTensor, beta: Rational(4, 5), exact: exact)
      for (tensor, result) in zip(ModelFile.tensors, model.tensors) {
        let reference = try ExactAnalysis(scores: tensor.values, beta: Rational(4, 5))
        guard case .vector(let report, _) = result.outcome else {
          Issue.record("\(tensor.name): no analysis")
          continue
        }
        #expect(report.retentionCount == reference.retentionCount, "\(tensor.name)")
        #expect(report.effectiveSampleSize.contains(Surd(reference.effectiveSampleSize)), "\(tensor.name)")
      }
    }
  }

  @Test func globalPruneWritesExactlyTheReferencesKeptSet() throws {
    let path = try ModelFile.write(ModelFile.tensors)
    let (output, masks) = (path + ".pruned.safetensors", path + ".masks.safetensors")
    defer { [path, output, masks].forEach(ModelFile.remove) }
    let analysis = try ModelAnalysis(paths: [path], mode: .global)
    let reference = try ExactAnalysis(scores: ModelFile.tensors.flatMap(\.values))
    #expect(analysis.global?.retentionCount == reference.retentionCount)
    let written = try PrunedModelWriter(analysis: analysis).write(to: output, mask: masks)
    #expect(written.totals.kept == reference.retentionCount)
    let (pruned, mask) = (try ModelFile.read(output), try ModelFile.read(masks))
    let kept = Set(reference.keptIndices)
    var start = 0
    for tensor in ModelFile.tensors {
      let expected = tensor.values.indices.map { kept.contains(start + $0) ? tensor.values[$0] : 0 }
      #expect(pruned[tensor.name] == expected, "\(tensor.name)")
      #expect(mask[tensor.name] == tensor.values.indices.map { kept.contains(start + $0) ? 1 : 0 }, "\(tensor.name)")
      start += tensor.values.count
    }
  }

  @Test func perRowZeroRowsAreUndefinedNotAnError() throws {
    var rows = ModelFile.Tensor(name: "w", dtype: .f32, shape: [3, 4], values: [1, 2, 3, 4, 0, 0, 0, 0, 5, 0, 0, 1])
    let path = try ModelFile.write([rows])
    defer { ModelFile.remove(path) }
    let model = try ModelAnalysis(paths: [path], mode: .perRow)
    guard case .rows(let summary) = model.tensors[0].outcome else {
      Issue.record("no rows")
      return
    }
    #expect(summary.zeroRows == 1 && summary.rows == 3 && model.tensors[0].undefinedReason == nil)
    rows.values = Array(repeating: 0, count: 12)
    let zeros = try ModelFile.write([rows])
    defer { ModelFile.remove(zeros) }
    let undefined = try ModelAnalysis(paths: [zeros], mode: .perRow)
    #expect(undefined.tensors[0].undefinedReason != nil)
    #expect(throws: EMPModelError.self) { try undefined.requireAllAnalysed() }
  }

  @Test func badInputIsATypedError() throws {
    #expect(throws: TensorIOError.self) { try ModelAnalysis(paths: ["/nonexistent/model.safetensors"]) }
    let path = try ModelFile.write(ModelFile.tensors)
    defer { ModelFile.remove(path) }
    #expect(throws: EMPModelError.noTensorMatches(pattern: "nothing.*")) {
      try ModelAnalysis(paths: [path], tensors: ["nothing.*"])
    }
    #expect(throws: EMPInputError.nonPositiveBeta("0")) { try ModelAnalysis(paths: [path], beta: 0) }
    let exact = try ModelAnalysis(paths: [path], exact: true)
    #expect(throws: EMPModelError.self) { try PrunedModelWriter(analysis: exact) }
    // Any float format works with the exact reference, Float80 included where it exists.
    #if arch(x86_64) && !os(Windows)
      #expect(try ExactAnalysis(scores: [3, 2, 0] as [Float80]).retentionCount == 1)
    #endif
  }
}
