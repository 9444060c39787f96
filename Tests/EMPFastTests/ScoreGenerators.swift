import PropertyBased
import _TestSupport

/// A generator of any score format.
let anyFormat = Gen.int(in: 0...ScoreFormat.allCases.count - 1).map { ScoreFormat.allCases[$0] }
/// A generator of any score family.
let anyFamily = Gen.int(in: 0...ScoreFamily.allCases.count - 1).map { ScoreFamily.allCases[$0] }
