import EMPCore
import Foundation

/// Options shared by the benchmarks: `--count N`, `--repetitions R`, `--seed S`.
struct BenchmarkOptions {
  var count = 10_000_000
  var repetitions = 7
  var seed: UInt64 = 0x5EED_2509_2560_6000

  init(arguments: [String]) {
    var rest = arguments[...]
    while let flag = rest.popFirst() {
      guard let text = rest.popFirst(), let value = UInt64(text.replacingOccurrences(of: "_", with: "")) else {
        fail("\(flag) needs a non-negative integer")
      }
      switch flag {
      case "--count": count = Int(value)
      case "--repetitions": repetitions = max(1, Int(value))
      case "--seed": seed = value
      default: fail("unknown option \(flag)")
      }
    }
  }
}

func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data("EMPBenchmarks: \(message)\n".utf8))
  exit(2)
}

extension SplitMix64 {
  /// A standard normal deviate (Box–Muller).
  mutating func normal() -> Double {
    let u = Double.random(in: Double.ulpOfOne...1, using: &self)
    let v = Double.random(in: 0..<1, using: &self)
    return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
  }
}

/// The median wall-clock time of `repetitions` runs of `body`, in seconds; the value of the
/// last run is returned too so the work cannot be optimised away.
func medianTime<R>(repetitions: Int, _ body: () -> R) -> (seconds: Double, result: R) {
  var times: [Double] = []
  var result: R? = nil
  for _ in 0..<repetitions {
    let start = DispatchTime.now().uptimeNanoseconds
    result = body()
    times.append(Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
  }
  times.sort()
  return (times[times.count / 2], result!)
}

/// Runs `body` on the two halves of `0..<count` on two threads and returns both results.
func onTwoThreads<R>(count: Int, _ body: @Sendable (Range<Int>) -> R) -> (R, R) {
  let results = UnsafeMutablePointer<R?>.allocate(capacity: 2)
  results.initialize(repeating: nil, count: 2)
  defer { results.deinitialize(count: 2); results.deallocate() }
  nonisolated(unsafe) let slots = results
  DispatchQueue.concurrentPerform(iterations: 2) { half in
    slots[half] = body(half == 0 ? 0..<count / 2 : count / 2..<count)
  }
  return (results[0]!, results[1]!)
}
