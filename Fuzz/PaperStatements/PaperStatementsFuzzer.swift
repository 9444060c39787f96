// libFuzzer target: turns bytes into exact points of Δ and Δ↓ (any N, any ν) and traps on
// any point where a statement of the paper is violated. The SwiftPM target
// fuzz-paper-statements, built with libFuzzer and run by Fuzz/paper-statements.sh; see
// Fuzz/README.md.
//
// EMP_FUZZ_STATEMENT: range, shells, trivialBound, theorem42, asymptoticForm, lossChain or all.
// EMP_FUZZ_FORM: corrected (what Proofs/ says holds; a trap is a new counterexample) or
// paper (the statements as published; a trap rediscovers a known counterexample).
import Exact
import _FuzzSupport
import _TestOracles

#if canImport(Glibc)
  import Glibc
#endif

/// The kinds of points the bytes can describe.
enum PointRecipe: Int, CaseIterable {
  case signedScores, barycentric, edge, nearInteger, powerOfTwoScores, extremalSegment

  /// Decodes one point: a score vector (not necessarily normalised), or nil for all-zero input.
  static func decode(_ reader: inout ByteReader) -> [Rational]? {
    let recipe = PointRecipe(rawValue: reader.byte() % allCases.count)!
    let wide = reader.byte()
    let n = wide >= 250 ? reader.int(in: 2...400) : 2 + wide % 24
    switch recipe {
    case .signedScores:
      let scores = (0..<n).map { _ in Rational(Int(Int8(truncatingIfNeeded: reader.byte()))) }
      return scores.allSatisfy(\.isZero) ? nil : scores
    case .barycentric:
      let weights = (0..<n).map { _ in Rational(reader.byte() % 17) }
      return weights.allSatisfy(\.isZero) ? nil : SimplexPoint.ordered(barycentric: weights)
    case .edge:
      let j = reader.int(in: 1...n), l = reader.int(in: 1...n)
      let q = reader.int(in: 1...1000), p = reader.int(in: 0...1000) % (q + 1)
      return SimplexPoint.interpolate(
        SimplexPoint.vertex(j, dimension: n), SimplexPoint.vertex(l, dimension: n), at: Rational(p, q))
    case .nearInteger:
      let target = reader.int(in: 2...n)
      let side: SimplexPoint.Side = reader.byte() % 2 == 0 ? .below : .above
      let weights = (0..<n).map { _ in Rational(reader.byte() % 5) }
      let base =
        weights.allSatisfy(\.isZero)
        ? SimplexPoint.vertex(1, dimension: n) : SimplexPoint.ordered(barycentric: weights)
      return SimplexPoint.near(
        effectiveSampleSize: Rational(target), side: side, on: base,
        tolerance: Rational(1).timesPowerOfTwo(-(10 + reader.byte() % 40)))
    case .powerOfTwoScores:
      let scores = (0..<n).map { _ -> Rational in
        let b = reader.byte()
        return b == 0 ? .zero : Rational(1 + 2 * (b & 3)).timesPowerOfTwo(-(b >> 2))
      }
      return scores.allSatisfy(\.isZero) ? nil : scores
    case .extremalSegment:
      let q = reader.int(in: 1...100_000), p = reader.int(in: 0...100_000) % (q + 1)
      return SimplexPoint.interpolate(
        SimplexPoint.vertex(n, dimension: n), SimplexPoint.vertex(1, dimension: n), at: Rational(p, q))
    }
  }
}

/// What this run checks, read once from the environment.
let statements: [SimplexStatement] = {
  let name = getenv("EMP_FUZZ_STATEMENT").map { String(cString: $0) } ?? "all"
  if name == "all" { return SimplexStatement.allCases }
  guard let statement = SimplexStatement(rawValue: name) else { fatalError("unknown EMP_FUZZ_STATEMENT \(name)") }
  return [statement]
}()

let form: SimplexStatement.Form = {
  let name = getenv("EMP_FUZZ_FORM").map { String(cString: $0) } ?? "corrected"
  guard let form = SimplexStatement.Form(rawValue: name) else { fatalError("unknown EMP_FUZZ_FORM \(name)") }
  return form
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  var reader = ByteReader(bytes: UnsafeBufferPointer(start: data, count: size))
  guard let scores = PointRecipe.decode(&reader) else { return 0 }
  for statement in statements {
    if let violation = statement.violation(of: scores, form: form) {
      fatalError("statement \(statement.rawValue) (\(form.rawValue)) violated: \(violation)")
    }
  }
  return 0
}

#if !EMPKIT_LIBFUZZER
  /// Built without libFuzzer: replays the inputs named on the command line.
  @main enum Replay {
    static func main() { FuzzInputReplay.main(fuzzOneInput) }
  }
#endif
