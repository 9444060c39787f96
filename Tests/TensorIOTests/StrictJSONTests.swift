import Testing

@testable import TensorIO

@Suite struct StrictJSONTests {
  func parse(_ text: String) throws -> JSONNode {
    try Array(text.utf8).withUnsafeBytes { try StrictJSON.parse($0, baseOffset: 100, source: "j") }
  }

  @Test func decodesEscapesAndKeepsNumbersAsText() throws {
    let node = try parse(#" {"k\u00e9\ud83d\ude00\n\/":[0,-1.5e+3,true,false,null,"\"\\"]} "#)
    guard case .object(let members) = node.value, case .array(let items) = members[0].value.value else {
      Issue.record("unexpected structure")
      return
    }
    #expect(members[0].key == "ké😀\n/")
    #expect(members[0].keyOffset == 102)
    guard case .number(let text) = items[1].value else { Issue.record("expected a number"); return }
    #expect(text == "-1.5e+3")
    #expect(items[0].nonNegativeInteger == .value(0))
    #expect(items[1].nonNegativeInteger == .notAnInteger)
    #expect(try parse("18446744073709551616").nonNegativeInteger == .tooLarge)
  }

  @Test func limitsNestingDepth() throws {
    _ = try parse(String(repeating: "[", count: 64) + String(repeating: "]", count: 64))
    #expect(throws: TensorIOError.invalidHeader(file: "j", offset: 164, reason: "nesting deeper than 64 levels")) {
      try parse(String(repeating: "[", count: 65) + String(repeating: "]", count: 65))
    }
  }

  @Test func rejectsDuplicateKeysAtAnyDepth() {
    #expect(throws: TensorIOError.duplicateName(file: "j", offset: 112, name: "b")) { try parse(#"{"a":{"b":1,"b":2}}"#) }
  }
}
