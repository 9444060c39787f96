import EMPCore
import Exact

extension ConformanceCorpus {
  /// The seed of the committed corpus.
  public static let defaultSeed: UInt64 = 1

  /// The corpus: hand-picked adversarial cases, then cases generated from `seed`.
  ///
  /// Hand-picked: N = 1, 2, 3; uniform; N_eff just below an integer where float32 or float64
  /// evaluation of `(Σa)²/Σa²` rounds up across it, and just above; ties at the cut;
  /// subnormals; huge dynamic range (squares overflow or underflow); one dominant score;
  /// signed scores; β ≠ 1 where the clamps and the order of floor and β matter; no positive
  /// score; and cases with no EMP analysis (−∞, NaN or +∞ entries, all zero), which a
  /// conforming implementation refuses.
  /// Generated: uniform, signed, heavy-tailed, wide-range, quantized (many ties) and sparse
  /// vectors, and N_eff bisected to the two adjacent floats around an integer. Then structured
  /// inputs: 2-D tensors verified row by row, and safetensors files whose tensors are verified
  /// as one vector.
  ///
  /// - Parameter large: add a few cases with N = 100,000 (not part of the committed corpus).
  /// - Complexity: O(Σ N) exact operations, plus O(N) per bisection step.
  public static func cases(seed: UInt64 = defaultSeed, large: Bool = false) -> [ConformanceCase] {
    var rng = SplitMix64(seed: seed)
    var all = handPicked()
    all += generated(&rng)
    all += structured(&rng)
    if large {
      for precision in FloatPrecision.inputFormats {
        all.append(
          ConformanceCase(
            id: "large-uniform-\(precision.rawValue)-100000", summary: "100,000 uniform scores",
            precision: precision, scores: (0..<100_000).map { _ in rng.unit(precision) }))
      }
      all += nearInteger(count: 100_000, precision: .float32, label: "large", &rng)
    }
    return all
  }

