import Exact

/// Where a keep mask goes.
public enum MaskDestination {
  /// One bit per score: bit `i % 64` of word `i / 64` is 1 when score `i` is kept.
  /// Needs at least `⌈count/64⌉` words; bits past `count` in the last word are written 0.
  case bits(UnsafeMutableBufferPointer<UInt64>)
  /// One byte per score: 1 when kept, 0 when pruned. Needs at least `count` bytes.
  case bytes(UnsafeMutableBufferPointer<UInt8>)
}

/// A mutable buffer of scores, for pruning in place.
public enum MutableScoreBuffer {
  case float16(UnsafeMutableBufferPointer<Float16>)
  case bfloat16(UnsafeMutableBufferPointer<BFloat16>)
  case float32(UnsafeMutableBufferPointer<Float>)
  case float64(UnsafeMutableBufferPointer<Double>)

  /// The same scores, read-only.
  public var scores: ScoreBuffer {
    switch self {
    case .float16(let b): .float16(UnsafeBufferPointer(b))
    case .bfloat16(let b): .bfloat16(UnsafeBufferPointer(b))
    case .float32(let b): .float32(UnsafeBufferPointer(b))
    case .float64(let b): .float64(UnsafeBufferPointer(b))
    }
  }
}

extension Cut {
  /// Writes the keep mask of `scores`, a piece of the analysed vector that starts at global
  /// index `startIndex` (0 for a single tensor; the running offset in global mode).
  ///
  /// - Precondition: the destination is large enough (see `MaskDestination`).
  /// - Complexity: one pass over the scores, on `options.threads` threads.
  public func writeMask(
    of scores: ScoreBuffer, startIndex: Int = 0, into destination: MaskDestination,
    options: FastEMP.Options = FastEMP.Options()
  ) {
    switch scores {
    case .float16(let b): writeMask(of: b, startIndex: startIndex, into: destination, workers: options.threads)
    case .bfloat16(let b): writeMask(of: b, startIndex: startIndex, into: destination, workers: options.threads)
    case .float32(let b): writeMask(of: b, startIndex: startIndex, into: destination, workers: options.threads)
    case .float64(let b): writeMask(of: b, startIndex: startIndex, into: destination, workers: options.threads)
    }
  }

  private func writeMask<T: FastScalar>(
    of scores: UnsafeBufferPointer<T>, startIndex: Int, into destination: MaskDestination, workers: Int
  ) {
    let n = scores.count
    switch destination {
    case .bits(let words):
      precondition(words.count >= (n + 63) / 64, "Cut.writeMask: bit mask too short")
      forEachKeepGroup(scores, startIndex: startIndex, workers: workers) { offset, bits in
        let word = offset / 64
        let shift = UInt64(offset % 64)
        words[word] = shift == 0 ? bits : words[word] | bits << shift
      }
    case .bytes(let bytes):
      precondition(bytes.count >= n, "Cut.writeMask: byte mask too short")
      forEachKeepGroup(scores, startIndex: startIndex, workers: workers) { offset, bits in
        for lane in 0..<min(8, n - offset) { bytes[offset + lane] = UInt8(truncatingIfNeeded: bits >> UInt64(lane) & 1) }
      }
    }
  }

  /// Sets every pruned score of `scores` to zero, in place; `startIndex` as in `writeMask`.
  ///
  /// - Complexity: one pass over the scores, on `options.threads` threads.
  public func prune(_ scores: MutableScoreBuffer, startIndex: Int = 0, options: FastEMP.Options = FastEMP.Options()) {
    switch scores {
    case .float16(let b): prune(b, startIndex: startIndex, workers: options.threads)
    case .bfloat16(let b): prune(b, startIndex: startIndex, workers: options.threads)
    case .float32(let b): prune(b, startIndex: startIndex, workers: options.threads)
    case .float64(let b): prune(b, startIndex: startIndex, workers: options.threads)
    }
  }

  private func prune<T: FastScalar>(_ scores: UnsafeMutableBufferPointer<T>, startIndex: Int, workers: Int) {
    let n = scores.count
    forEachKeepGroup(UnsafeBufferPointer(scores), startIndex: startIndex, workers: workers) { offset, bits in
      guard bits != 0xff else { return }
      for lane in 0..<min(8, n - offset) where bits >> UInt64(lane) & 1 == 0 { scores[offset + lane] = T.zero }
    }
  }

  /// Calls `body(offset, bits)` for each group of 8 scores (offsets relative to `scores`,
  /// multiples of 8), blocks spread over `workers` threads; each group is visited once.
  private func forEachKeepGroup<T: FastScalar>(
    _ scores: UnsafeBufferPointer<T>, startIndex: Int, workers: Int, _ body: (_ offset: Int, _ bits: UInt64) -> Void
  ) {
    guard let base = scores.baseAddress, scores.count > 0 else { return }
    let n = scores.count
    let blocks = Parallel.blockCount(n)
    let workers = max(1, min(workers, blocks))
    Parallel.run(workers: workers) { worker in
      for b in Parallel.share(of: worker, workers: workers, items: blocks) {
        let start = b * Parallel.blockSize
        FastKernels.forEachKeepGroup(
          base + start, count: min(Parallel.blockSize, n - start), threshold: threshold,
          lastTieOffset: lastKeptTieIndex &- (startIndex + start)
        ) { offset, bits in body(start + offset, bits) }
      }
    }
  }
}
