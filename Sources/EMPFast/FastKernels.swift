/// The SIMD kernels over one block of scores. Each accumulates into 16 `Double` lanes
/// (every lane receives at most ⌈n/16⌉ terms) and folds the lanes pairwise (depth 4),
/// so a block of `n` scores sums with depth at most `⌈n/16⌉ + 4` (Proofs §3).
enum FastKernels {
  /// The summation depth of one block of `count` scores.
  static func blockDepth(_ count: Int) -> Int { (count + 15) / 16 + 4 }

  /// `Σ lanes`, folded pairwise: 16 → 8 → 4 → 2 → 1.
  @inlinable @inline(__always)
  static func fold(_ lanes: SIMD16<Double>) -> Double {
    let eight = lanes.lowHalf + lanes.highHalf
    let four = eight.lowHalf + eight.highHalf
    let two = four.lowHalf + four.highHalf
    return two.x + two.y
  }

  /// `(Σ|x|, Σx²)` of a block, in `Double`.
  @inlinable
  static func moments<T: FastScalar>(_ base: UnsafePointer<T>, count: Int) -> (Double, Double) {
    var absolute = SIMD16<Double>()
    var squares = SIMD16<Double>()
    var i = 0
    while i + 16 <= count {
      let m = T.magnitudes(base + i)
      absolute += m
      squares += m * m
      i += 16
    }
    if i < count {
      let m = T.magnitudes(base + i, count: count - i)
      absolute += m
      squares += m * m
    }
    return (fold(absolute), fold(squares))
  }

  /// `Σ x` of a block of `Float`s in `Double`: the plain one-sum pass benchmarks compare against.
  @inlinable
  static func plainSum(_ base: UnsafePointer<Float>, count: Int) -> Double {
    var lanes = SIMD16<Double>()
    var i = 0
    while i + 16 <= count {
      lanes += SIMD16<Double>(UnsafeRawPointer(base + i).loadUnaligned(as: SIMD16<Float>.self))
      i += 16
    }
    while i < count {
      lanes[0] += Double(base[i])
      i += 1
    }
    return fold(lanes)
  }

  /// What a classification pass learns about one block, for a bracket `[low, high]`.
  struct Classification {
    /// How many `|x| > high`.
    var countAbove = 0
    /// `Σ |x|` over `|x| > high`, in `Double`.
    var sumAbove = 0.0
    /// How many `|x| == high`.
    var countEqual = 0
  }

  /// Counts and sums the scores of a block above `high`, counts those equal to it, and
  /// reports each score with `low ≤ |x| ≤ high` (in index order) to `candidate` when
  /// `collecting`.
  @inlinable
  static func classify<T: FastScalar>(
    _ base: UnsafePointer<T>, count: Int, low: Double, high: Double,
    collecting: Bool, candidate: (_ offset: Int, _ magnitude: Double) -> Void
  ) -> Classification {
    var sum = SIMD16<Double>()
    var above = SIMD16<Double>()
    var equal = SIMD16<Double>()
    let one = SIMD16<Double>(repeating: 1)
    let zero = SIMD16<Double>()
    var i = 0
    while i < count {
      let m = i + 16 <= count ? T.magnitudes(base + i) : T.magnitudes(base + i, count: count - i)
      let isAbove = m .> high
      sum += zero.replacing(with: m, where: isAbove)
      above += zero.replacing(with: one, where: isAbove)
      equal += zero.replacing(with: one, where: m .== high)
      if collecting {
        let inside = (m .>= low) .& (m .<= high)
        if any(inside) {
          for lane in 0..<min(16, count - i) where inside[lane] { candidate(i + lane, m[lane]) }
        }
      }
      i += 16
    }
    // Padding lanes are 0: they count as equal only when high == 0, and never as above.
    let padding = (16 - count % 16) % 16
    let paddedEqual = high == 0 ? padding : 0
    return Classification(
      countAbove: Int(fold(above)), sumAbove: fold(sum), countEqual: Int(fold(equal)) - paddedEqual)
  }

  /// The keep bits of 16 scores at `base`: `|x| > threshold`, or `|x| == threshold` where
  /// `tiesKept` says so for that lane (bit `k` for lane `k`).
  @inlinable @inline(__always)
  static func keepBits(_ m: SIMD16<Double>, threshold: Double, tiesKept: SIMDMask<SIMD16<Int64>>) -> UInt64 {
    let keep = (m .> threshold) .| ((m .== threshold) .& tiesKept)
    let weights = SIMD16<Int64>(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768)
    return UInt64(SIMD16<Int64>().replacing(with: weights, where: keep).wrappedSum())
  }

  /// Calls `body(offset, bits)` for each group of 16 scores of a block (the last group may be
  /// short; its high bits are 0), with the keep bits of the cut: scores above `threshold`,
  /// and scores equal to it whose block offset is at most `lastTieOffset`.
  @inlinable
  static func forEachKeepGroup<T: FastScalar>(
    _ base: UnsafePointer<T>, count: Int, threshold: Double, lastTieOffset: Int,
    _ body: (_ offset: Int, _ bits: UInt64) -> Void
  ) {
    let lanes = SIMD16<Int64>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
    var i = 0
    while i < count {
      let short = count - i < 16
      let m = short ? T.magnitudes(base + i, count: count - i) : T.magnitudes(base + i)
      let ties = lanes .<= SIMD16<Int64>(repeating: Int64(clamping: lastTieOffset &- i))
      var bits = keepBits(m, threshold: threshold, tiesKept: ties)
      if short { bits &= (1 << UInt64(count - i)) - 1 }
      body(i, bits)
      i += 16
    }
  }
}
