/// The SIMD kernels over one block of scores. Each accumulates into 8 `Double` lanes
/// (every lane receives at most ⌈n/8⌉ terms) and folds the lanes pairwise (depth 3),
/// so a block of `n` scores sums with depth at most `⌈n/8⌉ + 3` (Proofs §3).
enum FastKernels {
  /// The summation depth of one block of `count` scores.
  static func blockDepth(_ count: Int) -> Int { (count + 7) / 8 + 3 }

  /// `Σ lanes`, folded pairwise: 8 → 4 → 2 → 1.
  @inlinable @inline(__always)
  static func fold(_ lanes: SIMD8<Double>) -> Double {
    let four = lanes.lowHalf + lanes.highHalf
    let two = four.lowHalf + four.highHalf
    return two.x + two.y
  }

  /// `(Σ|x|, Σx²)` of a block, in `Double`.
  @inlinable
  static func moments<T: FastScalar>(_ base: UnsafePointer<T>, count: Int) -> (Double, Double) {
    var absolute = SIMD8<Double>()
    var squares = SIMD8<Double>()
    var i = 0
    while i + 8 <= count {
      let m = T.magnitudes(base + i)
      absolute += m
      squares += m * m
      i += 8
    }
    if i < count {
      let m = T.magnitudes(base + i, count: count - i)
      absolute += m
      squares += m * m
    }
    return (fold(absolute), fold(squares))
  }

  /// What a classification pass learns about one block, for a bracket `[low, high]`.
  struct Classification {
    /// How many `|x| > high`.
    var countAbove = 0
    /// `Σ |x|` over `|x| > high`, in `Double`.
    var sumAbove = 0.0
    /// How many `|x| == high` (counted only when `low == high`).
    var countEqual = 0
  }

  /// The scores found inside a bracket, in index order, kept up to `capacity`; `total`
  /// counts them all.
  struct Candidates {
    var indices: [Int] = []
    var magnitudes: [Double] = []
    var total = 0
    let capacity: Int

    @inline(__always)
    mutating func append(index: Int, magnitude: Double) {
      total += 1
      if total <= capacity {
        indices.append(index)
        magnitudes.append(magnitude)
      }
    }
  }

  /// Counts and sums the scores of a block above `high`; when `low == high`, counts those
  /// equal to it; otherwise appends each score with `low ≤ |x| ≤ high` (in index order,
  /// indices offset by `offset`) to `candidates`.
  @inlinable
  static func classify<T: FastScalar>(
    _ base: UnsafePointer<T>, count: Int, low: Double, high: Double, offset: Int,
    candidates: inout Candidates
  ) -> Classification {
    var sum = SIMD8<Double>()
    var above = SIMD8<Int64>()
    var equal = SIMD8<Int64>()
    let countingTies = low == high
    var i = 0
    while i < count {
      let m = i + 8 <= count ? T.magnitudes(base + i) : T.magnitudes(base + i, count: count - i)
      let isAbove = m .> high
      sum += SIMD8<Double>().replacing(with: m, where: isAbove)
      above &+= SIMD8<Int64>().replacing(with: 1, where: isAbove)
      if countingTies {
        equal &+= SIMD8<Int64>().replacing(with: 1, where: m .== high)
      } else {
        let inside = (m .>= low) .& .!isAbove
        if any(inside) {
          for lane in 0..<min(8, count - i) where inside[lane] {
            candidates.append(index: offset + i + lane, magnitude: m[lane])
          }
        }
      }
      i += 8
    }
    // Padding lanes are 0: they count as equal only when high == 0, and never as above.
    let padding = (8 - count % 8) % 8
    let paddedEqual = countingTies && high == 0 ? padding : 0
    return Classification(
      countAbove: Int(above.wrappedSum()), sumAbove: fold(sum), countEqual: Int(equal.wrappedSum()) - paddedEqual)
  }

  /// The keep bits of 8 scores: `|x| > threshold`, or `|x| == threshold` where
  /// `tiesKept` says so for that lane (bit `k` for lane `k`).
  @inlinable @inline(__always)
  static func keepBits(_ m: SIMD8<Double>, threshold: Double, tiesKept: SIMDMask<SIMD8<Int64>>) -> UInt64 {
    let keep = (m .> threshold) .| ((m .== threshold) .& tiesKept)
    let weights = SIMD8<Int64>(1, 2, 4, 8, 16, 32, 64, 128)
    return UInt64(SIMD8<Int64>().replacing(with: weights, where: keep).wrappedSum())
  }

  /// Calls `body(offset, bits)` for each group of 8 scores of a block (the last group may be
  /// short; its high bits are 0), with the keep bits of the cut: scores above `threshold`,
  /// and scores equal to it whose block offset is at most `lastTieOffset`.
  @inlinable
  static func forEachKeepGroup<T: FastScalar>(
    _ base: UnsafePointer<T>, count: Int, threshold: Double, lastTieOffset: Int,
    _ body: (_ offset: Int, _ bits: UInt64) -> Void
  ) {
    let lanes = SIMD8<Int64>(0, 1, 2, 3, 4, 5, 6, 7)
    var i = 0
    while i < count {
      let short = count - i < 8
      let m = short ? T.magnitudes(base + i, count: count - i) : T.magnitudes(base + i)
      let ties = lanes .<= SIMD8<Int64>(repeating: Int64(clamping: lastTieOffset &- i))
      var bits = keepBits(m, threshold: threshold, tiesKept: ties)
      if short { bits &= (1 << UInt64(count - i)) - 1 }
      body(i, bits)
      i += 8
    }
  }
}
