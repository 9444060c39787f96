import Exact
import PropertyBased
import Testing
import _TestSupport

/// The naive exact Σ|x| and Σx² over the finite values: left folds of `Rational(exactly:)`.
func naiveMoments<F: AccumulatedFloat>(_ values: [F]) -> (absolute: Rational, squares: Rational) {
  values.reduce((Rational(), Rational())) { sums, x in
    guard let v = x.exactValue else { return sums }
    return (sums.0 + (v < Rational() ? -v : v), sums.1 + v * v)
  }
}

func momentAccumulated<F: AccumulatedFloat>(_ values: [F]) -> MomentAccumulator {
  var moments = MomentAccumulator()
  F.add(values, to: &moments)
  return moments
}

/// Whether `moments` holds exactly the given sums and the counts of `values`, through both
/// the `Rational` results and the scaled integers.
func momentsMatch<F: AccumulatedFloat>(
  _ moments: MomentAccumulator, _ values: [F], expected: (absolute: Rational, squares: Rational)
) -> Bool {
  moments.absoluteSum == expected.absolute && moments.sumOfSquares == expected.squares
    && Rational(moments.scaledAbsoluteSum) == expected.absolute.timesPowerOfTwo(MomentAccumulator.absoluteSumScale)
    && Rational(moments.scaledSumOfSquares) == expected.squares.timesPowerOfTwo(MomentAccumulator.sumOfSquaresScale)
    && moments.count == values.count && moments.nonFiniteCount == nonFiniteCount(values)
}

@Suite struct MomentAccumulatorTests {
  static func randomInputsMatchNaiveMoments<F: AccumulatedFloat>(_: F.Type) async {
    await seededPropertyCheck(count: 60, input: floatDraws.array(of: 0...300)) { draws in
      let values = draws.map { F(mode: $0.0, bits: $0.1) }
      #expect(momentsMatch(momentAccumulated(values), values, expected: naiveMoments(values)), "\(F.self): \(values)")
    }
  }

  @Test func randomAndAdversarialInputsMatchTheNaiveRationalMoments() async {
    await Self.randomInputsMatchNaiveMoments(Float16.self)
    await Self.randomInputsMatchNaiveMoments(BFloat16.self)
    await Self.randomInputsMatchNaiveMoments(Float.self)
    await Self.randomInputsMatchNaiveMoments(Double.self)
  }

  /// Single values added straight into the sums (`add(_:)`), mixed with buffers in the bins,
  /// hold the naive moments: random and adversarial binary64 values (subnormals, the largest
  /// finite values, zeros of both signs, ±∞ and NaN).
  @Test func singleValuesAddedStraightIntoTheSumsMatchTheNaiveMoments() async {
    await seededPropertyCheck(count: 60, input: floatDraws.array(of: 0...200)) { draws in
      let values = draws.map { Double(mode: $0.0, bits: $0.1) }
      var moments = MomentAccumulator()
      for (i, value) in values.enumerated() {
        if i % 3 == 2 {
          [value].withUnsafeBufferPointer { moments.add(contentsOf: $0) }
        } else {
          moments.add(value)
        }
      }
      #expect(momentsMatch(moments, values, expected: naiveMoments(values)), "\(values)")
    }
  }

  static func everyPattern<F: AccumulatedFloat>(_: F.Type) {
    let values = (0..<65_536).map { F(testBits: UInt64($0)) }
    #expect(momentsMatch(momentAccumulated(values), values, expected: naiveMoments(values)), "\(F.self)")
  }

  @Test func allSixteenBitPatternsAsOneInput() {
    Self.everyPattern(Float16.self)
    Self.everyPattern(BFloat16.self)
  }

  static func lengthsAroundTheUnrollWidth<F: AccumulatedFloat>(_: F.Type) {
    var rng = SeededRandom()
    for n in [0, 1, 2, 3, 4, 5, 7, 8, 9, 1003] {
      let values = (0..<n).map { _ in F(mode: Int.random(in: 0...3, using: &rng), bits: rng.next()) }
      #expect(momentsMatch(momentAccumulated(values), values, expected: naiveMoments(values)), "\(F.self) n=\(n), \(rng)")
    }
  }

  @Test func lengthsThatAreNotMultiplesOfTheUnrollWidth() {
    Self.lengthsAroundTheUnrollWidth(Float16.self)
    Self.lengthsAroundTheUnrollWidth(BFloat16.self)
    Self.lengthsAroundTheUnrollWidth(Float.self)
    Self.lengthsAroundTheUnrollWidth(Double.self)
  }

  /// 1,000,003 binary32 values: Σ|x| against the signed `Superaccumulator` of |x|, Σx² against
  /// it on the squares (exact in binary64 for binary32 inputs).
  @Test func aMillionAndThreeValues() {
    var rng = SeededRandom()
    let values = (0..<1_000_003).map { _ in Float(mode: Int.random(in: 0...3, using: &rng), bits: rng.next()) }
    let finite = values.filter(\.isFinite)
    var absolute = Superaccumulator(), squares = Superaccumulator()
    Double.add(finite.map { Double($0.magnitude) }, to: &absolute)
    Double.add(finite.map { Double($0) * Double($0) }, to: &squares)
    #expect(momentsMatch(momentAccumulated(values), values, expected: (absolute.sum, squares.sum)), "\(rng)")
  }

