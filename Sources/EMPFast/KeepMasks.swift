/// No mask: the classification only counts and sums.
struct NoKeepMask: InsertableKeepMask {
  @inline(__always) func store(_ bits: UInt64, at index: Int, count: Int) {}
  func insert(_ index: Int) {}
  func insert(_ index: Int, if kept: Bool) {}
}

/// One bit per score (`MaskDestination.bits`); `index` of `store` is a multiple of 64.
struct BitKeepMask: InsertableKeepMask {
  let words: UnsafeMutablePointer<UInt64>

  @inline(__always) func store(_ bits: UInt64, at index: Int, count: Int) { words[index &>> 6] = bits }

  func insert(_ index: Int) { words[index >> 6] |= 1 << UInt64(index & 63) }
  @inline(__always) func insert(_ index: Int, if kept: Bool) {
    words[index >> 6] |= UInt64(kept ? 1 : 0) << UInt64(index & 63)
  }
}

/// One byte per score (`MaskDestination.bytes`).
struct ByteKeepMask: InsertableKeepMask {
  let bytes: UnsafeMutablePointer<UInt8>

  @inline(__always) func store(_ bits: UInt64, at index: Int, count: Int) {
    let weights = SIMD8<UInt8>(1, 2, 4, 8, 16, 32, 64, 128)
    var k = 0
    while k + 8 <= count {
      let lanes = SIMD8<UInt8>(repeating: UInt8(truncatingIfNeeded: bits >> UInt64(k))) & weights
      let flags = SIMD8<UInt8>().replacing(with: 1, where: lanes .!= 0)
      UnsafeMutableRawPointer(bytes + index + k).storeBytes(of: flags, as: SIMD8<UInt8>.self)
      k += 8
    }
    while k < count {
      bytes[index + k] = UInt8(truncatingIfNeeded: bits >> UInt64(k) & 1)
      k += 1
    }
  }

  func insert(_ index: Int) { bytes[index] = 1 }
  @inline(__always) func insert(_ index: Int, if kept: Bool) { bytes[index] |= kept ? 1 : 0 }
}

/// In-place pruning: the scores whose keep bit is 0 are set to zero.
struct PruningKeepMask<T: FastScalar>: KeepMask {
  let scores: UnsafeMutablePointer<T>

  @inline(__always) func store(_ bits: UInt64, at index: Int, count: Int) {
    var pruned = ~bits & SIMDBits.low(count)
    while pruned != 0 {
      scores[index + pruned.trailingZeroBitCount] = T.zero
      pruned &= pruned &- 1
    }
  }
}

/// Keeps the scores inside a bracket `[t, t⁺)` (the ties at `t`) up to a block offset.
struct TieKeeper: BracketInterior {
  /// The block offset of the last kept tie (may lie outside the block).
  let lastTieOffset: Int

  @inline(__always)
  mutating func visit<T: FastScalar>(_ lanes: UInt64, at offset: Int, of values: UnsafePointer<T>) -> UInt64 {
    let last = lastTieOffset &- offset
    return last < 0 ? 0 : lanes & SIMDBits.low(min(last, 63) + 1)
  }

  static var takesLists: Bool { false }
  func record(offsets: UnsafeBufferPointer<UInt32>, images: UnsafeBufferPointer<UInt32>) {
    preconditionFailure("TieKeeper: marks ties by visit only")
  }
}

/// Counts the scores inside the bracket and records them (global index and magnitude, in
/// index order) while there are at most `limit` of them.
struct InteriorRecorder: BracketInterior {
  let limit: Int
  var indices: [Int] = []
  var magnitudes: [Double] = []
  /// How many scores were inside, counted even past the limit.
  var count = 0
  /// The global index of the current block's first score.
  private var blockStart = 0

  init(limit: Int) { self.limit = limit }

  /// Gives the recorder room for `capacity` entries, from the spare pools.
  mutating func reserve(_ capacity: Int) {
    indices = SparePools.recordedIndices.take(capacity: capacity)
    magnitudes = SparePools.recordedMagnitudes.take(capacity: capacity)
  }

  mutating func beginBlock(at globalIndex: Int) { blockStart = globalIndex }

  /// Out of line, so that the rare call leaves the classification loop's registers alone.
  @inline(never)
  mutating func visit<T: FastScalar>(_ lanes: UInt64, at offset: Int, of values: UnsafePointer<T>) -> UInt64 {
    var lanes = lanes
    while lanes != 0 {
      let lane = lanes.trailingZeroBitCount
      count += 1
      if count <= limit {
        indices.append(blockStart + offset + lane)
        magnitudes.append(T.magnitude(values[lane]))
      }
      lanes &= lanes &- 1
    }
    return 0
  }

  /// Marks the recorded scores above `t` kept in `mask`, then moves their magnitudes (in
  /// index order) to the front of `magnitudes` and the indices of the scores equal to `t` (in
  /// index order) to the front of `indices`; returns how many of each.
  mutating func partitionAbout(_ t: Double, mask: some InsertableKeepMask) -> (greater: Int, tied: Int) {
    var greater = 0
    var tied = 0
    indices.withUnsafeMutableBufferPointer { indices in
      magnitudes.withUnsafeMutableBufferPointer { magnitudes in
        // About half the records lie above `t`, in no pattern: no branch on it.
        for k in 0..<indices.count {
          let (index, m) = (indices[k], magnitudes[k])
          let above = m > t
          magnitudes[greater] = m
          greater &+= above ? 1 : 0
          mask.insert(index, if: above)
          indices[tied] = index
          tied &+= m == t ? 1 : 0
        }
      }
    }
    return (greater, tied)
  }

  static var takesLists: Bool { true }

  mutating func record(offsets: UnsafeBufferPointer<UInt32>, images: UnsafeBufferPointer<UInt32>) {
    let taken = min(offsets.count, max(0, limit - count))
    count += offsets.count
    let (blockStart, start) = (blockStart, indices.count)
    // Grown first, then written through pointers: appending a lazy map goes element by element.
    indices.append(contentsOf: repeatElement(0, count: taken))
    magnitudes.append(contentsOf: repeatElement(0, count: taken))
    indices.withUnsafeMutableBufferPointer { indices in
      for k in 0..<taken { indices[start + k] = blockStart + Int(offsets[k]) }
    }
    magnitudes.withUnsafeMutableBufferPointer { magnitudes in
      for k in 0..<taken { magnitudes[start + k] = Double(Float(bitPattern: images[k])) }
    }
  }
}
