import Exact
import Foundation
import Testing

/// `emp analyze` on tensor files: modes, fast against exact, JSON keys, undefined tensors.
@Suite struct AnalyzeModelCommandTests {
  static let vectorKeys: Set<String> = [
    "n", "neff", "neff_decimal", "nu", "nu_certificate", "exact_sums", "shell", "beta", "sparsity", "s_eff",
    "s_eff_decimal", "pruned_mass", "bound_paper_decimal", "bound_holds", "margin_decimal", "tight_infimum_decimal",
    "tight_infimum_attained", "tight_margin_decimal", "extremal_point",
  ]

  static func analyze(_ arguments: [String]) throws -> [String: Any] {
    let run = try EMPProcess.run(["analyze"] + arguments + ["--json"])
    #expect(run.status == 0 && run.stderr.isEmpty, "\(arguments): \(run.stderr)")
    return try EMPProcess.json(run)
  }

  static func tensors(_ report: [String: Any]) throws -> [[String: Any]] {
    try #require(report["tensors"] as? [[String: Any]])
  }

  /// Whether a fast decimal is the exact value correctly rounded to some number of digits.
  static func isRounding(_ fast: Any?, of exact: Any?) -> Bool {
    guard let fast = fast as? String else { return fast is NSNull && exact is NSNull }
    guard let exact = exact as? String, let value = Rational(exact) else { return false }
    return (1...17).contains { value.decimalString(significantDigits: $0) == fast }
  }

  /// Every decision and exact field of a fast entry equals the exact entry's; every fast
  /// decimal is a correct rounding of the exact value.
  static func expectAgreement(fast: [String: Any], exact: [String: Any], context: String) {
    for key in ["n", "nu", "shell", "sparsity", "bound_holds", "undefined", "rows", "nu_min", "nu_max", "nu_mean", "zero_rows"] {
      #expect("\(fast[key] ?? "absent")" == "\(exact[key] ?? "absent")", "\(context) \(key)")
    }
    for key in ["neff", "s_eff", "pruned_mass"] where !(fast[key] is NSNull) {
      #expect(fast[key] as? String == exact[key] as? String, "\(context) \(key)")
    }
    #expect(isRounding(fast["bound_paper_decimal"], of: exact["bound_paper_decimal"]), "\(context) bound")
    #expect(isRounding(fast["tight_infimum_decimal"], of: exact["tight_infimum_decimal"]), "\(context) T")
    // Exact decimals print 17 digits of the exact p/q; fast ones must round the same value.
    for (decimal, fraction) in [("neff_decimal", "neff"), ("s_eff_decimal", "s_eff")] {
      if let exactFraction = exact[fraction] as? String {
        #expect(isRounding(fast[decimal], of: exactFraction), "\(context) \(decimal): \(fast[decimal] ?? "") vs \(exactFraction)")
      }
    }
  }

