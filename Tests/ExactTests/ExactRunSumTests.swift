import Exact
import PropertyBased
import Testing
import _TestSupport

/// A format `ExactRunSum` sums: binary32 and bfloat16, whose values are binary32 values.
protocol RunSummedFloat: AccumulatedFloat {
  var float: Float { get }
  static func absoluteSum(_ values: UnsafeBufferPointer<Self>) -> Double?
  static func columnAbsoluteSums(
    _ values: UnsafeBufferPointer<Self>, columns: Int, range: Range<Int>, into sums: UnsafeMutableBufferPointer<Double>)
}

extension RunSummedFloat {
  static func absoluteSum(_ values: [Self]) -> Double? { values.withUnsafeBufferPointer(absoluteSum) }
  static func columnSums(_ values: [Self], columns: Int, range: Range<Int>) -> [Double] {
    [Double](unsafeUninitializedCapacity: range.count) { sums, count in
      values.withUnsafeBufferPointer { columnAbsoluteSums($0, columns: columns, range: range, into: sums) }
      count = range.count
    }
  }
}

extension Float: RunSummedFloat {
  var float: Float { self }
  static func absoluteSum(_ values: UnsafeBufferPointer<Self>) -> Double? { ExactRunSum.absoluteSum(values) }
  static func columnAbsoluteSums(
    _ values: UnsafeBufferPointer<Self>, columns: Int, range: Range<Int>, into sums: UnsafeMutableBufferPointer<Double>
  ) { ExactRunSum.columnAbsoluteSums(values, columns: columns, range: range, into: sums) }
}

extension BFloat16: RunSummedFloat {
  var float: Float { floatValue }
  static func absoluteSum(_ values: UnsafeBufferPointer<Self>) -> Double? { ExactRunSum.absoluteSum(values) }
  static func columnAbsoluteSums(
    _ values: UnsafeBufferPointer<Self>, columns: Int, range: Range<Int>, into sums: UnsafeMutableBufferPointer<Double>
  ) { ExactRunSum.columnAbsoluteSums(values, columns: columns, range: range, into: sums) }
}

/// Whether the documented test holds for `values`, computed from the values themselves: no
/// NaN or infinity, and `E_hi − max(1, E_lo) + ⌈log₂ n⌉ ≤ 29` over the nonzero magnitudes'
/// binary32 exponent fields (vacuous when every value is zero).
func runSumTestHolds<F: RunSummedFloat>(_ values: [F]) -> Bool {
  let floats = values.map(\.float)
  guard floats.allSatisfy(\.isFinite) else { return false }
  let fields = floats.filter { $0 != 0 }.map { Int($0.exponentBitPattern) }
  guard let high = fields.max(), let low = fields.min() else { return true }
  var countBits = 0
  while 1 << countBits < values.count { countBits += 1 }
  return high - max(1, low) + countBits <= 29
}

@Suite struct ExactRunSumTests {
  /// Draws whose exponents are confined to a few binades around a random one, so that most
  /// runs pass the test, mixed with `floatDraws`' adversarial families, which mostly fail it.
  static let runDraws = zip(Gen.int(in: 0...5), Gen.uint64(), Gen.int(in: 1...254))

  static func value<F: RunSummedFloat>(_ draw: (Int, UInt64, Int)) -> F {
    let (mode, bits, centre) = draw
    guard mode >= 4 else { return F(mode: mode, bits: bits) }
    // A binary32 of exponent field within 8 of `centre`, any sign and fraction.
    let field = UInt32(min(254, max(0, centre + Int(bits >> 60) - 8)))
    let float = Float(bitPattern: UInt32(truncatingIfNeeded: bits >> 32) & 0x807F_FFFF | field << 23)
    return F(testBits: F.self == Float.self ? UInt64(float.bitPattern) : UInt64(float.bitPattern >> 16))
  }

