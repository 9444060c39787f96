import CGMP

/// An exact rational number with value semantics, backed by GMP's `__gmpq_t`.
///
/// A `Rational` is always canonical: its denominator is positive, numerator and
/// denominator are coprime, and zero is `0/1`. Equality and hashing use that form.
/// Copies never alias (copy on write).
public struct Rational: Sendable {
  @usableFromInline
  internal var _storage: _Storage

  internal init(_storage: _Storage) { self._storage = _storage }

  /// Zero.
  public init() { _storage = _Storage() }

  /// The integer `value`.
  public init(_ value: Int) {
    _storage = _Storage()
    __gmpq_set_si(_storage.pointer, value, 1)
  }

  /// The integer `value`.
  public init(_ value: BigInteger) {
    _storage = _Storage()
    value.withMPZ { __gmpq_set_z(_storage.pointer, $0) }
  }

  /// The fraction `numerator / denominator`, reduced to canonical form.
  ///
  /// - Precondition: `denominator` is not zero.
  public init(numerator: BigInteger, denominator: BigInteger) {
    precondition(!denominator.isZero, "Rational: zero denominator")
    _storage = _Storage()
    let q = _storage.pointer
    numerator.withMPZ { __gmpz_set(cgmp_mpq_numref(q), $0) }
    denominator.withMPZ { __gmpz_set(cgmp_mpq_denref(q), $0) }
    __gmpq_canonicalize(q)
  }

  /// The fraction `numerator / denominator`, reduced to canonical form.
  ///
  /// - Precondition: `denominator` is not zero.
  public init(_ numerator: Int, _ denominator: Int) {
    self.init(numerator: BigInteger(numerator), denominator: BigInteger(denominator))
  }

  /// The numerator of the canonical form (carries the sign).
  public var numerator: BigInteger {
    withMPQ { q in BigInteger._make { __gmpz_set($0, cgmp_mpq_numref_const(q)) } }
  }

  /// The denominator of the canonical form (always positive).
  public var denominator: BigInteger {
    withMPQ { q in BigInteger._make { __gmpz_set($0, cgmp_mpq_denref_const(q)) } }
  }

  @inline(__always)
  internal func withMPQ<R>(_ body: (UnsafePointer<__mpq_struct>) throws -> R) rethrows -> R {
    try body(_storage.pointer)
  }

  @inline(__always)
  internal mutating func withMutableMPQ<R>(
    _ body: (UnsafeMutablePointer<__mpq_struct>) throws -> R
  ) rethrows -> R {
    if !isKnownUniquelyReferenced(&_storage) { _copyStorage() }
    return try body(_storage.pointer)
  }

  @inline(never)
  internal mutating func _copyStorage() { _storage = _Storage(copying: _storage) }

  /// Creates a fresh value by running `body` on a newly initialised (zero) GMP rational.
  /// `body` must leave it canonical (every `__gmpq_` arithmetic function does).
  @inline(__always)
  internal static func _make(_ body: (UnsafeMutablePointer<__mpq_struct>) -> Void) -> Rational {
    let storage = _Storage()
    body(storage.pointer)
    return Rational(_storage: storage)
  }
}

extension Rational {
  /// Owns one GMP rational for the lifetime of the object.
  @usableFromInline
  internal final class _Storage: @unchecked Sendable {
    // Sendable: the pointee is only mutated through `withMutableMPQ`, after a uniqueness check.
    internal let pointer: UnsafeMutablePointer<__mpq_struct>

    internal init() {
      pointer = .allocate(capacity: 1)
      __gmpq_init(pointer)
      _StorageCensus.didCreate()
    }

    internal init(copying other: _Storage) {
      pointer = .allocate(capacity: 1)
      __gmpq_init(pointer)
      __gmpq_set(pointer, other.pointer)
      _StorageCensus.didCreate()
    }

    deinit {
      __gmpq_clear(pointer)
      pointer.deallocate()
      _StorageCensus.didDestroy()
    }
  }
}
