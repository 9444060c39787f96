import EMPReference
import Exact
import Foundation

/// The JSON that `emp analyze --json`, `emp prune --json` and `emp bound --json` print: the
/// one place where results become JSON. Exact values are `"p/q"` strings (integers too: `"3/1"`),
/// each with a `_decimal` beside it; decimals are strings of 17 significant digits, correctly
/// rounded (from a certified enclosure when irrational); a value that does not apply is `null`.
/// Every key is documented in `Schemas/emp-output.schema.json`, which the tests validate against.
public enum JSONReport {
  /// One line of JSON with sorted keys.
  public static func render(_ fields: [String: JSONValue]) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    do {
      return String(decoding: try encoder.encode(fields), as: UTF8.self)
    } catch {
      preconditionFailure("JSONReport: encoding strings, numbers, booleans and nulls failed: \(error)")
    }
  }

  /// The fields of one score vector's analysis.
  public static func fields(of analysis: ExactAnalysis) -> [String: JSONValue] { fields(of: VectorReport(exact: analysis)) }

  /// The fields of one score vector's analysis, exact or fast: the same keys either way.
  ///
  /// A fast analysis prints each decimal with the significant digits its enclosure certifies
  /// (at most 17, correctly rounded); its exact fields (`neff`, `s_eff`, `pruned_mass`) are
  /// `null` unless the exact sums were computed. `nu_certificate` says how `ν` was found:
  /// `exact`, `floating-point` or `exact-fallback`; `exact_sums` whether exact sums refined
  /// a fast result. At β ≠ 1 the band keys (see `bandFields`) give the tight infimum over the
  /// part of the shell at which β keeps `ν` scores.
  public static func fields(of report: VectorReport) -> [String: JSONValue] {
    let tight = report.tightInfimum
    return [
      "n": .int(report.count),
      "neff": .exact(report.effectiveSampleSize.exactRational),
      "neff_decimal": .decimal(report.effectiveSampleSize),
      "nu": .int(report.retentionCount),
      "nu_certificate": .string(report.method.rawValue),
      "exact_sums": .bool(report.method == .exact || report.isRefined),
      "shell": .int(report.shell),
      "beta": .exact(report.beta),
      "beta_decimal": .decimal(report.beta),
      "sparsity": .exact(report.sparsity),
      "sparsity_decimal": .decimal(report.sparsity),
      "s_eff": .exact(report.preservedMass.exactRational),
      "s_eff_decimal": .decimal(report.preservedMass),
      "pruned_mass": .exact(report.preservedMass.exactRational.map { 1 - $0 }),
      "pruned_mass_decimal": .decimal(report.preservedMass.minusFromOne),
      "bound_paper_decimal": report.paperBound.map { .decimal($0) } ?? .null,
      "bound_holds": report.boundHolds.map { .bool($0) } ?? .null,
      "margin_decimal": report.margin.map { .decimal($0) } ?? .null,
      "tight_infimum_decimal": .decimal(tight.value),
      "tight_infimum_attained": .bool(tight.isAttained),
      "tight_margin_decimal": .decimal(report.tightMargin),
      "extremal_point": .string(tight.point.description),
    ].merging(bandFields(report.bandInfimum)) { $1 }
  }

  /// The keys of a vector's fields, each `null`: for entries with no analysis of their own.
  static let nullVectorFields: [String: JSONValue] = {
    do {
      return fields(of: VectorReport(exact: try ExactAnalysis(scores: [Rational(1)]))).mapValues { _ in .null }
    } catch {
      preconditionFailure("JSONReport: the analysis of (1) failed: \(error)")
    }
  }()

  /// The JSON of a model's analysis: `{"mode", "method", "beta", "tensors": [...], "global": {...}}`.
  ///
  /// Every tensor entry has `name`, `file`, `dtype`, `shape`, `undefined` (`null`, or why
  /// there is no analysis) and the keys of `fields(of:)`: its own analysis in per-tensor
  /// mode; in global and per-row modes only `n`, `nu` (scores kept), `sparsity` and `beta`
  /// are set, and per-row entries add `rows`, `columns`, `nu_min`, `nu_mean`, `nu_max`,
  /// `zero_rows`, `fallback_rows` and, when asked for, `row_details`. The global entry holds
  /// the global analysis in global mode and the totals otherwise, with `tensors_analyzed`
  /// and `left_out` (`[{"name", "reason"}]`).
  ///
  /// `criterion` names the scores, and `group`/`group_norm` the grouping (`null` without one).
  /// Every tensor entry has `kept_elements`; with a grouping also `group`, `groups` (its `N`)
  /// and, when `keptGroups` is set, `kept_groups` (0-based, ascending). Its `n` and `nu` then
  /// count groups: in per-tensor mode its analysis is EMP over its groups.
  public static func fields(of model: ModelAnalysis, keptGroups: Bool = false) -> [String: JSONValue] {
    let tensors: [JSONValue] = model.tensors.map { result in
      let descriptor = result.tensor.descriptor
      var entry = nullVectorFields
      entry["name"] = .string(descriptor.name)
      entry["file"] = .string(result.tensor.path)
      entry["dtype"] = .string(descriptor.dtype.safetensorsName)
      entry["shape"] = .array(descriptor.shape.map { .int($0) })
      entry["undefined"] = .null
      entry["kept_elements"] = result.keptElements.map { .int($0) } ?? .null
      entry["group"] = model.grouping.map { .string($0.description) } ?? .null
      if case .groups(let groups) = result.outcome, let family = groups.family {
        let range = groups.layout.range
        entry["group"] = .string(
          "\(family): \(groups.grouping.axis.rawValue) \(range.lowerBound)..<\(range.upperBound) in \(groups.groupCount)")
      }
      entry["groups"] = .null
      switch result.outcome {
      case .vector(let report, _):
        entry.merge(fields(of: report)) { $1 }
      case .share(let kept, _):
        entry.merge(counts(analysed: descriptor.elementCount, kept: kept, beta: model.beta)) { $1 }
      case .rows(let rows):
        if let why = result.undefinedReason {
          entry["undefined"] = .string(why)
        } else {
          entry.merge(counts(analysed: rows.analysedCount, kept: rows.kept, beta: model.beta)) { $1 }
        }
        entry["rows"] = .int(rows.rows)
        entry["columns"] = .int(rows.columns)
        entry["nu_min"] = rows.kept > 0 ? .int(rows.smallestRetention) : .null
        entry["nu_max"] = rows.kept > 0 ? .int(rows.largestRetention) : .null
        entry["nu_mean"] =
          rows.rows > rows.zeroRows
          ? .string(Rational(rows.kept, rows.rows - rows.zeroRows).decimalString(significantDigits: 17)) : .null
        entry["zero_rows"] = .int(rows.zeroRows)
        entry["fallback_rows"] = .int(rows.fallbackRows)
        if let details = rows.details {
          entry["row_details"] = .array(details.map { $0.map { .object(fields(of: $0)) } ?? .null })
        }
      case .groups(let groups):
        entry.merge(
          groups.report.map { fields(of: $0) }
            ?? counts(analysed: groups.groupCount, kept: groups.keptGroups.count, beta: model.beta)
        ) { $1 }
        entry["groups"] = .int(groups.groupCount)
        if keptGroups { entry["kept_groups"] = .array(groups.keptGroups.map { .int($0) }) }
      case .undefined(let why):
        entry["undefined"] = .string(why)
      }
      return .object(entry)
    }
    let totals = model.totals
    var global =
      model.global.map { fields(of: $0) }
      ?? (totals.analysed > 0 ? counts(analysed: totals.analysed, kept: totals.kept, beta: model.beta) : [:])
    global.merge(nullVectorFields) { current, _ in current }
    global["undefined"] = model.globalUndefined.map { .string($0) } ?? (totals.analysed > 0 ? .null : .string("no tensor was analysed"))
    global["tensors_analyzed"] = .int(model.tensors.count - model.leftOut.count)
    global["left_out"] = .array(
      model.leftOut.map { .object(["name": .string($0.name), "reason": .string($0.reason)]) })
    global["kept_elements"] = .int(model.tensors.compactMap(\.keptElements).reduce(0, +))
    return [
      "mode": .string(model.mode.rawValue),
      "criterion": .string(model.criterion.name),
      "group": model.grouping.map { .string($0.description) } ?? (model.groupSpec != nil ? .string("spec") : .null),
      "group_norm": (model.grouping?.norm ?? model.groupSpec.map { $0.norm ?? .l1 }).map { .string($0.rawValue) } ?? .null,
      "families": model.groupSpec == nil ? .null : .array(model.families.map { family in
        var entry = family.report.map { fields(of: $0) } ?? nullVectorFields
        entry["name"] = .string(family.name)
        entry["groups"] = .int(family.groupCount)
        entry["members"] = .array(family.members.map { .string($0) })
        entry["kept_groups"] = .array(family.keptGroups.map { .int($0) })
        entry["nu"] = family.undefinedReason == nil ? .int(family.keptGroups.count) : .null
        entry["undefined"] = family.undefinedReason.map { .string($0) } ?? .null
        return .object(entry)
      }),
      "method": .string(model.isExact ? "exact" : "fast"),
      "beta": .exact(model.beta),
      "beta_decimal": .decimal(model.beta),
      "tensors": .array(tensors),
      "global": .object(global),
    ]
  }

  /// The JSON of `emp prune`: `{"output", "mask", "mode", "beta", "tensors": [{"name", "n",
  /// "kept", "sparsity", "copied"}], "overall": {"n", "kept", "sparsity"}}`; a copied
  /// tensor has `kept` and `sparsity` `null` and `copied` saying why.
  public static func fields(of results: PrunedModelWriter.Results, analysis: ModelAnalysis) -> [String: JSONValue] {
    func sparsity(_ kept: Int?, _ count: Int) -> [String: JSONValue] {
      let value = kept.flatMap { count > 0 ? 1 - Rational($0, count) : nil }
      return ["sparsity": .exact(value), "sparsity_decimal": value.map { .decimal($0) } ?? .null]
    }
    let tensors: [JSONValue] = results.tensors.map { t in
      .object(
        [
          "name": .string(t.name), "n": .int(t.count), "kept": t.kept.map { .int($0) } ?? .null,
          "copied": t.reason.map { .string($0) } ?? .null,
        ].merging(sparsity(t.kept, t.count)) { $1 })
    }
    let (count, kept) = results.totals
    return [
      "output": .string(results.output), "mask": results.mask.map { .string($0) } ?? .null,
      "mode": .string(analysis.mode.rawValue), "beta": .exact(analysis.beta), "beta_decimal": .decimal(analysis.beta),
      "tensors": .array(tensors),
      "overall": .object(["n": .int(count), "kept": .int(kept)].merging(sparsity(kept, count)) { $1 }),
    ]
  }

  /// `n`, `nu` (kept), `beta` and the `sparsity` of a total, exact and decimal.
  private static func counts(analysed: Int, kept: Int, beta: Rational) -> [String: JSONValue] {
    let sparsity = 1 - Rational(kept, analysed)
    return [
      "n": .int(analysed), "nu": .int(kept), "beta": .exact(beta), "beta_decimal": .decimal(beta),
      "sparsity": .exact(sparsity), "sparsity_decimal": .decimal(sparsity),
    ]
  }

  /// The fields of `emp bound`.
  ///
  /// With `beta` and `atBeta` (the tight infimum over the band of N_eff where EMP keeps `k`
  /// scores of the shell at that β) also `beta`, `band` (`["a", "b"]` for `[a, b)`),
  /// `tight_infimum_beta` and its `_decimal`, `tight_infimum_beta_attained` and
  /// `extremal_point_beta`; each is `null` without them, and all but `beta` when the band
  /// is empty.
  public static func fields(
    bound: Surd, tight: TightInfimum, paperBoundValid: Bool, beta: Rational? = nil, atBeta: BandInfimum? = nil
  ) -> [String: JSONValue] {
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
      "beta": .exact(beta),
      "beta_decimal": beta.map { .decimal($0) } ?? .null,
    ].merging(bandFields(atBeta)) { $1 }
  }

  /// `band`, `tight_infimum_beta` and its `_decimal`, `tight_infimum_beta_attained` and
  /// `extremal_point_beta` of the tight infimum over a band of N_eff; each `null` without
  /// one or when the band is empty.
  static func bandFields(_ infimum: BandInfimum?) -> [String: JSONValue] {
    let nonEmpty = infimum.flatMap { $0.isEmpty ? nil : $0 }
    return [
      "band": nonEmpty?.band.map { .array([.exact($0.lowerBound), .exact($0.upperBound)]) } ?? .null,
      "tight_infimum_beta": nonEmpty?.value.map { .string($0.description) } ?? .null,
      "tight_infimum_beta_decimal": nonEmpty?.value.map { .decimal($0) } ?? .null,
      "tight_infimum_beta_attained": nonEmpty.map { .bool($0.isAttained) } ?? .null,
      "extremal_point_beta": nonEmpty?.point.map { .string($0.description) } ?? .null,
    ]
  }
}

