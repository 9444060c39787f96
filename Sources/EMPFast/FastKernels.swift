import _FastKernels

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

  /// `(Σ|x|, Σx²)` of a block, in `Double`; `kernel` reads blocks of every
  /// score format.
  @inline(__always)
  static func moments<T: FastScalar>(_ base: UnsafePointer<T>, count: Int, kernel: VectorKernel) -> SIMD2<Double> {
    #if arch(x86_64)
    if kernel >= .avx2, hasVectorKernels(T.self) {
      precondition(count <= Parallel.blockSize, "FastKernels: block too long")
      var lanes = (absolute: SIMD8<Double>(), squares: SIMD8<Double>())
      withUnsafeMutableBytes(of: &lanes.absolute) { absolute in
        withUnsafeMutableBytes(of: &lanes.squares) { squares in
          let a = absolute.baseAddress!.assumingMemoryBound(to: Double.self)
          let s = squares.baseAddress!.assumingMemoryBound(to: Double.self)
          if let format = T.imageFormat {
            (kernel >= .avx512 ? fast_moments_avx512 : fast_moments_avx2)(base, count, format, a, s)
          } else {
            let doubles = UnsafeRawPointer(base).assumingMemoryBound(to: Double.self)
            (kernel >= .avx512 ? fast_moments64_avx512 : fast_moments64_avx2)(doubles, count, a, s)
          }
        }
      }
      return SIMD2(fold(lanes.absolute), fold(lanes.squares))
    }
    #endif
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
    return SIMD2(fold(absolute), fold(squares))
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
  /// `kernel` reads blocks of every score format (`VectorKernel`).
  @inline(__always)
  static func classify<T: FastScalar, Mask: KeepMask, Inside: BracketInterior>(
    _ base: UnsafePointer<T>, count: Int, bracket: Bracket, index: Int, mask: Mask, inside: inout Inside,
    kernel: VectorKernel
  ) -> BlockCut {
    #if arch(x86_64)
    if kernel >= .avx2, hasVectorKernels(T.self) {
      return classifyVector(base, count: count, bracket: bracket, index: index, mask: mask, inside: &inside, kernel: kernel)
    }
    #endif
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

  #if arch(x86_64)
  /// Whether the AVX2 and AVX-512 kernels read blocks of `T`: binary32, bfloat16 and
  /// binary16 (on their magnitudes' binary32 images) and binary64.
  @inline(__always)
  private static func hasVectorKernels<T: FastScalar>(_: T.Type) -> Bool {
    T.imageFormat != nil || T.self == Double.self
  }

  /// `classify` through an AVX2 or AVX-512 kernel; the kernel returns the lane bits of each 64
  /// scores, the 8 lanes of kept magnitudes in the order of additions of the portable code,
  /// and, for binary32 images and an `inside` that takes lists, the inside scores of the block
  /// (else `inside` visits the interior words).
  @inline(__always)
  private static func classifyVector<T: FastScalar, Mask: KeepMask, Inside: BracketInterior>(
    _ base: UnsafePointer<T>, count: Int, bracket: Bracket, index: Int, mask: Mask, inside: inout Inside,
    kernel: VectorKernel
  ) -> BlockCut {
    let block = Int(FAST_BLOCK)
    precondition(count <= block, "FastKernels: block too long")
    let lists = Inside.takesLists && T.imageFormat != nil
    let words = block / 64, listRoom = lists ? block : 0
    return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 2 * words) { bits in
      withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 2 * listRoom) { listSpace in
        let high = bits.baseAddress!, interior = high + words
        let offsets = lists ? listSpace.baseAddress : nil
        var lanes = SIMD8<Double>()
        let listed = withUnsafeMutableBytes(of: &lanes) { lanes in
          let kept = lanes.baseAddress!.assumingMemoryBound(to: Double.self)
          guard let format = T.imageFormat else {
            let doubles = UnsafeRawPointer(base).assumingMemoryBound(to: Double.self)
            (kernel >= .avx512 ? fast_classify64_avx512 : fast_classify64_avx2)(
              doubles, count, bracket.low, bracket.high, high, interior, kept)
            return 0
          }
          let classify =
            kernel == .avx512vbmi2 ? fast_classify_avx512_vbmi2 : kernel == .avx512 ? fast_classify_avx512 : fast_classify_avx2
          return classify(
            base, count, format, bracket.lowImage, bracket.highImage, high, interior, kept, offsets,
            offsets.map { $0 + listRoom })
        }
        if let offsets {
          inside.record(
            offsets: UnsafeBufferPointer(start: offsets, count: listed),
            images: UnsafeBufferPointer(start: offsets + listRoom, count: listed))
        }
        var above = 0
        var i = 0
        for w in 0..<(count + 63) / 64 {
          let word = !lists && interior[w] != 0 ? high[w] | inside.visit(interior[w], at: i, of: base + i) : high[w]
          above &+= high[w].nonzeroBitCount
          mask.store(word, at: index + i, count: min(64, count - i))
          i += 64
        }
        return BlockCut(countAbove: above, sumAbove: fold(lanes))
      }
    }
  }
  #endif
}

/// What a classification does with the scores inside the bracket.
protocol BracketInterior {
  /// Called with the bits of the inside lanes of the (up to) 64 scores at `values` (block
  /// offset `offset`); returns the lanes to mark kept now.
  mutating func visit<T: FastScalar>(_ lanes: UInt64, at offset: Int, of values: UnsafePointer<T>) -> UInt64
  /// Called before each block with the global index of its first score.
  mutating func beginBlock(at globalIndex: Int)
  /// Whether the vector kernels may hand over a block's inside scores as lists (`record`)
  /// instead of calling `visit`, which must then mark nothing kept. (Binary64 blocks are
  /// always visited: the lists hold binary32 images.)
  static var takesLists: Bool { get }
  /// Called once per block by a vector kernel when `takesLists`, with the block offsets
  /// and binary32 magnitude images of the inside scores, in index order.
  mutating func record(offsets: UnsafeBufferPointer<UInt32>, images: UnsafeBufferPointer<UInt32>)
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
  /// Marks score `index` kept when `kept`, without a branch.
  func insert(_ index: Int, if kept: Bool)
}
