import EMPCore
import Exact
import Foundation

/// `superaccumulator`: exact Σ|x|, Σx² (`MomentAccumulator`) and Σx (`Superaccumulator`)
/// against plain floating-point summation loops over the same heavy-tailed data.
enum SuperaccumulatorBenchmark {
  static func run(arguments: [String]) {
    let options = BenchmarkOptions(arguments: arguments)
    var rng = SplitMix64(seed: options.seed)
    // Heavy-tailed, like model weights: a normal deviate times a log-normal scale.
    let data = (0..<options.count).map { _ in rng.normal() * exp(2 * rng.normal()) * 0.02 }
    print("""
      superaccumulator: \(options.count) values (normal × log-normal scale, seed \(options.seed)), \
      median of \(options.repetitions) runs, \(ProcessInfo.processInfo.activeProcessorCount) cores
      """)
    print(pad("input / method", 44) + pad("ns/elem", 10) + "ratio")
    measure(Array(data), label: "f64", options: options)
    measure(data.map { Float($0) }, label: "f32", options: options)
    measure(data.map { Float16(Float($0)) }, label: "f16", options: options)
    measure(data.map { BFloat16(bitPattern: UInt16(truncatingIfNeeded: Float($0).bitPattern >> 16)) }, label: "bf16", options: options)
  }

  private static func measure<Element: BenchmarkElement>(_ values: [Element], label: String, options: BenchmarkOptions) {
    values.withUnsafeBufferPointer { buffer in
      nonisolated(unsafe) let buffer = buffer
      let n = Double(buffer.count)
      var baseline = 0.0
      func row(_ name: String, _ body: () -> Double) {
        let (seconds, checksum) = medianTime(repetitions: options.repetitions, body)
        let ns = seconds * 1e9 / max(n, 1)
        if baseline == 0 { baseline = ns }
        print(pad("\(label) \(name)", 44) + pad(fixed(ns, 3), 10) + fixed(ns / baseline, 2) + "×"
              + "   (checksum \(checksum))")
      }
      row("plain Double sum, SIMD (baseline)") { Element.plainDoubleSum(buffer) }
      if let floatSum = Element.plainFloatSum { row("plain Float sum, SIMD") { floatSum(buffer) } }
      row("MomentAccumulator, 1 thread") {
        var moments = MomentAccumulator()
        Element.add(buffer, to: &moments)
        return checksum(moments)
      }
      row("MomentAccumulator, 2 threads + merge") {
        var (a, b) = onTwoThreads(count: buffer.count) { range in
          var moments = MomentAccumulator()
          Element.add(UnsafeBufferPointer(rebasing: buffer[range]), to: &moments)
          return moments
        }
        a.merge(b)
        return checksum(a)
      }
      row("Superaccumulator, 1 thread") {
        var sum = Superaccumulator()
        Element.add(buffer, to: &sum)
        return Double(sum.sum)
      }
      row("Superaccumulator, 2 threads + merge") {
        var (a, b) = onTwoThreads(count: buffer.count) { range in
          var sum = Superaccumulator()
          Element.add(UnsafeBufferPointer(rebasing: buffer[range]), to: &sum)
          return sum
        }
        a.merge(b)
        return Double(a.sum)
      }
    }
  }

  /// Both exact results, rounded to one Double (their finalisation is part of the timing).
  private static func checksum(_ moments: MomentAccumulator) -> Double {
    Double(moments.absoluteSum) + Double(moments.sumOfSquares)
  }

  private static func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
  }

  private static func fixed(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }
}

/// A float type benchmarked: how to add a buffer of it and how to sum it plainly.
protocol BenchmarkElement: SendableMetatype {
  static func add(_ buffer: UnsafeBufferPointer<Self>, to moments: inout MomentAccumulator)
  static func add(_ buffer: UnsafeBufferPointer<Self>, to sum: inout Superaccumulator)
  /// Σ Double(x) with 8 independent lanes (vectorisable): the honest fast float baseline.
  static func plainDoubleSum(_ buffer: UnsafeBufferPointer<Self>) -> Double
  /// Σ x in the type's own arithmetic with 16 lanes, when it has one worth measuring.
  static var plainFloatSum: ((UnsafeBufferPointer<Self>) -> Double)? { get }
}

extension BenchmarkElement {
  static var plainFloatSum: ((UnsafeBufferPointer<Self>) -> Double)? { nil }
}

/// Σ `widen(x)` in eight independent Double lanes, then the lanes.
@inline(__always)
private func laneSum<T>(_ buffer: UnsafeBufferPointer<T>, _ widen: (T) -> Double) -> Double {
  var lanes = SIMD8<Double>()
  var i = 0
  while buffer.count - i >= 8 {
    lanes += SIMD8(widen(buffer[i]), widen(buffer[i + 1]), widen(buffer[i + 2]), widen(buffer[i + 3]),
                   widen(buffer[i + 4]), widen(buffer[i + 5]), widen(buffer[i + 6]), widen(buffer[i + 7]))
    i += 8
  }
  var total = lanes.sum()
  while i < buffer.count { total += widen(buffer[i]); i += 1 }
  return total
}

extension Double: BenchmarkElement {
  static func add(_ buffer: UnsafeBufferPointer<Double>, to moments: inout MomentAccumulator) { moments.add(contentsOf: buffer) }
  static func add(_ buffer: UnsafeBufferPointer<Double>, to sum: inout Superaccumulator) { sum.add(contentsOf: buffer) }
  static func plainDoubleSum(_ buffer: UnsafeBufferPointer<Double>) -> Double { laneSum(buffer) { $0 } }
}

extension Float: BenchmarkElement {
  static func add(_ buffer: UnsafeBufferPointer<Float>, to moments: inout MomentAccumulator) { moments.add(contentsOf: buffer) }
  static func add(_ buffer: UnsafeBufferPointer<Float>, to sum: inout Superaccumulator) { sum.add(contentsOf: buffer) }
  static func plainDoubleSum(_ buffer: UnsafeBufferPointer<Float>) -> Double { laneSum(buffer) { Double($0) } }
  static var plainFloatSum: ((UnsafeBufferPointer<Float>) -> Double)? {
    { buffer in
      var lanes = SIMD16<Float>()
      var i = 0
      while buffer.count - i >= 16 {
        lanes += UnsafeRawPointer(buffer.baseAddress! + i).loadUnaligned(as: SIMD16<Float>.self)
        i += 16
      }
      var total = lanes.sum()
      while i < buffer.count { total += buffer[i]; i += 1 }
      return Double(total)
    }
  }
}

extension Float16: BenchmarkElement {
  static func add(_ buffer: UnsafeBufferPointer<Float16>, to moments: inout MomentAccumulator) { moments.add(contentsOf: buffer) }
  static func add(_ buffer: UnsafeBufferPointer<Float16>, to sum: inout Superaccumulator) { sum.add(contentsOf: buffer) }
  static func plainDoubleSum(_ buffer: UnsafeBufferPointer<Float16>) -> Double { laneSum(buffer) { Double($0) } }
}

extension BFloat16: BenchmarkElement {
  static func add(_ buffer: UnsafeBufferPointer<BFloat16>, to moments: inout MomentAccumulator) { moments.add(contentsOf: buffer) }
  static func add(_ buffer: UnsafeBufferPointer<BFloat16>, to sum: inout Superaccumulator) { sum.add(contentsOf: buffer) }
  static func plainDoubleSum(_ buffer: UnsafeBufferPointer<BFloat16>) -> Double { laneSum(buffer) { Double($0.floatValue) } }
}
