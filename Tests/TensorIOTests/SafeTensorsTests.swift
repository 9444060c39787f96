import Foundation
import Testing

@testable import TensorIO

@Suite struct SafeTensorsReadingTests {
  let f = "m.safetensors"

  @Test func parsesAValidFile() throws {
    let header = #"{"__metadata__":{"format":"pt"},"b":{"dtype":"F16","shape":[2],"data_offsets":[8,12]},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
    let file = try parseSafeTensors(safetensorsBytes(header: header, data: Array(repeating: 0, count: 12)))
    #expect(file.metadata == ["format": "pt"])
    #expect(file.tensors.map(\.name) == ["a", "b"])
    let b = try file.tensor(named: "b")
    #expect(b.dtype == .f16 && b.shape == [2] && b.byteCount == 4)
    #expect(b.dataOffset == 8 + header.utf8.count + 8)
    #expect(throws: TensorIOError.tensorNotFound(file: f, tensor: "c")) { try file.tensor(named: "c") }
  }

  @Test func acceptsEmptyAndZeroSizedTensors() throws {
    #expect(try parseSafeTensors(safetensorsBytes(header: "{}")).tensors.isEmpty)
    let header = #"{"z":{"dtype":"F32","shape":[0,3],"data_offsets":[0,0]},"s":{"dtype":"F64","shape":[],"data_offsets":[0,8]}}"#
    let file = try parseSafeTensors(safetensorsBytes(header: header, data: Array(repeating: 0, count: 8)))
    #expect(file.tensors.map(\.name) == ["z", "s"])
    #expect(file.tensors.map(\.elementCount) == [0, 1])
  }

