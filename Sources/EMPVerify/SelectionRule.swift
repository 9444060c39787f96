import Exact

/// A way of choosing the kept indices from `ν`: the reference rule, or a known deviation.
public enum SelectionRule: String, CaseIterable, Sendable, Codable {
  /// The `ν` largest `|s|`, ties at the cut broken by the lowest index.
  case reference
  /// The `ν` largest, ties broken by the highest index (e.g. a stable ascending sort, reversed).
  case tiesHighestIndexFirst
  /// The `ν` largest, ties broken in some other order (any valid top-ν set).
  case tiesOtherOrder
  /// The `ν` largest of the scores rounded to float32 first, ties in any order (a float64
  /// input ranked by a float32 implementation: the rounding can create ties and reorder);
  /// only where the rounding changes a score (elsewhere this is ``tiesOtherOrder``).
  case rankedInFloat32
  /// `|s| ≥` the ν-th largest value: every score tied with it is kept.
  ///
  /// This is also the quantile cut `|s| ≥ quantile(|s|, 1 − ν/N)` with linear interpolation
  /// (numpy's and PyTorch's default), in exact arithmetic: for `0 < ν < N` the quantile's
  /// position `(N − 1)(1 − ν/N) = (N − ν − 1) + ν/N` has fractional part `ν/N ∈ (0, 1)`, so the
  /// threshold lies strictly above the (ν+1)-th largest value and at most at the ν-th largest
  /// (equal to it when they are tied), and `≥` keeps exactly the scores `≥` the ν-th largest;
  /// for `ν = N` the threshold is the minimum. A float quantile differs only by its rounding.
  case atLeastNth
  /// `|s| ≥` the (ν+1)-th largest value: one more than ν (or all ties at it).
  case atLeastNext
  /// `|s| >` the ν-th largest value: the ties at the cut are dropped.
  case aboveNth
  /// The complement: the `N − ν` smallest are kept, ties in any order.
  case complement
  /// The `ν` largest signed scores instead of the largest magnitudes, ties in any order; only
  /// where a score is negative (elsewhere this is ``tiesOtherOrder``).
  case signedOrder
  /// `|s| >` the linear-interpolation quantile of `|s|` at `ν/N` (numpy's and PyTorch's
  /// default): the quantile's level is the kept fraction where it should be the pruned one, so
  /// about `N − ν` scores are kept (the official loss-change and saliency code), in exact
  /// arithmetic.
  case aboveQuantileAtKeptFraction
  /// The `ν` largest of the scores rounded to bfloat16 first, ties (many, with 8 significant
  /// bits) in any order; only where the rounding changes a score.
  case rankedInBFloat16
  /// The largest bfloat16 scores at sorted positions `i` with `bf16(i) < ν`: an int64 position
  /// compared with a bfloat16 `ν` is rounded to bfloat16 first (the official
  /// `magnitude_neff`, which holds and sorts bfloat16 scores), so `#{0 ≤ i < N : bf16(i) < ν}`
  /// are kept, `ν` only while `ν ≤ 256`; ties in any order.
  case bfloat16PositionCompare

  /// Whether a case the candidate got right can refute the rule (see
  /// ``RetentionRule/isRefutable``): not for the rankings of scores rounded to a float format.
  var isRefutable: Bool { ![.rankedInFloat32, .rankedInBFloat16, .bfloat16PositionCompare].contains(self) }

  /// The stable identifier of this rule in `emp verify --json` (documented in Conformance/README.md).
  public var identifier: String {
    switch self {
    case .reference: "selection.lowest_index_ties"
    case .tiesHighestIndexFirst: "selection.ties_high"
    case .tiesOtherOrder: "selection.unspecified_ties"
    case .rankedInFloat32: "scores.cast_f32"
    case .atLeastNth: "selection.ge_nth"
    case .atLeastNext: "selection.ge_next"
    case .aboveNth: "selection.gt_nth"
    case .complement: "selection.complement"
    case .signedOrder: "scores.signed_rank"
    case .aboveQuantileAtKeptFraction: "selection.quantile_q_nu_gt"
    case .rankedInBFloat16: "scores.cast_bf16"
    case .bfloat16PositionCompare: "count.bf16_position_compare"
    }
  }

