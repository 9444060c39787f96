import EMPCore
import EMPModel
import Foundation
import TensorIO

/// `model`: a whole model's analysis under each score criterion and grouping against plain
/// magnitudes, in one process, on the same files.
///
/// The model is a `.safetensors` file given with `--model` (with `--activations` holding
/// Wanda norms for its matrices; `--tensor GLOB`, repeatable, selects the matrices whose rows
/// divide into 64), or by default a synthetic one: `--matrices` float32 matrices
/// of 2048 × 2048, written to the temporary directory with their scores (float16), norms and
/// gradients (float32). Each round times every variant once, in a fixed order, so a drift of
/// the machine's speed reaches them alike; medians over `--rounds` rounds after one warm-up.
/// With `--emp PATH` each round also times a whole `emp analyze` process per variant, with the
/// same options: what a user waits for (start-up, headers, reading, analysis, the report).
enum ModelBenchmark {
  static func run(_ arguments: [String]) throws {
    var rounds = 7
    var matrices = 6
    var model: String?
    var activations: String?
    var selection: [String] = []
    var emp: String?
    var rest = arguments[...]
    while let flag = rest.popFirst() {
      guard let value = rest.popFirst() else { fail("\(flag) needs a value") }
      switch flag {
      case "--rounds": rounds = max(1, Int(value) ?? 0)
      case "--matrices": matrices = max(1, Int(value) ?? 0)
      case "--model": model = value
      case "--activations": activations = value
      case "--tensor": selection.append(value)
      case "--emp": emp = value
      default: fail("unknown option \(flag)")
      }
    }
    let files = try model.map { (model: $0, activations: activations, scores: nil as String?, gradients: nil as String?) }
      ?? synthetic(matrices: matrices)
    var variants: [(name: String, criterion: ScoreCriterion, grouping: Grouping?, mode: AnalysisMode)] = [
      ("magnitude", .magnitude, nil, .perTensor),
      ("group rows l1", .magnitude, Grouping(axis: .rows), .perTensor),
      ("group rows:64 l2", .magnitude, Grouping(axis: .rows, size: 64, norm: .l2), .perTensor),
      ("group columns l1", .magnitude, Grouping(axis: .columns), .perTensor),
      ("group rows l1, global", .magnitude, Grouping(axis: .rows), .global),
    ]
    if let activations = files.activations { variants.append(("wanda", .wanda(activations: [activations]), nil, .perTensor)) }
    if let scores = files.scores { variants.append(("scores (f16 file)", .scores(paths: [scores]), nil, .perTensor)) }
    if let gradients = files.gradients { variants.append(("taylor", .taylor(gradients: [gradients]), nil, .perTensor)) }
    var times = [[Double]](repeating: [], count: variants.count)
    var processTimes = [[Double]](repeating: [], count: variants.count)
    for round in 0...rounds {
      for (i, variant) in variants.enumerated() {
        let start = DispatchTime.now().uptimeNanoseconds
        let analysis = try ModelAnalysis(
          paths: [files.model], tensors: selection, mode: variant.mode, criterion: variant.criterion,
          grouping: variant.grouping)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        if round > 0 { times[i].append(seconds) }
        precondition(analysis.totals.analysed > 0, "ModelBenchmark: nothing analysed")
        if let emp {
          let seconds = timeProcess(emp, ["analyze", files.model, "--quiet"] + options(variant, selection))
          if round > 0 { processTimes[i].append(seconds) }
        }
      }
    }
    func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
    let (medians, processMedians) = (times.map(median), emp == nil ? [] : processTimes.map(median))
    print("model: \(files.model), \(rounds) rounds, medians: ModelAnalysis" + (emp == nil ? "" : "; whole emp analyze"))
    for (i, variant) in variants.enumerated() {
      let name = variant.name.padding(toLength: 24, withPad: " ", startingAt: 0)
      var line = "\(name) \(String(format: "%8.1f", medians[i] * 1e3)) ms  ÷ magnitude \(String(format: "%.2f", medians[i] / medians[0]))"
      if !processMedians.isEmpty {
        line += "   \(String(format: "%8.1f", processMedians[i] * 1e3)) ms  ÷ \(String(format: "%.2f", processMedians[i] / processMedians[0]))"
      }
      print(line)
    }
  }

  /// The `emp` options of a variant.
  private static func options(
    _ variant: (name: String, criterion: ScoreCriterion, grouping: Grouping?, mode: AnalysisMode), _ selection: [String]
  ) -> [String] {
    var options = ["--mode", variant.mode.rawValue] + selection.flatMap { ["--tensor", $0] }
    switch variant.criterion {
    case .magnitude: break
    case .scores(let paths): options += ["--scores", paths[0]]
    case .wanda(let paths): options += ["--criterion", "wanda", "--activations", paths[0]]
    case .taylor(let paths): options += ["--criterion", "taylor", "--gradients", paths[0]]
    }
    if let grouping = variant.grouping { options += ["--group", grouping.description, "--group-norm", grouping.norm.rawValue] }
    return options
  }

  /// The wall-clock seconds of one run of `executable` with `arguments`, its output discarded.
  ///
  /// Spawned and reaped directly: Foundation's `Process.waitUntilExit` polls its run loop in
  /// steps of 50 ms on Linux, which would round every time up to such a step.
  private static func timeProcess(_ executable: String, _ arguments: [String]) -> Double {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid = pid_t()
    let start = DispatchTime.now().uptimeNanoseconds
    guard posix_spawn(&pid, executable, &actions, nil, argv, environ) == 0 else { fail("cannot start \(executable)") }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
    guard status == 0 else { fail("\(executable) \(arguments.joined(separator: " ")) failed") }
    return seconds
  }

  /// Writes the synthetic model and its partner files; returns their paths.
  private static func synthetic(matrices: Int) throws -> (
    model: String, activations: String?, scores: String?, gradients: String?
  ) {
    let side = 2048
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("emp-model-benchmark").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    var generator = SplitMix64(seed: 0x5EED_2509_2560_6013)
    func write(_ name: String, dtype: DType, shape: [Int], _ value: (inout SplitMix64) -> Double) throws -> String {
      let path = directory + "/" + name
      let specs = (0..<matrices).map { TensorSpec(name: "layer\($0).weight", dtype: dtype, shape: shape) }
      try SafeTensorsFile.write(to: path, tensors: specs) { _, sink in
        let count = shape.reduce(1, *)
        switch dtype {
        case .f16: try (0..<count).map { _ in Float16(value(&generator)) }.withUnsafeBytes { try sink.write($0) }
        default: try (0..<count).map { _ in Float(value(&generator)) }.withUnsafeBytes { try sink.write($0) }
        }
      }
      return path
    }
    print("writing a synthetic model of \(matrices) float32 matrices \(side) × \(side) to \(directory)")
    return (
      try write("model.safetensors", dtype: .f32, shape: [side, side]) { $0.normal() * 0.02 },
      try write("activations.safetensors", dtype: .f32, shape: [side]) { exp($0.normal() * 0.5) },
      try write("scores.safetensors", dtype: .f16, shape: [side, side]) { abs($0.normal()) },
      try write("gradients.safetensors", dtype: .f32, shape: [side, side]) { $0.normal() * 1e-3 }
    )
  }
}