  @Test func truncatedFile() {
    #expect(throws: TensorIOError.truncated(file: f, tensor: nil, offset: 0, needed: 8, available: 3)) {
      try parseSafeTensors([1, 2, 3])
    }
  }

  @Test func headerLengthBeyondFile() {
    let bytes = safetensorsBytes(header: "{}", claimedLength: 50)
    #expect(throws: TensorIOError.headerBeyondFile(file: f, claimed: 50, fileSize: 10)) { try parseSafeTensors(bytes) }
  }

  @Test func hundredMegabyteHeaderClaimIsRefusedWithoutAllocating() throws {
    let claim: UInt64 = 100_000_001
    #expect(throws: TensorIOError.headerTooLarge(file: f, claimed: claim, limit: 100_000_000)) {
      try parseSafeTensors(safetensorsBytes(header: "{}", claimedLength: claim))
    }
    #expect(throws: TensorIOError.headerTooLarge(file: f, claimed: .max, limit: 100_000_000)) {
      try parseSafeTensors(safetensorsBytes(header: "{}", claimedLength: .max))
    }
    // Exactly at the limit but past the end of a small file: refused by size before any read.
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let path = try directory.write(safetensorsBytes(header: "{}", claimedLength: 100_000_000), to: "big.safetensors")
    #expect(throws: TensorIOError.headerBeyondFile(file: path, claimed: 100_000_000, fileSize: 10)) {
      try SafeTensorsFile(contentsOf: path)
    }
  }

  @Test func headerMustStartWithBrace() {
    #expect(throws: TensorIOError.invalidHeader(file: f, offset: 8, reason: "header does not start with '{'")) {
      try parseSafeTensors(safetensorsBytes(header: " {}"))
    }
  }

  @Test(arguments: [
    #"{"a":}"#, #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}"#, #"{"a" 1}"#, #"{'a':1}"#,
    #"{"a":[1,]}"#, #"{"a":01}"#, #"{"a":"\x"}"#, #"{"a":"\ud800"}"#, "{\"a\":\"\u{1}\"}", #"{} x"#,
    #"{"a":tru}"#, #"{"a":"# + String(repeating: "[", count: 100), #"{"a":1e}"#, #"{"a":-}"#, "{",
  ])
  func invalidJSON(header: String) {
    #expect {
      try parseSafeTensors(safetensorsBytes(header: header))
    } throws: { error in
      guard case .invalidHeader = error as? TensorIOError else { return false }
      return true
    }
  }

  @Test func invalidUTF8InString() {
    var bytes = safetensorsBytes(header: #"{"__metadata__":{"k":"ab"}}"#)
    bytes[bytes.count - 4] = 0xFF
    #expect(throws: TensorIOError.invalidHeader(file: f, offset: 29, reason: "string is not valid UTF-8")) {
      try parseSafeTensors(bytes)
    }
  }

  @Test func overlappingOffsets() {
    let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
    #expect(throws: TensorIOError.overlap(file: f, tensor: "b", begin: 4, previous: "a", previousEnd: 8)) {
      try parseSafeTensors(safetensorsBytes(header: header, data: Array(repeating: 0, count: 12)))
    }
  }

  @Test func offsetsPastTheEnd() {
    let header = #"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#
    #expect(throws: TensorIOError.offsetsPastEnd(file: f, tensor: "a", end: 16, dataLength: 12)) {
      try parseSafeTensors(safetensorsBytes(header: header, data: Array(repeating: 0, count: 12)))
    }
  }

  @Test func gapBetweenTensors() {
    let header = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#
    #expect(throws: TensorIOError.gap(file: f, tensor: "b", begin: 8, expected: 4)) {
      try parseSafeTensors(safetensorsBytes(header: header, data: Array(repeating: 0, count: 12)))
    }
    let late = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
    #expect(throws: TensorIOError.gap(file: f, tensor: "a", begin: 4, expected: 0)) {
      try parseSafeTensors(safetensorsBytes(header: late, data: Array(repeating: 0, count: 8)))
    }
  }

  @Test func bytesAfterTheLastTensor() {
    let header = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#
    let dataStart = 8 + header.utf8.count
    #expect(throws: TensorIOError.trailingBytes(file: f, offset: dataStart + 4, count: 3)) {
      try parseSafeTensors(safetensorsBytes(header: header, data: Array(repeating: 0, count: 7)))
    }
    #expect(throws: TensorIOError.trailingBytes(file: f, offset: 10, count: 1)) {
      try parseSafeTensors(safetensorsBytes(header: "{}", data: [0]))
    }
  }

  @Test func byteCountMismatch() throws {
    let header = #"{"w1":{"dtype":"F32","shape":[5,5],"data_offsets":[0,96]}}"#
    let error = TensorIOError.byteCountMismatch(file: f, tensor: "w1", begin: 0, end: 96, shape: [5, 5], dtype: .f32, needed: 100)
    #expect(throws: error) { try parseSafeTensors(safetensorsBytes(header: header, data: Array(repeating: 0, count: 96))) }
    #expect(error.description == #"m.safetensors: tensor "w1": data_offsets [0, 96) hold 96 bytes but shape [5, 5] of F32 needs 100"#)
  }

  @Test func unknownDType() {
    let header = #"{"a":{"dtype":"F128","shape":[1],"data_offsets":[0,16]}}"#
    #expect(throws: TensorIOError.unknownDType(file: f, tensor: "a", dtype: "F128")) {
      try parseSafeTensors(safetensorsBytes(header: header, data: Array(repeating: 0, count: 16)))
    }
  }

  @Test func shapeProductOverflow() {
    let header = #"{"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,0]}}"#
    #expect(throws: TensorIOError.shapeOverflow(file: f, tensor: "a", shape: "[4294967296, 4294967296]")) {
      try parseSafeTensors(safetensorsBytes(header: header))
    }
    let bytesOverflow = #"{"a":{"dtype":"F64","shape":[2305843009213693952],"data_offsets":[0,0]}}"#
    #expect(throws: TensorIOError.shapeOverflow(file: f, tensor: "a", shape: "[2305843009213693952]")) {
      try parseSafeTensors(safetensorsBytes(header: bytesOverflow))
    }
    let hugeDimension = #"{"a":{"dtype":"F32","shape":[99999999999999999999999],"data_offsets":[0,0]}}"#
    #expect(throws: TensorIOError.shapeOverflow(file: f, tensor: "a", shape: "[99999999999999999999999]")) {
      try parseSafeTensors(safetensorsBytes(header: hugeDimension))
    }
  }

  @Test func nonStringMetadata() {
    #expect(throws: TensorIOError.invalidMetadata(file: f, reason: #"value of "n" is a number, not a string"#)) {
      try parseSafeTensors(safetensorsBytes(header: #"{"__metadata__":{"n":1}}"#))
    }
    #expect(throws: TensorIOError.invalidMetadata(file: f, reason: "expected an object, found an array")) {
      try parseSafeTensors(safetensorsBytes(header: #"{"__metadata__":["a"]}"#))
    }
  }

  @Test func duplicateNames() {
    let entry = #"{"dtype":"F32","shape":[1],"data_offsets":[0,4]}"#
    let header = #"{"a":"# + entry + #","a":"# + entry + "}"
    #expect(throws: TensorIOError.duplicateName(file: f, offset: 8 + 6 + entry.utf8.count, name: "a")) {
      try parseSafeTensors(safetensorsBytes(header: header, data: Array(repeating: 0, count: 4)))
    }
    let escaped = #"{"a":"# + entry + #","\u0061":"# + entry + "}"
    #expect(throws: TensorIOError.self) { try parseSafeTensors(safetensorsBytes(header: escaped, data: [0, 0, 0, 0])) }
  }

  @Test func malformedEntries() {
    func entryError(_ entry: String) -> TensorIOError? {
      do {
        _ = try parseSafeTensors(safetensorsBytes(header: #"{"t":"# + entry + "}", data: [0, 0, 0, 0]))
        return nil
      } catch { return error as? TensorIOError }
    }
    #expect(entryError(#"{"dtype":"F32","shape":[1]}"#) == .invalidTensorEntry(file: f, tensor: "t", reason: #"missing field "data_offsets""#))
    #expect(entryError(#"{"dtype":"F32","data_offsets":[0,4]}"#) == .invalidTensorEntry(file: f, tensor: "t", reason: #"missing field "shape""#))
    #expect(entryError(#"{"shape":[1],"data_offsets":[0,4]}"#) == .invalidTensorEntry(file: f, tensor: "t", reason: #"missing field "dtype""#))
    #expect(entryError(#"{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":1}"#) == .invalidTensorEntry(file: f, tensor: "t", reason: #"unexpected field "x""#))
    #expect(entryError(#"{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}"#) != nil)
    #expect(entryError(#"{"dtype":"F32","shape":[1.0],"data_offsets":[0,4]}"#) != nil)
    #expect(entryError(#"{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}"#) != nil)
    #expect(entryError(#"{"dtype":"F32","shape":[1],"data_offsets":[4,0]}"#) == .invalidOffsets(file: f, tensor: "t", begin: 4, end: 0))
    #expect(entryError(#"{"dtype":32,"shape":[1],"data_offsets":[0,4]}"#) != nil)
    #expect(entryError("[]") != nil)
  }

  @Test func directoryAndFIFOAreRejected() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    #expect(throws: TensorIOError.notRegularFile(file: directory.path, kind: "a directory")) {
      try SafeTensorsFile(contentsOf: directory.path)
    }
    let fifo = directory.file("pipe")
    #expect(mkfifo(fifo, 0o600) == 0)
    #expect(throws: TensorIOError.notRegularFile(file: fifo, kind: "a FIFO")) { try SafeTensorsFile(contentsOf: fifo) }
    #expect(throws: TensorIOError.io(file: directory.file("missing"), operation: "open", errno: ENOENT)) {
      try SafeTensorsFile(contentsOf: directory.file("missing"))
    }
  }

  @Test func fileAndMemoryParsesAgree() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let header = #"{"a":{"dtype":"BF16","shape":[3],"data_offsets":[0,6]}}  "#
    let bytes = safetensorsBytes(header: header, data: [1, 2, 3, 4, 5, 6])
    let path = try directory.write(bytes, to: "m.safetensors")
    let fromFile = try SafeTensorsFile(contentsOf: path)
    let fromMemory = try bytes.withUnsafeBytes { try SafeTensorsFile.parse($0, source: path) }
    #expect(fromFile.tensors == fromMemory.tensors)
    #expect(fromFile.dataOffset == 8 + header.utf8.count)
  }

  @Test func errorDescriptionsAreOneLine() {
    let errors: [TensorIOError] = [
      .notRegularFile(file: "d", kind: "a directory"), .io(file: "x", operation: "open", errno: ENOENT),
      .duplicateName(file: "m", offset: 3, name: "a\nb"), .npyObjectArray(file: "a.npy", descr: "|O"),
      .invalidText(file: "s.txt", line: 3, reason: "empty field before ','"),
    ]
    for error in errors {
      #expect(!error.description.contains("\n"))
      #expect(error.description.hasPrefix(error.description.split(separator: ":").first.map(String.init) ?? "?"))
    }
    #expect(TensorIOError.npyObjectArray(file: "a.npy", descr: "|O").description.contains("pickle/object arrays are not supported"))
    #expect(TensorIOError.io(file: "x", operation: "open", errno: ENOENT).description == "x: open failed: No such file or directory (errno 2)")
  }
}
