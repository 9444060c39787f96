import Foundation
import Synchronization
import Testing

@testable import EMPFast

@Suite("Threads kept awake between jobs")
struct WorkerPoolTests {
  /// Runs a job of `workers` on `pool` that records which worker indices ran; `nil` when the
  /// pool declined it.
  private func indices(of pool: WorkerPool, workers: Int) -> [Int]? {
    let ran = Mutex([Int]())
    let taken = pool.run(workers: workers) { worker in ran.withLock { $0.append(worker) } }
    return taken ? ran.withLock { $0.sorted() } : nil
  }

  @Test("every worker index runs exactly once per job, whether the helpers spin or sleep")
  func eachIndexOnce() {
    let pool = WorkerPool(helpers: 3, spinLimit: .microseconds(50))
    for round in 0..<400 {
      let workers = round % 4 + 1
      #expect(indices(of: pool, workers: workers) == Array(0..<workers), "round \(round)")
      // Now and then past the spin limit, so that the helpers go to sleep and are woken.
      if round % 7 == 0 { usleep(200) }
    }
  }

  @Test("a job with more workers than helpers is declined, and so is one from inside a job")
  func declines() {
    let pool = WorkerPool(helpers: 1)
    #expect(indices(of: pool, workers: 3) == nil)
    let inner = Mutex<[Int]?>([])
    #expect(pool.run(workers: 2) { worker in if worker == 0 { inner.withLock { $0 = indices(of: pool, workers: 2) } } })
    #expect(inner.withLock { $0 } == nil)
  }

  @Test("callers on several threads at once each get their job done, by the pool or without it")
  func concurrentCallers() {
    let pool = WorkerPool(helpers: 1, spinLimit: .microseconds(20))
    let done = Atomic(0)
    DispatchQueue.concurrentPerform(iterations: 4) { _ in
      for _ in 0..<200 {
        let count = Atomic(0)
        if !pool.run(workers: 2, { _ in count.wrappingAdd(1, ordering: .relaxed) }) {
          count.wrappingAdd(2, ordering: .relaxed)
        }
        if count.load(ordering: .relaxed) == 2 { done.wrappingAdd(1, ordering: .relaxed) }
      }
    }
    #expect(done.load(ordering: .relaxed) == 800)
  }
}
