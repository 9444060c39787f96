import Synchronization

/// Key arrays (the moments pass's sample, the recorded magnitudes above the cut) kept for the
/// next analysis, so that filling them does not fault in fresh pages every call
/// (`RecorderStorage` does the same for the recorders).
enum KeyStorage {
  /// The most keys kept in all: 16 MiB.
  static let keptKeys = 1 << 21

  private static let spare = Mutex<[[UInt64]]>([])

  /// An empty array with room for at least `capacity` keys.
  static func take(capacity: Int) -> [UInt64] {
    var keys = spare.withLock { $0.popLast() } ?? []
    keys.removeAll(keepingCapacity: true)
    keys.reserveCapacity(capacity)
    return keys
  }

  /// Keeps `keys` (emptied) while the kept keys stay within `keptKeys`.
  static func keep(_ keys: inout [UInt64]) {
    var kept: [UInt64] = []
    swap(&kept, &keys)
    spare.withLock { spare in
      if spare.reduce(0, { $0 + $1.capacity }) + kept.capacity <= keptKeys { spare.append(kept) }
    }
  }
}
