import Exact
import Foundation

/// Reading exact scores from a text file or standard input.
enum ScoreInput {
  /// A problem with the scores given to a command; printed as one line.
  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  /// Reads the scores in `path` (`-` is standard input), exactly.
  ///
  /// - Throws: `Failure` for an unreadable file, a token that is not a number, `nan`/`inf`,
  ///   or no numbers at all.
  static func read(_ path: String) throws -> [Rational] {
    let text: String
    if path == "-" {
      text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
    } else {
      guard let data = FileManager.default.contents(atPath: path) else {
        throw Failure(description: "\(path): cannot read the file")
      }
      text = String(decoding: data, as: UTF8.self)
    }
    let name = displayName(path)
    var scores: [Rational] = []
    for (lineIndex, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let content = line.prefix { $0 != "#" }
      for token in content.split(whereSeparator: { $0 == "," || $0.isWhitespace }) {
        guard let value = Rational(String(token)) else {
          let lowered = token.lowercased()
          let why =
            ["nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"].contains(lowered)
            ? "is not finite; EMP needs finite scores"
            : "is not a number (expected a decimal such as 0.51 or 1e-3, or a fraction p/q)"
          throw Failure(description: "\(name):\(lineIndex + 1): '\(token)' \(why)")
        }
        scores.append(value)
      }
    }
    guard !scores.isEmpty else { throw Failure(description: "\(name): no scores found") }
    return scores
  }

  /// How error messages name the input: the path, or `<stdin>` for `-`.
  static func displayName(_ path: String) -> String { path == "-" ? "<stdin>" : path }

  /// N_eff = (Σ|s|)² / Σs², exactly.
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
      throw Failure(description: "\(displayName(path)): all scores are zero; N_eff is undefined")
    }
    return absoluteSum * absoluteSum / sumOfSquares
  }
}
