// Shared by the libFuzzer targets of Fuzz/: the bytes of one input as bounded integers.

/// Reads bounded integers from the fuzzer's bytes; past the end it reads zeros.
public struct ByteReader {
  /// The input.
  public let bytes: UnsafeBufferPointer<UInt8>
  /// The next byte to read.
  public var position = 0

  /// A reader at the start of `bytes`.
  public init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

  /// The next byte, 0 past the end.
  public mutating func byte() -> Int {
    defer { position += 1 }
    return position < bytes.count ? Int(bytes[position]) : 0
  }

  /// An integer in `range` from the next byte (two bytes for a range wider than 256).
  public mutating func int(in range: ClosedRange<Int>) -> Int {
    let width = range.upperBound - range.lowerBound + 1
    let raw = width > 256 ? byte() << 8 | byte() : byte()
    return range.lowerBound + raw % width
  }

  /// How many bytes are left.
  public var remaining: Int { max(0, bytes.count - position) }
}
