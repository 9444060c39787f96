import _ExactKernels

/// Exact `Σ|x|` of a short run of binary32 or bfloat16 values in plain binary64 arithmetic,
/// where binary64 provably holds every partial sum (one vector addition per 8 values, where
/// `MomentAccumulator` bins each value by its exponent), and `nil` where the argument does
/// not apply.
///
/// **Why the sum is exact.** A nonzero binary32 magnitude of exponent field `E ≥ 1` is an
/// integer multiple of `2^(E−150)` below `2^(E−126)`; a subnormal one (`E = 0`) is a multiple
/// of `2^−149`. Let `E_lo` be the larger of 1 and the least field of a nonzero value of the
/// run, `E_hi` the greatest field and `n` the count. Every sum of a subset of the magnitudes
/// is then an integer multiple of `2^(E_lo−150)` below `n · 2^(E_hi−126) ≤
/// 2^(E_hi−126+⌈log₂ n⌉)`. When `E_hi − E_lo + ⌈log₂ n⌉ ≤ 29` that is fewer than `2^53`
/// units, so every such sum is a binary64 number: each addition, in any order and any
/// arrangement of vector lanes, has a representable exact result and is therefore exact.
/// A NaN or infinity has `E = 255` and fails the test. Every bfloat16 value is the binary32
/// value with the same upper 16 bits, so the same argument covers it.
public enum ExactRunSum {
  /// `Σ|x|` over `values`, exactly, or `nil` when binary64 might not hold a partial sum
  /// (a spread of exponents too wide for the count) or a value is NaN or infinite.
  ///
  /// - Complexity: O(`values.count`), one pass of vector operations.
  public static func absoluteSum(_ values: UnsafeBufferPointer<Float>) -> Double? { sum(values) }

  /// `Σ|x|` over `values`, exactly, or `nil` (as for binary32 values).
  ///
  /// - Complexity: O(`values.count`), one pass of vector operations.
  public static func absoluteSum(_ values: UnsafeBufferPointer<BFloat16>) -> Double? { sum(values) }

  /// The column sums `Σ_i |x_ij|` of the columns `range` of a matrix of `columns` columns
  /// stored row by row in `values`, each exact, into `sums[j − range.lowerBound]`; a column
  /// whose sum the test of the type's argument (with `n` the number of rows) does not prove
  /// exact, or that holds a NaN or infinity, gets NaN instead.
  ///
  /// - Precondition: `values.count` is a multiple of `columns`, `range` lies within
  ///   `0..<columns`, and `sums.count == range.count`.
  /// - Complexity: O(`values.count`), one pass of vector operations over each row.
  public static func columnAbsoluteSums(
    _ values: UnsafeBufferPointer<Float>, columns: Int, range: Range<Int>, into sums: UnsafeMutableBufferPointer<Double>
  ) { columnSums(values, columns: columns, range: range, into: sums) }

  /// As for binary32 values.
  public static func columnAbsoluteSums(
    _ values: UnsafeBufferPointer<BFloat16>, columns: Int, range: Range<Int>, into sums: UnsafeMutableBufferPointer<Double>
  ) { columnSums(values, columns: columns, range: range, into: sums) }

  private static let magnitude: UInt32 = 0x7FFF_FFFF

  /// Whether column sums run through the AVX2 kernel of `_ExactKernels` (the same results):
  /// when this CPU runs it, unless `EMPKIT_KERNEL=portable` (`KernelPolicy`).
  internal static let columnSumsUseAVX2: Bool = {
    #if arch(x86_64)
    return !KernelPolicy.portableOnly && exact_column_sums_avx2_supported() != 0
    #else
    return false
    #endif
  }()

  /// The sum of the magnitudes of `values`, eight at a time and then one at a time, with the
  /// test.
  @inline(__always)
  private static func sum<T: _Binary32Bits>(_ values: UnsafeBufferPointer<T>) -> Double? {
    guard let base = values.baseAddress else { return 0 }
    let count = values.count
    var total = SIMD8<Double>()
    // The greatest magnitude's bits, and the least nonzero one's bits minus one (zero wraps
    // to the largest value, so zeros never decide the least).
    var high = SIMD8<UInt32>(), lowMinusOne = SIMD8<UInt32>(repeating: .max)
    var i = 0
    while count - i >= 8 {
      let bits = T.bits8(base + i) & magnitude
      high = pointwiseMax(high, bits)
      lowMinusOne = pointwiseMin(lowMinusOne, bits &- 1)
      total += SIMD8<Double>(unsafeBitCast(bits, to: SIMD8<Float>.self))
      i += 8
    }
    var (highest, lowestMinusOne, tail) = (high.max(), lowMinusOne.min(), 0.0)
    while i < count {
      let bits = base[i].binary32Bits & magnitude
      (highest, lowestMinusOne) = (max(highest, bits), min(lowestMinusOne, bits &- 1))
      tail += Double(Float(bitPattern: bits))
      i += 1
    }
    return isExact(highest: highest, lowestMinusOne: lowestMinusOne, count: count) ? total.sum() + tail : nil
  }

