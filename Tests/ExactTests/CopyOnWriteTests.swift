import PropertyBased
import Testing
import _TestSupport

@testable import Exact

/// A snapshot of a value that shares no storage with it.
func snapshot(_ x: BigInteger) -> String { x.description }
func snapshot(_ r: Rational) -> String { r.description }

/// A class property, whose accesses Swift checks for exclusivity at run time.
final class Box {
  var integer: BigInteger
  var rational: Rational
  init(_ integer: BigInteger, _ rational: Rational) {
    self.integer = integer
    self.rational = rational
  }
}

@Suite struct CopyOnWriteTests {
  /// An operator's name, its mutating form and its value-returning form.
  typealias Operation<T> = (String, @Sendable (inout T, T) -> Void, @Sendable (T, T) -> T)

  static let integerOperations: [Operation<BigInteger>] = [
    ("+=", { $0 += $1 }, { $0 + $1 }), ("-=", { $0 -= $1 }, { $0 - $1 }), ("*=", { $0 *= $1 }, { $0 * $1 }),
    ("/=", { $0 /= $1 }, { $0 / $1 }), ("%=", { $0 %= $1 }, { $0 % $1 }),
  ]
  static let rationalOperations: [Operation<Rational>] = [
    ("+=", { $0 += $1 }, { $0 + $1 }), ("-=", { $0 -= $1 }, { $0 - $1 }), ("*=", { $0 *= $1 }, { $0 * $1 }),
    ("/=", { $0 /= $1 }, { $0 / $1 }),
  ]

  @Test func mutatingACopyLeavesTheOriginal() async {
    let input = zip(Gen<BigInteger>.bigInteger(maxWordCount: 3), Gen<BigInteger>.bigInteger(maxWordCount: 3))
    await seededPropertyCheck(count: 200, input: input) { x, y in
      let before = snapshot(x)
      for (name, mutate, operation) in Self.integerOperations where !(y.isZero && (name == "/=" || name == "%=")) {
        var copy = x
        mutate(&copy, y)
        #expect(snapshot(x) == before, "BigInteger \(name) changed the original")
        #expect(copy == operation(x, y), "BigInteger \(name)")
      }
    }
    let rationals = zip(Gen<Rational>.rational(maxWordCount: 2), Gen<Rational>.rational(maxWordCount: 2))
    await seededPropertyCheck(count: 200, input: rationals) { x, y in
      let before = snapshot(x)
      for (name, mutate, operation) in Self.rationalOperations where !(y.isZero && name == "/=") {
        var copy = x
        mutate(&copy, y)
        #expect(snapshot(x) == before, "Rational \(name) changed the original")
        #expect(copy == operation(x, y), "Rational \(name)")
      }
    }
  }

  /// `x op= x` reads `x` while writing it: the result must be `x op x`, no copy of `x`
  /// may change, and no exclusivity violation may stop the process.
  @Test func sameValueOnBothSides() async {
    await seededPropertyCheck(count: 200, input: Gen<BigInteger>.bigInteger(maxWordCount: 3)) { x in
      let before = snapshot(x)
      var a = x, b = x, c = x, d = x, e = x
      a += a
      b -= b
      c *= c
      #expect(a == x + x && b == 0 && c == x * x)
      if !x.isZero {
        d /= d
        e %= e
        #expect(d == 1 && e == 0)
      }
      var unique = BigInteger(littleEndianWords: x.littleEndianWords, isNegative: x.signum < 0)
      unique *= unique
      #expect(unique == x * x)
      let box = Box(x, Rational(x))
      box.integer += box.integer
      #expect(box.integer == x + x)
      #expect(snapshot(x) == before)
    }
    await seededPropertyCheck(count: 200, input: Gen<Rational>.rational(maxWordCount: 2)) { x in
      let before = snapshot(x)
      var a = x, b = x, c = x, d = x
      a += a
      b -= b
      c *= c
      #expect(a == x + x && b == 0 && c == x * x)
      if !x.isZero {
        d /= d
        #expect(d == 1)
      }
      let box = Box(0, x)
      box.rational *= box.rational
      #expect(box.rational == x * x)
      #expect(snapshot(x) == before)
    }
  }

  #if DEBUG
    /// Heavy use of every operation returns the count of live GMP storage objects to where it
    /// started. It runs in a child process, where no other test allocates concurrently.
    @Test func heavyUseLeaksNoStorage() async {
      await #expect(processExitsWith: .success) {
        let start = _StorageCensus.liveCount
        do {
          let held = (0..<10).map { BigInteger($0) }
          precondition(_StorageCensus.liveCount >= start + held.count, "the census does not count")
        }
        exerciseEveryOperation(rounds: 300)
        let end = _StorageCensus.liveCount
        precondition(end == start, "live storage objects: \(start) before, \(end) after")
      }
    }
  #endif
}

/// Runs every public operation of `BigInteger` and `Rational` many times, discarding results.
func exerciseEveryOperation(rounds: Int) {
  var rng = PropertyCheckSettings.generator(seed: 42)
  let integers = Gen<BigInteger>.bigInteger(maxWordCount: 4)
  let rationals = Gen<Rational>.rational(maxWordCount: 3)
  var sink = 0
  func consume(_ values: Int...) { for value in values { sink &+= value } }
  for _ in 0..<rounds {
    let (x, y) = (integers.run(using: &rng), integers.run(using: &rng))
    var z = x
    z += y; z -= y; z *= y; z += z; z *= z
    if !y.isZero {
      z /= y; z %= y
      consume((x / y).signum, (x % y).signum, x.flooredQuotientAndRemainder(dividingBy: y).remainder.signum)
    }
    consume((x + y - y * x).signum, (-x).magnitude.signum, x.power(3).signum, x.shifted(by: -70).signum)
    consume(BigInteger.gcd(x, y).signum, x.magnitude.squareRootFloor().signum, x.intValue ?? 0, z.signum)
    consume(x.littleEndianWords.count, x.description.count, BigInteger(x.description) == x ? 1 : 0)
    consume(x.hashValue, x.bitWidthOfMagnitude, x < y ? 1 : 0, Double(x).sign == .minus ? 1 : 0)
    let (p, q) = (rationals.run(using: &rng), rationals.run(using: &rng))
    var s = p
    s += q; s -= q; s *= q; s *= s
    if !q.isZero {
      s /= q
      consume((p / q).signum, q.reciprocal.signum, q.power(-3).signum)
    }
    consume(p.floor.signum, p.ceiling.signum, p.roundedToNearestEven().signum, p.timesPowerOfTwo(-9).signum)
    consume(p.numerator.signum, p.denominator.signum, p < q ? 1 : 0, p.hashValue, s.signum)
    consume(p.description.count, p.decimalString(significantDigits: 7).count, Rational(p.description) == p ? 1 : 0)
    consume(Double(p).sign == .minus ? 1 : 0, Rational("1/0") == nil ? 1 : 0, Rational("1e5") == nil ? 0 : 1)
    consume((try? Rational(exactly: Double(p)))?.signum ?? 0, (BigInteger(exactly: Double(p)) ?? 0).signum)
  }
  precondition(sink != Int.min)  // keeps the work observable
}
