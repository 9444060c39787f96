import PropertyBased
import Testing
import _TestSupport

@testable import EMPFast

@Suite("Resolving recorded bracket scores on several threads")
struct RecordedResolveTests {
  /// The cut, kept-sum bits and keep mask of `values` at `rank`, every score recorded.
  private func resolve(_ values: [Double], rank: Int, threads: Int, parallelResolveMinimum: Int) throws -> [UInt64] {
    var mask = [UInt64](repeating: 0, count: (values.count + 63) / 64)
    let selection = try values.withUnsafeBufferPointer { scores in
      try mask.withUnsafeMutableBufferPointer { words in
        try CutSelection(
          [ScoreBuffer.float64(scores)], count: values.count, sample: [], rank: rank,
          mask: BitKeepMask(words: words.baseAddress!), workers: threads, kernel: .portable,
          parallelResolveMinimum: parallelResolveMinimum)
      }
    }
    let cut = selection.cut
    let sum = selection.keptSum
    return [
      cut.threshold.bitPattern, UInt64(cut.countAbove), UInt64(cut.tiesKept), UInt64(bitPattern: Int64(cut.lastKeptTieIndex)),
      sum.estimate.bitPattern, sum.lowerBound.bitPattern, sum.upperBound.bitPattern,
    ] + mask
  }

  @Test("the threaded resolve gives the serial one's cut, kept sum and mask, for any thread count")
  func threadedEqualsSerial() async {
    await seededPropertyCheck(
      count: 40,
      input: zip(Gen.int(in: -60...60).array(of: 1...40_000), Gen.int(in: 1...40_000), Gen.int(in: 0...2))
    ) { steps, rankSeed, scale in
      // Few distinct magnitudes (ties at the cut) or many.
      let values = steps.enumerated().map { k, step in Double(step) * [0.25, 1.0 + Double(k) * 0x1p-30, 0x1p-10][scale] }
      guard values.contains(where: { $0 != 0 }) else { return }
      let rank = (rankSeed - 1) % values.count + 1
      let serial = try resolve(values, rank: rank, threads: 1, parallelResolveMinimum: .max)
      for threads in [2, 3, 5] {
        let threaded = try resolve(values, rank: rank, threads: threads, parallelResolveMinimum: 0)
        #expect(threaded == serial, "n=\(values.count) rank \(rank) scale \(scale), \(threads) threads")
      }
    }
  }
}
