import PropertyBased
import Testing
import _TestSupport

@testable import EMPFast

@Suite("Radix selection of keys")
struct KeySelectionTests {
  @Test("several ranks selected in turn from one buffer agree with a sort, and the keys stay a permutation")
  func ranksInTurn() async {
    await seededPropertyCheck(
      count: 200,
      input: zip(Gen.uint64(in: 0...63).array(of: 1...300), Gen.int(in: 1...300).array(of: 1...6))
    ) { keys, ranks in
      // Few distinct keys (many ties) once shifted into the high bits, as magnitude patterns are.
      let spread = keys.map { $0 << 52 | $0 % 3 }
      let descending = spread.sorted(by: >)
      var buffer = spread
      for rank in ranks.map({ ($0 - 1) % spread.count + 1 }) {
        let (key, greater) = buffer.withUnsafeMutableBufferPointer { KeySelection.largestAndGreaterCount(rank, in: $0, keepingKeys: true) }
        #expect(key == descending[rank - 1], "rank \(rank) of \(spread)")
        #expect(greater == descending.prefix { $0 > key }.count, "keys above rank \(rank) of \(spread)")
        #expect(buffer.sorted() == spread.sorted(), "selection lost or duplicated keys of \(spread)")
        var copy = spread
        let overwriting = copy.withUnsafeMutableBufferPointer { KeySelection.largestAndGreaterCount(rank, in: $0) }
        #expect(overwriting == (key, greater), "rank \(rank) of \(spread), overwriting")
      }
    }
  }
}

@Suite("Selection of two ranks at once through a subsample")
struct TwoRankSelectionTests {
  @Test("the first-th and last-th largest agree with a sort, for any thread count")
  func agreesWithSort() async {
    await seededPropertyCheck(
      count: 300,
      input: zip(Gen.uint64(in: 0...200).array(of: 1...600), Gen.int(in: 1...600), Gen.int(in: 0...40), Gen.int(in: 0...2))
    ) { values, firstSeed, gap, shape in
      // Keys differing in a few low bits, in many bits, or in the high bits only (ties).
      let keys = values.map { [$0, $0 &* 0x9E37_79B9_7F4A_7C15 >> 1, $0 % 7 << 52][shape] }
      let descending = keys.sorted(by: >)
      let first = (firstSeed - 1) % keys.count + 1
      let last = min(keys.count, first + gap)
      // Subsamples of 4 and 16 keys take the bracketed path (more than 4 × their size keys);
      // 2048 keys, the selection among all of them.
      for (workers, subsample) in [(1, 2048), (1, 16), (2, 4), (3, 16)] {
        let selected = keys.withUnsafeBufferPointer {
          KeySelection.largest(first, last, in: $0, workers: workers, parallelMinimum: 1, subsampleSize: subsample)
        }
        #expect(selected.first == descending[first - 1] && selected.last == descending[last - 1],
          "ranks \(first), \(last) of \(keys), \(workers) threads, subsample \(subsample)")
      }
    }
  }

  @Test("a subsample that sees only one value misses its bracket, and the selection among all keys answers")
  func missedBracket() {
    // Every 8th key is 10^6 and the subsample of 2048 takes every 8th key of 2^14: its order
    // statistics are all 10^6, so the bracket is [10^6, 10^6] and holds neither rank.
    let keys = (0..<(1 << 14)).map { $0 % 8 == 0 ? 1_000_000 : UInt64($0 % 1000) }
    let descending = keys.sorted(by: >)
    for (first, last) in [(5000, 5400), (8000, 8000), (2049, 2100)] {
      for workers in [1, 2] {
        let selected = keys.withUnsafeBufferPointer {
          KeySelection.largest(first, last, in: $0, workers: workers, parallelMinimum: 1)
        }
        #expect(selected.first == descending[first - 1] && selected.last == descending[last - 1],
          "ranks \(first), \(last), \(workers) threads")
      }
    }
  }
}

@Suite("Selection among recorded bracket scores")
struct RecordedSelectionTests {
  @Test("the rank-th largest of records split any way agrees with a sort, for any thread count")
  func agreesWithSort() async {
    await seededPropertyCheck(
      count: 200,
      input: zip(Gen.int(in: 0...40).array(of: 1...400), Gen.int(in: 1...400), Gen.int(in: 1...5), Gen.int(in: 0...3))
    ) { steps, rankSeed, pieces, scale in
      // Few distinct magnitudes (many ties) in a bracket whose ends differ in a few bits or
      // in many, so that the first digit holds one bucket or many.
      let low = [0.0, 0.5, 1.0, 0x1p-20][scale]
      let magnitudes = steps.map { low + Double($0) * [0.25, 0x1p-40, 0x1p-3, 0x1p-30][scale] }
      let high = magnitudes.max()!.nextUp
      let rank = (rankSeed - 1) % magnitudes.count + 1
      let descending = magnitudes.sorted(by: >)
      let expectedKey = descending[rank - 1].bitPattern
      let expectedGreater = descending.prefix { $0 > descending[rank - 1] }.count
      var records: [InteriorRecorder] = []
      for piece in 0..<pieces {
        var record = InteriorRecorder(limit: magnitudes.count)
        let share = Parallel.share(of: piece, workers: pieces, items: magnitudes.count)
        record.magnitudes = Array(magnitudes[share])
        record.indices = Array(share)
        records.append(record)
      }
      for workers in 1...4 {
        let selected = RecordedSelection(rank, in: records, bracket: Bracket(low: low, high: high), workers: workers)
        #expect(selected.key == expectedKey && selected.greater == expectedGreater,
          "rank \(rank) of \(magnitudes) in \(pieces) records, \(workers) threads")
      }
    }
  }
}
