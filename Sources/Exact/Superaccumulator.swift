/// The exact sum Σx of a stream of floats (binary16, bfloat16, binary32 and binary64,
/// mixed freely), with no rounding at all: cancellation, huge with tiny values, subnormals,
/// mixed signs and ±0 all give the exact rational sum.
///
/// Every finite float is `±m · 2^k` with an integer significand `m < 2^53`; each value adds
/// `±m` to a 128-bit signed bin for its exponent, which provably never overflows (see
/// `_SignedBins`), and `sum` adds the bins exactly at the scale `2^−1074`.
///
/// NaN and ±infinity are counted in `nonFiniteCount` and otherwise ignored. Partial
/// accumulators `merge` exactly, so shards and threads combine to the same result in any
/// order.
public struct Superaccumulator: Sendable {
  /// The number of values added, finite or not.
  public private(set) var count = 0

  /// The number of NaN and ±infinity values added (not included in the sum).
  public private(set) var nonFiniteCount = 0

  private var binary16 = _SignedBins<_Binary16Layout>()
  private var bfloat16 = _SignedBins<_BFloat16Layout>()
  private var binary32 = _SignedBins<_Binary32Layout>()
  private var binary64 = _SignedBins<_Binary64Layout>()

  /// An empty accumulator: count 0, sum 0.
  public init() {}

  /// The exact sum of the finite values added (0 when there are none).
  ///
  /// - Complexity: O(number of exponent bins used), independent of `count`.
  public var sum: Rational {
    // |Σx| < 2^63 · 2^1024 = 2^2161 units of 2^−1074 (fewer than 2^63 values): 34 limbs.
    var positive = _WideAccumulator(limbCount: 34), negative = _WideAccumulator(limbCount: 34)
    binary16.addContents(positive: &positive, negative: &negative)
    bfloat16.addContents(positive: &positive, negative: &negative)
    binary32.addContents(positive: &positive, negative: &negative)
    binary64.addContents(positive: &positive, negative: &negative)
    return Rational(positive.value - negative.value).timesPowerOfTwo(-_commonValueShift)
  }

  /// Adds every element of `buffer`.
  ///
  /// - Complexity: O(`buffer.count`), a few integer operations per element.
  public mutating func add(contentsOf buffer: UnsafeBufferPointer<Double>) {
    record(buffer.count, nonFinite: binary64.add(_TypedFloatBits(buffer: buffer)))
  }

  /// Adds every element of `buffer`.
  ///
  /// - Complexity: O(`buffer.count`), a few integer operations per element.
  public mutating func add(contentsOf buffer: UnsafeBufferPointer<Float>) {
    record(buffer.count, nonFinite: binary32.add(_TypedFloatBits(buffer: buffer)))
  }

  /// Adds every element of `buffer`.
  ///
  /// - Complexity: O(`buffer.count`), a few integer operations per element.
  public mutating func add(contentsOf buffer: UnsafeBufferPointer<Float16>) {
    record(buffer.count, nonFinite: binary16.add(_TypedFloatBits(buffer: buffer)))
  }

  /// Adds every element of `buffer`.
  ///
  /// - Complexity: O(`buffer.count`), a few integer operations per element.
  public mutating func add(contentsOf buffer: UnsafeBufferPointer<BFloat16>) {
    record(buffer.count, nonFinite: bfloat16.add(_TypedFloatBits(buffer: buffer)))
  }

  /// Merges the values of `other` into `self`, exactly.
  ///
  /// Merging is associative and commutative: any grouping or order of merges of the same
  /// parts gives the same sum and counts.
  ///
  /// - Complexity: O(number of exponent bins).
  public mutating func merge(_ other: Superaccumulator) {
    record(other.count, nonFinite: other.nonFiniteCount)
    binary16.merge(other.binary16)
    bfloat16.merge(other.bfloat16)
    binary32.merge(other.binary32)
    binary64.merge(other.binary64)
  }

  private mutating func record(_ added: Int, nonFinite: Int) {
    count += added  // traps before 2^63 values: the bound that keeps the bins from overflowing
    nonFiniteCount += nonFinite
  }
}
