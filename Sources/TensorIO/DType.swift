/// The element type of a tensor stored in a safetensors or `.npy` file.
///
/// The floating-point cases (`f16`, `bf16`, `f32`, `f64`) are the ones that can be analysed;
/// the 8-bit floats, integer and boolean cases exist so such tensors can be listed and skipped,
/// and so masks can be written as `U8`/`BOOL` tensors.
public enum DType: String, CaseIterable, Sendable, Hashable, CustomStringConvertible {
  /// IEEE 754 binary16.
  case f16
  /// bfloat16 (the upper half of a binary32). Not representable in `.npy`.
  case bf16
  /// IEEE 754 binary32.
  case f32
  /// IEEE 754 binary64.
  case f64
  /// 8-bit float, 4 exponent and 3 mantissa bits.
  case f8e4m3
  /// 8-bit float, 5 exponent and 2 mantissa bits.
  case f8e5m2
  /// Signed 8-bit integer.
  case i8
  /// Unsigned 8-bit integer.
  case u8
  /// Signed 16-bit integer.
  case i16
  /// Unsigned 16-bit integer.
  case u16
  /// Signed 32-bit integer.
  case i32
  /// Unsigned 32-bit integer.
  case u32
  /// Signed 64-bit integer.
  case i64
  /// Unsigned 64-bit integer.
  case u64
  /// One byte per boolean, 0 or 1.
  case bool

  /// The size of one element in bytes.
  public var byteSize: Int {
    switch self {
    case .f8e4m3, .f8e5m2, .i8, .u8, .bool: 1
    case .f16, .bf16, .i16, .u16: 2
    case .f32, .i32, .u32: 4
    case .f64, .i64, .u64: 8
    }
  }

  /// Whether this is one of the floating-point types that can be analysed: `f16`, `bf16`, `f32`, `f64`.
  ///
  /// The 8-bit float types answer `false`: they can be listed and skipped but are not analysed.
  public var isFloatingPoint: Bool {
    switch self {
    case .f16, .bf16, .f32, .f64: true
    default: false
    }
  }

  /// The name used in a safetensors header, such as `"F32"` or `"BOOL"`.
  public var safetensorsName: String {
    switch self {
    case .f16: "F16"
    case .bf16: "BF16"
    case .f32: "F32"
    case .f64: "F64"
    case .f8e4m3: "F8_E4M3"
    case .f8e5m2: "F8_E5M2"
    case .i8: "I8"
    case .u8: "U8"
    case .i16: "I16"
    case .u16: "U16"
    case .i32: "I32"
    case .u32: "U32"
    case .i64: "I64"
    case .u64: "U64"
    case .bool: "BOOL"
    }
  }

  /// Creates a dtype from its safetensors header name (case-sensitive, e.g. `"BF16"`), or `nil` if unknown.
  public init?(safetensorsName name: String) {
    guard let match = DType.allCases.first(where: { $0.safetensorsName == name }) else { return nil }
    self = match
  }

  /// The numpy type code without byte-order character (`"f4"`, `"u1"`, `"b1"`), or `nil` for types
  /// numpy cannot store (`bf16` and the 8-bit floats).
  public var numpyTypeCode: String? {
    switch self {
    case .f16: "f2"
    case .f32: "f4"
    case .f64: "f8"
    case .i8: "i1"
    case .u8: "u1"
    case .i16: "i2"
    case .u16: "u2"
    case .i32: "i4"
    case .u32: "u4"
    case .i64: "i8"
    case .u64: "u8"
    case .bool: "b1"
    case .bf16, .f8e4m3, .f8e5m2: nil
    }
  }

  /// The numpy `descr` string for this dtype in the given byte order (`"<f4"`, `">f8"`, `"|u1"`),
  /// or `nil` if numpy cannot store the type. One-byte types always use `|`.
  public func numpyDescr(byteOrder: ByteOrder) -> String? {
    guard let code = numpyTypeCode else { return nil }
    if byteSize == 1 { return "|" + code }
    return (byteOrder == .little ? "<" : ">") + code
  }

  /// Parses a numpy `descr` such as `"<f4"`, `">f8"` or `"|u1"`.
  ///
  /// Accepts the byte-order characters `<`, `>` and `|` (the latter only for one-byte types).
  /// - Returns: the dtype and byte order, or `nil` if the descr is not a supported plain type.
  public static func fromNumpyDescr(_ descr: String) -> (dtype: DType, byteOrder: ByteOrder)? {
    guard let first = descr.first else { return nil }
    let code = String(descr.dropFirst())
    guard let dtype = DType.allCases.first(where: { $0.numpyTypeCode == code }) else { return nil }
    switch first {
    case "<": return (dtype, .little)
    case ">": return (dtype, .big)
    case "|" where dtype.byteSize == 1: return (dtype, .little)
    default: return nil
    }
  }

  /// The safetensors name, e.g. `F32`.
  public var description: String { safetensorsName }
}
