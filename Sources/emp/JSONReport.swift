import EMPReference
import Exact
import Foundation

/// The JSON that `emp analyze --json` and `emp bound --json` print: the one place where
/// results become JSON. Exact values are `"p/q"` strings (integers too: `"3/1"`);
/// decimals are strings of 17 significant digits, correctly rounded (from a certified
/// enclosure when irrational); a value that does not apply is `null`.
enum JSONReport {
  /// One line of JSON with sorted keys.
  static func render(_ fields: [String: JSONValue]) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    // Encoding strings, integers, booleans and nulls cannot fail.
    return String(decoding: try! encoder.encode(fields), as: UTF8.self)
  }

  /// The fields of one score vector's analysis (a value later tables reuse per tensor).
  static func fields(of analysis: ExactAnalysis) -> [String: JSONValue] {
    let paper = analysis.paperBound
    let tight = analysis.tightInfimum
    return [
      "n": .int(analysis.count),
      "neff": .exact(analysis.effectiveSampleSize),
      "neff_decimal": .decimal(Surd(analysis.effectiveSampleSize)),
      "nu": .int(analysis.retentionCount),
      "shell": .int(analysis.shell),
      "beta": .exact(analysis.beta),
      "sparsity": .exact(analysis.sparsity),
      "s_eff": .exact(analysis.preservedMass),
      "s_eff_decimal": .decimal(Surd(analysis.preservedMass)),
      "pruned_mass": .exact(analysis.prunedMass),
      "bound_paper_decimal": paper.map { .decimal($0.bound) } ?? .null,
      "bound_holds": paper.map { .bool($0.holds) } ?? .null,
      "margin_decimal": paper.map { .decimal($0.margin) } ?? .null,
      "tight_infimum_decimal": .decimal(tight.value),
      "tight_infimum_attained": .bool(tight.isAttained),
      "tight_margin_decimal": .decimal(analysis.tightMargin),
      "extremal_point": .string(tight.point.description),
    ]
  }

  /// The fields of `emp bound`.
  static func fields(bound: Surd, tight: TightInfimum, paperBoundValid: Bool) -> [String: JSONValue] {
    [
      "n": .int(tight.count),
      "nu": .int(tight.shell),
      "k": .int(tight.kept),
      "bound_paper": .string(bound.description),
      "bound_paper_decimal": .decimal(bound),
      "tight_infimum": .string(tight.value.description),
      "tight_infimum_decimal": .decimal(tight.value),
      "tight_infimum_attained": .bool(tight.isAttained),
      "extremal_point": .string(tight.point.description),
      "paper_bound_valid": .bool(paperBoundValid),
    ]
  }
}

/// A JSON scalar of a report.
enum JSONValue: Encodable {
  case int(Int)
  case bool(Bool)
  case string(String)
  case null

  /// An exact rational as `"p/q"`.
  static func exact(_ value: Rational) -> JSONValue { .string("\(value.numerator)/\(value.denominator)") }

  /// A correctly rounded 17-digit decimal string.
  static func decimal(_ value: Surd) -> JSONValue { .string(value.decimalString(significantDigits: 17)) }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case .int(let value): try container.encode(value)
    case .bool(let value): try container.encode(value)
    case .string(let value): try container.encode(value)
    case .null: try container.encodeNil()
    }
  }
}
