import Synchronization

/// The arrays of finished `InteriorRecorder`s, kept for the next classification.
///
/// A classification of a large buffer records a few hundred thousand scores per thread. Freed,
/// those arrays go back to the system, and the next call pays a page fault for every 4 KiB
/// it records into; kept here (up to `keptEntries` entries in all), they are reused with
/// their pages in place.
enum RecorderStorage {
  /// The most entries (index and magnitude: 16 bytes each) kept in all: 16 MiB.
  static let keptEntries = 1 << 20

  private static let spare = Mutex<[(indices: [Int], magnitudes: [Double])]>([])

  /// Empty arrays for a recorder, with room for at least `capacity` entries.
  static func take(capacity: Int) -> (indices: [Int], magnitudes: [Double]) {
    var arrays = spare.withLock { $0.popLast() } ?? (indices: [], magnitudes: [])
    arrays.indices.removeAll(keepingCapacity: true)
    arrays.magnitudes.removeAll(keepingCapacity: true)
    arrays.indices.reserveCapacity(capacity)
    arrays.magnitudes.reserveCapacity(capacity)
    return arrays
  }

  /// Keeps the arrays of `records` (emptied) while the kept entries stay within `keptEntries`.
  static func keep(_ records: inout [InteriorRecorder]) {
    var arrays: [(indices: [Int], magnitudes: [Double])] = []
    while let record = records.popLast() { arrays.append((record.indices, record.magnitudes)) }
    spare.withLock { spare in
      var kept = spare.reduce(0) { $0 + max($1.indices.capacity, $1.magnitudes.capacity) }
      for pair in arrays {
        let entries = max(pair.indices.capacity, pair.magnitudes.capacity)
        if kept + entries <= keptEntries {
          spare.append(pair)
          kept += entries
        }
      }
    }
  }
}