  /// The column sums of `columnAbsoluteSums`, the columns of each row eight at a time (in
  /// the AVX2 kernel where `columnSumsUseAVX2`).
  @inline(__always)
  private static func columnSums<T: _Binary32Bits>(
    _ values: UnsafeBufferPointer<T>, columns: Int, range: Range<Int>, into sums: UnsafeMutableBufferPointer<Double>
  ) {
    guard let base = values.baseAddress else { return sums.update(repeating: 0) }
    let rows = values.count / columns
    precondition(range.lowerBound >= 0 && range.upperBound <= columns && sums.count == range.count)
    let width = range.count
    var high = [UInt32](repeating: 0, count: width), lowMinusOne = [UInt32](repeating: .max, count: width)
    sums.update(repeating: 0)
    high.withUnsafeMutableBufferPointer { high in
      lowMinusOne.withUnsafeMutableBufferPointer { lowMinusOne in
        defer {
          for j in 0..<width where !isExact(highest: high[j], lowestMinusOne: lowMinusOne[j], count: rows) {
            sums[j] = .nan
          }
        }
        #if arch(x86_64)
        if columnSumsUseAVX2 {
          return exact_column_sums_avx2(
            base + range.lowerBound, MemoryLayout<T>.size, rows, columns, width, sums.baseAddress!, high.baseAddress!,
            lowMinusOne.baseAddress!)
        }
        #endif
        let (h, l) = (UnsafeMutableRawPointer(high.baseAddress!), UnsafeMutableRawPointer(lowMinusOne.baseAddress!))
        let t = UnsafeMutableRawPointer(sums.baseAddress!)
        for row in 0..<rows {
          let first = row * columns + range.lowerBound
          var j = 0
          while width - j >= 8 {
            let bits = T.bits8(base + first + j) & magnitude
            let (highs, lows) = (h.loadUnaligned(fromByteOffset: 4 * j, as: SIMD8<UInt32>.self), l.loadUnaligned(fromByteOffset: 4 * j, as: SIMD8<UInt32>.self))
            h.storeBytes(of: pointwiseMax(highs, bits), toByteOffset: 4 * j, as: SIMD8<UInt32>.self)
            l.storeBytes(of: pointwiseMin(lows, bits &- 1), toByteOffset: 4 * j, as: SIMD8<UInt32>.self)
            let total = t.loadUnaligned(fromByteOffset: 8 * j, as: SIMD8<Double>.self)
            t.storeBytes(of: total + SIMD8<Double>(unsafeBitCast(bits, to: SIMD8<Float>.self)), toByteOffset: 8 * j, as: SIMD8<Double>.self)
            j += 8
          }
          while j < width {
            let bits = base[first + j].binary32Bits & magnitude
            (high[j], lowMinusOne[j]) = (max(high[j], bits), min(lowMinusOne[j], bits &- 1))
            sums[j] += Double(Float(bitPattern: bits))
            j += 1
          }
        }
      }
    }
  }

  /// The test of the argument above: `E_hi − E_lo + ⌈log₂ count⌉ ≤ 29` and no NaN or
  /// infinity, given the greatest magnitude's bits and the least nonzero one's minus one
  /// (`UInt32.max` when every value is zero: their sum, 0, is exact).
  private static func isExact(highest: UInt32, lowestMinusOne: UInt32, count: Int) -> Bool {
    guard lowestMinusOne != .max else { return true }
    let (hi, lo) = (Int(highest >> 23), max(1, Int((lowestMinusOne &+ 1) >> 23)))
    let countBits = count <= 1 ? 0 : Int.bitWidth - (count - 1).leadingZeroBitCount
    return hi < 255 && hi - lo + countBits <= 29
  }
}

/// A format whose values are binary32 values, read as binary32 bit patterns.
protocol _Binary32Bits {
  /// The binary32 bit pattern of this value.
  var binary32Bits: UInt32 { get }
  /// The binary32 bit patterns of the 8 values at `pointer`.
  static func bits8(_ pointer: UnsafePointer<Self>) -> SIMD8<UInt32>
}

extension Float: _Binary32Bits {
  var binary32Bits: UInt32 { bitPattern }
  @inline(__always) static func bits8(_ pointer: UnsafePointer<Float>) -> SIMD8<UInt32> {
    UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<UInt32>.self)
  }
}

extension BFloat16: _Binary32Bits {
  var binary32Bits: UInt32 { UInt32(bitPattern) << 16 }
  @inline(__always) static func bits8(_ pointer: UnsafePointer<BFloat16>) -> SIMD8<UInt32> {
    SIMD8<UInt32>(truncatingIfNeeded: UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<UInt16>.self)) &<< 16
  }
}