  private static func handPicked() -> [ConformanceCase] {
    let f32 = FloatPrecision.float32
    let f64 = FloatPrecision.float64
    func ones(_ k: Int) -> [Double] { Array(repeating: 1, count: k) }
    func twoToThe(_ e: Int) -> Double { Double(sign: .plus, exponent: e, significand: 1) }
    var cases = [
      ConformanceCase(id: "n1", summary: "N = 1", precision: f64, scores: [0.75]),
      ConformanceCase(id: "n1-negative", summary: "N = 1, a negative score", precision: f32, scores: [-3]),
      ConformanceCase(id: "n2-equal", summary: "N = 2, equal scores: N_eff = 2", precision: f32, scores: [1, 1]),
      ConformanceCase(id: "n2-signed", summary: "N = 2, mixed signs", precision: f64, scores: [3, -1]),
      ConformanceCase(id: "n3-ties-at-cut", summary: "N = 3, the cut falls between two equal scores", precision: f32, scores: [1, 2, 1]),
      ConformanceCase(id: "n3-zero", summary: "N = 3 with a zero (Theorem 4.2's counterexample)", precision: f64, scores: [3, 2, 0]),
      ConformanceCase(id: "uniform-7-f64", summary: "7 copies of 0.1: N_eff = N exactly", precision: f64, scores: Array(repeating: 0.1, count: 7)),
      ConformanceCase(id: "uniform-100-f32", summary: "100 copies of 0.1: N_eff = N exactly", precision: f32, scores: Array(repeating: 0.1, count: 100)),
      ConformanceCase(id: "uniform-1000-f32", summary: "1000 copies of 1/3: N_eff = N exactly", precision: f32, scores: Array(repeating: 1.0 / 3, count: 1000)),
      ConformanceCase(
        id: "ties-at-cut-7", summary: "one 3 and six 2s: ν = 6 keeps five of the six tied 2s", precision: f64,
        scores: [2, 2, 3, 2, 2, 2, 2]),
      ConformanceCase(
        id: "ties-at-cut-signed", summary: "tied magnitudes of both signs at the cut", precision: f32,
        scores: [-2, 2, 3, -2, 2, -2, 2]),
      ConformanceCase(
        id: "subnormal-f32", summary: "only float32 subnormals: their squares underflow to 0 in float32", precision: f32,
        scores: (1...20).map { Double($0) * twoToThe(-149) }),
      ConformanceCase(
        id: "subnormal-mixed-f32", summary: "normal scores with float32 subnormals mixed in", precision: f32,
        scores: [1, 0.5, 0.25, twoToThe(-140), twoToThe(-149), 3 * twoToThe(-149), 0.125]),
      ConformanceCase(
        id: "subnormal-f64", summary: "only float64 subnormals", precision: f64,
        scores: (1...10).map { Double($0 * $0) * twoToThe(-1074) }),
      ConformanceCase(
        id: "dynamic-range-f32", summary: "scores from 1e-38 to 3e38: squares overflow and underflow float32",
        precision: f32, scores: [3e38, 1e30, 1e19, 1, 1e-20, 1e-38]),
      ConformanceCase(
        id: "dynamic-range-f64", summary: "scores from 1e-300 to 1e300: squares overflow and underflow float64",
        precision: f64, scores: [1e300, 1e299, 1e150, 1, 1e-150, 1e-300]),
      ConformanceCase(
        id: "one-dominant-f32", summary: "one score of 1000 and 999 scores of 0.001: N_eff just above 1",
        precision: f32, scores: [1000] + Array(repeating: 0.001, count: 999)),
      ConformanceCase(
        id: "one-dominant-f64", summary: "one score of 1 and 500 scores of 2^-30", precision: f64,
        scores: Array(repeating: twoToThe(-30), count: 250) + [1] + Array(repeating: twoToThe(-30), count: 250)),
      ConformanceCase(
        id: "beta-half", summary: "β = 1/2", precision: f64, scores: [5, 4, 3, 2, 1, 1, 1, 0.5], beta: Rational(1, 2)),
      ConformanceCase(
        id: "beta-3-2-floor-order", summary: "β = 3/2 and N_eff ≈ 3.81: ⌊β·N_eff⌋ = 5 but ⌊β·⌊N_eff⌋⌋ = 4",
        precision: f64, scores: [4, 3, 2, 1, 0.5, 0.25], beta: Rational(3, 2)),
      ConformanceCase(
        id: "beta-2-upper-clamp", summary: "β = 2 and N_eff ≈ 9.71: ⌊β·N_eff⌋ = 19 is clamped to N = 10",
        precision: f32, scores: [1, 1, 1, 1, 1, 1, 1, 1, 0.75, 0.5], beta: 2),
      ConformanceCase(
        id: "beta-quarter-lower-clamp", summary: "β = 1/4 and N_eff ≈ 1.02: ⌊β·N_eff⌋ = 0 is clamped to 1",
        precision: f64, scores: [1, 0.01, 0.01], beta: Rational(1, 4)),
      ConformanceCase(
        id: "beta-5-4-signed", summary: "β = 5/4 with mixed signs", precision: f32,
        scores: [3, -2.5, 2, -1.5, 1, -0.5, 0.25, -0.125], beta: Rational(5, 4)),
    ]
    // (k − 1) ones and 1 − ε: N_eff = k − (k − 1)ε²/(k − 2ε + ε²), below k by far less than one
    // float ulp, and (Σa)²/Σa² evaluates to exactly k in the given format.
    for (k, precision, e) in [(2, f32, -12), (17, f32, -12), (100, f32, -12), (3, f64, -27), (40, f64, -27)] {
      cases.append(
        ConformanceCase(
          id: "near-integer-below-\(k)-\(precision.rawValue)",
          summary: "N_eff just below \(k): \(k - 1) ones and 1 − 2^\(e)", precision: precision,
          scores: ones(k - 1) + [1 - twoToThe(e)]))
    }
    // k ones and ε: N_eff = k + (2kε + ε² − kε²)/(k + ε²), just above k.
    for (k, precision, e) in [(17, f32, -30), (40, f64, -60)] {
      cases.append(
        ConformanceCase(
          id: "near-integer-above-\(k)-\(precision.rawValue)",
          summary: "N_eff just above \(k): \(k) ones and 2^\(e)", precision: precision, scores: ones(k) + [twoToThe(e)]))
    }
    // No positive score: |s| has an analysis, the positive part (clipped scores) has none.
    cases.append(
      ConformanceCase(
        id: "all-non-positive-f32", summary: "no positive score: clipping negatives to 0 leaves all zero", precision: f32,
        scores: [-1, -2, 0, -0.5, -2]))
    // No EMP analysis: a conforming implementation refuses these (masked entries, all zero).
    cases += [
      ConformanceCase(
        id: "masked-neg-inf-f32", summary: "−∞ entries (masked scores) among finite ones of both signs: no EMP analysis",
        precision: f32, scores: [0.5, -.infinity, 2, -1, -.infinity, 3, 0.25]),
      ConformanceCase(
        id: "masked-nan-f32", summary: "a NaN among finite scores: no EMP analysis", precision: f32,
        scores: [1, .nan, 2, 0.5, 4]),
      ConformanceCase(
        id: "masked-pos-inf-f64", summary: "a +∞ among finite scores: no EMP analysis", precision: f64,
        scores: [1, 2, .infinity, 0.75]),
      ConformanceCase(
        id: "all-zero-f32", summary: "all scores zero: N_eff = 0/0, no EMP analysis", precision: f32,
        scores: Array(repeating: 0, count: 6)),
      ConformanceCase(
        id: "all-zero-beta-half-f64", summary: "all scores zero, β = 1/2: no EMP analysis", precision: f64,
        scores: Array(repeating: 0, count: 8), beta: Rational(1, 2)),
    ]
    return cases
  }

