import Exact

/// The evidence line of a deviating case: the chosen rules applied to the case's numbers.
struct Evidence {
  let entry: ConformanceCorpus.Entry
  let output: CandidateOutput

  /// How many other explanations of a case the evidence names.
  static let alternativesShown = 6

  /// The outcome of a case with an EMP analysis (``describe(_:)`` handles the others first).
  private var expected: ExpectedOutcome { entry.expected! }

  func describe(_ verdict: CaseVerdict) -> String {
    let head = entry.undefinedReason.map { "no EMP analysis (\($0)), yet an output" }
    var parts = head.map { [$0] } ?? []
    if let explanation = verdict.explanation {
      if let transform = explanation.transform {
        parts.append(transformEvidence(explanation, transform, id: verdict.id))
      } else {
        parts.append(explanation.label + ": " + retentionEvidence(explanation) + selectionEvidence(explanation))
      }
      // Rounding in a format implies rounding in every coarser one: naming those says nothing more.
      let subsumed = { (e: Explanation) in
        guard let chosen = explanation.retention.precision, let other = e.retention.precision else { return false }
        return other < chosen && e.selection == explanation.selection
      }
      let others = verdict.explanations.filter { $0.key != explanation.key && !subsumed($0) }.map(\.label)
      // The first few, in the rules' declared order: past that, a list says less than its length.
      let shown = others.prefix(Self.alternativesShown)
      let more = others.count > shown.count ? "; and \(others.count - shown.count) more" : ""
      if !others.isEmpty { parts.append("also consistent with: " + shown.joined(separator: "; ") + more) }
    }
    if verdict.isUnexplained, verdict.explanation == nil, !verdict.explanations.isEmpty {
      let rules = verdict.explanations.map(\.label).joined(separator: "; ")
      parts.append(
        "unexplained: reproduced only by rules that the cases you got right contradict more often than they explain: " + rules)
    } else if verdict.isUnexplained {
      var what = "no known deviation reproduces ν = \(output.retentionCount)"
      if let kept = output.keptIndices {
        if let reference = entry.expected.map({ Set($0.keptIndices) }) {
          what += " with \(kept.count) kept (\(kept.subtracting(reference).count) not in π, \(reference.subtracting(kept).count) of π missing)"
        } else {
          what += " with \(kept.count) kept"
        }
      }
      parts.append("unexplained: " + what)
    }
    for finding in verdict.findings { parts.append(findingEvidence(finding)) }
    return parts.joined(separator: "; ")
  }

  /// How `transform` and the rules after it reproduce the output: what it decides directly, or
  /// the other rules' evidence on the vector it substitutes.
  private func transformEvidence(_ explanation: Explanation, _ transform: ScoreTransform, id: String) -> String {
    let n = entry.conformanceCase.scores.count
    guard let (substitute, mapped) = VerificationReport.substituted(entry, output, by: transform),
      let outcome = substitute.expected
    else {
      let what =
        switch transform {
        case .keepOne, .keepOneNonFinite: "ν = 1 and one of the \(n) scores kept"
        case .keepAll: "all \(n) scores are zero and all are kept" + reportedNeff()
        default: "nothing is kept, ν = \(output.retentionCount) reported"
        }
      return explanation.label + ": " + what
    }
    let inner = explanation.withoutTransform
    let scores = "on the \(outcome.count) scores it leaves"
    guard inner.deviationCount > 0 else {
      return explanation.label + ": " + scores + ", N_eff = \(decimal(outcome.effectiveSampleSize)) and the output is "
        + "the reference's (ν = \(outcome.retentionCount))" + reportedNeff()
    }
    var verdict = CaseVerdict(id: id, status: .deviates, expected: outcome, output: mapped, explanations: [inner])
    verdict.explanation = inner
    return transform.explanation + ", then " + scores + ": " + Evidence(entry: substitute, output: mapped).describe(verdict)
  }

  /// 12 significant digits, or more (up to 48) when 12 would print a non-integer as an integer.
  private func decimal(_ x: Rational) -> String {
    var digits = 12
    while digits < 48, !x.isInteger, let shown = Rational(x.decimalString(significantDigits: digits)), shown.isInteger {
      digits += 6
    }
    return x.decimalString(significantDigits: digits)
  }

  private func retentionEvidence(_ e: Explanation) -> String {
    let expected = e.ignoresBeta ? self.expected.ignoringBeta() : self.expected
    let x = expected.beta * expected.effectiveSampleSize
    let betaText = expected.beta == 1 ? "" : "β·"
    let exact = "exact \(betaText)N_eff = \(decimal(x))"
    switch e.retention {
    case .reference: return exact
    case .float32, .float64, .bfloat16, .float16:
      let precision = e.retention.precision!
      let bound = expected.roundingBounds[precision]!
      guard bound.isCertified else {
        return "\(exact); \(precision.rawValue) is not certified here (\(bound.uncertifiedReason!))" + reportedNeff()
      }
      let interval = bound.interval(around: x)
      let integer = max(e.retentionCount, expected.retentionCount)
      var text = "\(exact); a \(precision.rawValue) evaluation lies within \(bound.formula) = "
        + "\(bound.relativeError.decimalString(significantDigits: 3)) relative, in [\(decimal(interval.lowerBound)), "
        + "\(decimal(interval.upperBound))], which contains \(integer); correctly rounded it is "
        + precision.shortestDescription(precision.nearest(x))
      if let reported = output.effectiveSampleSize {
        text += "; your N_eff \(decimal(reported)) is within that bound"
      } else if precision.isHalfWidth {
        text += "; no N_eff was reported to confirm a \(precision.rawValue) evaluation"
      }
      return text
    case .vanishedKeepOne, .vanishedUniform, .vanishedPruneAll, .vanishedUpperClamp:
      let why = expected.vanishing?.reason ?? ""
      let fallback =
        switch e.retention {
        case .vanishedKeepOne: "ν = 1"
        case .vanishedPruneAll: "nothing kept"
        case .vanishedUpperClamp: "the clamp makes ∞ its upper bound, ν = \(e.retentionCount) of N = \(expected.count)"
        default: "uniform scores: N_eff = N, ν = \(e.retentionCount)"
        }
      return "\(exact); \(why); \(fallback)" + reportedNeff()
    case .signedSum:
      let signed = ExpectedOutcome.signedEffectiveSampleSize(entry.conformanceCase.scores)
      return "(Σs)²/Σs² = \(decimal(signed)), while (Σ|s|)²/Σs² = \(decimal(expected.effectiveSampleSize))"
    default:
      let scores = entry.conformanceCase.scores
      if let variant = expected.effectiveSampleSize(under: e.retention, scores: scores), variant != expected.effectiveSampleSize {
        return "N_eff by that rule = \(decimal(variant)) (exact \(decimal(expected.effectiveSampleSize))), which gives "
          + "ν = \(e.retentionCount)" + reportedNeff()
      }
      return "\(exact), which gives ν = \(e.retentionCount) by that rule" + reportedNeff()
    }
  }

