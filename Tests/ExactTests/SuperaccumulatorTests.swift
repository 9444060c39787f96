import Exact
import Foundation
import PropertyBased
import Testing
import _TestSupport

// MARK: - Formats under test

/// A float storage format the exact accumulators take, as the tests build and check it.
protocol AccumulatedFloat: Sendable {
  static var exponentBitCount: Int { get }
  static var fractionBitCount: Int { get }
  /// The value whose raw bits are the low `1 + exponentBitCount + fractionBitCount` of `bits`.
  init(testBits bits: UInt64)
  /// The raw bits, zero-extended.
  var testBits: UInt64 { get }
  /// The exact value, or nil for NaN and ±infinity.
  var exactValue: Rational? { get }
  static func add(_ values: [Self], to sum: inout Superaccumulator)
  static func add(_ values: [Self], to moments: inout MomentAccumulator)
  static var largestFinite: Self { get }
}

extension AccumulatedFloat {
  static var bitCount: Int { 1 + exponentBitCount + fractionBitCount }

  /// A value from a generator draw: `mode` picks a family that stresses a different edge.
  ///   0: any bit pattern (NaN, ±infinity, subnormals, extremes); 1: a special value;
  ///   2: magnitudes in [2^−2, 2^2) with random signs (heavy cancellation);
  ///   3: subnormals and the smallest normals, either sign.
  init(mode: Int, bits: UInt64) {
    let sign = (bits >> 63) << UInt64(Self.bitCount - 1)
    let fractionMask: UInt64 = (1 << UInt64(Self.fractionBitCount)) - 1
    let fraction = bits & fractionMask
    let bias = UInt64((1 << (Self.exponentBitCount - 1)) - 1)
    let maxExponent = UInt64((1 << Self.exponentBitCount) - 1)
    func pattern(_ exponent: UInt64, _ fraction: UInt64) -> UInt64 {
      sign | exponent << UInt64(Self.fractionBitCount) | fraction
    }
    switch mode {
    case 0: self.init(testBits: bits)
    case 1:
      let specials: [UInt64] = [
        pattern(0, 0), pattern(0, 1), pattern(0, fractionMask), pattern(1, 0), pattern(bias, 0),
        pattern(maxExponent - 1, fractionMask), pattern(maxExponent, 0), pattern(maxExponent, 1),
      ]
      self.init(testBits: specials[Int((bits >> 32) % UInt64(specials.count))])
    case 2: self.init(testBits: pattern(bias - 2 + (bits >> 40) % 4, fraction))
    default: self.init(testBits: pattern((bits >> 40) % 2, fraction))
    }
  }
}

extension Float16: AccumulatedFloat {
  static var exponentBitCount: Int { 5 }
  static var fractionBitCount: Int { 10 }
  init(testBits bits: UInt64) { self.init(bitPattern: UInt16(truncatingIfNeeded: bits)) }
  var testBits: UInt64 { UInt64(bitPattern) }
  var exactValue: Rational? { try? Rational(exactly: self) }
  static func add(_ values: [Self], to sum: inout Superaccumulator) { values.withUnsafeBufferPointer { sum.add(contentsOf: $0) } }
  static func add(_ values: [Self], to moments: inout MomentAccumulator) { values.withUnsafeBufferPointer { moments.add(contentsOf: $0) } }
  static var largestFinite: Self { .greatestFiniteMagnitude }
}

extension BFloat16: AccumulatedFloat {
  static var exponentBitCount: Int { 8 }
  static var fractionBitCount: Int { 7 }
  init(testBits bits: UInt64) { self.init(bitPattern: UInt16(truncatingIfNeeded: bits)) }
  var testBits: UInt64 { UInt64(bitPattern) }
  var exactValue: Rational? { try? Rational(exactly: self) }
  static func add(_ values: [Self], to sum: inout Superaccumulator) { values.withUnsafeBufferPointer { sum.add(contentsOf: $0) } }
  static func add(_ values: [Self], to moments: inout MomentAccumulator) { values.withUnsafeBufferPointer { moments.add(contentsOf: $0) } }
  static var largestFinite: Self { BFloat16(bitPattern: 0x7F7F) }
}

extension Float: AccumulatedFloat {
  static var exponentBitCount: Int { 8 }
  static var fractionBitCount: Int { 23 }
  init(testBits bits: UInt64) { self.init(bitPattern: UInt32(truncatingIfNeeded: bits)) }
  var testBits: UInt64 { UInt64(bitPattern) }
  var exactValue: Rational? { try? Rational(exactly: self) }
  static func add(_ values: [Self], to sum: inout Superaccumulator) { values.withUnsafeBufferPointer { sum.add(contentsOf: $0) } }
  static func add(_ values: [Self], to moments: inout MomentAccumulator) { values.withUnsafeBufferPointer { moments.add(contentsOf: $0) } }
  static var largestFinite: Self { .greatestFiniteMagnitude }
}

