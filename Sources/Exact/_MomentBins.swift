/// Per-exponent integer bins holding Σm and Σm² of the values of one storage format that
/// were added since the last flush (`m` the integer significand, see `_FloatLayout`).
///
/// A value with exponent field `e` adds `m` to bin `(e, way, 0)` and `m²` to bin `(e, way, 1)`;
/// `way` cycles through `_interleavedWays` bin sets so that consecutive values with equal
/// exponents do not wait on each other's stores. Flushing adds every bin, shifted to the
/// common fixed-point scale, to the wide accumulators and clears it.
///
/// **Why no bin overflows.** `m < 2^(fractionBitCount+1)`, so `m² < 2^(2·fractionBitCount+2)`.
/// A bin of `B` bits therefore holds `2^(B − 2·fractionBitCount − 2)` additions of `m²` (and
/// more of `m`); `flushInterval` is that number (capped at `2^62`), and the bins are
/// flushed as soon as that many values (over all ways together) have been added:
/// binary64 `m² < 2^106` in `UInt128` bins, flush every `2^22` values; binary32 `m² < 2^48`
/// in `UInt64`, every `2^16`; binary16 `m² < 2^22`, every `2^42`; bfloat16 `m² < 2^16`, every
/// `2^48`. The bins of the all-ones exponent field (NaN, ±infinity) only tell whether such
/// values occurred; they are counted, never summed.
internal struct _MomentBins<Layout: _FloatLayout>: Sendable {
  typealias Bin = Layout.MomentBin

  static var flushInterval: Int {
    1 << min(Bin.bitWidth - 2 * (Layout.fractionBitCount + 1), 62)
  }

  /// `[((e · _interleavedWays) + way) · 2 + k]`, `k = 0` for Σm, `1` for Σm²; empty until first used.
  private var bins: [Bin] = []
  /// Values added since the last flush.
  private var pending = 0
  /// Whether `touched` is kept (one more operation per value), for accumulators drained
  /// after every short run.
  private let tracksExponents: Bool
  /// When `tracksExponents`, bit `e >> touchShift` is set when a value of exponent field `e`
  /// was added since the last flush: a drain reads only those exponents' bins (else all).
  private var touched: UInt64 = 0
  private static var touchShift: Int { max(0, Layout.exponentBitCount - 6) }

  init(tracksExponents: Bool = false) { self.tracksExponents = tracksExponents }

  /// Adds every element of `source`, flushing into `sums` whenever a flush interval fills up.
  ///
  /// - Returns: the number of non-finite elements (counted, not summed).
  mutating func add(_ source: some _FloatBitsSource<Layout>, flushingInto sums: inout _MomentSums) -> Int {
    if bins.isEmpty { bins = Array(repeating: 0, count: Layout.exponentFieldCount * _interleavedWays * 2) }
    var done = 0, nonFinite = 0
    while done < source.count {
      let take = min(source.count - done, Self.flushInterval - pending)
      nonFinite += bins.withUnsafeMutableBufferPointer {
        tracksExponents
          ? Self.accumulate(source, from: done, count: take, into: $0.baseAddress!, tracking: &touched)
          : Self.accumulate(source, from: done, count: take, into: $0.baseAddress!, tracking: nil)
      }
      done += take
      pending += take
      if pending == Self.flushInterval { flush(into: &sums) }
    }
    return nonFinite
  }

