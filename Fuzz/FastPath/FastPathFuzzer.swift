// libFuzzer target: differential fuzzing of the fast path against the exact oracle. The
// bytes become a score vector in one of the four formats (raw bit patterns, few distinct
// values, seeded distributions, two values in many copies, periodic patterns that fool the
// positional sample, sorted vectors; up to 10^5 scores) and a β; every vector kernel this CPU
// runs, on one thread and on two, and the global mode over chunks must agree with the exact
// oracle: the same error for bad input; else the same ν, the exact sums, N_eff and s_eff
// inside their enclosures, exactly the oracle's π in the mask, the same bits from every
// kernel. Any disagreement traps with a description. The vectors are the tests'
// `TestScores` and the oracle their `ExactOracle` (both in _TestOracles). The SwiftPM target
// fuzz-fast-path, built with libFuzzer and run by Fuzz/fast-path.sh; see Fuzz/README.md.
import EMPCore
import EMPFast
import Exact
import Foundation
import _FuzzSupport
import _TestOracles

/// The score format numbered `byte % 4`.
func scoreFormat(_ byte: Int) -> ScoreFormat { ScoreFormat.allCases[byte % 4] }

/// `count` raw little-endian bit patterns of `format` read from `reader` (NaN, infinities,
/// subnormals, −0), as the `Double`s they are: `TestScores` stores them back exactly.
func rawValues(of format: ScoreFormat, count: Int, from reader: inout ByteReader) -> [Double] {
  func bits(_ bytes: Int) -> UInt64 { (0..<bytes).reduce(0) { $0 | UInt64(reader.byte()) << (8 * UInt64($1)) } }
  return (0..<count).map { _ in
    switch format {
    case .float16: Double(Float16(bitPattern: UInt16(bits(2))))
    case .bfloat16: Double(BFloat16(bitPattern: UInt16(bits(2))).floatValue)
    case .float32: Double(Float(bitPattern: UInt32(bits(4))))
    case .float64: Double(bitPattern: bits(8))
    }
  }
}

/// How the bytes describe a score vector.
enum VectorRecipe: Int, CaseIterable {
  case rawBits, fewValues, distribution, twoValues, periodic, sorted

  /// The scores and β the bytes describe.
  static func decode(_ reader: inout ByteReader) -> (TestScores, beta: Rational, recipe: VectorRecipe) {
    let recipe = VectorRecipe(rawValue: reader.byte() % allCases.count)!
    let format = scoreFormat(reader.byte())
    let beta = [Rational(1), Rational(1, 2), Rational(3, 2), Rational(1, 3), Rational(7, 10), Rational(2),
      Rational(1, 7), Rational(5, 4)][reader.byte() % 8]
    var random = SplitMix64(seed: UInt64(reader.int(in: 0...65535)))
    func count() -> Int { reader.byte() < 160 ? reader.int(in: 1...600) : reader.int(in: 1...100_000) }
    /// A finite value from two bytes of significand and one of exponent.
    func value() -> Double {
      Double(Int16(truncatingIfNeeded: reader.int(in: 0...65535))) * Double(sign: .plus, exponent: reader.byte() - 140, significand: 1)
    }
    let values: [Double]
    switch recipe {
    case .rawBits:
      let size = [ScoreFormat.float16: 2, .bfloat16: 2, .float32: 4, .float64: 8][format]!
      values = rawValues(of: format, count: max(1, min(4096, reader.remaining / size)), from: &reader)
    case .fewValues:
      let pool = (0...reader.byte() % 8).map { _ in value() }
      values = (0..<count()).map { _ in pool[Int(random.next() % UInt64(pool.count))] }
    case .distribution:
      let family = reader.byte() % 4
      values = (0..<count()).map { _ in
        let u = (Double(random.next() >> 11) + 1) * 0x1p-53
        switch family {
        case 0: return (-2 * Foundation.log(u)).squareRoot() * (random.next() & 1 == 0 ? 1 : -1)  // half-normal-like
        case 1: return Foundation.pow(u, -0.7)  // heavy tail
        case 2: return u  // uniform
        default: return Double(sign: .plus, exponent: Int(random.next() % 120) - 60, significand: 1 + u)  // wide range
        }
      }
    case .twoValues:
      let (a, b) = (value(), value())
      let n = count(), copies = reader.int(in: 0...n)
      values = (0..<n).map { i in (reader.byte() % 2 == 0 ? i < copies : random.next() % UInt64(n) < copies) ? a : b }
    case .periodic:
      // Positions 0, 256, 512, … are where the sample of a long buffer reads.
      let pattern = (0...reader.byte() % 7).map { _ in value() }
      let period = [256, 128, 512, 8192, 1, 257, 64][reader.byte() % 7]
      values = (0..<count()).map { i in i % period == 0 ? pattern[0] : pattern[i % pattern.count] }
    case .sorted:
      let unsorted = (0..<count()).map { _ in Double(random.next() >> 11) * 0x1p-53 * Double(random.next() % 3) }
      values = reader.byte() % 2 == 0 ? unsorted.sorted() : unsorted.sorted(by: >)
    }
    return (TestScores(values, format: format), beta, recipe)
  }
}

