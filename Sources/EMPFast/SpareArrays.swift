import Synchronization

/// Emptied arrays kept for the next analysis, so that filling them again does not fault in
/// fresh pages on every call.
///
/// A classification of a large buffer records a few hundred thousand scores per thread, and
/// the moments pass keeps a sample. Freed, those arrays go back to the system, and the next
/// call pays a page fault for every 4 KiB it writes; kept here (up to `limit` elements of
/// capacity in all, per pool), they are reused with their pages in place.
final class SpareArrays<Element: Sendable>: Sendable {
  /// The most elements of capacity this pool keeps in all.
  let limit: Int
  private let spare = Mutex<[[Element]]>([])

  /// A pool keeping at most `limit` elements of capacity.
  init(keepingAtMost limit: Int) { self.limit = limit }

  /// An empty array with room for at least `capacity` elements.
  func take(capacity: Int) -> [Element] {
    var array = spare.withLock { $0.popLast() } ?? []
    array.removeAll(keepingCapacity: true)
    array.reserveCapacity(capacity)
    return array
  }

  /// Keeps `array` (leaving it empty) while the pool stays within `limit` and keeping is on
  /// (`FastEMP.keepsSpareArrays`).
  func keep(_ array: inout [Element]) {
    var kept: [Element] = []
    swap(&kept, &array)
    guard SparePools.isKeeping.load(ordering: .relaxed) else { return }
    spare.withLock { spare in
      if spare.reduce(0, { $0 + $1.capacity }) + kept.capacity <= limit { spare.append(kept) }
    }
  }

  /// Frees every array kept.
  func release() { spare.withLock { $0 = [] } }
}

/// The pools of the fast path: 8 bytes an element, 16 MiB of keys and 8 MiB each for the
/// recorders' indices and magnitudes.
enum SparePools {
  /// Whether finished arrays are kept (`FastEMP.keepsSpareArrays`).
  static let isKeeping = Atomic(true)
  /// The moments pass's sample and the magnitudes summed above the cut.
  static let keys = SpareArrays<UInt64>(keepingAtMost: 1 << 21)
  /// The indices of recorded in-bracket scores.
  static let recordedIndices = SpareArrays<Int>(keepingAtMost: 1 << 20)
  /// The magnitudes of recorded in-bracket scores.
  static let recordedMagnitudes = SpareArrays<Double>(keepingAtMost: 1 << 20)

  /// Frees every array kept.
  static func release() {
    keys.release()
    recordedIndices.release()
    recordedMagnitudes.release()
  }

  /// Keeps the arrays of finished recorders (leaving `records` empty).
  static func keep(_ records: inout [InteriorRecorder]) {
    while var record = records.popLast() {
      recordedIndices.keep(&record.indices)
      recordedMagnitudes.keep(&record.magnitudes)
    }
  }
}