  private static func generated(_ rng: inout SplitMix64) -> [ConformanceCase] {
    var cases: [ConformanceCase] = []
    func add(_ id: String, _ summary: String, _ precision: FloatPrecision, _ scores: [Double], beta: Rational = 1) {
      cases.append(ConformanceCase(id: id, summary: summary, precision: precision, scores: scores, beta: beta))
    }
    for n in [10, 100, 1000] {
      add("random-uniform-f32-\(n)", "uniform on (0, 1]", .float32, (0..<n).map { _ in rng.unit(.float32) })
    }
    for n in [10, 100, 1000] {
      // Irwin–Hall: the sum of four uniforms, centred; signs of both kinds.
      add("random-signed-f64-\(n)", "symmetric bell-shaped, both signs", .float64,
        (0..<n).map { _ in (0..<4).reduce(-2.0) { acc, _ in acc + rng.unit(.float64) } })
    }
    for n in [50, 500] {
      add("random-heavy-f32-\(n)", "Pareto-like 1/u: a few very large scores", .float32, (0..<n).map { _ in 1 / rng.unit(.float32) })
    }
    for n in [64, 300] {
      add("random-wide-f64-\(n)", "u · 2^e with e in [-60, 60]", .float64,
        (0..<n).map { _ in Double(sign: .plus, exponent: rng.below(121) - 60, significand: rng.unit(.float64)) * rng.sign() })
    }
    for n in [12, 40, 200] {
      add("random-quantized-f32-\(n)", "small integers with signs: many ties at the cut", .float32,
        (0..<n).map { _ in Double(rng.below(8)) * rng.sign() } + [1])
    }
    add("random-sparse-f64-300", "90% zeros", .float64, (0..<300).map { _ in rng.below(10) == 0 ? rng.unit(.float64) : 0 })
    for (n, beta) in [(30, Rational(1, 2)), (60, Rational(3, 2)), (25, Rational(5, 4)), (40, Rational(2))] {
      add("random-beta-\(beta.numerator)-\(beta.denominator)-f32-\(n)", "uniform scores, β = \(beta)", .float32,
        (0..<n).map { _ in rng.unit(.float32) }, beta: beta)
    }
    for (n, precision) in [(20, FloatPrecision.float32), (150, .float32), (700, .float32), (30, .float64), (400, .float64)] {
      cases += nearInteger(count: n, precision: precision, label: "random", &rng)
    }
    // Scores stored in 16-bit formats: few distinct values, so many ties; in float16 the
    // squared weights of the larger vectors underflow.
    for (name, precision) in [("bf16", FloatPrecision.bfloat16), ("f16", .float16)] {
      for n in [16, 200, 1000] {
        add("random-uniform-\(name)-\(n)", "uniform on (0, 1], stored in \(precision.rawValue)", precision,
          (0..<n).map { _ in rng.unit(precision) })
      }
      add("random-signed-\(name)-300", "signed, ×2^e with e in [-8, 8], stored in \(precision.rawValue)", precision,
        (0..<300).map { _ in Double(sign: .plus, exponent: rng.below(17) - 8, significand: rng.unit(precision)) * rng.sign() },
        beta: Rational(3, 2))
    }
    return cases
  }