/// Traps with `message` unless `condition`.
func require(_ condition: Bool, _ message: @autoclosure () -> String) {
  if !condition { fatalError(message()) }
}

/// The bit patterns of an enclosure.
func bits(_ e: Enclosure<Double>) -> [UInt64] { [e.estimate.bitPattern, e.lowerBound.bitPattern, e.upperBound.bitPattern] }

/// Checks every kernel and thread count, and the global mode, against the exact oracle.
func check(_ scores: TestScores, beta: Rational, context: String) {
  let n = scores.magnitudes.count
  let expectedError: EMPInputError? =
    scores.magnitudes.firstIndex { !$0.isFinite }.map { .nonFinite(index: $0) }
    ?? (scores.magnitudes.allSatisfy { $0 == 0 } ? .allZero : nil)
  let oracle = expectedError == nil ? ExactOracle(magnitudes: scores.magnitudes, beta: beta) : nil
  var first: FastAnalysis?
  for kernel in VectorKernel.available {
    for threads in [1, 2] {
      var options = FastEMP.Options(threads: threads)
      options.kernel = kernel
      let context = "\(context), \(kernel) kernel, \(threads) threads"
      var words = [UInt64](repeating: .max, count: (n + 63) / 64)
      let result = Result {
        try scores.withBuffer { buffer in
          try words.withUnsafeMutableBufferPointer { try FastEMP.analyze(buffer, beta: beta, writingMaskInto: .bits($0), options: options) }
        }
      }
      guard let oracle else {
        require((try? result.get()) == nil && (result.failure as? EMPInputError) == expectedError,
          "expected \(expectedError!), got \(result): \(context)")
        continue
      }
      guard case .success(let fast) = result else { fatalError("unexpected \(result): \(context)") }
      require(fast.retentionCount == oracle.retentionCount, "ν \(fast.retentionCount), exact \(oracle.retentionCount): \(context)")
      require(fast.absoluteSum.contains(oracle.absoluteSum), "Σ|s| \(fast.absoluteSum): \(context)")
      require(fast.sumOfSquares.contains(oracle.sumOfSquares), "Σs² \(fast.sumOfSquares): \(context)")
      require(fast.effectiveSampleSize.contains(oracle.effectiveSampleSize),
        "N_eff \(fast.effectiveSampleSize), exact \(oracle.effectiveSampleSize): \(context)")
      require(fast.preservedMass.contains(oracle.preservedMass), "s_eff \(fast.preservedMass): \(context)")
      require(fast.certificate == .floatingPoint || fast.exactEffectiveSampleSize == oracle.effectiveSampleSize,
        "exact N_eff of the fallback: \(context)")
      let kept = (0..<n).filter { words[$0 / 64] >> UInt64($0 % 64) & 1 == 1 }
      require(kept == oracle.kept, "mask keeps \(kept.count) scores, not the oracle's \(oracle.kept.count): \(context)")
      require(n % 64 == 0 || words[n / 64] >> UInt64(n % 64) == 0, "mask padding: \(context)")
      if let first {
        require(bits(fast.absoluteSum) == bits(first.absoluteSum) && bits(fast.sumOfSquares) == bits(first.sumOfSquares),
          "moments differ from the portable kernel's on one thread: \(context)")
        require(fast.cut == first.cut && bits(fast.preservedMass) == bits(first.preservedMass),
          "cut or s_eff differs from the portable kernel's on one thread: \(context)")
      } else {
        first = fast
      }
    }
  }
  // Global mode: the same vector in up to three chunks.
  let cuts = [0, n / 3, n - n / 5, n].sorted()
  let global = Result {
    try scores.withBuffer { buffer in
      try FastEMP.analyze(source: (0..<3).map { buffer.slice(cuts[$0]..<cuts[$0 + 1]) }, beta: beta)
    }
  }
  guard let oracle, let first else {
    require((global.failure as? EMPInputError) == expectedError, "global mode: expected \(expectedError!), got \(global): \(context)")
    return
  }
  guard case .success(let chunked) = global else { fatalError("global mode: unexpected \(global): \(context)") }
  require(chunked.retentionCount == oracle.retentionCount && chunked.cut == first.cut,
    "global mode: ν \(chunked.retentionCount), cut \(chunked.cut), single buffer \(first.cut): \(context)")
  require(chunked.preservedMass.contains(oracle.preservedMass), "global mode: s_eff \(chunked.preservedMass): \(context)")
}

extension Result {
  var failure: Failure? {
    if case .failure(let error) = self { return error }
    return nil
  }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  var reader = ByteReader(bytes: UnsafeBufferPointer(start: data, count: size))
  let (scores, beta, recipe) = VectorRecipe.decode(&reader)
  check(scores, beta: beta, context: "\(recipe), \(scores.count) \(scores.format) scores, β = \(beta)")
  return 0
}

#if !EMPKIT_LIBFUZZER
  /// Built without libFuzzer: replays the inputs named on the command line.
  @main enum Replay {
    static func main() { FuzzInputReplay.main(fuzzOneInput) }
  }
#endif