  private func reportedNeff() -> String {
    output.effectiveSampleSize.map { "; your N_eff = \(decimal($0))" } ?? ""
  }

  private func selectionEvidence(_ e: Explanation) -> String {
    let context = SelectionContext(scores: entry.conformanceCase.scores)
    let nu = e.retentionCount
    let keptCount = output.keptIndices?.count ?? nu
    func value(_ x: Double?) -> String { x.map { entry.conformanceCase.precision.shortestDescription($0) } ?? "?" }
    /// The ν-th largest of the rounded magnitudes, and how many share it.
    func roundedCut(_ rounded: [Double], _ format: String) -> String {
      let cut = rounded.sorted(by: >).dropFirst(max(nu - 1, 0)).first
      let tied = cut.map { c in rounded.filter { $0 == c }.count } ?? 0
      return "; rounded to \(format), the cut value \(value(cut)) is shared by \(tied) scores"
    }
    switch e.selection {
    case .reference: return ""
    case .tiesHighestIndexFirst, .tiesOtherOrder:
      let cut = context.nth(nu)
      let tied = context.magnitudes.filter { $0 == cut }.count
      return "; the cut value |s| = \(value(cut)) is shared by \(tied) scores"
    case .atLeastNth:
      return "; the ν-th largest |s| is \(value(context.nth(nu))) and \(keptCount) scores are ≥ it (ν = \(nu))"
    case .atLeastNext:
      return "; the (ν+1)-th largest |s| is \(value(context.nth(nu + 1))) and \(keptCount) scores are ≥ it (ν = \(nu))"
    case .aboveNth:
      return "; the ν-th largest |s| is \(value(context.nth(nu))) and only \(keptCount) scores are > it (ν = \(nu))"
    case .complement:
      return "; kept \(keptCount) = N − ν scores, none larger than the ν = \(nu) others"
    case .rankedInFloat32: return roundedCut(context.float32Magnitudes, "float32")
    case .signedOrder:
      return "; kept the \(keptCount) largest signed scores"
    case .rankedInBFloat16: return roundedCut(context.bfloat16Magnitudes, "bfloat16")
    case .bfloat16PositionCompare:
      return "; positions i with bf16(i) < ν = \(nu) keep \(keptCount) bfloat16-ranked scores"
    case .aboveQuantileAtKeptFraction:
      let q = context.quantile(Rational(nu, max(1, entry.conformanceCase.scores.count)))
      return "; quantile(|s|, ν/N) = \(decimal(q)) with ν = \(nu), and \(keptCount) scores are > it"
    }
  }

  private func findingEvidence(_ finding: CaseVerdict.Finding) -> String {
    let (reported, exact, error): (Rational, Rational, KeyPath<FloatRoundingBound, Rational>) =
      switch finding {
      case .effectiveSampleSizeBeyondRounding: (output.effectiveSampleSize!, expected.effectiveSampleSize, \.relativeError)
      case .massBeyondRounding:
        (
          output.preservedMass!,
          VerificationReport.exactMass(
            of: output.keptIndices ?? Set(expected.keptIndices), magnitudes: entry.conformanceCase.magnitudes),
          \.massRelativeError
        )
      }
    let name = finding == .effectiveSampleSizeBeyondRounding ? "N_eff" : "s_eff"
    var cause = ""
    if finding == .effectiveSampleSizeBeyondRounding {
      let signed = ExpectedOutcome.signedEffectiveSampleSize(entry.conformanceCase.scores)
      if (reported - signed).magnitude <= expected.roundingBounds[.float32]!.relativeError * signed {
        cause = " (it is (Σs)²/Σs² = \(decimal(signed)), from signed scores)"
      }
    }
    let relative = exact.isZero ? "∞" : ((reported - exact).magnitude / exact).decimalString(significantDigits: 3)
    let widest = expected.roundingBounds.values.filter(\.isCertified).max { $0[keyPath: error] < $1[keyPath: error] }
    let bound = widest.map { "the \($0.precision.rawValue) bound \($0[keyPath: error].decimalString(significantDigits: 3))" }
    return "\(finding.label): your \(name) \(decimal(reported)) vs exact \(decimal(exact)): relative error \(relative), "
      + "beyond every certified float bound" + (bound.map { ", the widest being \($0)" } ?? "") + cause
  }
}