/// A JSON value of a report.
public enum JSONValue: Encodable, Sendable {
  case int(Int)
  case unsigned(UInt64)
  case bool(Bool)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])
  case null

  /// An exact rational as `"p/q"`.
  public static func exact(_ value: Rational) -> JSONValue { .string("\(value.numerator)/\(value.denominator)") }

  /// An exact rational as `"p/q"`, or `null`.
  public static func exact(_ value: Rational?) -> JSONValue { value.map { exact($0) } ?? .null }

  /// A correctly rounded 17-digit decimal string.
  public static func decimal(_ value: Surd) -> JSONValue { .string(value.decimalString(significantDigits: 17)) }

  /// A correctly rounded 17-digit decimal string.
  public static func decimal(_ value: Rational) -> JSONValue { .string(value.decimalString(significantDigits: 17)) }

  /// The value correctly rounded to the digits it certifies (17 when exact), or `null`.
  public static func decimal(_ value: Enclosure<Surd>) -> JSONValue { value.decimal().map { .string($0) } ?? .null }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case .int(let value): try container.encode(value)
    case .unsigned(let value): try container.encode(value)
    case .bool(let value): try container.encode(value)
    case .string(let value): try container.encode(value)
    case .array(let values): try container.encode(values)
    case .object(let members): try container.encode(members)
    case .null: try container.encodeNil()
    }
  }
}
