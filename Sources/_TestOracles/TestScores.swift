import EMPCore
import EMPFast
import Exact
import Foundation

/// The score formats the fast path reads, for running one property body over each.
public enum ScoreFormat: String, CaseIterable, Sendable {
  case float16, bfloat16, float32, float64

  /// The binary exponents of the smallest subnormal and of the largest finite value.
  public var exponentRange: ClosedRange<Int> {
    switch self {
    case .float16: -24...15
    case .bfloat16: -133...127
    case .float32: -149...127
    case .float64: -1074...1023
    }
  }
}

/// A score vector stored in one format, with the exact magnitudes of what is stored.
public final class TestScores {
  /// The format the scores are stored in.
  public let format: ScoreFormat
  private var float16: [Float16] = []
  private var bfloat16: [BFloat16] = []
  private var float32: [Float] = []
  private var float64: [Double] = []
  /// `|s_i|` exactly, as `Double`s.
  public let magnitudes: [Double]

  /// `values` rounded into `format` (bfloat16 by truncating the binary32 value).
  public init(_ values: [Double], format: ScoreFormat) {
    self.format = format
    switch format {
    case .float16:
      float16 = values.map { Float16($0) }
      magnitudes = float16.map { Double($0.magnitude) }
    case .bfloat16:
      bfloat16 = values.map { BFloat16(bitPattern: UInt16(truncatingIfNeeded: Float($0).bitPattern >> 16)) }
      magnitudes = bfloat16.map { Double($0.floatValue.magnitude) }
    case .float32:
      float32 = values.map { Float($0) }
      magnitudes = float32.map { Double($0.magnitude) }
    case .float64:
      float64 = values
      magnitudes = values.map(\.magnitude)
    }
  }

  /// The number of scores.
  public var count: Int { magnitudes.count }

  /// Runs `body` on the stored scores.
  public func withBuffer<R>(_ body: (ScoreBuffer) throws -> R) rethrows -> R {
    switch format {
    case .float16: try float16.withUnsafeBufferPointer { try body(.float16($0)) }
    case .bfloat16: try bfloat16.withUnsafeBufferPointer { try body(.bfloat16($0)) }
    case .float32: try float32.withUnsafeBufferPointer { try body(.float32($0)) }
    case .float64: try float64.withUnsafeBufferPointer { try body(.float64($0)) }
    }
  }

  /// Runs `body` on a copy of the stored scores and returns the copy's magnitudes afterwards.
  public func pruned(_ body: (MutableScoreBuffer) -> Void) -> [Double] {
    switch format {
    case .float16:
      var copy = float16
      copy.withUnsafeMutableBufferPointer { body(.float16($0)) }
      return copy.map { Double($0.magnitude) }
    case .bfloat16:
      var copy = bfloat16
      copy.withUnsafeMutableBufferPointer { body(.bfloat16($0)) }
      return copy.map { Double($0.floatValue.magnitude) }
    case .float32:
      var copy = float32
      copy.withUnsafeMutableBufferPointer { body(.float32($0)) }
      return copy.map { Double($0.magnitude) }
    case .float64:
      var copy = float64
      copy.withUnsafeMutableBufferPointer { body(.float64($0)) }
      return copy.map(\.magnitude)
    }
  }
}

/// Families of score vectors, ordinary and adversarial.
public enum ScoreFamily: String, CaseIterable, Sendable {
  /// Gaussian-like scores with a random scale.
  case gaussian
  /// Magnitudes spread over the format's whole exponent range, subnormals included.
  case dynamicRange
  /// Only subnormal magnitudes of the format.
  case subnormal
  /// Three distinct magnitudes: ties at the cut are the rule.
  case ties
  /// `m` equal magnitudes and one slightly smaller, so `N_eff` lies just below an integer;
  /// or one slightly larger, just above it (within about 1e-12).
  case nearInteger
  /// Mostly zeros.
  case sparse

  /// `count` values of this family, representable in `format`, from `seed`.
  public func values(count: Int, format: ScoreFormat, seed: UInt64) -> [Double] {
    var rng = SplitMix64(seed: seed)
    let range = format.exponentRange
    func signed(_ x: Double) -> Double { Bool.random(using: &rng) ? x : -x }
    var values: [Double]
    switch self {
    case .gaussian:
      let scale = Double(sign: .plus, exponent: Int.random(in: -8...8, using: &rng), significand: 1)
      values = (0..<count).map { _ in
        let u = Double.random(in: Double.ulpOfOne...1, using: &rng)
        let v = Double.random(in: 0..<1, using: &rng)
        return scale * (-2 * Foundation.log(u)).squareRoot() * Foundation.cos(2 * .pi * v)
      }
    case .dynamicRange:
      values = (0..<count).map { _ in
        let e = Int.random(in: range.lowerBound...(range.upperBound - 1), using: &rng)
        return signed(Double(sign: .plus, exponent: e, significand: Double.random(in: 1..<2, using: &rng)))
      }
    case .subnormal:
      let top = format == .float16 ? -15 : format == .float64 ? -1023 : -127
      values = (0..<count).map { _ in
        signed(Double(sign: .plus, exponent: Int.random(in: range.lowerBound...top, using: &rng), significand: 1))
      }
    case .ties:
      let levels = [1.0, 2, 3].map { $0 * Double(sign: .plus, exponent: Int.random(in: -4...4, using: &rng), significand: 1) }
      values = (0..<count).map { _ in signed(levels.randomElement(using: &rng)!) }
    case .nearInteger:
      // (m + c)² / (m + c²) with c = 1 ± δ: below m + 1 by about m·δ²/(m+1) for c = 1 − δ.
      let delta = Double(sign: .plus, exponent: format == .float16 ? -10 : format == .bfloat16 ? -7 : -20, significand: 1)
      let c = Bool.random(using: &rng) ? 1 - delta : 1 + 2 * delta
      values = (0..<count).map { _ in signed(1) }
      values[Int.random(in: 0..<count, using: &rng)] = signed(c)
    case .sparse:
      values = (0..<count).map { _ in Int.random(in: 0..<20, using: &rng) == 0 ? signed(Double.random(in: 0.5...2, using: &rng)) : 0 }
      values[Int.random(in: 0..<count, using: &rng)] = 1
    }
    return values
  }
}
