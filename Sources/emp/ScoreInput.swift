import EMPCore
import Exact
import Foundation
import TensorIO

/// Reading exact scores from a text file or standard input.
enum ScoreInput {
  /// A problem with the scores given to a command; printed as one line.
  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  /// Reads the scores in `path` (`-` is standard input), exactly: TensorIO's `ScoreText`
  /// splits the text, and each token is parsed as a `Rational` with no rounding.
  ///
  /// - Throws: `TensorIOError` for an unreadable or non-regular file or malformed text;
  ///   `Failure` for a token that is not a number, `nan`/`inf`, or no numbers at all.
  static func read(_ path: String) throws -> [Rational] {
    let name = displayName(path)
    let tokens: [ScoreToken]
    if path == "-" {
      let data = FileHandle.standardInput.readDataToEndOfFile()
      tokens = try data.withUnsafeBytes { try ScoreText.tokens(in: $0, source: name) }
    } else {
      tokens = try ScoreText.tokens(inFileAt: path)
    }
    let scores = try tokens.map { token in
      guard let value = Rational(token.text) else {
        let nonFinite = ["nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"]
        let why =
          nonFinite.contains(token.text.lowercased())
          ? "is not finite; EMP needs finite scores"
          : "is not a number (expected a decimal such as 0.51 or 1e-3, or a fraction p/q)"
        throw Failure(description: "\(name):\(token.line): '\(token.text)' \(why)")
      }
      return value
    }
    guard !scores.isEmpty else { throw Failure(description: "\(name): no scores found") }
    return scores
  }

  /// How error messages name the input: the path, or `<stdin>` for `-`.
  static func displayName(_ path: String) -> String { path == "-" ? "<stdin>" : path }

  /// N_eff = (Σ|s|)² / Σs², exactly (`EMPDefinition.effectiveSampleSize`).
  ///
  /// - Throws: `Failure` when every score is zero (N_eff is undefined).
  static func effectiveSampleSize(of scores: [Rational], source path: String) throws -> Rational {
    var absoluteSum = Rational.zero
    var sumOfSquares = Rational.zero
    for s in scores {
      absoluteSum += s.magnitude
      sumOfSquares += s * s
    }
    guard !sumOfSquares.isZero else {
      throw Failure(description: "\(displayName(path)): \(EMPInputError.allZero)")
    }
    return EMPDefinition.effectiveSampleSize(absoluteSum: absoluteSum, sumOfSquares: sumOfSquares)
  }
}
