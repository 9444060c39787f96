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

  /// Every vector kernel reads binary16 blocks as the portable code does: over all 65,536
  /// patterns (subnormals, NaN and ±∞ included), in blocks of 8192 and a ragged tail, the
  /// moments' lanes, and against several brackets the keep bits, the counts and sums above
  /// and the recorded inside scores, are bit for bit the portable ones.
  @Test func binary16BlocksReadTheSameInEveryKernel() {
    let values = (0..<65_536).map { Float16(bitPattern: UInt16($0)) } + (0..<77).map { Float16(Float($0) / 7) }
    let brackets = [
      Bracket(low: 0, high: .infinity), Bracket(low: 0x1p-24, high: 1), Bracket(low: 1.0 / 3, high: 65504),
      Bracket(low: 0x1p-20 * 3, high: 0x1p-14), Bracket(low: 2049, high: 70000),
    ]
    values.withUnsafeBufferPointer { buffer in
      for start in stride(from: 0, to: buffer.count, by: Parallel.blockSize) {
        let base = buffer.baseAddress! + start, count = min(Parallel.blockSize, buffer.count - start)
        let context = "block at \(start)"
        let portable = FastKernels.moments(base, count: count, kernel: .portable)
        for bracket in brackets {
          let expected = Self.classification(base, count: count, bracket: bracket, kernel: .portable)
          for kernel in VectorKernel.available.dropFirst() {
            let moments = FastKernels.moments(base, count: count, kernel: kernel)
            #expect(moments.x.bitPattern == portable.x.bitPattern && moments.y.bitPattern == portable.y.bitPattern, "\(kernel) moments, \(context)")
            let found = Self.classification(base, count: count, bracket: bracket, kernel: kernel)
            #expect(found.words == expected.words, "\(kernel) keep bits, \(context), \(bracket)")
            #expect(found.above == expected.above && found.sumBits == expected.sumBits, "\(kernel) above, \(context), \(bracket)")
            #expect(found.inside == expected.inside, "\(kernel) inside scores, \(context), \(bracket)")
          }
        }
      }
    }
  }

  /// The keep bits, the count and sum (bits) above, and the recorded inside scores of one
  /// block's classification.
  private static func classification(
    _ base: UnsafePointer<Float16>, count: Int, bracket: Bracket, kernel: VectorKernel
  ) -> (words: [UInt64], above: Int, sumBits: UInt64, inside: [Int: UInt64]) {
    var words = [UInt64](repeating: 0, count: (count + 63) / 64)
    var recorder = InteriorRecorder(limit: count)
    let cut = words.withUnsafeMutableBufferPointer { words in
      FastKernels.classify(
        base, count: count, bracket: bracket, index: 0, mask: BitKeepMask(words: words.baseAddress!), inside: &recorder, kernel: kernel)
    }
    let inside = Dictionary(uniqueKeysWithValues: zip(recorder.indices, recorder.magnitudes.map(\.bitPattern)))
    return (words, cut.countAbove, cut.sumAbove.bitPattern, inside)
  }
}