  static func flushesBins<F: AccumulatedFloat>(_: F.Type, count: Int) {
    // Runs of the largest finite value all land in one exponent bin: more of them than one
    // flush interval, so every bin overflow guard is exercised, with a ragged tail.
    let max = F.largestFinite.exactValue!
    let values = [F](repeating: .largestFinite, count: count) + [F(testBits: 1)]
    let tiny = F(testBits: 1).exactValue!
    let expected = (Rational(count) * max + tiny, Rational(count) * max * max + tiny * tiny)
    #expect(momentsMatch(momentAccumulated(values), values, expected: expected), "\(F.self) ×\(count)")
  }

  @Test func binsFlushBeforeTheyCanOverflow() {
    Self.flushesBins(Float.self, count: 3 << 16 + 3)        // binary32 flushes every 2^16 values
    Self.flushesBins(Double.self, count: (1 << 22) + 5)     // binary64 flushes every 2^22 values
    Self.flushesBins(Float16.self, count: 100_001)
    Self.flushesBins(BFloat16.self, count: 100_001)
  }

  static func mergeOrderIsIrrelevant<F: AccumulatedFloat>(_: F.Type) async {
    await seededPropertyCheck(count: 30, input: zip(floatDraws.array(of: 0...200), Gen.int(in: 0...Int.max).array(of: 0...6))) { draws, cuts in
      let values = draws.map { F(mode: $0.0, bits: $0.1) }
      let expected = naiveMoments(values)
      for merged in allGroupings(split(values, at: cuts).map(momentAccumulated), seed: cuts.first ?? 0) {
        #expect(momentsMatch(merged, values, expected: expected), "\(F.self): cuts \(cuts) of \(values)")
      }
    }
  }

  @Test func mergeOrderAndGroupingNeverChangeTheResult() async {
    await Self.mergeOrderIsIrrelevant(Float16.self)
    await Self.mergeOrderIsIrrelevant(BFloat16.self)
    await Self.mergeOrderIsIrrelevant(Float.self)
    await Self.mergeOrderIsIrrelevant(Double.self)
  }

  @Test func mixedFormatsAndMergesAcrossFlushes() {
    // One accumulator takes all four formats; a second, merged in, has pending bins of its own.
    var rng = SeededRandom()
    let singles = (0..<70_000).map { _ in Float(mode: Int.random(in: 0...3, using: &rng), bits: rng.next()) }
    let halves = (0..<500).map { _ in Float16(mode: Int.random(in: 0...3, using: &rng), bits: rng.next()) }
    let brains = (0..<500).map { _ in BFloat16(mode: Int.random(in: 0...3, using: &rng), bits: rng.next()) }
    let doubles = (0..<500).map { _ in Double(mode: Int.random(in: 0...3, using: &rng), bits: rng.next()) }
    var a = momentAccumulated(singles)
    Float16.add(halves, to: &a)
    var b = momentAccumulated(doubles)
    BFloat16.add(brains, to: &b)
    a.merge(b)
    let parts = [naiveMoments(singles), naiveMoments(halves), naiveMoments(brains), naiveMoments(doubles)]
    let expected = parts.reduce((Rational(), Rational())) { ($0.0 + $1.absolute, $0.1 + $1.squares) }
    #expect(a.absoluteSum == expected.0 && a.sumOfSquares == expected.1, "\(rng)")
    #expect(a.count == 71_500)
    #expect(
      a.nonFiniteCount == nonFiniteCount(singles) + nonFiniteCount(halves) + nonFiniteCount(brains) + nonFiniteCount(doubles),
      "\(rng)")
  }

  @Test func rawBytesAtAnyAlignmentMatchTypedBuffers() {
    var rng = SeededRandom()
    let doubles = (0..<257).map { _ in Double(mode: Int.random(in: 0...3, using: &rng), bits: rng.next()) }
    let cases: [(MomentAccumulator.ElementFormat, [UInt8], MomentAccumulator)] = [
      (.float64, bytes(of: doubles), momentAccumulated(doubles)),
      (.float32, bytes(of: doubles.map { Float($0) }), momentAccumulated(doubles.map { Float($0) })),
      (.float16, bytes(of: doubles.map { Float16($0) }), momentAccumulated(doubles.map { Float16($0) })),
      (.bfloat16, bytes(of: doubles.map { BFloat16(testBits: UInt64(Float($0).bitPattern >> 16)) }),
       momentAccumulated(doubles.map { BFloat16(testBits: UInt64(Float($0).bitPattern >> 16)) })),
    ]
    for (format, data, typed) in cases {
      let shifted = [0x55] + data  // one byte off any natural alignment
      var raw = MomentAccumulator()
      shifted.withUnsafeBytes { raw.add(contentsOf: UnsafeRawBufferPointer(rebasing: $0[1...]), format: format) }
      #expect(raw.absoluteSum == typed.absoluteSum && raw.sumOfSquares == typed.sumOfSquares, "\(format), \(rng)")
      #expect(raw.count == typed.count && raw.nonFiniteCount == typed.nonFiniteCount, "\(format), \(rng)")
    }
  }

  @Test func emptyAndZeroInputs() {
    let empty = MomentAccumulator()
    #expect(empty.absoluteSum == Rational() && empty.sumOfSquares == Rational() && empty.count == 0)
    let zeros = momentAccumulated([0.0, -0.0, 0.0])
    #expect(zeros.absoluteSum == Rational() && zeros.sumOfSquares == Rational() && zeros.count == 3)
  }
}

/// The little-endian bytes of `values`.
private func bytes<T: AccumulatedFloat>(of values: [T]) -> [UInt8] {
  values.flatMap { value in (0..<MemoryLayout<T>.size).map { UInt8(truncatingIfNeeded: value.testBits >> (8 * UInt64($0))) } }
}
