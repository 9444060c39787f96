import EMPCore
import EMPFast
import Exact
import Foundation

/// `EMPBenchmarks fast [--sizes 1e6,22.7e6,1e8] [--reps 11] [--numpy-reps 3] [--no-numpy] [--interleave-sizes]`:
/// times, in one run, on seeded Gaussian `Float` scores, in rounds that time each column once
/// (the rounds of one size after another, or with `--interleave-sizes` every size in each round),
/// - a plain one-sum pass (SIMD `Double` sum of the buffer on all threads: memory speed),
/// - the fast reductions (`FastEMP.moments`),
/// - the full fast global EMP (`FastEMP.analyze(_:beta:writingMaskInto:options:)`: `N_eff`,
///   certified `ν`, cut, `s_eff` and a bit mask),
/// - the exact path: `MomentAccumulator` (the superaccumulator) over the buffer on all
///   threads, merged, then the exact `N_eff` and `ν` (what the fast path falls back on),
/// - `Benchmarks/numpy_baseline.py` on the same scores (the paper's algorithm by full sort,
///   and with `np.partition`),
/// and prints a markdown table of medians and ratios.
enum FastPathBenchmark {
  static func run(_ arguments: [String]) throws {
    var sizes = [1_000_000, 22_700_000, 100_000_000]
    var reps = 11
    var numpyReps = 3
    var numpy = true
    var interleaveSizes = false
    var rest = arguments[...]
    while let flag = rest.popFirst() {
      switch flag {
      case "--sizes": sizes = (rest.popFirst() ?? "").split(separator: ",").map { Int(Double($0)!) }
      case "--reps": reps = Int(rest.popFirst() ?? "") ?? reps
      case "--numpy-reps": numpyReps = Int(rest.popFirst() ?? "") ?? numpyReps
      case "--no-numpy": numpy = false
      case "--interleave-sizes": interleaveSizes = true
      default: throw BenchmarkError("unknown option \(flag)")
      }
    }
    let threads = ProcessInfo.processInfo.activeProcessorCount
    print(
      "EMPKit fast-path benchmark: Gaussian Float scores, seed 2026, \(threads) threads, "
        + "medians of \(reps) rounds, each timing every column of "
        + (interleaveSizes ? "every size once (caches cold)" : "one size once (caches warm)"))
    let scoreSets = sizes.map { gaussianScores(count: $0, seed: 2026) }
    var rows = try interleaveSizes ? measure(scoreSets, reps: reps) : scoreSets.flatMap { try measure([$0], reps: reps) }
    if numpy {
      let directory = FileManager.default.temporaryDirectory.appendingPathComponent("empkit-bench-\(getpid())")
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      defer { try? FileManager.default.removeItem(at: directory) }
      for (k, scores) in scoreSets.enumerated() {
        let file = directory.appendingPathComponent("scores-\(scores.count).f32")
        try scores.withUnsafeBytes { try Data($0).write(to: file) }
        rows[k].numpy = try numpyBaseline(file: file, reps: numpyReps)
        try? FileManager.default.removeItem(at: file)
      }
    }
    printTable(rows)
  }

  struct Row {
    var count: Int
    var plain: Double
    var reductions: Double
    var full: Double
    var exact: Double
    var retentionCount: Int
    var certificate: RetentionCertificate
    var numpy: NumpyResult?
  }

  struct NumpyResult: Decodable {
    var numpy: String
    var sort_seconds: Double
    var partition_seconds: Double
    var nu_sort: Int
  }

  struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
  }

  /// Times the four columns of every score set in interleaved rounds: a drift of the
  /// machine's speed during the run reaches every column (and every set) alike. With more
  /// than one set, each call finds the caches holding the other sets' data.
  static func measure(_ scoreSets: [[Float]], reps: Int) throws -> [Row] {
    var sink = 0.0
    var analyses = [FastAnalysis?](repeating: nil, count: scoreSets.count)
    var bodies: [() throws -> Void] = []
    let masks = scoreSets.map { UnsafeMutableBufferPointer<UInt64>.allocate(capacity: ($0.count + 63) / 64) }
    defer { for mask in masks { mask.deallocate() } }
    for (k, mask) in masks.enumerated() {
      func on(_ body: @escaping (UnsafeBufferPointer<Float>) throws -> Void) -> () throws -> Void {
        { try scoreSets[k].withUnsafeBufferPointer(body) }
      }
      bodies += [
        on { sink += plainSum($0) },
        on { sink += try FastEMP.moments(of: .float32($0)).absoluteSum.estimate },
        on { analyses[k] = try FastEMP.analyze(.float32($0), writingMaskInto: .bits(mask)) },
        on { sink += Double(try exactAnalysis($0)) },
      ]
    }
    let times = try interleavedMedians(reps, bodies)
    precondition(sink.isFinite && masks.allSatisfy { $0.contains { $0 != 0 } })
    return scoreSets.indices.map { k in
      Row(
        count: scoreSets[k].count, plain: times[4 * k], reductions: times[4 * k + 1], full: times[4 * k + 2],
        exact: times[4 * k + 3], retentionCount: analyses[k]!.retentionCount, certificate: analyses[k]!.certificate)
    }
  }

  /// The median wall time of each of `bodies`, in seconds, over `reps` rounds that run every
  /// body once in turn (after one warm-up round).
  static func interleavedMedians(_ reps: Int, _ bodies: [() throws -> Void]) throws -> [Double] {
    for body in bodies { try body() }
    var times = [[Double]](repeating: [], count: bodies.count)
    for _ in 0..<reps {
      for (k, body) in bodies.enumerated() {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        times[k].append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
      }
    }
    return times.map { $0.sorted()[$0.count / 2] }
  }

  /// The exact `ν` of the scores, from the superaccumulator's exact moments: one
  /// `MomentAccumulator` per thread over contiguous shares, merged (exactly) in order.
  static func exactAnalysis(_ scores: UnsafeBufferPointer<Float>) throws -> Int {
    let threads = ProcessInfo.processInfo.activeProcessorCount
    var partial = [MomentAccumulator](repeating: MomentAccumulator(), count: threads)
    partial.withUnsafeMutableBufferPointer { partialBuffer in
      nonisolated(unsafe) let partial = partialBuffer
      nonisolated(unsafe) let scores = scores
      DispatchQueue.concurrentPerform(iterations: threads) { t in
        let range = (t * scores.count / threads)..<((t + 1) * scores.count / threads)
        partial[t].add(contentsOf: UnsafeBufferPointer(rebasing: scores[range]))
      }
    }
    var accumulator = MomentAccumulator()
    for part in partial { accumulator.merge(part) }
    let neff = EMPDefinition.effectiveSampleSize(
      absoluteSum: accumulator.absoluteSum, sumOfSquares: accumulator.sumOfSquares)
    return EMPDefinition.retentionCount(effectiveSampleSize: neff, beta: 1, count: scores.count)
  }

  /// `Σ x` in `Double`, 16 SIMD lanes per thread, threads over contiguous shares: one read
  /// of the buffer at memory speed, the yardstick for the reductions.
  static func plainSum(_ scores: UnsafeBufferPointer<Float>) -> Double {
    let threads = ProcessInfo.processInfo.activeProcessorCount
    var partial = [Double](repeating: 0, count: threads)
    partial.withUnsafeMutableBufferPointer { partialBuffer in
      nonisolated(unsafe) let partial = partialBuffer
      nonisolated(unsafe) let scores = scores
      DispatchQueue.concurrentPerform(iterations: threads) { t in
        let range = (t * scores.count / threads)..<((t + 1) * scores.count / threads)
        var lanes = SIMD16<Double>()
        var i = range.lowerBound
        let base = UnsafeRawPointer(scores.baseAddress!)
        while i + 16 <= range.upperBound {
          lanes += SIMD16<Double>(base.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self))
          i += 16
        }
        var sum = lanes.sum()
        while i < range.upperBound {
          sum += Double(scores[i])
          i += 1
        }
        partial[t] = sum
      }
    }
    return partial.reduce(0, +)
  }

  static func gaussianScores(count: Int, seed: UInt64) -> [Float] {
    var random = SplitMix64(seed: seed)
    func next() -> UInt64 { random.next() }
    return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
      for i in 0..<count {
        let u = (Double(next() >> 11) + 1) * 0x1p-53
        let v = Double(next() >> 11) * 0x1p-53
        buffer[i] = Float((-2 * log(u)).squareRoot() * cos(2 * .pi * v))
      }
      initialized = count
    }
  }

  static func numpyBaseline(file: URL, reps: Int) throws -> NumpyResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "Benchmarks/numpy_baseline.py", "--reps", "\(reps)", file.path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw BenchmarkError("numpy_baseline.py failed (run from the package root)")
    }
    return try JSONDecoder().decode(NumpyResult.self, from: output)
  }

  static func printTable(_ rows: [Row]) {
    func ms(_ s: Double) -> String { String(format: "%.2f", s * 1e3) }
    func ratio(_ r: Double) -> String { String(format: "%.2f", r) }
    if let version = rows.first?.numpy?.numpy { print("numpy \(version) (sort and partition do not use BLAS)") }
    print("")
    print("| N | plain sum ms | reductions ms | reductions ÷ plain (throughput) | fast EMP ms | ns/score | numpy sort ms | numpy partition ms | sort ÷ fast | partition ÷ fast | exact moments ÷ fast EMP | ν (fast) | ν (numpy f32) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows {
      let np = r.numpy
      print(
        "| \(r.count) | \(ms(r.plain)) | \(ms(r.reductions)) | \(ratio(r.plain / r.reductions)) | \(ms(r.full)) | "
          + "\(String(format: "%.3f", r.full / Double(r.count) * 1e9)) | "
          + "\(np.map { ms($0.sort_seconds) } ?? "–") | \(np.map { ms($0.partition_seconds) } ?? "–") | "
          + "\(np.map { ratio($0.sort_seconds / r.full) } ?? "–") | \(np.map { ratio($0.partition_seconds / r.full) } ?? "–") | "
          + "\(ratio(r.exact / r.full)) | \(r.retentionCount)\(r.certificate == .exactFallback ? " (fallback)" : "") | \(np.map { "\($0.nu_sort)" } ?? "–") |")
    }
    func spread(_ seconds: (Row) -> Double) -> String {
      let perScore = rows.map { seconds($0) / Double($0.count) }
      return ratio(perScore.max()! / perScore.min()!)
    }
    if !rows.isEmpty {
      print("")
      print("time per score, largest ÷ smallest over the sizes: \(spread(\.full)) (the plain sum's: \(spread(\.plain)))")
    }
  }
}
