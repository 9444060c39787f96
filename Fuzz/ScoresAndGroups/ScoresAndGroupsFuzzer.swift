// libFuzzer target: score criteria and structured groups against a rational oracle. The bytes
// become one or two small weight matrices in any float format, a partner of each (scores,
// Wanda norms or Taylor gradients, in any float format), a grouping (none, rows or columns
// of K, with l1, sq or l2) or none, a mode (per tensor or global) and a β. The files are
// written with TensorIO and analysed by `ModelAnalysis`, fast and exact; the oracle forms the
// scores as rational products and the group sums by explicit loops, and analyses them with
// `ExactAnalysis` or `SquareRootScoresAnalysis`. Both paths must give the oracle's ν and kept
// set (kept groups, or the number kept); the fast path may refuse a binary64 product that
// rounds, and only then. Any disagreement traps with a description. The SwiftPM target
// fuzz-scores-and-groups, built with libFuzzer and run by Fuzz/scores-and-groups.sh.
import EMPCore
import EMPModel
import EMPReference
import Exact
import Foundation
import TensorIO
import _FuzzSupport

/// One matrix of the fuzzed model and its partner, with their stored values (exact).
struct Pair {
  var name: String
  var dtype: DType
  var shape: [Int]
  var weights: [Double]
  var partnerDType: DType
  var partnerShape: [Int]
  var partner: [Double]
}

let formats: [DType] = [.f16, .bf16, .f32, .f64]

/// `x` rounded to `dtype` (bfloat16 by truncation of the binary32 bits), as a `Double`.
func stored(_ x: Double, _ dtype: DType) -> Double {
  switch dtype {
  case .f16: Double(Float16(x))
  case .bf16: Double(Float(bitPattern: Float(x).bitPattern & 0xFFFF_0000))
  case .f32: Double(Float(x))
  default: x
  }
}

/// The bytes of `values` stored as `dtype`.
func bytes(_ values: [Double], _ dtype: DType) -> [UInt8] {
  switch dtype {
  case .f16: values.map { Float16($0) }.withUnsafeBytes { Array($0) }
  case .bf16: values.map { UInt16(Float($0).bitPattern >> 16) }.withUnsafeBytes { Array($0) }
  case .f32: values.map { Float($0) }.withUnsafeBytes { Array($0) }
  default: values.withUnsafeBytes { Array($0) }
  }
}

/// A value from the bytes: a small signed integer times a power of two, often zero, so that
/// ties, zero groups and exact integers N_eff come up; below 2^14, so finite in every format.
func value(_ reader: inout ByteReader) -> Double {
  let mantissa = reader.int(in: 0...255) - 128
  let kind = reader.byte()
  guard kind >= 64 else { return 0 }
  let scale = Double(sign: .plus, exponent: reader.byte() % 19 - 12, significand: 1)
  // One value in four is 1 + k·2⁻⁵² (times a power of two): two such binary64 factors form
  // a product of up to 105 bits, which rounds, and pairs with the same sum of k round to
  // the same binary64 number (a tie the exact products break).
  return kind >= 192 ? (1 + Double(mantissa) * 0x1p-52) * scale : Double(mantissa) * scale
}

/// The kept indices of each tensor of the mask file at `path` (U8, 1 kept).
func keptIndices(inMasks path: String) throws -> [String: [Int]] {
  var kept: [String: [Int]] = [:]
  for tensor in try TensorCatalog(contentsOf: path).tensors {
    let bytes = try TensorFileReader(path: tensor.path).readBytes(of: tensor.descriptor)
    kept[tensor.descriptor.name] = bytes.indices.filter { bytes[$0] != 0 }
  }
  return kept
}

/// Writes `tensors` (name, dtype, shape, values) to `path`.
func write(_ path: String, _ tensors: [(String, DType, [Int], [Double])]) throws {
  try? FileManager.default.removeItem(atPath: path)
  try SafeTensorsFile.write(to: path, tensors: tensors.map { TensorSpec(name: $0.0, dtype: $0.1, shape: $0.2) }) {
    index, sink in try sink.write(bytes(tensors[index].3, tensors[index].1))
  }
}

