import ArgumentParser
import Foundation

extension EMP {
  /// `emp example` (and `emp` alone): analyses the built-in example model and explains the numbers.
  struct Example: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Analyse the built-in example model and explain what the numbers mean (what `emp` alone runs).",
      discussion: """
        The example is a small safetensors file built into emp: four weight tensors (F32, \
        BF16, F16) with heavy-tailed values and one integer tensor, made by \
        make-default-model.py in emp's sources, with Wanda activation norms for its three \
        matrices. emp analyses a private copy in the temporary directory and removes it; \
        --path writes a copy of the model to keep there, --activations-path one of the norms.
        """)

    @Flag(help: "Write the example to a file in the temporary directory and print only its path (to try other commands on it).")
    var path = false

    @Flag(
      name: .customLong("activations-path"),
      help: "Write the example's activation norms (for --criterion wanda) to the temporary directory and print only their path.")
    var activationsPath = false

    func run() throws {
      if activationsPath {
        print(try Self.keptCopy(of: Self.decode(DefaultModel.activationsBase64, byteCount: DefaultModel.activationsByteCount)))
        return
      }
      let model = try Self.model()
      if path {
        print(try Self.keptCopy(of: model))
        return
      }
      let file = try Self.privateCopy(of: model)
      defer { try? FileManager.default.removeItem(atPath: file) }
      let options = try ModelOptions.parse(["--quiet"])
      let analysis = try Analyze.analyzeModel(paths: [file], options: options, exact: false, rowDetails: false)
      print("EMP on the built-in example model (per-tensor mode, β = 1):\n")
      print(ReportText.table(analysis))
      print("\n" + Self.explanation)
    }

    /// What the columns mean and what to run next.
    static let explanation = """
      What the numbers mean, for each tensor's scores s (here: its weights):
        N_eff     (Σ|s|)² / Σs², the effective number of scores: N if all are equal, 1 if one dominates.
        ν         ⌊β·N_eff⌋, how many of the largest |s| EMP keeps; the rest are pruned.
        sparsity  1 − ν/N, the fraction of scores pruned.
        s_eff     the fraction of the mass Σ|s| the kept scores carry.
        B(N,ν)    the paper's lower bound on s_eff (Theorem 4.2); s_eff≥B says whether it holds.
        T(ν,m,N)  the exact tight lower bound on s_eff over all vectors with ⌊N_eff⌋ = m.
      ν is exact and every printed digit is certified (run with --exact to compute all of it exactly).

      Next:
        emp analyze your-model.safetensors              # per tensor; --mode global|per-row, --json
        emp prune your-model.safetensors pruned.safetensors --mask masks.safetensors
        emp bound --n 1000 --nu 10                      # the paper's bound against the tight one
        emp example --path                              # a copy of this example to try them on
        emp example --activations-path                  # its norms, for --criterion wanda --activations
      """

    /// The example's bytes, decoded from `DefaultModel` (which is embedded in the binary, so
    /// `emp` needs no resource file and runs from any directory).
    static func model() throws -> Data { try decode(DefaultModel.base64, byteCount: DefaultModel.byteCount) }

    /// The bytes of one of `DefaultModel`'s base64 literals.
    static func decode(_ base64: String, byteCount: Int) throws -> Data {
      guard let bytes = Data(base64Encoded: base64, options: .ignoreUnknownCharacters), bytes.count == byteCount else {
        throw CommandFailure(description: "the built-in example does not decode (DefaultModel.swift is damaged)")
      }
      return bytes
    }

    /// Writes `model` to a new file of a unique name in the temporary directory (never
    /// replacing one) and returns its path; the caller removes it.
    static func privateCopy(of model: Data) throws -> String {
      let file = FileManager.default.temporaryDirectory.appendingPathComponent("emp-example-\(UUID().uuidString).safetensors")
      do {
        try model.write(to: file, options: .withoutOverwriting)
      } catch {
        throw CommandFailure(description: "cannot write the built-in example model to \(file.path): \(error.localizedDescription)")
      }
      return file.path
    }

    /// Writes `model` to `emp-example-<user id>-<digest of the bytes>.safetensors` in the
    /// temporary directory, replacing that file atomically (a private copy renamed over it,
    /// so a concurrent reader sees one complete example or the other), and returns its path.
    static func keptCopy(of model: Data) throws -> String {
      var digest: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a, 64 bits
      for byte in model { digest = (digest ^ UInt64(byte)) &* 0x100_0000_01b3 }
      let name = "emp-example-\(getuid())-\(String(digest, radix: 16)).safetensors"
      let target = FileManager.default.temporaryDirectory.appendingPathComponent(name).path
      let staging = try privateCopy(of: model)
      guard rename(staging, target) == 0 else {
        let reason = String(cString: strerror(errno))
        try? FileManager.default.removeItem(atPath: staging)
        throw CommandFailure(description: "cannot write the built-in example model to \(target): \(reason)")
      }
      return target
    }
  }
}
