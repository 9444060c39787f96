import EMPModel
import EMPReference
import Exact

/// The human-readable reports: one analysis as labelled lines, a model as a table.
enum ReportText {
  /// One analysis, a quantity per line. Exact values print as `p/q ≈ decimal`; a fast
  /// value prints the digits its enclosure certifies.
  static func lines(_ report: VectorReport) -> [String] {
    func value(_ x: Enclosure<Surd>, keepingFloor: Bool = false) -> String {
      let decimal = (keepingFloor ? x.decimalKeepingFloor(digits: 17) : x.decimal()) ?? "?"
      guard let exact = x.exactRational else { return "≈ \(decimal)" }
      return "\(exact) ≈ \(decimal)"
    }
    func approx(_ x: Surd) -> String { x.decimalString(significantDigits: 17) }
    let tight = report.tightInfimum
    let certificate =
      switch report.method {
      case .exact: "exact"
      case .floatingPoint: "certified by the float enclosure of N_eff"
      case .exactFallback: "decided exactly (the float enclosure straddled a step)"
      }
    var lines = [
      "N            \(report.count)",
      "N_eff        \(value(report.effectiveSampleSize, keepingFloor: true))",
      "ν            \(report.retentionCount)  (β = \(report.beta), shell m = ⌊N_eff⌋ = \(report.shell); \(certificate))",
      "sparsity     \(value(Enclosure<Surd>(exactly: report.sparsity)))",
      "s_eff        \(value(report.preservedMass))",
      "pruned mass  \(value(report.preservedMass.minusFromOne))",
    ]
    if let bound = report.paperBound, let holds = report.boundHolds, let margin = report.margin {
      lines += [
        "paper bound  B(N, ν) ≈ \(approx(bound))  [= \(bound)]",
        "bound holds  \(holds ? "yes" : "NO"): s_eff \(holds ? "≥" : "<") B (decided exactly)",
        "margin       s_eff − B ≈ \(margin.decimal() ?? "?")",
      ]
    } else {
      lines.append("paper bound  not applicable (Theorem 4.2 needs N ≥ 2)")
    }
    lines += [
      "tight bound  T(ν, \(report.shell), N) ≈ \(approx(tight.value))  [= \(tight.value)], "
        + "\(tight.isAttained ? "attained" : "approached") at \(tight.point)",
      "tight margin s_eff − T ≈ \(report.tightMargin.decimal() ?? "?")",
    ]
    if let atBeta = report.bandInfimum, let band = atBeta.band, let value = atBeta.value, let point = atBeta.point {
      lines += [
        "band at β    [\(band.lowerBound), \(band.upperBound)): the N_eff of shell m at which β keeps ν scores",
        "band bound   I(ν, band, N) ≈ \(approx(value))  [= \(value)], "
          + "\(atBeta.isAttained ? "attained" : "approached") at \(point)",
        "band margin  s_eff − I ≈ \(report.preservedMass.minus(value).decimal() ?? "?")",
      ]
    }
    return lines
  }

  /// A model's analysis as a table, one row per tensor plus the total, then what was left
  /// out; in global mode followed by the global analysis.
  static func table(_ model: ModelAnalysis) -> String {
    let grouped = model.grouping != nil || model.groupSpec != nil
    var header = ["tensor", "dtype", "shape", grouped ? "groups" : "N"]
    switch (model.mode, grouped) {
    case (.perTensor, _) where model.groupSpec == nil:
      header += ["N_eff", "ν", "sparsity", "s_eff", "B(N,ν)", "s_eff≥B", "T(ν,m,N)"]
    case (.global, false): header += ["kept", "sparsity"]
    case (.global, true), (.perTensor, _): header += ["kept groups", "sparsity"]
    case (.perRow, _): header += ["rows", "ν min", "ν mean", "ν max", "sparsity", "zero rows"]
    }
    var rows: [[String]] = []
    for result in model.tensors {
      let d = result.tensor.descriptor
      var row = [result.name, d.dtype.safetensorsName, "[" + d.shape.map(String.init).joined(separator: ", ") + "]"]
      if case .groups(let groups) = result.outcome { row.append("\(groups.groupCount)") } else { row.append("\(d.elementCount)") }
      switch result.outcome {
      case .vector(let r, _):
        row += vectorCells(r)
      case .groups(let groups):
        row +=
          groups.report.map(vectorCells)
          ?? ["\(groups.keptGroups.count)", percent(1 - Rational(groups.keptGroups.count, groups.groupCount))]
      case .share(let kept, _):
        row += ["\(kept)", percent(1 - Rational(kept, d.elementCount))]
      case .rows(let s):
        let analysed = s.rows - s.zeroRows
        row += [
          "\(s.rows) × \(s.columns)", analysed > 0 ? "\(s.smallestRetention)" : "—",
          analysed > 0 ? Rational(s.kept, analysed).decimalString(significantDigits: 6) : "—",
          analysed > 0 ? "\(s.largestRetention)" : "—",
          analysed > 0 ? percent(1 - Rational(s.kept, s.analysedCount)) : "—", "\(s.zeroRows)",
        ]
      case .undefined(let why):
        row.append("undefined: \(why)")
      }
      rows.append(row)
    }
    let totals = model.totals
    var total = ["all analysed", "", "", "\(totals.analysed)"]
    if totals.analysed > 0 {
      switch model.mode {
      case .perTensor where model.groupSpec != nil, .global:
        total += ["\(totals.kept)", percent(1 - Rational(totals.kept, totals.analysed))]
      case .perTensor: total += ["", "\(totals.kept)", percent(1 - Rational(totals.kept, totals.analysed))]
      case .perRow: total += ["", "", "", "", percent(1 - Rational(totals.kept, totals.analysed))]
      }
    }
    var lines = model.criterion == .magnitude && !grouped ? [] : [settings(model)]
    lines += render([header] + rows + [total], separatorAfter: [0, rows.count])
    for (name, reason) in model.leftOut {
      lines.append("left out: \(name): \(reason)")
    }
    for family in model.families {
      lines += ["", "family \(family.name) (\(family.groupCount) groups across \(family.members.count) tensors):"]
      if let why = family.undefinedReason {
        lines.append("  undefined: \(why)")
      } else {
        lines.append("  kept groups \(family.keptGroups.map(String.init).joined(separator: ", "))")
        if let report = family.report { lines += self.lines(report).map { "  " + $0 } }
      }
    }
    if grouped {
      lines.append("group scores summed exactly; every value exact")
    } else if model.mode == .perTensor {
      let reports = model.tensors.compactMap { result -> (String, VectorReport)? in
        if case .vector(let report, _) = result.outcome { (result.name, report) } else { nil }
      }
      let fallback = reports.filter { $0.1.method == .exactFallback }.map(\.0)
      let refined = reports.filter { $0.1.isRefined }.map(\.0)
      lines.append(
        model.isExact
          ? "all values exact (--exact)"
          : "ν exact: certified by float enclosures"
            + (fallback.isEmpty ? "" : ", by the exact fallback for \(fallback.joined(separator: ", "))")
            + "; decimals show certified digits"
            + (refined.isEmpty ? "" : "; exact sums computed for \(refined.joined(separator: ", "))"))
    }
    if let global = model.global {
      lines += ["", "global analysis (all analysed tensors as one score vector):"] + self.lines(global).map { "  " + $0 }
    } else if let why = model.globalUndefined {
      lines.append("global analysis: undefined: \(why)")
    }
    return lines.joined(separator: "\n")
  }