  private static func structured(_ rng: inout SplitMix64) -> [ConformanceCase] {
    var cases = ConformanceCase.rows(
      input: "rows-powers-f32-6x40", summary: "row r holds u^(r+1), u uniform on (0, 1]: N_eff falls row by row",
      precision: .float32,
      (0..<6).map { r in (0..<40).map { _ in let u = rng.unit(.float32); return (0..<r).reduce(u) { x, _ in x * u } } })
    let nearFive = nearInteger(count: 20, precision: .float32, label: "rows", &rng).map(\.scores)
    var signed = (0..<20).map { _ in Double(rng.below(8)) * rng.sign() }
    signed[0] = 3
    cases += ConformanceCase.rows(
      input: "rows-mixed-f32-5x20",
      summary: "rows: 20 copies of 0.1 (N_eff = N), one dominant score, signed small integers (ties at the cut), "
        + "N_eff just below and just above an integer",
      precision: .float32, [Array(repeating: 0.1, count: 20), [1000] + Array(repeating: 0.001, count: 19), signed] + nearFive)
    cases += ConformanceCase.rows(
      input: "rows-bf16-4x64", summary: "bfloat16 rows: uniform (many ties), the last row signed ×2^e with e in [-4, 4]",
      precision: .bfloat16,
      (0..<3).map { _ in (0..<64).map { _ in rng.unit(.bfloat16) } }
        + [(0..<64).map { _ in Double(sign: .plus, exponent: rng.below(9) - 4, significand: rng.unit(.bfloat16)) * rng.sign() }])
    cases += ConformanceCase.rows(
      input: "rows-f16-3x100-beta-1-2", summary: "float16 rows, uniform on (0, 1], β = 1/2", precision: .float16,
      (0..<3).map { _ in (0..<100).map { _ in rng.unit(.float16) } }, beta: Rational(1, 2))
    cases += ConformanceCase.rows(
      input: "rows-signed-f64-4x30-beta-5-4", summary: "float64 rows of both signs, u · 2^e with e in [-3·r, 3·r] in row r, β = 5/4",
      precision: .float64,
      (0..<4).map { r in
        (0..<30).map { _ in Double(sign: .plus, exponent: rng.below(6 * r + 1) - 3 * r, significand: rng.unit(.float64)) * rng.sign() }
      }, beta: Rational(5, 4))
    func global(_ id: String, _ summary: String, _ precision: FloatPrecision, beta: Rational = 1, _ tensors: [(String, [Int], [Double])])
      -> ConformanceCase
    {
      let tensors = tensors.sorted { $0.0 < $1.0 }
      return ConformanceCase(
        id: id, summary: summary, precision: precision, scores: tensors.flatMap(\.2), beta: beta,
        layout: .tensors(tensors.map { ConformanceCase.NamedShape(name: $0.0, shape: $0.1) }))
    }
    func uniform(_ count: Int, _ precision: FloatPrecision, scale: Double = 1) -> [Double] {
      (0..<count).map { _ in rng.unit(precision) * scale }
    }
    cases.append(
      global(
        "global-3-tensors-f32", "a weight, a bias 100 times smaller and a weight 4 times larger: the cut is shared unevenly",
        .float32,
        [("layers.0.weight", [4, 6], uniform(24, .float32)), ("layers.0.bias", [6], uniform(6, .float32, scale: 0.01)),
         ("layers.1.weight", [6, 3], uniform(18, .float32, scale: 4))]))
    cases.append(
      global(
        "global-attention-bf16", "bfloat16 q and o projections, o signed ×2^e with e in [-4, 4], β = 3/2", .bfloat16,
        beta: Rational(3, 2),
        [("attn.q_proj.weight", [8, 8], uniform(64, .bfloat16)),
         ("attn.o_proj.weight", [8, 8],
          (0..<64).map { _ in Double(sign: .plus, exponent: rng.below(9) - 4, significand: rng.unit(.bfloat16)) * rng.sign() })]))
    cases.append(
      global(
        "global-signed-f64-beta-1-2", "float64 weights of both signs in two tensors, β = 1/2", .float64, beta: Rational(1, 2),
        [("encoder.weight", [5, 4], (0..<20).map { _ in rng.unit(.float64) * 2 - 1 }),
         ("decoder.weight", [2, 5], (0..<10).map { _ in rng.unit(.float64) * 2 - 1 })]))
    for near in nearInteger(count: 30, precision: .float32, label: "global", &rng) {
      cases.append(
        global(near.id, near.summary + ", in two tensors", .float32,
          [("a.weight", [3, 5], Array(near.scores[..<15])), ("b.weight", [15], Array(near.scores[15...]))]))
    }
    return cases
  }