  @Test(arguments: ["per-tensor", "global", "per-row"])
  func fastAndExactDecideAlike(mode: String) throws {
    let fixtures = try ModelFixtures()
    defer { fixtures.remove() }
    let model = try fixtures.safetensors("model.safetensors", ModelFixtures.standardTensors)
    for beta in ["1", "3/7", "2.5"] {
      let fast = try Self.analyze([model, "--mode", mode, "--beta", beta, "--fast"])
      let exact = try Self.analyze([model, "--mode", mode, "--beta", beta, "--exact"])
      #expect(fast["method"] as? String == "fast" && exact["method"] as? String == "exact")
      let (fastTensors, exactTensors) = (try Self.tensors(fast), try Self.tensors(exact))
      #expect(fastTensors.count == 5)
      for (f, e) in zip(fastTensors, exactTensors) {
        #expect(Set(f.keys) == Set(e.keys), "keys of \(f["name"] ?? "")")
        Self.expectAgreement(fast: f, exact: e, context: "\(mode) β=\(beta) \(f["name"] ?? "")")
      }
      let (fg, eg) = (try #require(fast["global"] as? [String: Any]), try #require(exact["global"] as? [String: Any]))
      #expect(Set(fg.keys) == Set(eg.keys))
      Self.expectAgreement(fast: fg, exact: eg, context: "\(mode) β=\(beta) global")
      #expect((fg["left_out"] as? [[String: Any]])?.map { $0["name"] as? String } == ["ids"])
    }
  }

  @Test func entriesHaveTheReferenceKeys() throws {
    let fixtures = try ModelFixtures()
    defer { fixtures.remove() }
    let model = try fixtures.safetensors("model.safetensors", ModelFixtures.standardTensors)
    for mode in ["per-tensor", "global", "per-row"] {
      let report = try Self.analyze([model, "--mode", mode])
      #expect(report["mode"] as? String == mode)
      for entry in try Self.tensors(report) {
        #expect(Self.vectorKeys.union(["name", "file", "dtype", "shape", "undefined"]).isSubset(of: entry.keys))
      }
      let global = try #require(report["global"] as? [String: Any])
      #expect(Self.vectorKeys.union(["undefined", "tensors_analyzed", "left_out"]).isSubset(of: global.keys))
      #expect(global["tensors_analyzed"] as? Int == 4)
    }
    let attention = try Self.tensors(Self.analyze([model]))[0]
    #expect(attention["name"] as? String == "attn.weight" && attention["dtype"] as? String == "F32")
    #expect(attention["shape"] as? [Int] == [16, 48] && attention["n"] as? Int == 768)
  }

  @Test func perTensorMatchesTheTextAnalysisOfTheSameScores() throws {
    let fixtures = try ModelFixtures()
    defer { fixtures.remove() }
    let tensor = ModelFixtures.standardTensors[1]
    let npy = try fixtures.npy("mlp.npy", tensor)
    let fromFile = try Self.tensors(Self.analyze([npy, "--exact"]))[0]
    let text = tensor.storedValues.map { "\(try! Rational(exactly: $0))" }.joined(separator: "\n")
    let fromText = try EMPProcess.json(EMPProcess.run(["analyze", "--json"], stdin: text))
    for key in Self.vectorKeys {
      #expect("\(fromFile[key] ?? "absent")" == "\(fromText[key] ?? "absent")", "\(key)")
    }
  }

  @Test func shardedNpyAndSingleFileAgree() throws {
    let fixtures = try ModelFixtures()
    defer { fixtures.remove() }
    let single = try fixtures.safetensors("model.safetensors", ModelFixtures.standardTensors)
    let index = try fixtures.sharded("sharded")
    for mode in ["per-tensor", "global", "per-row"] {
      let a = try Self.tensors(Self.analyze([single, "--mode", mode])).map { $0.filter { $0.key != "file" } }
      let b = try Self.tensors(Self.analyze([index, "--mode", mode])).map { $0.filter { $0.key != "file" } }
      #expect(a.map { "\($0.sorted { $0.key < $1.key })" } == b.map { "\($0.sorted { $0.key < $1.key })" }, "\(mode)")
    }
    let npy = try fixtures.npy("attn.npy", ModelFixtures.standardTensors[0])
    let fromNPY = try Self.tensors(Self.analyze([npy]))[0]
    let fromSafetensors = try Self.tensors(Self.analyze([single, "--tensor", "attn.weight"]))
    #expect(fromSafetensors.count == 1)
    #expect(fromNPY["nu"] as? Int == fromSafetensors[0]["nu"] as? Int)
    #expect(fromNPY["s_eff_decimal"] as? String == fromSafetensors[0]["s_eff_decimal"] as? String)
  }

  @Test func undefinedTensorsAreReportedAndLeftOut() throws {
    let fixtures = try ModelFixtures()
    defer { fixtures.remove() }
    var withNaN = ModelFixtures.scores(40, stream: 9)
    withNaN[17] = .nan
    let tensors = [
      ModelFixtures.Tensor(name: "good", dtype: .f32, shape: [4, 10], values: ModelFixtures.scores(40, stream: 8)),
      ModelFixtures.Tensor(name: "zeros", dtype: .f32, shape: [2, 5], values: Array(repeating: 0, count: 10)),
      ModelFixtures.Tensor(name: "nan", dtype: .f16, shape: [4, 10], values: withNaN),
    ]
    let model = try fixtures.safetensors("bad-values.safetensors", tensors)
    for method in ["--fast", "--exact"] {
      let perTensor = try Self.analyze([model, method])
      let entries = try Self.tensors(perTensor)
      #expect(entries[0]["undefined"] is NSNull && entries[0]["nu"] is Int)
      #expect((entries[1]["undefined"] as? String)?.contains("all scores are zero") == true)
      #expect((entries[2]["undefined"] as? String)?.contains("the score at 0-based index 17 is not finite") == true)
      let global = try #require(perTensor["global"] as? [String: Any])
      #expect((global["left_out"] as? [[String: Any]])?.map { $0["name"] as? String } == ["zeros", "nan"])
      #expect(global["n"] as? Int == 40)
      // Global mode keeps the zeros (they are scores of the vector) and leaves out the NaN tensor.
      let globalMode = try Self.analyze([model, "--mode", "global", method])
      let g = try #require(globalMode["global"] as? [String: Any])
      #expect(g["n"] as? Int == 50 && g["undefined"] is NSNull)
      #expect((g["left_out"] as? [[String: Any]])?.map { $0["name"] as? String } == ["nan"])
      #expect(try Self.tensors(globalMode)[1]["nu"] as? Int == 0)
    }
    let text = try EMPProcess.run(["analyze", model])
    #expect(text.status == 0 && text.stdout.contains("undefined: the score at 0-based index 17 is not finite"))
    #expect(text.stdout.contains("left out: zeros"))
  }

  /// Equal scores: N_eff = N and s_eff = B(N, N) = 1 exactly, so no float enclosure can decide
  /// the floor or the bound; the fast path must fall back to exact values, not guess.
  @Test func boundariesAreDecidedExactly() throws {
    let fixtures = try ModelFixtures()
    defer { fixtures.remove() }
    let model = try fixtures.safetensors(
      "uniform.safetensors", [ModelFixtures.Tensor(name: "u", dtype: .f32, shape: [4, 8], values: Array(repeating: -0.5, count: 32))])
    for mode in ["per-tensor", "global"] {
      let report = try Self.analyze([model, "--mode", mode])
      let entry = mode == "global" ? try #require(report["global"] as? [String: Any]) : try Self.tensors(report)[0]
      #expect(entry["nu"] as? Int == 32 && entry["bound_holds"] as? Bool == true, "\(mode)")
      #expect(entry["exact_sums"] as? Bool == true && entry["neff"] as? String == "32/1" && entry["s_eff"] as? String == "1/1")
      #expect(entry["margin_decimal"] as? String == "0")
    }
  }

  @Test func perRowReportsRowsAndDetailsOnRequest() throws {
    let fixtures = try ModelFixtures()
    defer { fixtures.remove() }
    var values = ModelFixtures.scores(30, stream: 11)
    for i in 10..<20 { values[i] = 0 }
    let model = try fixtures.safetensors(
      "rows.safetensors", [ModelFixtures.Tensor(name: "w", dtype: .f32, shape: [3, 2, 5], values: values)])
    for method in ["--fast", "--exact"] {
      let entry = try Self.tensors(Self.analyze([model, "--mode", "per-row", "--rows-json", method]))[0]
      #expect(entry["rows"] as? Int == 3 && entry["columns"] as? Int == 10 && entry["zero_rows"] as? Int == 1)
      let details = try #require(entry["row_details"] as? [Any])
      #expect(details.count == 3 && details[1] is NSNull)
      let rows = details.compactMap { $0 as? [String: Any] }
      #expect(rows.count == 2 && rows.allSatisfy { Self.vectorKeys.isSubset(of: $0.keys) })
      #expect(entry["nu"] as? Int == rows.map { $0["nu"] as! Int }.reduce(0, +))
    }
    let plain = try Self.tensors(Self.analyze([model, "--mode", "per-row"]))[0]
    #expect(plain["row_details"] == nil)
  }

  @Test func textTableShowsEveryTensorAndTheTotal() throws {
    let fixtures = try ModelFixtures()
    defer { fixtures.remove() }
    let model = try fixtures.safetensors("model.safetensors", ModelFixtures.standardTensors)
    let run = try EMPProcess.run(["analyze", model, "--mode", "global"])
    #expect(run.status == 0)
    for name in ["attn.weight", "mlp.weight", "proj.weight", "norm.bias", "all analysed", "left out: ids", "global analysis"] {
      #expect(run.stdout.contains(name), "\(name)")
    }
  }

  @Test func tensorSelectionAndTextOnlyOptions() throws {
    let fixtures = try ModelFixtures()
    defer { fixtures.remove() }
    let model = try fixtures.safetensors("model.safetensors", ModelFixtures.standardTensors)
    let selected = try Self.tensors(Self.analyze([model, "--tensor", "*.weight", "--tensor", "ids"]))
    #expect(selected.map { $0["name"] as? String } == ["attn.weight", "mlp.weight", "proj.weight", "ids"])
    for arguments in [[model, "--tensor", "nothing*"], ["-", "--fast"], ["-", "--mode", "global"]] {
      let run = try EMPProcess.run(["analyze"] + arguments, stdin: "1 2 3")
      #expect(run.status != 0 && run.stdout.isEmpty && run.stderr.split(separator: "\n").count == 1, "\(arguments)")
    }
  }
}
