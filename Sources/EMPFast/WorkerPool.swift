import Foundation
import Synchronization
import _FastKernels

/// Threads that stay awake for a while after each job, so that the passes of one analysis,
/// microseconds apart, do not each pay for waking a thread.
///
/// Waking a sleeping thread (`DispatchQueue.concurrentPerform`) costs tens of microseconds on
/// a virtual machine, as much as a whole pass over 10^6 scores. A helper here spins for up to
/// `spinLimit` (2 ms) after its last job, yielding its processor to any other thread that
/// wants it, then sleeps on a semaphore until the next job. A job runs
/// `body(0)` on the caller and `body(k)` on helper `k`; the caller returns when all are done.
/// One job at a time: a caller that finds the pool busy (another thread's job, or a job
/// started from inside a job) gets `false` and runs its job some other way.
final class WorkerPool: @unchecked Sendable {
  /// The pool of the fast path: one helper per active processor beyond the first.
  static let shared = WorkerPool(helpers: Parallel.defaultWorkers - 1)

  /// The number of helper threads.
  let helpers: Int
  /// How long a helper spins for the next job before it sleeps.
  let spinLimit: Duration

  private let busy = Mutex(false)
  /// The current job's ticket: its sequence number times 2^16 plus the number of helpers
  /// that take part. Posted (after `job` is set) and read sequentially consistently.
  private let ticket = Atomic(0)
  /// Helpers still running the current job; each decrements it (releasing) when done.
  private let running = Atomic(0)
  private let slots: [Slot]
  /// The current job: read by a taking-part helper between its load of the new ticket and
  /// its decrement of `running`, and written by the caller only outside that window.
  private var job: ((Int) -> Void)?

  /// A helper's way to sleep and be woken.
  private final class Slot: Sendable {
    let sleeping = Atomic(false)
    let wake = DispatchSemaphore(value: 0)
  }

  /// A pool of `helpers` threads that spin for `spinLimit` after each job (the threads live
  /// as long as the process).
  init(helpers: Int, spinLimit: Duration = .milliseconds(2)) {
    self.helpers = min(max(0, helpers), 0xffff)
    self.spinLimit = spinLimit
    slots = (0..<self.helpers).map { _ in Slot() }
    for k in 0..<self.helpers {
      let thread = Thread { self.serve(helper: k) }
      thread.stackSize = 1 << 20
      thread.start()
    }
  }

  /// Runs `body(worker)` for `worker` in `0..<workers` (the caller takes 0) and returns when
  /// all have returned; `false` (having run nothing) when the pool is busy or has fewer than
  /// `workers - 1` helpers.
  func run(workers: Int, _ body: (Int) -> Void) -> Bool {
    guard workers >= 1, workers - 1 <= helpers else { return false }
    let acquired = busy.withLock { busy in
      if busy { return false }
      busy = true
      return true
    }
    guard acquired else { return false }
    defer { busy.withLock { $0 = false } }
    withoutActuallyEscaping(body) { body in
      job = body
      running.store(workers - 1, ordering: .relaxed)
      let sequence = ticket.load(ordering: .relaxed) >> 16 &+ 1
      ticket.store(sequence << 16 | (workers - 1), ordering: .sequentiallyConsistent)
      for slot in slots.prefix(workers - 1) where slot.sleeping.exchange(false, ordering: .sequentiallyConsistent) {
        slot.wake.signal()
      }
      body(0)
      while running.load(ordering: .acquiring) != 0 { Self.pause() }
      job = nil
    }
    return true
  }

  /// Helper `k`'s loop: wait for a new ticket (spinning, then sleeping); take part if the
  /// ticket says so.
  private func serve(helper k: Int) {
    let slot = slots[k]
    let clock = ContinuousClock()
    var seen = 0
    while true {
      var current = ticket.load(ordering: .sequentiallyConsistent)
      var deadline = clock.now + spinLimit
      var spins = 0
      while current == seen {
        Self.pause()
        spins &+= 1
        // Now and then let another thread that wants this processor have it.
        if spins & 15 == 0 { sched_yield() }
        if spins & 255 == 0, clock.now > deadline {
          // Announce the sleep, then look once more: a job posted in between either finds
          // the flag (and signals) or is found here.
          slot.sleeping.store(true, ordering: .sequentiallyConsistent)
          if ticket.load(ordering: .sequentiallyConsistent) == seen {
            slot.wake.wait()
          } else if !slot.sleeping.exchange(false, ordering: .sequentiallyConsistent) {
            slot.wake.wait()  // its poster took the flag: consume the signal it sends
          }
          deadline = clock.now + spinLimit
        }
        current = ticket.load(ordering: .sequentiallyConsistent)
      }
      seen = current
      guard k < current & 0xffff else { continue }
      job?(k + 1)
      running.wrappingSubtract(1, ordering: .releasing)
    }
  }

  @inline(__always)
  private static func pause() { fast_spin_pause() }
}
