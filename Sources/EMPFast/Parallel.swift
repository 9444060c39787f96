import Foundation
import Synchronization
import _FastKernels

/// How the fast path splits work: fixed blocks, a fixed reduction tree, any number of threads.
///
/// Results depend on the block structure only, never on the thread count (Proofs §4).
/// (Package access: `EMPModel` forms criterion products on the same threads.)
package enum Parallel {
  /// The number of scores in a block (8192): the unit of SIMD reduction and of thread
  /// scheduling, shared with the kernels of `_FastKernels`.
  static let blockSize = Int(FAST_BLOCK)

  /// The number of blocks covering `count` scores.
  static func blockCount(_ count: Int) -> Int { (count + blockSize - 1) / blockSize }

  /// Whether parallel passes may use `WorkerPool.shared` (`FastEMP.keepsWorkerThreads`).
  static let usesWorkerPool = Atomic(true)

  /// Runs `body(worker)` for `worker` in `0..<workers`, concurrently when `workers > 1`: on
  /// the awake threads of `WorkerPool.shared` when it is free and allowed, else through Dispatch.
  package static func run(workers: Int, _ body: (Int) -> Void) {
    if workers <= 1 {
      body(0)
    } else if !usesWorkerPool.load(ordering: .relaxed) || !WorkerPool.shared.run(workers: workers, body) {
      withoutActuallyEscaping(body) { body in
        nonisolated(unsafe) let work = body
        DispatchQueue.concurrentPerform(iterations: workers) { work($0) }
      }
    }
  }

  /// Calls `body` with room for one block of binary64 scores, on the calling thread's stack
  /// where it fits, when `needed` (else with a pointer that must not be read).
  static func withBlockRoom<R>(_ needed: Bool, _ body: (UnsafeMutablePointer<Double>) throws -> R) rethrows -> R {
    guard needed else {
      var unused = 0.0
      return try body(&unused)
    }
    return try withUnsafeTemporaryAllocation(of: Double.self, capacity: blockSize) { try body($0.baseAddress!) }
  }

  /// The contiguous share of `items` that `worker` of `workers` takes.
  package static func share(of worker: Int, workers: Int, items: Int) -> Range<Int> {
    (worker * items / workers)..<((worker + 1) * items / workers)
  }

  /// `Σ values[i]` by recursive halving: every value passes through at most
  /// `⌈log₂ count⌉` additions. An empty range sums to 0.
  static func pairwiseSum<C: RandomAccessCollection>(_ values: C) -> Double where C.Element == Double, C.Index == Int {
    pairwiseSum(values, values.startIndex..<values.endIndex)
  }

  private static func pairwiseSum<C: RandomAccessCollection>(_ values: C, _ range: Range<Int>) -> Double
  where C.Element == Double, C.Index == Int {
    switch range.count {
    case 0: return 0
    case 1: return values[range.lowerBound]
    default:
      let middle = range.lowerBound + (range.count + 1) / 2
      return pairwiseSum(values, range.lowerBound..<middle) + pairwiseSum(values, middle..<range.upperBound)
    }
  }

  /// `⌈log₂ count⌉` for `count ≥ 1`: the depth of `pairwiseSum` over `count` values.
  static func treeDepth(_ count: Int) -> Int {
    count <= 1 ? 0 : Int.bitWidth - (count - 1).leadingZeroBitCount
  }

  /// The default thread count: the active processors.
  package static var defaultWorkers: Int { ProcessInfo.processInfo.activeProcessorCount }
}
