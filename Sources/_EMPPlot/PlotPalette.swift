import Exact

extension Surd {
  /// The value as a `Double` for drawing: the lower end of a 2⁻⁶⁴-wide exact enclosure,
  /// rounded to nearest, so within 2⁻⁶⁴ + 2⁻⁵³·|value| of the value — far below the 0.01
  /// user units figures are written in.
  var plotted: Double { Double(enclosure(bits: 64).lowerBound) }
}

/// The colours of successive series (colour-blind-safe, from Okabe and Ito).
enum PlotPalette {
  /// Blue, vermillion, bluish green, reddish purple, orange, sky blue.
  static let colors = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]

  /// The colour of series `index`, cycling.
  static func color(_ index: Int) -> String { colors[index % colors.count] }
}