extension Double: AccumulatedFloat {
  static var exponentBitCount: Int { 11 }
  static var fractionBitCount: Int { 52 }
  init(testBits bits: UInt64) { self.init(bitPattern: bits) }
  var testBits: UInt64 { bitPattern }
  var exactValue: Rational? { try? Rational(exactly: self) }
  static func add(_ values: [Self], to sum: inout Superaccumulator) { values.withUnsafeBufferPointer { sum.add(contentsOf: $0) } }
  static func add(_ values: [Self], to moments: inout MomentAccumulator) { values.withUnsafeBufferPointer { moments.add(contentsOf: $0) } }
  static var largestFinite: Self { .greatestFiniteMagnitude }
}

/// Raw draws for `AccumulatedFloat.init(mode:bits:)`.
let floatDraws = zip(Gen.int(in: 0...3), Gen.uint64())

// MARK: - Oracles

/// The naive exact sum: a left fold of `Rational(exactly:)` over the finite values.
func naiveSum<F: AccumulatedFloat>(_ values: [F]) -> Rational {
  values.reduce(Rational()) { sum, x in x.exactValue.map { sum + $0 } ?? sum }
}

/// The exact sum of the finite values by a balanced tree of `Rational` additions (fast enough
/// for large inputs in debug builds).
func treeSum<F: AccumulatedFloat>(_ values: ArraySlice<F>) -> Rational {
  if values.count <= 16 { return naiveSum(Array(values)) }
  let middle = values.startIndex + values.count / 2
  return treeSum(values[..<middle]) + treeSum(values[middle...])
}

func nonFiniteCount<F: AccumulatedFloat>(_ values: [F]) -> Int { values.count { $0.exactValue == nil } }

func superaccumulated<F: AccumulatedFloat>(_ values: [F]) -> Superaccumulator {
  var sum = Superaccumulator()
  F.add(values, to: &sum)
  return sum
}

/// Whether `accumulator` holds exactly the finite sum and the counts of `values`.
func sumMatches<F: AccumulatedFloat>(_ accumulator: Superaccumulator, _ values: [F], expected: Rational) -> Bool {
  accumulator.sum == expected && accumulator.count == values.count
    && accumulator.nonFiniteCount == nonFiniteCount(values)
}

// MARK: - Superaccumulator

@Suite struct SuperaccumulatorTests {
  static func randomInputsMatchNaiveSum<F: AccumulatedFloat>(_: F.Type) async {
    await seededPropertyCheck(count: 60, input: floatDraws.array(of: 0...300)) { draws in
      let values = draws.map { F(mode: $0.0, bits: $0.1) }
      #expect(sumMatches(superaccumulated(values), values, expected: naiveSum(values)), "\(F.self): \(values)")
    }
  }

  @Test func randomAndAdversarialInputsMatchTheNaiveRationalSum() async {
    await Self.randomInputsMatchNaiveSum(Float16.self)
    await Self.randomInputsMatchNaiveSum(BFloat16.self)
    await Self.randomInputsMatchNaiveSum(Float.self)
    await Self.randomInputsMatchNaiveSum(Double.self)
  }

  @Test func mixedFormatsInOneAccumulator() async {
    await seededPropertyCheck(count: 40, input: zip(floatDraws.array(of: 0...100), floatDraws.array(of: 0...100))) { a, b in
      let halves = a.map { Float16(mode: $0.0, bits: $0.1) }, bf = a.map { BFloat16(mode: $0.0, bits: $0.1) }
      let singles = b.map { Float(mode: $0.0, bits: $0.1) }, doubles = b.map { Double(mode: $0.0, bits: $0.1) }
      var sum = Superaccumulator()
      Float16.add(halves, to: &sum)
      Double.add(doubles, to: &sum)
      BFloat16.add(bf, to: &sum)
      Float.add(singles, to: &sum)
      #expect(sum.sum == naiveSum(halves) + naiveSum(bf) + naiveSum(singles) + naiveSum(doubles))
      #expect(sum.count == a.count * 2 + b.count * 2)
      #expect(sum.nonFiniteCount == nonFiniteCount(halves) + nonFiniteCount(bf) + nonFiniteCount(singles) + nonFiniteCount(doubles))
    }
  }

