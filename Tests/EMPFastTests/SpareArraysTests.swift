import Testing

@testable import EMPFast

@Suite("Arrays kept between calls")
struct SpareArraysTests {
  @Test("a kept array comes back empty, with the room asked for")
  func reusedArraysAreEmpty() {
    let pool = SpareArrays<UInt64>(keepingAtMost: 1 << 12)
    for capacity in [0, 10, 5_000, pool.limit + 1] {
      var array = [UInt64](0..<100)
      pool.keep(&array)
      #expect(array.isEmpty)
      let taken = pool.take(capacity: capacity)
      #expect(taken.isEmpty && taken.capacity >= capacity, "capacity \(capacity)")
    }
  }

  @Test("the pool keeps no more than its limit")
  func poolStaysWithinItsLimit() {
    let pool = SpareArrays<Int>(keepingAtMost: 300)
    var a = [Int](repeating: 1, count: 200), b = [Int](repeating: 2, count: 200)
    pool.keep(&a)
    pool.keep(&b)  // would exceed the limit: dropped
    #expect(pool.take(capacity: 0).capacity >= 200)
    #expect(pool.take(capacity: 0).capacity == 0)
  }

  @Test("finished recorders hand both arrays back")
  func recordersReturnTheirArrays() {
    var record = InteriorRecorder(limit: 100)
    record.indices = Array(0..<100)
    record.magnitudes = (0..<100).map(Double.init)
    var records = [record]
    SparePools.keep(&records)
    #expect(records.isEmpty)
    var fresh = InteriorRecorder(limit: 100)
    fresh.reserve(5_000)
    #expect(fresh.indices.isEmpty && fresh.magnitudes.isEmpty)
    #expect(fresh.indices.capacity >= 5_000 && fresh.magnitudes.capacity >= 5_000)
  }
}
