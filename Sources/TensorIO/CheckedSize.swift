/// Overflow-checked size arithmetic for numbers that come from files (package access: the
/// parsers' fuzzer checks with it).
package enum CheckedSize {
  /// The product of `shape`, or `nil` if a dimension is negative or the product overflows `Int`.
  package static func elementCount(_ shape: [Int]) -> Int? {
    var product = 1
    for dimension in shape {
      guard dimension >= 0 else { return nil }
      let (next, overflow) = product.multipliedReportingOverflow(by: dimension)
      guard !overflow else { return nil }
      product = next
    }
    return product
  }

  /// `product(shape) * dtype.byteSize`, or `nil` on overflow.
  package static func byteCount(_ shape: [Int], _ dtype: DType) -> Int? {
    guard let count = elementCount(shape) else { return nil }
    let (bytes, overflow) = count.multipliedReportingOverflow(by: dtype.byteSize)
    return overflow ? nil : bytes
  }

  /// `a + b`, or `nil` on overflow.
  static func sum(_ a: Int, _ b: Int) -> Int? {
    let (total, overflow) = a.addingReportingOverflow(b)
    return overflow ? nil : total
  }
}
