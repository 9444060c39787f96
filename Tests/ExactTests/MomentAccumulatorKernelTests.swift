@testable import Exact
import Foundation
import PropertyBased
import Testing
import _TestSupport

/// Every binary32 and bfloat16 kernel this CPU runs (the scalar one always; AVX-512F and
/// AVX-512 IFMA when present) against the naive `Rational` moments.
@Suite struct MomentAccumulatorKernelTests {
  static let kernels = _WindowKernel.available

  /// A binary32 value from its sign, exponent field and fraction field.
  static func float(negative: Bool = false, exponent: Int, fraction: UInt32 = 0) -> Float {
    Float(bitPattern: (negative ? 1 << 31 : 0) | UInt32(exponent) << 23 | fraction & 0x7F_FFFF)
  }

  static func accumulated<F: AccumulatedFloat>(_ values: [F], kernel: _WindowKernel) -> MomentAccumulator {
    var moments = MomentAccumulator()
    moments.windowKernel = kernel
    F.add(values, to: &moments)
    return moments
  }

  /// The exact moments of many values: Σ|x| and Σx² by the signed `Superaccumulator` of
  /// `|x|` and `x²`, both exact in binary64 for binary32 inputs.
  static func oracleMoments(_ values: [Float]) -> (absolute: Rational, squares: Rational) {
    let finite = values.filter(\.isFinite)
    var absolute = Superaccumulator(), squares = Superaccumulator()
    Double.add(finite.map { Double($0.magnitude) }, to: &absolute)
    Double.add(finite.map { Double($0) * Double($0) }, to: &squares)
    return (absolute.sum, squares.sum)
  }

  /// Whether every kernel gives `expected` and the counts of `values`.
  static func everyKernelMatches<F: AccumulatedFloat>(_ values: [F], _ expected: (absolute: Rational, squares: Rational)) -> Bool {
    kernels.allSatisfy { momentsMatch(accumulated(values, kernel: $0), values, expected: expected) }
  }

  @Test func theScalarKernelIsAlwaysAvailable() {
    print("window kernels tested: \(Self.kernels)")
    #expect(Self.kernels.first == .scalar && Self.kernels.contains(_WindowKernel.best))
  }

  @Test func randomBitPatternsMatchTheNaiveMoments() async {
    await seededPropertyCheck(count: 40, input: floatDraws.array(of: 0...300)) { draws in
      let values = draws.map { Float(mode: $0.0, bits: $0.1) }
      #expect(Self.everyKernelMatches(values, naiveMoments(values)), "\(values)")
    }
  }

  /// Values crowded around a chunk's window: exponents from `top` down to 35 below it
  /// (the windows span 29 or 32 fields), with zeros, NaN, ±infinity and subnormals mixed in.
  @Test func valuesAroundTheWindowEdgesMatchTheNaiveMoments() async {
    let draw = zip(Gen.int(in: 0...40), Gen.uint64())
    await seededPropertyCheck(count: 40, input: zip(Gen.int(in: 1...254), draw.array(of: 0...200))) { top, draws in
      let values = draws.map { offset, bits -> Float in
        let negative = bits >> 63 == 1, fraction = UInt32(truncatingIfNeeded: bits)
        switch offset {
        case 36: return Self.float(negative: negative, exponent: 0)            // ±0
        case 37: return Self.float(negative: negative, exponent: 255)          // ±infinity
        case 38: return Self.float(exponent: 255, fraction: fraction | 1)      // NaN
        case 39: return Self.float(negative: negative, exponent: 0, fraction: fraction)  // subnormal
        default: return Self.float(negative: negative, exponent: max(top - offset, 0), fraction: fraction)
        }
      }
      #expect(Self.everyKernelMatches(values, naiveMoments(values)), "top \(top): \(values)")
    }
  }

  /// One chunk per top exponent and window width `w` (31 for AVX-512F, 28 for IFMA): the
  /// top value, values exactly at the window floor (`top − w`) and just below it (spilled),
  /// subnormals, zeros and non-finite values, in a length that is not a multiple of 16.
  @Test(arguments: [28, 31]) func valuesJustInsideAndOutsideTheWindow(width: Int) {
    for top in [1, 2, width, width + 1, width + 2, width + 3, 100, 253, 254] {
      var values: [Float] = [Self.float(exponent: top, fraction: 0x7F_FFFF)]
      for k in 0..<8209 {
        let fraction = UInt32(truncatingIfNeeded: k &* 0x9E37_79B9)
        switch k % 7 {
        case 0: values.append(Self.float(negative: k % 2 == 0, exponent: max(top - width, 0), fraction: fraction))
        case 1: values.append(Self.float(negative: k % 2 == 1, exponent: max(top - width - 1, 0), fraction: fraction))
        case 2: values.append(Self.float(exponent: 0, fraction: fraction))
        case 3: values.append(k % 3 == 0 ? .infinity : k % 3 == 1 ? -.infinity : .nan)
        case 4: values.append(k % 2 == 0 ? 0 : -0.0)
        default: values.append(Self.float(exponent: max(top - k % 3, 0), fraction: fraction))
        }
      }
      let matches = Self.everyKernelMatches(values, Self.oracleMoments(values))
      #expect(matches, "width \(width), top \(top)")
    }
  }