  /// Two cases around an integer k: N − 1 uniform scores and one score t, with t bisected over
  /// the floats of `precision` to the adjacent pair where N_eff crosses k (exactly decided).
  ///
  /// `N_eff(t) = (S + t)²/(Q + t²)` (S = Σa, Q = Σa² of the others) decreases from its
  /// maximum `1 + S²/Q` at `t = Q/S` towards 1, so it crosses each integer in between once.
  private static func nearInteger(
    count n: Int, precision: FloatPrecision, label: String, _ rng: inout SplitMix64
  ) -> [ConformanceCase] {
    let base = (0..<(n - 1)).map { _ in rng.unit(precision) }
    let position = rng.below(n)
    let sum = base.reduce(Rational.zero) { $0 + Rational(finite: $1) }
    let squares = base.reduce(Rational.zero) { let x = Rational(finite: $1); return $0 + x * x }
    let peak = 1 + sum * sum / squares
    let k = max(2, (peak * Rational(1 + rng.below(8), 10)).floor.intValue!)
    func atLeastK(_ t: Double) -> Bool {
      let x = Rational(finite: t)
      return (sum + x) * (sum + x) >= Rational(k) * (squares + x * x)
    }
    let bits = FloatBits(precision)
    var low = bits.pattern(of: precision.nearest(squares / sum))  // N_eff(low) ≥ k
    var high = low
    while atLeastK(bits.value(of: high)) { high = bits.pattern(of: bits.value(of: high) * 2) }
    while high - low > 1 {
      let middle = low + (high - low) / 2
      if atLeastK(bits.value(of: middle)) { low = middle } else { high = middle }
    }
    func vector(_ t: Double) -> [Double] { Array(base[..<position]) + [t] + Array(base[position...]) }
    let name = "\(label)-near-integer-\(precision.rawValue)-\(n)"
    return [
      ConformanceCase(
        id: "\(name)-below-\(k)", summary: "N_eff just below \(k): one score bisected to the float where N_eff crosses \(k)",
        precision: precision, scores: vector(bits.value(of: high))),
      ConformanceCase(
        id: "\(name)-above-\(k)", summary: "N_eff at or just above \(k): the adjacent float on the other side",
        precision: precision, scores: vector(bits.value(of: low))),
    ]
  }

  /// Positive floats of a format ordered as their bit patterns (adjacent patterns are adjacent floats).
  private struct FloatBits {
    let precision: FloatPrecision
    init(_ precision: FloatPrecision) { self.precision = precision }
    func pattern(of x: Double) -> UInt64 {
      precision == .float32 ? UInt64(Float(x).bitPattern) : x.bitPattern
    }
    func value(of pattern: UInt64) -> Double {
      precision == .float32 ? Double(Float(bitPattern: UInt32(pattern))) : Double(bitPattern: pattern)
    }
  }
}
