/// The `rank`-th largest magnitude among the scores recorded inside a bracket, selected on
/// several threads with the same result for any count.
///
/// The keys (magnitude bit patterns) of a bracket `[low, high)` agree above the highest bit
/// where `low` and the largest key below `high` differ, so the 11 bits below it are the first
/// digit of `KeySelection`: per-thread histograms of that digit, added, give the bucket
/// holding the rank; the keys of that bucket are gathered in record order and the selection
/// finishes among them.
struct RecordedSelection {
  /// The selected key.
  let key: UInt64
  /// How many recorded keys are strictly greater than `key`.
  let greater: Int

  /// - Precondition: `1 <= rank <=` the number of recorded scores, all inside `bracket`.
  init(_ rank: Int, in records: [InteriorRecorder], bracket: Bracket, workers: Int) {
    let lowKey = bracket.low.bitPattern
    let top = UInt64.bitWidth - (lowKey ^ (bracket.high.bitPattern - 1)).leadingZeroBitCount
    let width = min(KeySelection.digitBits, top)
    let shift = UInt64(top - width)
    let digitMask = UInt64(1) << UInt64(width) - 1
    let buckets = 1 << width
    let workers = min(workers, records.count)
    func digit(_ m: Double) -> Int { Int((m.bitPattern &>> shift) & digitMask) }
    var histograms = [Int](repeating: 0, count: workers * buckets)
    histograms.withUnsafeMutableBufferPointer { histograms in
      Parallel.run(workers: workers) { worker in
        let counts = histograms.baseAddress! + worker * buckets
        for k in Parallel.share(of: worker, workers: workers, items: records.count) {
          for m in records[k].magnitudes { counts[digit(m)] += 1 }
        }
      }
    }
    var remaining = rank
    var bucket = buckets - 1
    var held = (0..<workers).reduce(0) { $0 + histograms[$1 * buckets + bucket] }
    while held < remaining {
      remaining -= held
      bucket -= 1
      held = (0..<workers).reduce(0) { $0 + histograms[$1 * buckets + bucket] }
    }
    var starts = [0]
    for worker in 0..<workers { starts.append(starts[worker] + histograms[worker * buckets + bucket]) }
    var gathered = [UInt64](repeating: 0, count: held)
    gathered.withUnsafeMutableBufferPointer { gathered in
      Parallel.run(workers: workers) { worker in
        var next = starts[worker]
        for k in Parallel.share(of: worker, workers: workers, items: records.count) {
          for m in records[k].magnitudes where digit(m) == bucket {
            gathered[next] = m.bitPattern
            next += 1
          }
        }
      }
    }
    let (key, greaterInBucket) = gathered.withUnsafeMutableBufferPointer {
      KeySelection.largestAndGreaterCount(remaining, in: $0)
    }
    self.key = key
    greater = rank - remaining + greaterInBucket
  }
}
