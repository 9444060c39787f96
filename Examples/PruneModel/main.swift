// Analyse a safetensors model globally with EMP, prune it, and print what was kept.
//   swift run prune-model MODEL.safetensors PRUNED.safetensors
import EMPKit
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
  print("usage: prune-model MODEL.safetensors PRUNED.safetensors")
  exit(2)
}
do {
  let analysis = try ModelAnalysis(paths: [arguments[1]], mode: .global)
  guard let global = analysis.global else { throw EMPModelError.cannotPrune(reason: "no global analysis") }
  print("N = \(global.count), N_eff ≈ \(global.effectiveSampleSize.decimal(maxDigits: 6) ?? "?"), ν = \(global.retentionCount)")
  let written = try PrunedModelWriter(analysis: analysis).write(to: arguments[2], replacingExisting: true)
  for tensor in written.tensors {
    print("\(tensor.name): kept \(tensor.kept.map(String.init) ?? "all (copied)") of \(tensor.count)")
  }
} catch {
  print("error: \(error)")
  exit(1)
}
