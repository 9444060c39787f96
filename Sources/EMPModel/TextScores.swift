import EMPCore
import Exact
import Foundation
import TensorIO

/// Exact scores from a text file or standard input: decimals or fractions `p/q`, one or
/// more per line, parsed with no rounding.
public enum TextScores {
  /// Reads the scores in `path` (`-` is standard input), exactly: TensorIO's `ScoreText`
  /// splits the text, and each token is parsed as a `Rational` with no rounding.
  ///
  /// - Throws: `TensorIOError` for an unreadable or non-regular file or malformed text;
  ///   `EMPModelError.invalidScore` for a token that is not a number or not finite,
  ///   `.noScores` for no numbers at all.
  public static func read(_ path: String) throws -> [Rational] {
    let name = displayName(path)
    let tokens: [ScoreToken]
    if path == "-" {
      let data = FileHandle.standardInput.readDataToEndOfFile()
      tokens = try data.withUnsafeBytes { try ScoreText.tokens(in: $0, source: name) }
    } else {
      tokens = try ScoreText.tokens(inFileAt: path)
    }
    let nonFinite: Set = ["nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"]
    let scores = try tokens.map { token in
      guard let value = Rational(token.text) else {
        throw EMPModelError.invalidScore(
          file: name, line: token.line, token: token.text, isNonFinite: nonFinite.contains(token.text.lowercased()))
      }
      return value
    }
    guard !scores.isEmpty else { throw EMPModelError.noScores(file: name) }
    return scores
  }

  /// How messages name the input: the path, or `<stdin>` for `-`.
  public static func displayName(_ path: String) -> String { path == "-" ? "<stdin>" : path }

  /// N_eff = (Σ|s|)² / Σs², exactly (`EMPDefinition.effectiveSampleSize`).
  ///
  /// - Throws: `EMPModelError.undefined` when every score is zero (N_eff is undefined).
  public static func effectiveSampleSize(of scores: [Rational], source path: String) throws -> Rational {
    var absoluteSum = Rational.zero
    var sumOfSquares = Rational.zero
    for s in scores {
      absoluteSum += s.magnitude
      sumOfSquares += s * s
    }
    guard !sumOfSquares.isZero else { throw EMPModelError.undefined(file: displayName(path), reason: .allZero) }
    return EMPDefinition.effectiveSampleSize(absoluteSum: absoluteSum, sumOfSquares: sumOfSquares)
  }
}