  /// What this deviation is, for a reader.
  public var explanation: String {
    switch self {
    case .reference: "the ν largest |s|, ties by lowest index"
    case .tiesHighestIndexFirst: "ties at the cut broken by the highest index first"
    case .tiesOtherOrder: "ties at the cut broken in another order"
    case .rankedInFloat32: "scores rounded to float32 before ranking (ties in any order)"
    case .atLeastNth: "cut at |s| ≥ the ν-th largest value, or at quantile(|s|, 1 − ν/N) (keeps every tie at the cut)"
    case .atLeastNext: "cut at |s| ≥ the (ν+1)-th largest value (keeps one too many)"
    case .aboveNth: "cut at |s| > the ν-th largest value (drops the ties at the cut)"
    case .complement: "keeps the complement: the N − ν smallest"
    case .signedOrder: "ranks signed scores instead of |s|"
    case .aboveQuantileAtKeptFraction: "cut at |s| > quantile(|s|, ν/N) (the quantile of the kept fraction: about N − ν kept)"
    case .rankedInBFloat16: "scores rounded to bfloat16 before ranking (ties in any order)"
    case .bfloat16PositionCompare:
      "bfloat16 scores, sorted positions compared with ν in bfloat16 (keeps #{i < N : bf16(i) < ν})"
    }
  }
}

/// The orders and values of one case that the selection rules need, computed once.
struct SelectionContext {
  let magnitudes: [Double]
  let scores: [Double]
  /// Indices by `|s|` descending, ties by lowest index (the reference order).
  let ranked: [Int]
  /// `|s|` rounded to float32.
  let float32Magnitudes: [Double]
  /// `|s|` rounded to bfloat16.
  let bfloat16Magnitudes: [Double]

  init(scores: [Double]) {
    self.scores = scores
    magnitudes = scores.map(\.magnitude)
    let m = magnitudes
    ranked = m.indices.sorted { m[$0] > m[$1] || (m[$0] == m[$1] && $0 < $1) }
    float32Magnitudes = m.map { Double(Float($0)) }
    bfloat16Magnitudes = m.map(Self.bfloat16)
  }

  var count: Int { scores.count }

  /// `x ≥ 0` rounded to bfloat16 (nearest, ties to even): `+∞` from `(2 − 2⁻⁸)·2¹²⁷`, halfway
  /// between the largest bfloat16 and `2¹²⁸`, up (the tie goes to the even `2¹²⁸`).
  static func bfloat16(_ x: Double) -> Double {
    let value = Rational(finite: x)
    let overflow = (2 - Rational(1).timesPowerOfTwo(-8)).timesPowerOfTwo(127)
    return value >= overflow ? .infinity : FloatPrecision.bfloat16.nearest(value)
  }

  /// The ν-th largest magnitude (1-based), if `1 ≤ ν ≤ N`.
  func nth(_ nu: Int) -> Double? { (1...count).contains(nu) ? magnitudes[ranked[nu - 1]] : nil }

  /// Whether `rule` with `nu` differs from ``SelectionRule/tiesOtherOrder`` on this case:
  /// ranking signed scores needs a negative one, rounding to float32 or bfloat16 a score it
  /// changes, and comparing positions in bfloat16 that or a count other than `ν`. Elsewhere
  /// such a rule is not named (the tie order is), nor refuted.
  func isDistinct(_ rule: SelectionRule, nu: Int) -> Bool {
    switch rule {
    case .signedOrder: scores.contains { $0 < 0 }
    case .rankedInFloat32: float32Magnitudes != magnitudes
    case .rankedInBFloat16: bfloat16Magnitudes != magnitudes
    case .bfloat16PositionCompare:
      bfloat16Magnitudes != magnitudes || Self.bfloat16PositionCount(below: nu, count: count) != min(max(nu, 0), count)
    default: true
    }
  }

  /// Whether `rule` with `nu` keeps exactly `kept` (never where the rule is not distinct).
  func matches(_ rule: SelectionRule, nu: Int, kept: Set<Int>) -> Bool {
    guard isDistinct(rule, nu: nu) else { return false }
    if let (keys, size) = largest(rule, nu: nu) { return Self.isLargest(kept, count: size, of: keys) }
    return selection(rule, nu: nu) == kept
  }

