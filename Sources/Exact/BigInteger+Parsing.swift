import CGMP

extension BigInteger: LosslessStringConvertible, CustomStringConvertible {
  /// Parses an optionally signed run of decimal digits (`"-120"`, `"+7"`); nothing else
  /// is accepted: no white space, no empty digit run, no base prefix.
  public init?(_ description: String) {
    var digits = Substring(description)
    var negative = false
    if let first = digits.first, first == "-" || first == "+" {
      negative = first == "-"
      digits = digits.dropFirst()
    }
    // GMP's parser skips white space silently, so the grammar is checked here first.
    guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
    else { return nil }
    let storage = _Storage()
    let status = String(digits).withCString { __gmpz_set_str(storage.pointer, $0, 10) }
    guard status == 0 else { return nil }
    if negative { __gmpz_neg(storage.pointer, storage.pointer) }
    self.init(_storage: storage)
  }

  /// The decimal digits, with a leading `-` for negative values.
  public var description: String {
    withMPZ { z in
      let capacity = __gmpz_sizeinbase(z, 10) + 2
      var buffer = [CChar](repeating: 0, count: Int(capacity))
      return buffer.withUnsafeMutableBufferPointer { buffer in
        String(cString: __gmpz_get_str(buffer.baseAddress, 10, z))
      }
    }
  }
}
