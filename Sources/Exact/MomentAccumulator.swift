/// The exact count, sum of absolute values Σ|x| and sum of squares Σx² of a stream of
/// floats (binary16, bfloat16, binary32 and binary64, mixed freely), with no rounding.
///
/// Every finite float is `±m · 2^k` with an integer significand `m`, so Σ|x| and Σx² are
/// integers at the fixed scales `2^−1074` and `2^−2148` (the smallest binary64 subnormal and
/// its square). Values are decoded from their bits and `m`, `m²` added into small integer bins
/// per exponent, which are flushed into wide fixed-point integers before they can overflow
/// (the argument is on `_MomentBins`); nothing is ever rounded. On CPUs with AVX-512,
/// binary32 and bfloat16 values are summed in wide vector lanes instead, chunk by chunk, with
/// the same exact result (the argument is in `_ExactKernels/binary32_window.c`).
///
/// NaN and ±infinity are counted in `nonFiniteCount` and otherwise ignored; the caller
/// decides whether that is an error. Partial accumulators `merge` exactly, so shards and
/// threads combine to the same result in any order.
///
/// The wide integers are sized for any number of values below `2^63` (see `_MomentSums`).
public struct MomentAccumulator: Sendable {
  /// The number of values added, finite or not.
  public private(set) var count = 0

  /// The number of NaN and ±infinity values added (not included in the sums).
  public private(set) var nonFiniteCount = 0

  internal var sums = _MomentSums()
  internal var binary16 = _MomentBins<_Binary16Layout>()
  internal var bfloat16 = _MomentBins<_BFloat16Layout>()
  internal var binary32 = _MomentBins<_Binary32Layout>()
  internal var binary64 = _MomentBins<_Binary64Layout>()
  /// How binary32 and bfloat16 values are added (`_WindowKernel.best`: the widest kernel this
  /// CPU runs, unless `EMPKIT_KERNEL=portable`; tests pick).
  internal var windowKernel = _WindowKernel.best

  /// An empty accumulator: count 0, both sums 0.
  public init() {}

  /// An empty accumulator for runs of values each followed by `drain(into:)`: its bins also
  /// record which exponents were used (one more operation per value), so that a drain reads
  /// only those bins instead of every bin of every format in use.
  public static func forShortRuns() -> MomentAccumulator {
    var accumulator = MomentAccumulator()
    accumulator.binary16 = _MomentBins(tracksExponents: true)
    accumulator.bfloat16 = _MomentBins(tracksExponents: true)
    accumulator.binary32 = _MomentBins(tracksExponents: true)
    accumulator.binary64 = _MomentBins(tracksExponents: true)
    return accumulator
  }

  /// `Σ|x|` over the finite values, as an integer multiple of `2^−absoluteSumScale`.
  ///
  /// With `sumOfSquaresScale = 2 · absoluteSumScale`, `(Σ|x|)² / Σx²` is exactly
  /// `scaledAbsoluteSum² / scaledSumOfSquares`: the scales cancel.
  ///
  /// - Complexity: O(number of exponent bins used), independent of `count`.
  public var scaledAbsoluteSum: BigInteger { flushedSums().absolute.value }

  /// `Σx²` over the finite values, as an integer multiple of `2^−sumOfSquaresScale`.
  ///
  /// - Complexity: O(number of exponent bins used), independent of `count`.
  public var scaledSumOfSquares: BigInteger { flushedSums().squares.value }

  /// The binary exponent of the unit of `scaledAbsoluteSum`: 1074.
  public static var absoluteSumScale: Int { _commonValueShift }

  /// The binary exponent of the unit of `scaledSumOfSquares`: 2148.
  public static var sumOfSquaresScale: Int { 2 * _commonValueShift }

  /// `Σ|x|` over the finite values, exactly (0 when there are none).
  public var absoluteSum: Rational {
    Rational(scaledAbsoluteSum).timesPowerOfTwo(-Self.absoluteSumScale)
  }

  /// `Σx²` over the finite values, exactly (0 when there are none).
  public var sumOfSquares: Rational {
    Rational(scaledSumOfSquares).timesPowerOfTwo(-Self.sumOfSquaresScale)
  }