  @Test func extremeMagnitudesCancelExactly() {
    let values: [Double] = [1e308, 1e-308, -1e308, 5e-324, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, -0.0, 0.0]
    #expect(superaccumulated(values).sum == (try! Rational(exactly: 1e-308)) + (try! Rational(exactly: 5e-324)))
    #expect(superaccumulated([1.0, 1e100, 1.0, -1e100]).sum == Rational(2))
    #expect(superaccumulated([-0.0, -0.0]).sum == Rational())
    #expect(superaccumulated([Double]()).sum == Rational())
    #expect(superaccumulated([Float.leastNonzeroMagnitude, -Float.leastNormalMagnitude]).sum
      == Rational(1 - (1 << 23), 1).timesPowerOfTwo(-149))
  }

  static func repeatedLargestFinite<F: AccumulatedFloat>(_: F.Type) {
    // A naive float sum of these overflows to +infinity; the exact sum is 1000·max − max + ε.
    let max = F.largestFinite, tiny = F(testBits: 1), negativeMax = F(testBits: F.largestFinite.testBits | 1 << UInt64(F.bitCount - 1))
    let values = Array(repeating: max, count: 1000) + [negativeMax, tiny]
    #expect(superaccumulated(values).sum == max.exactValue! * Rational(999) + tiny.exactValue!, "\(F.self)")
  }

  @Test func repeatedLargestFiniteValuesDoNotOverflow() {
    Self.repeatedLargestFinite(Float16.self)
    Self.repeatedLargestFinite(BFloat16.self)
    Self.repeatedLargestFinite(Float.self)
    Self.repeatedLargestFinite(Double.self)
  }

  @Test func nonFiniteValuesAreCountedNotSummed() {
    let values: [Double] = [.nan, 1, .infinity, -.infinity, 2, -.nan, .signalingNaN]
    let sum = superaccumulated(values)
    #expect(sum.sum == Rational(3) && sum.count == 7 && sum.nonFiniteCount == 5)
  }

  static func mergeOrderIsIrrelevant<F: AccumulatedFloat>(_: F.Type) async {
    await seededPropertyCheck(count: 40, input: zip(floatDraws.array(of: 0...200), Gen.int(in: 0...Int.max).array(of: 0...6))) { draws, cuts in
      let values = draws.map { F(mode: $0.0, bits: $0.1) }
      let parts = split(values, at: cuts)
      let partials = parts.map(superaccumulated)
      let whole = superaccumulated(values)
      let expected = naiveSum(values)
      #expect(sumMatches(whole, values, expected: expected))
      for merged in allGroupings(partials, seed: cuts.first ?? 0) {
        #expect(sumMatches(merged, values, expected: expected), "\(F.self): parts \(parts)")
      }
    }
  }

  @Test func mergeOrderAndGroupingNeverChangeTheResult() async {
    await Self.mergeOrderIsIrrelevant(Float16.self)
    await Self.mergeOrderIsIrrelevant(BFloat16.self)
    await Self.mergeOrderIsIrrelevant(Float.self)
    await Self.mergeOrderIsIrrelevant(Double.self)
  }

  /// 10^6 mixed-sign doubles (10^5 unless `EMPKIT_DEEP=1`) of widely spread magnitudes against a balanced
  /// Rational tree and against `MomentAccumulator` sums of the positive and negative parts.
  @Test func aMillionValuesMatchTwoIndependentExactSums() {
    var rng = SeededRandom()
    let n = PropertyCheckSettings.isDeep ? 1_000_000 : 100_000
    let values = (0..<n).map { _ in Double(mode: Int.random(in: 0...2, using: &rng), bits: rng.next()) }
    let sum = superaccumulated(values)
    let positives = values.filter { $0 > 0 }, negatives = values.filter { $0 < 0 }
    var up = MomentAccumulator(), down = MomentAccumulator()
    Double.add(positives, to: &up)
    Double.add(negatives, to: &down)
    #expect(sum.sum == up.absoluteSum - down.absoluteSum, "\(rng)")
    #expect(sum.sum == treeSum(values[...]), "\(rng)")
  }
}

/// `values` cut at the positions `cuts` (reduced modulo `count + 1`): consecutive parts,
/// possibly empty, that concatenate to `values`.
func split<T>(_ values: [T], at cuts: [Int]) -> [[T]] {
  let points = ([0, values.count] + cuts.map { $0 % (values.count + 1) }).sorted()
  return zip(points, points.dropFirst()).map { Array(values[$0..<$1]) }
}

/// Merges of `parts` in different orders and groupings: left to right, right to left, a
/// balanced tree, and a seeded shuffle.
func allGroupings<A: ExactMergeable>(_ parts: [A], seed: Int) -> [A] {
  func leftFold(_ parts: [A]) -> A {
    parts.reduce(into: A()) { $0.merge($1) }
  }
  func tree(_ parts: ArraySlice<A>) -> A {
    if parts.count <= 1 { return parts.first ?? A() }
    var left = tree(parts[..<(parts.startIndex + parts.count / 2)])
    left.merge(tree(parts[(parts.startIndex + parts.count / 2)...]))
    return left
  }
  var rng = PropertyCheckSettings.generator(seed: UInt64(truncatingIfNeeded: seed))
  return [leftFold(parts), leftFold(parts.reversed()), tree(parts[...]), leftFold(parts.shuffled(using: &rng))]
}

/// The accumulators' common shape, for the merge tests.
protocol ExactMergeable {
  init()
  mutating func merge(_ other: Self)
}

extension Superaccumulator: ExactMergeable {}
extension MomentAccumulator: ExactMergeable {}
