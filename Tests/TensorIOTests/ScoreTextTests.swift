import Foundation
import Testing

@testable import TensorIO

@Suite struct ScoreTextTests {
  func tokens(_ text: String) throws -> [ScoreToken] {
    try Array(text.utf8).withUnsafeBytes { try ScoreText.tokens(in: $0, source: "s.csv") }
  }

  @Test func splitsOnNewlinesCommasAndWhitespaceKeepingTextExact() throws {
    let parsed = try tokens("\u{FEFF}# header comment\n0.1, 2e-3 ,-4\r\n\n  5\t6 # trailing\n0x1p-3,1/3")
    #expect(parsed.map(\.text) == ["0.1", "2e-3", "-4", "5", "6", "0x1p-3", "1/3"])
    #expect(parsed.map(\.line) == [2, 2, 2, 4, 4, 5, 5])
    #expect(try tokens("").isEmpty)
    #expect(try tokens("1#x,,\n2").map(\.text) == ["1", "2"])
  }

  @Test func emptyFieldsAndBadBytesNameTheLine() {
    #expect(throws: TensorIOError.invalidText(file: "s.csv", line: 2, reason: "empty field before ','")) { try tokens("1\n2,,3") }
    #expect(throws: TensorIOError.invalidText(file: "s.csv", line: 1, reason: "empty field before ','")) { try tokens(",1") }
    #expect(throws: TensorIOError.invalidText(file: "s.csv", line: 1, reason: "empty field after ','")) { try tokens("1,\n2") }
    #expect(throws: TensorIOError.invalidText(file: "s.csv", line: 3, reason: "empty field after ','")) { try tokens("1\n\n2, # c") }
    #expect(throws: TensorIOError.invalidText(file: "s.csv", line: 1, reason: "token is not valid UTF-8")) {
      try [0x31, 0xFF, 0x0A].withUnsafeBytes { try ScoreText.tokens(in: $0, source: "s.csv") }
    }
    #expect(throws: TensorIOError.invalidText(file: "s.csv", line: 1, reason: "token longer than 4096 bytes")) {
      try tokens(String(repeating: "1", count: 5000))
    }
  }

  @Test func streamingFromAFileMatchesInMemory() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    var text = "\u{FEFF}"
    for line in 0..<500 { text += "\(line).5, -\(line)e-7 # c\n" }
    let path = try directory.write(Array(text.utf8), to: "s.csv")
    var streamed: [ScoreToken] = []
    try ScoreText.forEachToken(inFileAt: path, chunkByteCount: 7) { streamed.append($0) }
    let whole = try ScoreText.tokens(inFileAt: path)
    #expect(streamed == whole)
    #expect(whole.count == 1000 && whole.last == ScoreToken(text: "-499e-7", line: 500))
    #expect(throws: TensorIOError.notRegularFile(file: directory.path, kind: "a directory")) { try ScoreText.tokens(inFileAt: directory.path) }
  }

  @Test func aBOMSplitAcrossChunksOrAloneIsHandled() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let path = try directory.write([0xEF, 0xBB, 0xBF, 0x31, 0x0A, 0x32], to: "s.txt")
    var streamed: [String] = []
    try ScoreText.forEachToken(inFileAt: path, chunkByteCount: 1) { streamed.append($0.text) }
    #expect(streamed == ["1", "2"])
    #expect(throws: TensorIOError.self) { try [0xEF, 0xBB].withUnsafeBytes { try ScoreText.tokens(in: $0) } }
  }
}