  /// Adds one binary64 value straight into the exact sums, bypassing the bins: for values
  /// that arrive one at a time, where a run of one value and `drain(into:)` would read the
  /// bins of its exponents.
  ///
  /// - Complexity: two additions into the wide sums, independent of the bins.
  public mutating func add(_ value: Double) {
    guard value.isFinite else { return record(1, nonFinite: 1) }
    record(1, nonFinite: 0)
    let (field, significand, _) = _Binary64Layout.decode(value.bitPattern)
    let shift = _Binary64Layout.valueShift(exponentField: field)
    sums.absolute.add(UInt128(significand), shiftedBy: shift)
    sums.squares.add(UInt128(significand) * UInt128(significand), shiftedBy: 2 * shift)
  }

  /// Adds every element of `buffer`.
  ///
  /// - Complexity: O(`buffer.count`), a few integer operations per element.
  public mutating func add(contentsOf buffer: UnsafeBufferPointer<Double>) {
    record(buffer.count, nonFinite: binary64.add(_TypedFloatBits(buffer: buffer), flushingInto: &sums))
  }

  /// Adds every element of `buffer`.
  ///
  /// - Complexity: O(`buffer.count`), a few integer operations per element.
  public mutating func add(contentsOf buffer: UnsafeBufferPointer<Float>) {
    guard windowKernel == .scalar else { return addThroughWindowKernel(UnsafeRawBufferPointer(buffer), elementSize: 4) }
    record(buffer.count, nonFinite: binary32.add(_TypedFloatBits(buffer: buffer), flushingInto: &sums))
  }

  /// Adds every element of `buffer`.
  ///
  /// - Complexity: O(`buffer.count`), a few integer operations per element.
  public mutating func add(contentsOf buffer: UnsafeBufferPointer<Float16>) {
    record(buffer.count, nonFinite: binary16.add(_TypedFloatBits(buffer: buffer), flushingInto: &sums))
  }

  /// Adds every element of `buffer`.
  ///
  /// - Complexity: O(`buffer.count`), a few integer operations per element.
  public mutating func add(contentsOf buffer: UnsafeBufferPointer<BFloat16>) {
    guard windowKernel == .scalar else { return addThroughWindowKernel(UnsafeRawBufferPointer(buffer), elementSize: 2) }
    record(buffer.count, nonFinite: bfloat16.add(_TypedFloatBits(buffer: buffer), flushingInto: &sums))
  }

  /// Merges the values of `other` into `self`, exactly.
  ///
  /// Merging is associative and commutative: any grouping or order of merges of the same
  /// parts gives the same sums and counts.
  ///
  /// - Complexity: O(number of exponent bins of `other`).
  public mutating func merge(_ other: MomentAccumulator) {
    record(other.count, nonFinite: other.nonFiniteCount)
    sums.add(other.flushedSums())
  }

  /// Moves every value added to `self` into `target`, exactly, and leaves `self` empty with
  /// its bins still allocated.
  ///
  /// This is how many short runs of values share one accumulator's bins (several kilobytes
  /// per storage format): add a run to one scratch accumulator, then drain it into the
  /// run's own accumulator, which never allocates bins of its own. With `forShortRuns()`
  /// only the bins of the exponents in use are read and cleared.
  ///
  /// - Complexity: O(number of exponent bins), independent of the number of values.
  public mutating func drain(into target: inout MomentAccumulator) {
    target.record(count, nonFinite: nonFiniteCount)
    (count, nonFiniteCount) = (0, 0)
    binary16.drain(into: &target.sums)
    bfloat16.drain(into: &target.sums)
    binary32.drain(into: &target.sums)
    binary64.drain(into: &target.sums)
    sums.drain(into: &target.sums)
  }

  internal mutating func record(_ added: Int, nonFinite: Int) {
    count += added  // traps before 2^63 values: the bound the wide integers are sized for
    nonFiniteCount += nonFinite
  }

  /// The sums with every bin added in.
  private func flushedSums() -> _MomentSums {
    var result = sums
    binary16.addContents(to: &result)
    bfloat16.addContents(to: &result)
    binary32.addContents(to: &result)
    binary64.addContents(to: &result)
    return result
  }
}
