/// A random-access run of floats of one storage format, read as raw bits.
internal protocol _FloatBitsSource<Layout> {
  associatedtype Layout: _FloatLayout
  var count: Int { get }
  /// The bits of element `index`, sign bit at position
  /// `Layout.exponentBitCount + Layout.fractionBitCount`, zero above.
  func bits(at index: Int) -> UInt64
}

/// A float type whose values the exact accumulators read from typed buffers.
internal protocol _StoredFloat {
  associatedtype Layout: _FloatLayout
  var _rawBits: UInt64 { get }
}

extension Float16: _StoredFloat {
  typealias Layout = _Binary16Layout
  @inline(__always) var _rawBits: UInt64 { UInt64(bitPattern) }
}

extension BFloat16: _StoredFloat {
  typealias Layout = _BFloat16Layout
  @inline(__always) var _rawBits: UInt64 { UInt64(bitPattern) }
}

extension Float: _StoredFloat {
  typealias Layout = _Binary32Layout
  @inline(__always) var _rawBits: UInt64 { UInt64(bitPattern) }
}

extension Double: _StoredFloat {
  typealias Layout = _Binary64Layout
  @inline(__always) var _rawBits: UInt64 { bitPattern }
}

/// The elements of a typed buffer.
internal struct _TypedFloatBits<Element: _StoredFloat>: _FloatBitsSource {
  typealias Layout = Element.Layout
  let buffer: UnsafeBufferPointer<Element>
  @inline(__always) var count: Int { buffer.count }
  @inline(__always) func bits(at index: Int) -> UInt64 { buffer[index]._rawBits }
}

/// Little-endian elements of `Word` width at any alignment in raw memory.
internal struct _UnalignedFloatBits<Layout: _FloatLayout, Word: FixedWidthInteger & UnsignedInteger>:
  _FloatBitsSource
{
  let bytes: UnsafeRawBufferPointer
  @inline(__always) var count: Int { bytes.count / MemoryLayout<Word>.size }
  @inline(__always) func bits(at index: Int) -> UInt64 {
    UInt64(Word(littleEndian: bytes.loadUnaligned(fromByteOffset: index &* MemoryLayout<Word>.size, as: Word.self)))
  }
}

/// The number of interleaved bin sets of the exact accumulators: consecutive elements go to
/// different sets, so a run of values with one exponent does not serialise on one bin's
/// store-to-load latency.
internal let _interleavedWays = 4

extension _FloatBitsSource {
  /// Calls `body(bits, way)` for the elements in `range` in order, with `way` cycling through
  /// `0 ..< _interleavedWays` (4-fold unrolled; the tail uses way 0).
  @inline(__always)
  func forEachBits(in range: Range<Int>, _ body: (UInt64, Int) -> Void) {
    var i = range.lowerBound
    while range.upperBound &- i >= 4 {
      body(bits(at: i), 0)
      body(bits(at: i &+ 1), 1)
      body(bits(at: i &+ 2), 2)
      body(bits(at: i &+ 3), 3)
      i &+= 4
    }
    while i < range.upperBound {
      body(bits(at: i), 0)
      i &+= 1
    }
  }
}
