import CGMP

#if DEBUG
  import Synchronization
#endif

/// An arbitrary-precision signed integer with value semantics, backed by GMP's `__gmpz_t`.
///
/// Copies are cheap and never alias: a mutation of a shared value first copies the GMP
/// integer (copy on write). Every operation is exact.
public struct BigInteger: Sendable {
  @usableFromInline
  internal var _storage: _Storage

  internal init(_storage: _Storage) { self._storage = _storage }

  /// Zero.
  public init() { _storage = _Storage() }

  /// The integer `value`.
  public init(_ value: Int) {
    _storage = _Storage()
    __gmpz_set_si(_storage.pointer, value)
  }

  /// The integer `value`.
  public init(_ value: UInt64) {
    _storage = _Storage()
    __gmpz_set_ui(_storage.pointer, UInt(value))
  }

  /// The integer whose magnitude has the given little-endian 64-bit words.
  ///
  /// - Parameters:
  ///   - words: the magnitude, least significant word first; may be empty (zero).
  ///   - isNegative: whether the result is negated (ignored for zero).
  public init(littleEndianWords words: some Collection<UInt64>, isNegative: Bool = false) {
    _storage = _Storage()
    let array = Array(words)
    array.withUnsafeBufferPointer { buffer in
      guard let base = buffer.baseAddress, buffer.count > 0 else { return }
      __gmpz_import(_storage.pointer, buffer.count, -1, 8, 0, 0, base)
    }
    if isNegative { __gmpz_neg(_storage.pointer, _storage.pointer) }
  }

  /// The little-endian 64-bit words of the magnitude, without leading zero words
  /// (empty for zero); `BigInteger(littleEndianWords: x.littleEndianWords, isNegative: x.signum < 0)`
  /// is `x`.
  ///
  /// - Complexity: O(n) for n words.
  public var littleEndianWords: [UInt64] {
    withMPZ { z in
      let count = Int(__gmpz_size(z))
      var words = [UInt64](repeating: 0, count: count)
      words.withUnsafeMutableBufferPointer { buffer in
        guard let base = buffer.baseAddress else { return }
        var written = 0
        __gmpz_export(base, &written, -1, 8, 0, 0, z)
        precondition(written == count, "BigInteger: export wrote \(written) of \(count) words")
      }
      return words
    }
  }

  /// The value as a signed integer of the standard library, or `nil` if it does not fit.
  public var intValue: Int? {
    __gmpz_fits_slong_p(_storage.pointer) != 0 ? __gmpz_get_si(_storage.pointer) : nil
  }

  /// Runs `body` with a pointer to the GMP integer, which must not escape and must not be written.
  @inline(__always)
  internal func withMPZ<R>(_ body: (UnsafePointer<__mpz_struct>) throws -> R) rethrows -> R {
    try body(_storage.pointer)
  }

  /// Runs `body` with a pointer to a uniquely owned GMP integer it may write.
  @inline(__always)
  internal mutating func withMutableMPZ<R>(
    _ body: (UnsafeMutablePointer<__mpz_struct>) throws -> R
  ) rethrows -> R {
    _makeUnique()
    return try body(_storage.pointer)
  }

  @inline(__always)
  internal mutating func _makeUnique() {
    if !isKnownUniquelyReferenced(&_storage) { _copyStorage() }
  }

  @inline(never)
  internal mutating func _copyStorage() { _storage = _Storage(copying: _storage) }

  /// Creates a fresh value by running `body` on a newly initialised GMP integer.
  @inline(__always)
  internal static func _make(_ body: (UnsafeMutablePointer<__mpz_struct>) -> Void) -> BigInteger {
    let storage = _Storage()
    body(storage.pointer)
    return BigInteger(_storage: storage)
  }
}

extension BigInteger {
  /// Owns one GMP integer for the lifetime of the object.
  @usableFromInline
  internal final class _Storage: @unchecked Sendable {
    // Sendable: the pointee is only mutated through `withMutableMPZ`, after a uniqueness check.
    internal let pointer: UnsafeMutablePointer<__mpz_struct>

    internal init() {
      pointer = .allocate(capacity: 1)
      __gmpz_init(pointer)
      _StorageCensus.didCreate()
    }

    internal init(copying other: _Storage) {
      pointer = .allocate(capacity: 1)
      __gmpz_init_set(pointer, other.pointer)
      _StorageCensus.didCreate()
    }

    deinit {
      __gmpz_clear(pointer)
      pointer.deallocate()
      _StorageCensus.didDestroy()
    }
  }
}

/// Counts the live GMP storage objects of `BigInteger` and `Rational` in debug builds, so
/// tests can check that heavy use leaks none; release builds count nothing.
internal enum _StorageCensus {
  #if DEBUG
    private static let live = Atomic<Int>(0)

    /// The number of storage objects currently alive in this process.
    internal static var liveCount: Int { live.load(ordering: .relaxed) }
  #endif

  @inline(__always)
  internal static func didCreate() {
    #if DEBUG
      live.add(1, ordering: .relaxed)
    #endif
  }

  @inline(__always)
  internal static func didDestroy() {
    #if DEBUG
      live.subtract(1, ordering: .relaxed)
    #endif
  }
}
