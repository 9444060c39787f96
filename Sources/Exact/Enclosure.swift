/// A real number known to lie between two bounds, with a best estimate of it: how every
/// quantity that is not computed exactly carries its proven error.
///
/// `lowerBound ≤ value ≤ upperBound` holds for the exact value, by the derivation of whoever
/// made the enclosure (for the fast path, Proofs/fast-path-error-bounds.md). The bound type
/// says what the bounds are: `Double` (rounded outwards), `Rational`, or `Surd` (exact
/// numbers `p + q·√r`). An enclosure whose bounds are equal is the exact value.
public struct Enclosure<Bound: Comparable & Sendable>: Sendable {
  /// The best estimate of the value (for a float computation: its result).
  public var estimate: Bound
  /// A proven lower bound of the value.
  public var lowerBound: Bound
  /// A proven upper bound of the value.
  public var upperBound: Bound

  /// An enclosure from its parts.
  ///
  /// - Precondition: `lowerBound <= upperBound`.
  public init(estimate: Bound, lowerBound: Bound, upperBound: Bound) {
    precondition(lowerBound <= upperBound, "Enclosure: lower bound above upper bound")
    (self.estimate, self.lowerBound, self.upperBound) = (estimate, lowerBound, upperBound)
  }

  /// The enclosure `[lowerBound, upperBound]`, estimated by its lower bound.
  ///
  /// - Precondition: `lowerBound <= upperBound`.
  public init(lowerBound: Bound, upperBound: Bound) {
    self.init(estimate: lowerBound, lowerBound: lowerBound, upperBound: upperBound)
  }

  /// The exact value `value`.
  public init(exactly value: Bound) {
    (estimate, lowerBound, upperBound) = (value, value, value)
  }

  /// Whether the bounds are equal, so the value is known exactly.
  public var isExact: Bool { lowerBound == upperBound }

  /// The value, when it is known exactly.
  public var exactValue: Bound? { isExact ? lowerBound : nil }

  /// Whether `value` lies in `[lowerBound, upperBound]`.
  public func contains(_ value: Bound) -> Bool { lowerBound <= value && value <= upperBound }
}

extension Enclosure: Equatable where Bound: Equatable {}

extension Enclosure: CustomStringConvertible {
  public var description: String { isExact ? "\(estimate)" : "\(estimate) ∈ [\(lowerBound), \(upperBound)]" }
}