/// The oracle's scores of a pair under `criterion`: rational products.
func exactScores(_ pair: Pair, criterion: Int) -> [Rational] {
  let w = pair.weights.map { Rational(finite: $0) }
  let p = pair.partner.map { Rational(finite: $0) }
  switch criterion {
  case 1: return p
  case 2: return w.indices.map { w[$0].magnitude * p[$0 % p.count] }
  case 3: return w.indices.map { (w[$0] * p[$0]).magnitude }
  default: return w
  }
}

/// The oracle's group sums of `scores` (`[rows, columns]`): Σ|s| or Σs² per block.
func groupSums(_ scores: [Rational], shape: [Int], grouping: Grouping) -> [Rational] {
  let (rows, columns, k) = (shape[0], shape[1], grouping.size)
  var sums = [Rational](repeating: 0, count: (grouping.axis == .rows ? rows : columns) / k)
  for row in 0..<rows {
    for column in 0..<columns {
      let s = scores[row * columns + column]
      sums[(grouping.axis == .rows ? row : column) / k] += grouping.norm == .l1 ? s.magnitude : s * s
    }
  }
  return sums
}

/// The oracle's ν and kept indices of `scores` (group sums when `norm` is set).
func oracle(_ scores: [Rational], norm: Grouping.Norm?, beta: Rational) -> (nu: Int, kept: [Int])? {
  do {
    if norm == .l2 {
      let scale = Rational(BigInteger(1).shifted(by: 2148))
      let analysis = try SquareRootScoresAnalysis(squares: scores.map { ($0 * scale).numerator }, beta: beta)
      return (analysis.retentionCount, analysis.keptIndices)
    }
    let analysis = try ExactAnalysis(scores: scores, beta: beta)
    return (analysis.retentionCount, analysis.keptIndices)
  } catch {
    return nil  // all zero
  }
}

func expect(_ condition: Bool, _ message: @autoclosure () -> String) {
  if !condition { fatalError(message()) }
}