  /// Every vector term at its largest (`m = 2^24 − 1` at the top of the window) over
  /// several whole chunks of 8192: the AVX-512F lane bound is tight here (a lane reaches
  /// `2^64 − 2^40`), and the IFMA term `t = m · 2^28` uses all 52 bits of its multiplier.
  @Test func fullChunksOfTheLargestValueDoNotOverflowALane() {
    let values = [Float](repeating: -.greatestFiniteMagnitude, count: 3 * 8192 + 5)
      + [Float](repeating: .greatestFiniteMagnitude.nextDown, count: 8192)
    let matches = Self.everyKernelMatches(values, Self.oracleMoments(values))
    #expect(matches)
  }

  /// One huge value per chunk pushes every other value below the window: more than a
  /// scalar flush interval (2^16) of spilled values, which must flush the scalar bins.
  @Test func spilledValuesFlushTheScalarBins() {
    var rng = SeededRandom()
    var values: [Float] = []
    for _ in 0..<9 {
      values.append(0x1p100)
      values += (0..<8191).map { _ in Float(mode: 2, bits: rng.next()) }
    }
    let matches = Self.everyKernelMatches(values, Self.oracleMoments(values))
    #expect(matches, "\(rng)")
  }

  @Test func lengthsAroundTheVectorWidthsAndTheChunk() {
    var rng = SeededRandom()
    for n in Array(0...40) + [8191, 8192, 8193, 16385] {
      let values = (0..<n).map { _ in Float(mode: Int.random(in: 1...3, using: &rng), bits: rng.next()) }
      let matches = Self.everyKernelMatches(values, Self.oracleMoments(values))
      #expect(matches, "\(rng) n=\(n)")
    }
  }

  /// Heavy-tailed values like model weights (`z · e^(2w) / 50`): most are summed in lanes.
  @Test func heavyTailedValuesMatchTheOracle() {
    var rng = SeededRandom()
    func normal() -> Double {
      let u = Double.random(in: Double.ulpOfOne..<1, using: &rng), v = Double.random(in: 0..<1, using: &rng)
      return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
    let values = (0..<20_011).map { _ in Float(normal() * exp(2 * normal()) / 50) }
    let matches = Self.everyKernelMatches(values, Self.oracleMoments(values))
    #expect(matches, "\(rng)")
  }

  /// The bfloat16 with the top half of `x`'s bits (`x` rounded toward zero).
  static func truncated(_ x: Float) -> BFloat16 { BFloat16(testBits: UInt64(x.bitPattern >> 16)) }

  @Test func everyBFloat16PatternMatchesTheNaiveMoments() {
    let values = (0..<65_536).map { BFloat16(testBits: UInt64($0)) }
    let matches = Self.everyKernelMatches(values, naiveMoments(values))
    #expect(matches)
  }

  /// bfloat16 values around the windows (from the binary32 cases above), typed and as raw
  /// bytes at both alignments, in lengths that are not multiples of 16.
  @Test func bfloat16ValuesAroundTheWindowAtEveryAlignment() {
    var rng = SeededRandom()
    for top in [1, 29, 32, 100, 254] {
      let values = (0..<8209).map { _ -> BFloat16 in
        let bits = rng.next(), offset = Int(bits % 40)
        let x = offset < 36 ? Self.float(negative: bits >> 63 == 1, exponent: max(top - offset, 0), fraction: UInt32(truncatingIfNeeded: bits >> 8))
          : Float(mode: Int(bits % 4), bits: bits)
        return Self.truncated(x)
      }
      let expected = Self.oracleMoments(values.map { Float(bitPattern: UInt32($0.testBits) << 16) })
      let matches = Self.everyKernelMatches(values, expected)
      #expect(matches, "\(rng), top \(top)")
      let data = values.flatMap { [UInt8(truncatingIfNeeded: $0.testBits), UInt8(truncatingIfNeeded: $0.testBits >> 8)] }
      for kernel in Self.kernels {
        for offset in 0..<2 {
          let shifted = [UInt8](repeating: 0x55, count: offset) + data
          var raw = MomentAccumulator()
          raw.windowKernel = kernel
          shifted.withUnsafeBytes { raw.add(contentsOf: UnsafeRawBufferPointer(rebasing: $0[offset...]), format: .bfloat16) }
          let rawMatches = momentsMatch(raw, values, expected: expected)
          #expect(rawMatches, "\(kernel) offset \(offset), \(rng), top \(top)")
        }
      }
    }
  }

  @Test func rawBytesAtEveryAlignmentMatchTypedBuffers() {
    var rng = SeededRandom()
    let values = (0..<8211).map { _ in Float(mode: Int.random(in: 0...3, using: &rng), bits: rng.next()) }
    let expected = Self.oracleMoments(values)
    let data = values.flatMap { value in (0..<4).map { UInt8(truncatingIfNeeded: value.bitPattern >> (8 * $0)) } }
    for kernel in Self.kernels {
      for offset in 0..<4 {
        let shifted = [UInt8](repeating: 0x55, count: offset) + data
        var raw = MomentAccumulator()
        raw.windowKernel = kernel
        shifted.withUnsafeBytes { raw.add(contentsOf: UnsafeRawBufferPointer(rebasing: $0[offset...]), format: .float32) }
        #expect(momentsMatch(raw, values, expected: expected), "\(kernel) offset \(offset), \(rng)")
      }
    }
  }
}
