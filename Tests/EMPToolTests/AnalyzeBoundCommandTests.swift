import Foundation
import Testing

/// `emp analyze` and `emp bound`, run as a user runs them: output, errors, exit codes.
@Suite struct AnalyzeBoundCommandTests {
  static func emp(_ arguments: [String], stdin: String = "") throws -> EMPProcess.Run {
    try EMPProcess.run(arguments, stdin: stdin)
  }

  static func json(_ run: EMPProcess.Run) throws -> [String: Any] { try EMPProcess.json(run) }

  @Test func analyzeDecimalFileAndStdinAgree() throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("emp-analyze-\(getpid()).txt")
    try "0.5\n0.3\n0.2\n".write(to: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: file) }
    let fromFile = try Self.emp(["analyze", file.path, "--json"])
    let fromStdin = try Self.emp(["analyze", "-", "--json"], stdin: "1/2, 3/10, 1/5")
    #expect(fromFile.status == 0 && fromFile.stdout == fromStdin.stdout)
    let fields = try Self.json(fromFile)
    #expect(fields["neff"] as? String == "50/19")
    #expect(fields["neff_decimal"] as? String == "2.6315789473684211")
    #expect(fields["nu"] as? Int == 2)
    #expect(fields["s_eff"] as? String == "4/5")
    #expect(fields["bound_holds"] as? Bool == true)
    #expect(fields["bound_paper_decimal"] as? String == "0.66666666666666667")
    #expect(fields["tight_infimum_decimal"] as? String == "0.66666666666666667")
    #expect(fields["margin_decimal"] as? String == "0.13333333333333333")
    let text = try Self.emp(["analyze", file.path])
    #expect(text.stdout.contains("bound holds  yes"))
  }

  @Test func analyzeCounterexampleAndSingleScore() throws {
    let fields = try Self.json(Self.emp(["analyze", "--json"], stdin: "3 2 0"))
    #expect(fields["bound_holds"] as? Bool == false && fields["margin_decimal"] as? String == "-0.066666666666666667")
    let single = try Self.emp(["analyze", "--json"], stdin: "-4")
    let one = try Self.json(single)
    #expect(single.status == 0 && one["n"] as? Int == 1 && one["bound_holds"] is NSNull)
    #expect(try Self.emp(["analyze"], stdin: "-4").stdout.contains("not applicable"))
  }

  @Test func boundReportsTheCounterexampleShell() throws {
    let fields = try Self.json(Self.emp(["bound", "--n", "3", "--nu", "1", "--json"]))
    #expect(fields["paper_bound_valid"] as? Bool == false)
    #expect(fields["tight_infimum_decimal"] as? String == "0.5")
    #expect(fields["bound_paper_decimal"] as? String == "0.66666666666666667")
    let valid = try Self.json(Self.emp(["bound", "--n", "10000", "--nu", "37", "--k", "40", "--json"]))
    #expect(valid["paper_bound_valid"] as? Bool == true && valid["k"] as? Int == 40)
  }

  /// `--beta`: the band of N_eff where EMP keeps k scores of the shell, and the tight
  /// infimum over it beside T; "empty" when no vector is in the band; null keys without it.
  @Test func boundAtAFixedBeta() throws {
    let arguments = ["bound", "--n", "10", "--nu", "1", "--k", "1", "--beta", "3/2"]
    let text = try Self.emp(arguments).stdout
    #expect(text.contains("band at β      [1, 4/3): the N_eff of shell m at which β = 3/2 keeps k scores\n"))
    #expect(text.contains("infimum at β   I(k, band, N) ≈ 0.85355339059327376  [= 1/2 + (1/2)·√(1/2)]\n"))
    #expect(text.contains("(approached, N_eff = 4/3)\n") && text.contains("T(k, m, N) ≈ 0.5  [= 1/2]"))
    let fields = try Self.json(Self.emp(arguments + ["--json"]))
    #expect(fields["band"] as? [String] == ["1/1", "4/3"] && fields["beta"] as? String == "3/2")
    #expect(fields["tight_infimum_beta"] as? String == "1/2 + (1/2)·√(1/2)")
    #expect(fields["tight_infimum_beta_decimal"] as? String == "0.85355339059327376")
    #expect(fields["tight_infimum_beta_attained"] as? Bool == false)
    #expect(fields["tight_infimum_decimal"] as? String == "0.5")
    // The edge [u_4, u_5] wins: 7/15 at N = 5, k = 2, band [4, 9/2) (β = 2/3).
    let near = try Self.json(Self.emp(["bound", "--n", "5", "--nu", "4", "--k", "2", "--beta", "2/3", "--json"]))
    #expect(near["band"] as? [String] == ["4/1", "9/2"] && near["tight_infimum_beta"] as? String == "7/15")
    #expect(near["extremal_point_beta"] as? String == "λ·u_4 + (1−λ)·u_5, λ = 2/3 ≈ 0.66666666666666667")
    // Empty bands: no N_eff of the shell keeps k, or the band lies above N.
    for (arguments, line) in [
      (["--n", "5", "--nu", "1", "--k", "3", "--beta", "1/2"], "band at β      empty: at β = 1/2, EMP keeps k scores for no N_eff in shell m\n"),
      (["--n", "3", "--nu", "3", "--k", "3", "--beta", "9/10"], "band at β      [10/3, 4): empty, as N_eff ≤ N for every vector\n"),
    ] {
      let run = try Self.emp(["bound"] + arguments)
      #expect(run.status == 0 && run.stdout.contains(line) && !run.stdout.contains("infimum at β"), "\(run.stdout)")
      let empty = try Self.json(Self.emp(["bound"] + arguments + ["--json"]))
      #expect(empty["beta"] is String && empty["band"] is NSNull && empty["tight_infimum_beta"] is NSNull)
    }
    let without = try Self.json(Self.emp(["bound", "--n", "10", "--nu", "1", "--json"]))
    for key in ["beta", "beta_decimal", "band", "tight_infimum_beta", "tight_infimum_beta_decimal", "tight_infimum_beta_attained", "extremal_point_beta"] {
      #expect(without[key] is NSNull, "\(key)")
    }
  }

  /// `emp analyze --beta β` (β ≠ 1) shows the band bound of the vector's own (ν, m) after T;
  /// at β = 1 (the band is the shell, I = T) nothing is added.
  @Test func analyzeShowsTheBandBoundAtAFixedBeta() throws {
    let text = try Self.emp(["analyze", "-", "--beta", "3/2"], stdin: "20 1 1").stdout
    #expect(text.contains("tight margin s_eff − T ≈ 0.40909090909090909\nband at β    [1, 4/3): "))
    #expect(text.contains("band bound   I(ν, band, N) ≈ 0.85355339059327376  [= 1/2 + (1/2)·√(1/2)], approached at "))
    #expect(text.hasSuffix("band margin  s_eff − I ≈ 0.055537518497635329\n"))
    for beta in ["1", "1/1", "1.0"] {
      let plain = try Self.emp(["analyze", "-", "--beta", beta], stdin: "20 1 1").stdout
      #expect(!plain.contains("band") && plain.hasSuffix("tight margin s_eff − T ≈ 0.40909090909090909\n"))
    }
  }

  @Test(arguments: [
    (["analyze", "-"], "nan"), (["analyze", "-"], "1 inf"), (["analyze", "-"], "0 0 0"), (["analyze", "-"], ""),
    (["analyze", "-", "--beta", "0"], "1 2"), (["analyze", "-", "--beta", "-1/2"], "1 2"),
    (["bound", "--n", "1", "--nu", "1"], ""), (["bound", "--n", "5", "--nu", "0"], ""),
    (["bound", "--n", "5", "--nu", "6"], ""), (["bound", "--n", "5", "--nu", "2", "--k", "9"], ""),
    (["bound", "--n", "5", "--nu", "2", "--beta", "0"], ""), (["bound", "--n", "5", "--nu", "2", "--beta", "-3/2"], ""),
  ])
  func badInputIsOneErrorLine(arguments: [String], stdin: String) throws {
    let run = try Self.emp(arguments, stdin: stdin)
    #expect(run.status != 0)
    #expect(run.stdout.isEmpty)
    #expect(run.stderr.split(separator: "\n").count == 1, "stderr: \(run.stderr)")
  }
}
