import PropertyBased
import Testing

@testable import EMPFast

@Suite("Radix selection of keys")
struct KeySelectionTests {
  @Test("several ranks selected in turn from one buffer agree with a sort, and the keys stay a permutation")
  func ranksInTurn() async {
    await propertyCheck(
      count: 200,
      input: Gen.uint64(in: 0...63).array(of: 1...300), Gen.int(in: 1...300).array(of: 1...6)
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
