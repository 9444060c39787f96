/// A non-negative fixed-point integer held as little-endian 64-bit limbs, to which
/// 128-bit values at arbitrary bit offsets are added exactly (a Kulisch-style long
/// accumulator).
///
/// The limb count is chosen by the owner so that the total it accumulates provably fits;
/// `add` traps (precondition) rather than wrap if that argument were ever wrong.
internal struct _WideAccumulator: Sendable, Equatable {
  internal private(set) var limbs: [UInt64]

  /// Zero, with room for values below `2^(64 · limbCount)`.
  internal init(limbCount: Int) { limbs = Array(repeating: 0, count: limbCount) }

  /// Adds `value · 2^shift`.
  ///
  /// - Precondition: `shift ≥ 0`, and the sum fits in the limbs.
  internal mutating func add(_ value: UInt128, shiftedBy shift: Int) {
    guard value != 0 else { return }
    precondition(shift >= 0, "_WideAccumulator: negative shift")
    let word = shift >> 6, bit = UInt64(shift & 63)
    let low = UInt64(truncatingIfNeeded: value), high = UInt64(truncatingIfNeeded: value >> 64)
    let parts: (UInt64, UInt64, UInt64) =
      bit == 0
      ? (low, high, 0)
      : (low << bit, high << bit | low >> (64 - bit), high >> (64 - bit))
    limbs.withUnsafeMutableBufferPointer { limbs in
      var carry: UInt64 = 0
      for offset in 0..<3 {
        let part = offset == 0 ? parts.0 : offset == 1 ? parts.1 : parts.2
        let index = word + offset
        if part == 0 && carry == 0 { continue }
        precondition(index < limbs.count, "_WideAccumulator: overflow")
        let (s1, c1) = limbs[index].addingReportingOverflow(part)
        let (s2, c2) = s1.addingReportingOverflow(carry)
        limbs[index] = s2
        carry = c1 || c2 ? 1 : 0
      }
      var index = word + 3
      while carry != 0 {
        precondition(index < limbs.count, "_WideAccumulator: overflow")
        let (sum, overflow) = limbs[index].addingReportingOverflow(carry)
        limbs[index] = sum
        carry = overflow ? 1 : 0
        index += 1
      }
    }
  }

  /// Adds another accumulator of the same width.
  internal mutating func add(_ other: _WideAccumulator) {
    precondition(other.limbs.count == limbs.count, "_WideAccumulator: width mismatch")
    var carry = false
    for i in limbs.indices {
      let (s1, c1) = limbs[i].addingReportingOverflow(other.limbs[i])
      let (s2, c2) = s1.addingReportingOverflow(carry ? 1 : 0)
      limbs[i] = s2
      carry = c1 || c2
    }
    precondition(!carry, "_WideAccumulator: overflow")
  }

  /// Whether the accumulated integer is zero.
  internal var isZero: Bool { limbs.allSatisfy { $0 == 0 } }

  /// The accumulated integer.
  internal var value: BigInteger { BigInteger(littleEndianWords: limbs) }
}