let directory = FileManager.default.temporaryDirectory.appendingPathComponent("emp-fuzz-scores-\(getpid())").path

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  var reader = ByteReader(bytes: UnsafeBufferPointer(start: data, count: size))
  let criterion = reader.byte() % 4  // magnitude, scores, wanda, taylor
  let global = reader.byte() % 2 == 1
  let beta = [Rational(1), Rational(1, 2), Rational(3, 2), Rational(2, 3), Rational(5, 4)][reader.byte() % 5]
  let grouped = reader.byte() % 3 != 0
  let axis: Grouping.Axis = reader.byte() % 2 == 0 ? .rows : .columns
  let k = reader.int(in: 1...3)
  let grouping = grouped ? Grouping(axis: axis, size: k, norm: Grouping.Norm.allCases[reader.byte() % 3]) : nil
  let pairs = (0..<(global ? 2 : 1)).map { index -> Pair in
    let (dtype, partnerDType) = (formats[reader.byte() % 4], formats[reader.byte() % 4])
    let (rows, columns) = (reader.int(in: 1...6) * (axis == .rows ? k : 1), reader.int(in: 1...6) * (axis == .columns ? k : 1))
    let partnerShape = criterion == 2 ? [columns] : [rows, columns]
    let weights = (0..<rows * columns).map { _ in stored(value(&reader), dtype) }
    let partner = (0..<partnerShape.reduce(1, *)).map { _ in stored(criterion == 2 ? abs(value(&reader)) : value(&reader), partnerDType) }
    return Pair(
      name: "w\(index)", dtype: dtype, shape: [rows, columns], weights: weights, partnerDType: partnerDType,
      partnerShape: partnerShape, partner: partner)
  }
  let context = "criterion \(criterion), \(global ? "global" : "per-tensor"), \(grouping.map { "\($0) \($0.norm)" } ?? "no groups"), β = \(beta), \(pairs.map { "\($0.shape) \($0.dtype)/\($0.partnerDType)" })"

  let (model, other) = (directory + "/model.safetensors", directory + "/partner.safetensors")
  do {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    try write(model, pairs.map { ($0.name, $0.dtype, $0.shape, $0.weights) })
    try write(other, pairs.map { ($0.name, $0.partnerDType, $0.partnerShape, $0.partner) })
  } catch {
    fatalError("writing the fixtures: \(error)")
  }
  let scoreCriterion: ScoreCriterion = [.magnitude, .scores(paths: [other]), .wanda(activations: [other]), .taylor(gradients: [other])][criterion]

  // The oracle: per tensor, or over both tensors' scores (or groups) as one vector.
  let parts = pairs.map { pair -> [Rational] in
    let scores = exactScores(pair, criterion: criterion)
    return grouping.map { groupSums(scores, shape: pair.shape, grouping: $0) } ?? scores
  }
  let expected = global ? [oracle(parts.flatMap { $0 }, norm: grouping?.norm, beta: beta)] : parts.map { oracle($0, norm: grouping?.norm, beta: beta) }

  for exact in [false, true] {
    let analysis: ModelAnalysis
    do {
      analysis = try ModelAnalysis(
        paths: [model], mode: global ? .global : .perTensor, beta: beta, exact: exact, criterion: scoreCriterion,
        grouping: grouping)
    } catch {
      fatalError("\(error): \(context)")
    }
    let path = exact ? "exact" : "fast"
    if !exact, grouping == nil {
      // The weights the fast prune keeps are the oracle's (products that round included).
      let (pruned, masks) = (directory + "/pruned.safetensors", directory + "/masks.safetensors")
      do {
        _ = try PrunedModelWriter(analysis: analysis).write(to: pruned, mask: masks, replacingExisting: true)
        let kept = try keptIndices(inMasks: masks)
        var start = 0
        for (pair, part) in zip(pairs, parts) {
          let reference = global ? expected[0] : expected[pairs.firstIndex { $0.name == pair.name }!]
          if let reference, analysis.tensors.first(where: { $0.name == pair.name })?.undefinedReason == nil {
            let mine = reference.kept.filter { (start..<start + part.count).contains($0) }.map { $0 - start }
            expect(kept[pair.name] == (global ? mine : reference.kept), "fast prune of \(pair.name) keeps \(kept[pair.name] ?? []), oracle \(global ? mine : reference.kept): \(context)")
          }
          if global { start += part.count }
        }
      } catch {
        fatalError("pruning: \(error): \(context)")
      }
    }
    if global {
      expect(analysis.global?.retentionCount == expected[0]?.nu, "\(path) global ν \(String(describing: analysis.global?.retentionCount)), oracle \(String(describing: expected[0]?.nu)): \(context)")
      guard let kept = expected[0]?.kept else { continue }
      var start = 0
      for (part, result) in zip(parts, analysis.tensors) {
        let mine = kept.filter { (start..<start + part.count).contains($0) }
        if case .groups(let groups) = result.outcome {
          expect(groups.keptGroups == mine.map { $0 - start }, "\(path) kept groups of \(result.name): \(context)")
        } else {
          expect(result.counts?.kept == mine.count, "\(path) kept scores of \(result.name): \(context)")
        }
        start += part.count
      }
    } else {
      for (result, reference) in zip(analysis.tensors, expected) {
        guard let reference else {
          expect(result.undefinedReason != nil, "\(path) \(result.name) analysed, oracle all zero: \(context)")
          continue
        }
        expect(result.counts?.kept == reference.nu, "\(path) \(result.name) ν \(String(describing: result.counts)), oracle \(reference.nu): \(context)")
        if case .groups(let groups) = result.outcome {
          expect(groups.keptGroups == reference.kept, "\(path) kept groups of \(result.name): \(context)")
        }
      }
    }
  }
  return 0
}

#if !EMPKIT_LIBFUZZER
  /// Built without libFuzzer: replays the inputs named on the command line.
  @main enum Replay {
    static func main() { FuzzInputReplay.main(fuzzOneInput) }
  }
#endif
