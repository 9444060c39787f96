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
    case .float16(let b): writeMask(of: b, startIndex: startIndex, into: destination, options: options)
    case .bfloat16(let b): writeMask(of: b, startIndex: startIndex, into: destination, options: options)
    case .float32(let b): writeMask(of: b, startIndex: startIndex, into: destination, options: options)
    case .float64(let b): writeMask(of: b, startIndex: startIndex, into: destination, options: options)
    }
  }

  private func writeMask<T: FastScalar>(
    of scores: UnsafeBufferPointer<T>, startIndex: Int, into destination: MaskDestination, options: FastEMP.Options
  ) {
    let n = scores.count
    switch destination {
    case .bits(let words):
      precondition(words.count >= (n + 63) / 64, "Cut.writeMask: bit mask too short")
      guard let words = words.baseAddress else { return }
      apply(to: scores, startIndex: startIndex, mask: BitKeepMask(words: words), options: options)
    case .bytes(let bytes):
      precondition(bytes.count >= n, "Cut.writeMask: byte mask too short")
      guard let bytes = bytes.baseAddress else { return }
      apply(to: scores, startIndex: startIndex, mask: ByteKeepMask(bytes: bytes), options: options)
    }
  }

  /// Sets every pruned score of `scores` to zero, in place; `startIndex` as in `writeMask`.
  ///
  /// - Complexity: one pass over the scores, on `options.threads` threads.
  public func prune(_ scores: MutableScoreBuffer, startIndex: Int = 0, options: FastEMP.Options = FastEMP.Options()) {
    switch scores {
    case .float16(let b): prune(b, startIndex: startIndex, options: options)
    case .bfloat16(let b): prune(b, startIndex: startIndex, options: options)
    case .float32(let b): prune(b, startIndex: startIndex, options: options)
    case .float64(let b): prune(b, startIndex: startIndex, options: options)
    }
  }

  private func prune<T: FastScalar>(_ scores: UnsafeMutableBufferPointer<T>, startIndex: Int, options: FastEMP.Options) {
    guard let base = scores.baseAddress else { return }
    apply(to: UnsafeBufferPointer(scores), startIndex: startIndex, mask: PruningKeepMask(scores: base), options: options)
  }

  /// Classifies `scores` against the bracket `[t, t⁺)` (`t⁺` the next `Double` above the
  /// threshold): scores above `t` are kept, ties up to `lastKeptTieIndex`; the keep bits go
  /// to `mask`, blocks spread over `options.threads` threads.
  private func apply<T: FastScalar, Mask: KeepMask>(
    to scores: UnsafeBufferPointer<T>, startIndex: Int, mask: Mask, options: FastEMP.Options
  ) {
    guard let base = scores.baseAddress, scores.count > 0 else { return }
    let n = scores.count
    let blocks = Parallel.blockCount(n)
    let workers = max(1, min(options.threads, blocks))
    let kernel = options.kernel
    let bracket = Bracket(low: threshold, high: threshold.nextUp)
    let lastTie = lastKeptTieIndex
    Parallel.run(workers: workers) { worker in
      for b in Parallel.share(of: worker, workers: workers, items: blocks) {
        let start = b * Parallel.blockSize
        var ties = TieKeeper(lastTieOffset: lastTie &- (startIndex &+ start))
        _ = FastKernels.classify(
          base + start, count: min(Parallel.blockSize, n - start), bracket: bracket, index: start, mask: mask,
          inside: &ties, kernel: kernel)
      }
    }
  }
}
