import Exact

/// One case as the corpus manifest records it (`Conformance/README.md` documents every field).
///
/// Exact values are `"p/q"` strings (integers too: `"3/1"`); decimals are strings;
/// `nu_<format>` are `[lowest, highest]` or absent when that format's bound is not certified.
/// A case with no EMP analysis has `undefined` (why) and none of the expected values.
/// `mode` says how the input is read: `per-tensor` (`input_npy`, 1-D), `per-row` (`input_npy`,
/// 2-D of `shape`, this entry is row `row`) or `global` (`input_safetensors`, its `tensors`
/// flattened and concatenated in order).
struct ManifestEntry: Codable, Equatable {
  var id: String
  var summary: String
  var mode: ConformanceCase.Mode
  var dtype: FloatPrecision
  var n: Int
  var beta: String
  var beta_decimal: String
  var input_npy: String?
  var input_safetensors: String?
  var input_text: String
  var row: Int?
  var shape: [Int]?
  var tensors: [ConformanceCase.NamedShape]?
  var undefined: String?
  var neff: String?
  var neff_decimal: String?
  var nu: Int?
  var kept_indices: [Int]?
  var s_eff: String?
  var s_eff_decimal: String?
  var neff_float32: String?
  var neff_float64: String?
  var nu_float32: [Int]?
  var nu_float64: [Int]?
  var float32_uncertified: String?
  var float64_uncertified: String?
  var neff_bfloat16: String?
  var neff_float16: String?
  var nu_bfloat16: [Int]?
  var nu_float16: [Int]?
  var bfloat16_uncertified: String?
  var float16_uncertified: String?

  /// The fields every case has: its inputs.
  private init(inputsOf c: ConformanceCase) {
    id = c.id
    summary = c.summary
    mode = c.mode
    dtype = c.precision
    n = c.scores.count
    beta = Self.exact(c.beta)
    beta_decimal = c.beta.decimalString(significantDigits: 17)
    input_text = ConformanceCorpus.textPath(c.input)
    switch c.layout {
    case .vector:
      input_npy = ConformanceCorpus.npyPath(c.input)
    case .row(_, let index, let rows):
      input_npy = ConformanceCorpus.npyPath(c.input)
      row = index
      shape = [rows, c.scores.count]
    case .tensors(let list):
      input_safetensors = ConformanceCorpus.safeTensorsPath(c.input)
      tensors = list
    }
  }

  /// The entry of a case with no EMP analysis: its inputs, and why.
  init(_ c: ConformanceCase, undefined reason: String) {
    self.init(inputsOf: c)
    undefined = reason
  }

  /// The entry of a case with its exact expected outcome.
  init(_ c: ConformanceCase, _ expected: ExpectedOutcome) {
    self.init(inputsOf: c)
    neff = Self.exact(expected.effectiveSampleSize)
    neff_decimal = expected.effectiveSampleSize.decimalString(significantDigits: 17)
    nu = expected.retentionCount
    kept_indices = expected.keptIndices
    s_eff = Self.exact(expected.preservedMass)
    s_eff_decimal = expected.preservedMass.decimalString(significantDigits: 17)
    neff_float32 = FloatPrecision.float32.shortestDescription(expected.roundedEffectiveSampleSize[.float32]!)
    neff_float64 = FloatPrecision.float64.shortestDescription(expected.roundedEffectiveSampleSize[.float64]!)
    nu_float32 = expected.floatRetentionCounts(.float32).map { [$0.lowerBound, $0.upperBound] }
    nu_float64 = expected.floatRetentionCounts(.float64).map { [$0.lowerBound, $0.upperBound] }
    float32_uncertified = expected.roundingBounds[.float32]!.uncertifiedReason
    float64_uncertified = expected.roundingBounds[.float64]!.uncertifiedReason
    neff_bfloat16 = FloatPrecision.bfloat16.shortestDescription(expected.roundedEffectiveSampleSize[.bfloat16]!)
    neff_float16 = expected.roundedEffectiveSampleSize[.float16].map { FloatPrecision.float16.shortestDescription($0) }
    nu_bfloat16 = expected.floatRetentionCounts(.bfloat16).map { [$0.lowerBound, $0.upperBound] }
    nu_float16 = expected.floatRetentionCounts(.float16).map { [$0.lowerBound, $0.upperBound] }
    bfloat16_uncertified = expected.roundingBounds[.bfloat16]!.uncertifiedReason
    float16_uncertified = expected.roundingBounds[.float16]!.uncertifiedReason
  }

  /// `"p/q"`, integers included.
  static func exact(_ value: Rational) -> String { "\(value.numerator)/\(value.denominator)" }
}