  /// For a rule that keeps the largest of some keys with ties in any order: the keys, and how
  /// many it keeps; `nil` for a rule that keeps one definite set.
  private func largest(_ rule: SelectionRule, nu: Int) -> (keys: [Double], count: Int)? {
    let k = min(max(nu, 0), count)
    switch rule {
    case .tiesOtherOrder: return (magnitudes, k)
    case .rankedInFloat32: return (float32Magnitudes, k)
    case .rankedInBFloat16: return (bfloat16Magnitudes, k)
    case .bfloat16PositionCompare: return (bfloat16Magnitudes, Self.bfloat16PositionCount(below: nu, count: count))
    case .signedOrder: return (scores, k)
    case .complement: return (magnitudes.map { -$0 }, count - k)
    case .reference, .tiesHighestIndexFirst, .atLeastNth, .atLeastNext, .aboveNth, .aboveQuantileAtKeptFraction: return nil
    }
  }

  /// Whether `kept` is `count` indices whose `keys` are all ≥ every other index's: a top-`count`
  /// set in some tie order.
  static func isLargest(_ kept: Set<Int>, count: Int, of keys: [Double]) -> Bool {
    guard kept.count == count, kept.allSatisfy(keys.indices.contains) else { return false }
    let smallestKept = kept.map { keys[$0] }.min() ?? .infinity
    let largestDropped = keys.indices.filter { !kept.contains($0) }.map { keys[$0] }.max() ?? -.infinity
    return smallestKept >= largestDropped
  }

  /// The indices `rule` keeps for `nu`, or `nil` where the rule is undefined (a threshold at a
  /// rank that does not exist) or keeps ties in any order (no one set: see ``matches(_:nu:kept:)``).
  func selection(_ rule: SelectionRule, nu: Int) -> Set<Int>? {
    let k = min(max(nu, 0), count)
    let all = 0..<count
    switch rule {
    case .reference: return Set(ranked.prefix(k))
    case .tiesHighestIndexFirst:
      let m = magnitudes
      return Set(all.sorted { m[$0] > m[$1] || (m[$0] == m[$1] && $0 > $1) }.prefix(k))
    case .atLeastNth: return nth(nu).map { t in Set(all.filter { magnitudes[$0] >= t }) }
    case .atLeastNext: return nth(nu + 1).map { t in Set(all.filter { magnitudes[$0] >= t }) }
    case .aboveNth: return nth(nu).map { t in Set(all.filter { magnitudes[$0] > t }) }
    case .aboveQuantileAtKeptFraction:
      guard count > 0 else { return [] }
      let threshold = quantile(Rational(k, count))
      return Set(all.filter { Rational(finite: magnitudes[$0]) > threshold })
    case .tiesOtherOrder, .rankedInFloat32, .rankedInBFloat16, .bfloat16PositionCompare, .signedOrder, .complement:
      return nil
    }
  }

  /// `#{0 ≤ i < count : bf16(i) < ν}`, with `bf16` rounding to nearest bfloat16 (ties to
  /// even): rounding is monotone, so those `i` are a prefix of `0..<count`.
  static func bfloat16PositionCount(below nu: Int, count: Int) -> Int {
    (0..<count).prefix { FloatPrecision.bfloat16.nearest(Rational($0)) < Double(nu) }.count
  }

  /// The quantile of `|s|` at level `q ∈ [0, 1]` by linear interpolation between order
  /// statistics (numpy's and PyTorch's default), exactly: position `h = (N − 1)·q` in the
  /// ascending order, `a_⌊h⌋ + (h − ⌊h⌋)·(a_⌊h⌋+1 − a_⌊h⌋)`.
  func quantile(_ q: Rational) -> Rational {
    let ascending = ranked.reversed().map { Rational(finite: magnitudes[$0]) }
    let h = Rational(count - 1) * q
    let low = h.floor.intValue ?? 0
    let high = min(low + 1, count - 1)
    return ascending[low] + (h - Rational(BigInteger(low))) * (ascending[high] - ascending[low])
  }
}
