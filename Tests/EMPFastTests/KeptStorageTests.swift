import Testing

@testable import EMPFast

@Suite("Recorder storage kept between calls")
struct RecorderStorageTests {
  @Test("kept arrays come back empty, with the room asked for")
  func reusedArraysAreEmpty() {
    for capacity in [0, 10, 5_000, RecorderStorage.keptEntries + 1] {
      var record = InteriorRecorder(limit: 100)
      record.indices = Array(0..<100)
      record.magnitudes = (0..<100).map(Double.init)
      var records = [record]
      RecorderStorage.keep(&records)
      #expect(records.isEmpty)
      let (indices, magnitudes) = RecorderStorage.take(capacity: capacity)
      #expect(indices.isEmpty && magnitudes.isEmpty, "capacity \(capacity)")
      #expect(indices.capacity >= capacity && magnitudes.capacity >= capacity, "capacity \(capacity)")
    }
  }
}

@Suite("Key storage kept between calls")
struct KeyStorageTests {
  @Test("kept key arrays come back empty, with the room asked for")
  func reusedKeysAreEmpty() {
    for capacity in [0, 10, 5_000, KeyStorage.keptKeys + 1] {
      var keys = [UInt64](0..<100)
      KeyStorage.keep(&keys)
      #expect(keys.isEmpty)
      let taken = KeyStorage.take(capacity: capacity)
      #expect(taken.isEmpty && taken.capacity >= capacity, "capacity \(capacity)")
    }
  }
}
