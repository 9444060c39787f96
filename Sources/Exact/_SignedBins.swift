/// Per-exponent signed integer bins holding Σ±m of the values of one storage format
/// (`m` the integer significand, see `_FloatLayout`), in `_interleavedWays` interleaved sets.
///
/// **Why no bin overflows, ever.** `m < 2^53` in every format, and a bin receives at most one
/// term per value accumulated. Counts are `Int`s that trap on overflow, so fewer than `2^63`
/// values reach any bin, even across merges: `|bin| < 2^63 · 2^53 = 2^116 < 2^127`. The bins
/// are therefore never flushed; `Int128` wrapping arithmetic (`&+=`) is used only because it
/// provably never wraps. The bin of the all-ones exponent field (NaN, ±infinity) is never read.
internal struct _SignedBins<Layout: _FloatLayout>: Sendable {
  /// `[e · _interleavedWays + way]`; empty until first used.
  private var bins: [Int128] = []

  init() {}

  private mutating func allocate() {
    if bins.isEmpty { bins = Array(repeating: 0, count: Layout.exponentFieldCount * _interleavedWays) }
  }

  /// Adds every element of `source`.
  ///
  /// - Returns: the number of non-finite elements (counted, not summed).
  mutating func add(_ source: some _FloatBitsSource<Layout>) -> Int {
    allocate()
    var nonFinite = 0
    bins.withUnsafeMutableBufferPointer { buffer in
      let bins = buffer.baseAddress!
      source.forEachBits(in: 0 ..< source.count) { bits, way in
        let (e, m, negative) = Layout.decode(bits)
        let sign: Int64 = negative ? -1 : 0
        bins[e &* _interleavedWays &+ way] &+= Int128((Int64(bitPattern: m) ^ sign) &- sign)
        nonFinite &+= e == Layout.exponentMask ? 1 : 0
      }
    }
    return nonFinite
  }

  /// Adds the bins of `other`.
  mutating func merge(_ other: Self) {
    guard !other.bins.isEmpty else { return }
    allocate()
    for i in bins.indices { bins[i] &+= other.bins[i] }
  }

  /// Adds the positive finite bins to `positive` and the magnitudes of the negative ones to
  /// `negative`, at the common scale `2^−1074`.
  func addContents(positive: inout _WideAccumulator, negative: inout _WideAccumulator) {
    guard !bins.isEmpty else { return }
    for e in 0..<Layout.exponentMask {
      let shift = Layout.valueShift(exponentField: e)
      for way in 0..<_interleavedWays {
        let bin = bins[e * _interleavedWays + way]
        if bin > 0 {
          positive.add(bin.magnitude, shiftedBy: shift)
        } else {
          negative.add(bin.magnitude, shiftedBy: shift)
        }
      }
    }
  }
}
