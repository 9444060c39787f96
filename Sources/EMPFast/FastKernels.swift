/// The SIMD kernels over one block of scores. Each accumulates into 8 `Double` lanes
/// (every lane receives at most ⌈n/8⌉ terms) and folds the lanes pairwise (depth 3),
/// so a block of `n` scores sums with depth at most `⌈n/8⌉ + 3` (Proofs §3).
enum FastKernels {
  /// The summation depth of one block of `count` scores.
  static func blockDepth(_ count: Int) -> Int { (count + 7) / 8 + 3 }

  /// `Σ lanes`, folded pairwise: 8 → 4 → 2 → 1.
  @inline(__always)
  static func fold(_ lanes: SIMD8<Double>) -> Double {
    let four = lanes.lowHalf + lanes.highHalf
    let two = four.lowHalf + four.highHalf
    return two.x + two.y
  }

  /// `(Σ|x|, Σx²)` of a block, in `Double`.
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

  /// What a pass against a bracket learns about one block.
  struct BlockCut {
    /// How many `|x| ≥ high`.
    var countAbove = 0
    /// `Σ |x|` over `|x| ≥ high`, in `Double` (same tree as `moments`).
    var sumAbove = 0.0
  }

  /// Classifies a block of scores against `bracket`: scores `≥ high` are counted, summed and
  /// marked kept in `mask`; each group of 8 holding scores in `[low, high)` is handed to
  /// `inside`, whose returned bits are marked kept too. `index` is the mask position of
  /// `base` (a multiple of 64 for bit masks).
  @inline(__always)
  static func classify<T: FastScalar, Mask: KeepMask, Inside: BracketInterior>(
    _ base: UnsafePointer<T>, count: Int, bracket: Bracket, index: Int, mask: Mask, inside: inout Inside
  ) -> BlockCut {
    var kept = SIMD8<Double>()
    var above = 0
    var i = 0
    while i + 64 <= count {
      var high: UInt64 = 0
      var low: UInt64 = 0
      for g in stride(from: 0, to: 64, by: 16) {
        let c = T.classify16(base + i + g, bracket)
        kept += c.kept
        kept += c.nextKept
        high |= c.high << UInt64(g)
        low |= c.low << UInt64(g)
      }
      // One branch per 64 scores: the inside scores are rare, and where they are not, a
      // branch per group of 8 would be mispredicted often.
      let interior = low & ~high
      let word = interior != 0 ? high | inside.visit(interior, at: i, of: base + i) : high
      above &+= high.nonzeroBitCount
      mask.store(word, at: index + i, count: 64)
      i += 64
    }
    if i < count {
      var high: UInt64 = 0
      var low: UInt64 = 0
      for g in stride(from: 0, to: count - i, by: 8) {
        let n = min(8, count - i - g)
        let c = T.padded(base + i + g, count: n) { T.classify($0, bracket) }
        kept += c.kept
        high |= (c.high & SIMDBits.low(n)) << UInt64(g)
        low |= (c.low & SIMDBits.low(n)) << UInt64(g)
      }
      let interior = low & ~high
      let word = interior != 0 ? high | inside.visit(interior, at: i, of: base + i) : high
      above &+= high.nonzeroBitCount
      mask.store(word, at: index + i, count: count - i)
    }
    return BlockCut(countAbove: above, sumAbove: fold(kept))
  }
}

/// What a classification does with the scores inside the bracket.
protocol BracketInterior {
  /// Called with the bits of the inside lanes of the (up to) 64 scores at `values` (block
  /// offset `offset`); returns the lanes to mark kept now.
  mutating func visit<T: FastScalar>(_ lanes: UInt64, at offset: Int, of values: UnsafePointer<T>) -> UInt64
  /// Called before each block with the global index of its first score.
  mutating func beginBlock(at globalIndex: Int)
}

extension BracketInterior {
  mutating func beginBlock(at globalIndex: Int) {}
}

/// Where the keep bits of a classification go.
protocol KeepMask {
  /// Stores the keep bits of the `count ≤ 64` scores from `index` (bit `k` for `index + k`).
  func store(_ bits: UInt64, at index: Int, count: Int)
}

/// A keep mask whose single entries can be set after the classification.
protocol InsertableKeepMask: KeepMask {
  /// Marks score `index` kept.
  func insert(_ index: Int)
}