  static func runSumsAreExactWhereTheTestHolds<F: RunSummedFloat>(_: F.Type) async {
    await seededPropertyCheck(count: 200, input: runDraws.array(of: 0...300)) { draws in
      let values: [F] = draws.map(value)
      let sum = F.absoluteSum(values)
      #expect((sum != nil) == runSumTestHolds(values), "\(F.self): \(values.map(\.float))")
      if let sum { #expect((try? Rational(exactly: sum)) == naiveMoments(values).absolute, "\(F.self): \(values.map(\.float))") }
    }
  }

  @Test func runSumsAreExactWhereverTheTestHoldsAndAbsentElsewhere() async {
    await Self.runSumsAreExactWhereTheTestHolds(Float.self)
    await Self.runSumsAreExactWhereTheTestHolds(BFloat16.self)
  }

  /// At the edge of the test, two values with full significands (24 bits each): it passes at a
  /// spread of 28 binades; at 29 it fails though binary64 still holds this sum (the test keeps
  /// a bit for a carry that two such values cannot make); at 30 binary64 rounds it.
  @Test func theTestStopsBeforeBinary64Rounds() throws {
    let full = Float(1).nextDown * 2  // 2 − 2^−23: the significand (2^24 − 1)·2^−23
    for (spread, passes, naiveIsExact) in [(28, true, true), (29, false, true), (30, false, false)] {
      let (large, small) = (full, Float(sign: .plus, exponent: -spread, significand: full))
      let sum = Float.absoluteSum([large, small])
      #expect((sum != nil) == passes, "spread \(spread)")
      let exact = try Rational(exactly: large) + Rational(exactly: small)
      #expect((try Rational(exactly: Double(large) + Double(small)) == exact) == naiveIsExact, "spread \(spread)")
      if let sum { #expect(try Rational(exactly: sum) == exact) }
    }
  }

  static func columnSumsAreTheColumnsRunSums<F: RunSummedFloat>(_: F.Type) async {
    let input = zip(runDraws.array(of: 0...240), Gen.int(in: 1...24), Gen.uint64())
    await seededPropertyCheck(count: 100, input: input) { draws, columns, cut in
      let values: [F] = Array(draws.map(value).prefix(draws.count / columns * columns))
      let lower = Int(cut % UInt64(columns)), upper = lower + 1 + Int((cut >> 32) % UInt64(columns - lower))
      let sums = F.columnSums(values, columns: columns, range: lower..<upper)
      for (offset, j) in (lower..<upper).enumerated() {
        let column = stride(from: j, to: values.count, by: columns).map { values[$0] }
        let expected = F.absoluteSum(column)
        #expect(sums[offset].isNaN ? expected == nil : sums[offset] == expected, "\(F.self) column \(j) of \(values.map(\.float))")
      }
    }
  }

  @Test func columnSumsAreEachColumnsRunSum() async {
    await Self.columnSumsAreTheColumnsRunSums(Float.self)
    await Self.columnSumsAreTheColumnsRunSums(BFloat16.self)
  }

  /// Runs drained one by one from a shared accumulator (plain, or `forShortRuns()`, which
  /// drains only the exponents it saw) into several targets give each target what adding its
  /// runs directly gives (sums, counts and non-finite counts), in every format.
  @Test func drainingMovesEveryValueExactly() async {
    let input = zip(floatDraws.array(of: 0...200), floatDraws.array(of: 0...200), Gen.int(in: 0...7))
    await seededPropertyCheck(count: 80, input: input) { first, second, choice in
      let (format, tracks) = (choice % 4, choice >= 4)
      var shared = tracks ? MomentAccumulator.forShortRuns() : MomentAccumulator()
      var (targets, direct) = ([MomentAccumulator(), MomentAccumulator()], [MomentAccumulator(), MomentAccumulator()])
      for (target, draws) in [(0, first), (1, second), (0, second)] {
        func run<F: AccumulatedFloat>(_: F.Type) {
          let values = draws.map { F(mode: $0.0, bits: $0.1) }
          F.add(values, to: &shared)
          F.add(values, to: &direct[target])
        }
        switch format {
        case 0: run(Float16.self)
        case 1: run(BFloat16.self)
        case 2: run(Float.self)
        default: run(Double.self)
        }
        shared.drain(into: &targets[target])
        #expect(shared.count == 0 && shared.absoluteSum == 0 && shared.sumOfSquares == 0)
      }
      for (target, expected) in zip(targets, direct) {
        #expect(target.scaledAbsoluteSum == expected.scaledAbsoluteSum)
        #expect(target.scaledSumOfSquares == expected.scaledSumOfSquares)
        #expect(target.count == expected.count && target.nonFiniteCount == expected.nonFiniteCount)
      }
    }
  }
}
