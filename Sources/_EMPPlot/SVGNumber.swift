extension Double {
  /// The value as an SVG coordinate: rounded to 2 decimals (a hundredth of a user unit),
  /// without trailing zeros, and never `-0`.
  ///
  /// The formatting is done on integers, so it does not depend on the locale or the C
  /// library: the same `Double` always gives the same string. Rounding is to nearest, ties
  /// away from zero.
  ///
  /// - Precondition: the value is finite and below 10¹³ in magnitude.
  package var svgText: String {
    precondition(isFinite && magnitude < 1e13, "svgText: coordinate out of range")
    let hundredths = Int((self * 100).rounded(.toNearestOrAwayFromZero))
    guard hundredths != 0 else { return "0" }
    let sign = hundredths < 0 ? "-" : ""
    let (whole, fraction) = hundredths.magnitude.quotientAndRemainder(dividingBy: 100)
    switch fraction {
    case 0: return "\(sign)\(whole)"
    case let f where f % 10 == 0: return "\(sign)\(whole).\(f / 10)"
    case let f where f < 10: return "\(sign)\(whole).0\(f)"
    default: return "\(sign)\(whole).\(fraction)"
    }
  }
}
