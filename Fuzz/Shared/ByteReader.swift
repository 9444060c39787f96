// Shared by the libFuzzer targets of Fuzz/: the bytes of one input as bounded integers.

/// Reads bounded integers from the fuzzer's bytes; past the end it reads zeros.
struct ByteReader {
  let bytes: UnsafeBufferPointer<UInt8>
  var position = 0

  mutating func byte() -> Int {
    defer { position += 1 }
    return position < bytes.count ? Int(bytes[position]) : 0
  }

  mutating func int(in range: ClosedRange<Int>) -> Int {
    let width = range.upperBound - range.lowerBound + 1
    let raw = width > 256 ? byte() << 8 | byte() : byte()
    return range.lowerBound + raw % width
  }

  var remaining: Int { max(0, bytes.count - position) }
}