  /// The hot loop: `count` elements from `start`.
  ///
  /// Non-finite values are not counted per element: they all land in the bins of the
  /// all-ones exponent field, whose Σm grows by at least `2^fractionBitCount` per such value
  /// and cannot wrap within one flush interval (the bound above), so it is non-zero exactly
  /// when the chunk held one. Only then is the chunk scanned to count them, and those bins
  /// are cleared.
  @inline(__always)
  private static func accumulate(
    _ source: some _FloatBitsSource<Layout>, from start: Int, count: Int,
    into bins: UnsafeMutablePointer<Bin>, tracking touched: UnsafeMutablePointer<UInt64>?
  ) -> Int {
    var mask: UInt64 = 0
    source.forEachBits(in: start ..< start + count) { bits, way in
      let (e, m, _) = Layout.decode(bits)
      let slot = (e &* _interleavedWays &+ way) &* 2
      let significand = Bin(truncatingIfNeeded: m)
      bins[slot] &+= significand
      bins[slot &+ 1] &+= significand &* significand
      if touched != nil { mask |= 1 &<< UInt64(truncatingIfNeeded: e &>> touchShift) }
    }
    touched?.pointee |= mask
    let nonFiniteBins = bins + Layout.exponentMask * _interleavedWays * 2
    guard (0..<_interleavedWays * 2).contains(where: { nonFiniteBins[$0] != 0 }) else { return 0 }
    nonFiniteBins.update(repeating: 0, count: _interleavedWays * 2)
    return (start ..< start + count).count { Layout.decode(source.bits(at: $0)).exponentField == Layout.exponentMask }
  }

  /// Adds the finite bins, at the common scale, to `sums` (no clearing).
  func addContents(to sums: inout _MomentSums) {
    guard !bins.isEmpty else { return }
    for e in 0..<Layout.exponentMask {
      let shift = Layout.valueShift(exponentField: e)
      for way in 0..<_interleavedWays {
        let slot = (e * _interleavedWays + way) * 2
        sums.absolute.add(UInt128(bins[slot]), shiftedBy: shift)
        sums.squares.add(UInt128(bins[slot + 1]), shiftedBy: 2 * shift)
      }
    }
  }

  /// Moves the bins into `sums` and clears them, reading and writing only the bins of the
  /// exponents in use when `tracksExponents`: then cheap enough after every short run.
  mutating func drain(into sums: inout _MomentSums) {
    guard pending > 0 else { return }
    bins.withUnsafeMutableBufferPointer { bins in
      var mask = tracksExponents ? touched : .max
      while mask != 0 {
        let first = mask.trailingZeroBitCount << Self.touchShift
        guard first < Layout.exponentMask else { break }  // the non-finite field is never summed
        mask &= mask &- 1
        for e in first..<min(first + 1 << Self.touchShift, Layout.exponentMask) {
          let shift = Layout.valueShift(exponentField: e)
          for way in 0..<_interleavedWays {
            let slot = (e * _interleavedWays + way) * 2
            // Σm is zero only when every value of the bin was zero, and then so is Σm².
            guard bins[slot] != 0 else { continue }
            sums.absolute.add(UInt128(bins[slot]), shiftedBy: shift)
            sums.squares.add(UInt128(bins[slot + 1]), shiftedBy: 2 * shift)
            (bins[slot], bins[slot + 1]) = (0, 0)
          }
        }
      }
    }
    (pending, touched) = (0, 0)
  }

  /// Moves the bins into `sums` and clears them.
  mutating func flush(into sums: inout _MomentSums) {
    addContents(to: &sums)
    for i in bins.indices { bins[i] = 0 }
    (pending, touched) = (0, 0)
  }
}

/// Σ|x| and Σx² as integers at the common scales `2^−1074` and `2^−2148`.
///
/// **Width.** At most `2^63` values are ever accumulated (counts are `Int`s that trap on
/// overflow). `Σ|x| < 2^63 · 2^1024 = 2^2161` units of `2^−1074` fits 34 limbs of 64 bits,
/// `Σx² < 2^63 · 2^2048 = 2^4259` units of `2^−2148` fits 67 limbs; the largest bin shifts
/// (2045 and 4090 bits, plus a 128-bit bin) stay below those widths too.
internal struct _MomentSums: Sendable {
  var absolute = _WideAccumulator(limbCount: 34)
  var squares = _WideAccumulator(limbCount: 67)

  mutating func add(_ other: _MomentSums) {
    absolute.add(other.absolute)
    squares.add(other.squares)
  }

  /// Adds these sums to `other` and sets them to zero.
  mutating func drain(into other: inout _MomentSums) {
    guard !absolute.isZero || !squares.isZero else { return }
    other.add(self)
    self = _MomentSums()
  }
}