  /// The cells of one vector's analysis in the per-tensor table.
  private static func vectorCells(_ r: VectorReport) -> [String] {
    [
      r.effectiveSampleSize.decimalKeepingFloor(digits: 6) ?? "?", "\(r.retentionCount)", percent(r.sparsity),
      r.preservedMass.decimal(maxDigits: 6) ?? "?", r.paperBound.map { $0.decimalString(significantDigits: 6) } ?? "—",
      r.boundHolds.map { $0 ? "yes" : "NO" } ?? "—", r.tightInfimum.value.decimalString(significantDigits: 6),
    ]
  }

  /// The line that says how scores and groups were formed, when not by magnitude alone.
  private static func settings(_ model: ModelAnalysis) -> String {
    let scores =
      switch model.criterion {
      case .magnitude: "scores |w|"
      case .scores(let paths): "scores read from \(paths.joined(separator: ", "))"
      case .wanda(let paths): "wanda scores |W_ij|·‖X_j‖₂, norms from \(paths.joined(separator: ", "))"
      case .taylor(let paths): "taylor scores |w·g|, gradients from \(paths.joined(separator: ", "))"
      }
    if let spec = model.groupSpec {
      return "\(scores); groups: the \(spec.families.count) families of --group-spec, scored by \((spec.norm ?? .l1).rawValue); "
        + "N counts a family's groups, ν the groups kept"
    }
    guard let grouping = model.grouping else { return scores }
    let norm =
      switch grouping.norm {
      case .l1: "Σ|s|"
      case .sq: "Σs²"
      case .l2: "√Σs²"
      }
    let unit = grouping.axis == .rows ? "row" : "column"
    let what = grouping.size == 1 ? "each \(unit)" : "each \(grouping.size) consecutive \(unit)s"
    return "\(scores); groups: \(what) (--group \(grouping)), scored by \(norm) (\(grouping.norm.rawValue)); "
      + "N counts groups, ν the groups kept"
  }

  /// `x` as a percentage with 4 significant digits, e.g. `63.21%`.
  static func percent(_ x: Rational) -> String { (x * 100).decimalString(significantDigits: 4) + "%" }

  /// Left-aligned text columns (numbers right-aligned), with a rule after the given rows.
  private static func render(_ rows: [[String]], separatorAfter: Set<Int>) -> [String] {
    let columns = rows.map(\.count).max() ?? 0
    var widths = [Int](repeating: 0, count: columns)
    for row in rows {
      for (i, cell) in row.enumerated() where !(row.count < columns && i == row.count - 1) {
        widths[i] = max(widths[i], cell.count)
      }
    }
    var lines: [String] = []
    for (index, row) in rows.enumerated() {
      let cells = row.enumerated().map { i, cell in
        let pad = String(repeating: " ", count: max(0, widths[i] - cell.count))
        let numeric = i >= 3 && cell.first.map { $0.isNumber || $0 == "—" } == true
        return i == row.count - 1 && row.count < columns ? cell : numeric ? pad + cell : cell + pad
      }
      lines.append(cells.joined(separator: "  ").trimmingTrailingSpaces)
      if separatorAfter.contains(index) {
        lines.append(String(repeating: "─", count: widths.reduce(0, +) + 2 * (columns - 1)))
      }
    }
    return lines
  }
}

extension String {
  fileprivate var trimmingTrailingSpaces: String {
    var text = self
    while text.last == " " { text.removeLast() }
    return text
  }
}
