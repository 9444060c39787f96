import Testing

@testable import EMPFast

/// The binary32 images of binary16 magnitudes, against the scalar magnitudes, for every one of
/// the 65,536 bit patterns: each image is the binary32 pattern of `|x|` (NaN and ±∞: +∞), so
/// the widened images are the magnitudes and the image comparisons with a bracket decide
/// `|x| ≥ low` and `|x| ≥ high` as binary64 comparisons do.
@Suite struct BinaryImageTests {
  @Test func binary16ImagesAreTheMagnitudesForEveryPattern() {
    let values = (0..<65_536).map { Float16(bitPattern: UInt16($0)) }
    let brackets = [
      Bracket(low: 0, high: .infinity), Bracket(low: 0x1p-24, high: 1), Bracket(low: 1.0 / 3, high: 65504),
      Bracket(low: 0x1p-20 * 3, high: 0x1p-14), Bracket(low: 2049, high: 70000),
    ]
    values.withUnsafeBufferPointer { buffer in
      for start in stride(from: 0, to: buffer.count, by: 8) {
        let pointer = buffer.baseAddress! + start
        let expected = SIMD8<Double>((0..<8).map { Float16.magnitude(pointer[$0]) })
        let magnitudes = Float16.magnitudes(pointer)
        #expect(magnitudes == expected, "patterns from \(start)")
        for bracket in brackets {
          let (kept, high, low) = Float16.classify(pointer, bracket)
          #expect(high == SIMDBits.bits(expected .>= bracket.high), "patterns from \(start), \(bracket)")
          #expect(low == SIMDBits.bits(expected .>= bracket.low), "patterns from \(start), \(bracket)")
          #expect(kept == SIMD8<Double>().replacing(with: expected, where: expected .>= bracket.high))
        }
      }
    }
  }
}
