// EMPKit benchmarks: `swift run -c release EMPBenchmarks <subcommand> [options]`.
import Foundation

// Each subcommand is one file; add a case here for a new one.

let arguments = Array(CommandLine.arguments.dropFirst())
let usage = """
  usage: EMPBenchmarks <subcommand> [options]
  subcommands:
    superaccumulator [--count N] [--repetitions R]   exact Σx, Σ|x|, Σx² vs plain summation
    fast [--sizes 1e6,22.7e6,1e8] [--reps R] [--numpy-reps R] [--no-numpy] [--interleave-sizes]   fast EMP vs numpy
    model [--model M --activations A --tensor GLOB] [--matrices K] [--rounds R] [--emp PATH]   criteria and groups vs magnitudes
  """

switch arguments.first {
case "superaccumulator":
  SuperaccumulatorBenchmark.run(arguments: Array(arguments.dropFirst()))
case "fast": try FastPathBenchmark.run(Array(arguments.dropFirst()))
case "model": try ModelBenchmark.run(Array(arguments.dropFirst()))
default:
  print(usage)
  exit(arguments.isEmpty || arguments.first == "--help" ? 0 : 2)
}
