/// One number token from a score text file, as written, with the line it is on.
public struct ScoreToken: Sendable, Hashable {
  /// The token's text exactly as in the file (not converted to a number).
  public let text: String
  /// The 1-based line number.
  public let line: Int

  /// Creates a token.
  public init(text: String, line: Int) {
    self.text = text
    self.line = line
  }
}

/// Splits score text files (CSV or plain text) into number tokens without interpreting them.
///
/// Tokens are separated by newlines, commas, spaces, tabs or carriage returns; `#` starts a comment
/// that runs to the end of the line; a leading UTF-8 byte-order mark is skipped. A comma must stand
/// between two tokens on the same line: an empty field (`1,,2`, a leading or a trailing comma) is
/// an error rather than a silently dropped value. Tokens must be valid UTF-8 and at most
/// ``maxTokenByteCount`` bytes long. The caller parses each token exactly.
public enum ScoreText {
  /// The longest token accepted, in bytes.
  public static let maxTokenByteCount = 4096

  /// Calls `body` with each token of the file at `path`, reading it in chunks.
  /// - Throws: `.invalidText` naming the line of a malformed token or empty field, `.notRegularFile`,
  ///   `.io`, or what `body` throws.
  /// - Complexity: O(file size) time, O(`chunkByteCount`) memory.
  public static func forEachToken(
    inFileAt path: String, chunkByteCount: Int = 1 << 20, _ body: (ScoreToken) throws -> Void
  ) throws {
    precondition(chunkByteCount > 0, "chunk size must be positive")
    let file = try ReadOnlyFile(path: path)
    var tokenizer = ScoreTokenizer(source: path)
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: min(chunkByteCount, max(file.size, 1)), alignment: 1)
    defer { buffer.deallocate() }
    var offset = 0
    while offset < file.size {
      let chunk = UnsafeMutableRawBufferPointer(rebasing: buffer[..<min(buffer.count, file.size - offset)])
      try file.read(into: chunk, at: offset)
      try tokenizer.feed(UnsafeRawBufferPointer(chunk), body)
      offset += chunk.count
    }
    try tokenizer.finish(body)
  }

  /// All tokens of the file at `path`.
  /// - Throws: as ``forEachToken(inFileAt:chunkByteCount:_:)``.
  public static func tokens(inFileAt path: String) throws -> [ScoreToken] {
    var tokens: [ScoreToken] = []
    try forEachToken(inFileAt: path) { tokens.append($0) }
    return tokens
  }

  /// All tokens of `bytes`, reporting errors against `source`.
  /// - Throws: `.invalidText`.
  public static func tokens(in bytes: UnsafeRawBufferPointer, source: String = "<memory>") throws -> [ScoreToken] {
    var tokens: [ScoreToken] = []
    var tokenizer = ScoreTokenizer(source: source)
    try tokenizer.feed(bytes) { tokens.append($0) }
    try tokenizer.finish { tokens.append($0) }
    return tokens
  }
}

/// The incremental state machine behind ``ScoreText``; bytes may be fed in chunks split anywhere.
struct ScoreTokenizer {
  private let source: String
  private var line = 1
  private var token: [UInt8] = []
  private var inComment = false
  /// Whether a token was completed on this line since the last comma (a comma needs one before it).
  private var tokenBeforeComma = false
  /// Whether a comma is waiting for the token that must follow it on the same line.
  private var pendingComma = false
  /// Bytes of a possible byte-order mark seen at the start of the input.
  private var bomProgress: Int? = 0
  private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

  init(source: String) {
    self.source = source
  }

  private func failure(_ reason: String) -> TensorIOError { .invalidText(file: source, line: line, reason: reason) }

  mutating func feed(_ bytes: UnsafeRawBufferPointer, _ body: (ScoreToken) throws -> Void) throws {
    for byte in bytes {
      if let progress = bomProgress {
        if byte == Self.byteOrderMark[progress] {
          bomProgress = progress + 1 == Self.byteOrderMark.count ? nil : progress + 1
          continue
        }
        bomProgress = nil
        for earlier in Self.byteOrderMark[..<progress] { try consume(earlier, body) }
      }
      try consume(byte, body)
    }
  }

  mutating func finish(_ body: (ScoreToken) throws -> Void) throws {
    if let progress = bomProgress {
      bomProgress = nil
      for earlier in Self.byteOrderMark[..<progress] { try consume(earlier, body) }
    }
    try endToken(body)
    try endLine()
  }

  private mutating func consume(_ byte: UInt8, _ body: (ScoreToken) throws -> Void) throws {
    if byte == UInt8(ascii: "\n") {
      try endToken(body)
      try endLine()
      inComment = false
      line += 1
      return
    }
    if inComment { return }
    switch byte {
    case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
      try endToken(body)
    case UInt8(ascii: "#"):
      try endToken(body)
      inComment = true
    case UInt8(ascii: ","):
      try endToken(body)
      guard tokenBeforeComma else { throw failure("empty field before ','") }
      tokenBeforeComma = false
      pendingComma = true
    default:
      guard token.count < ScoreText.maxTokenByteCount else {
        throw failure("token longer than \(ScoreText.maxTokenByteCount) bytes")
      }
      token.append(byte)
    }
  }

  private mutating func endToken(_ body: (ScoreToken) throws -> Void) throws {
    guard !token.isEmpty else { return }
    guard let text = String(validating: token, as: UTF8.self) else { throw failure("token is not valid UTF-8") }
    token.removeAll(keepingCapacity: true)
    tokenBeforeComma = true
    pendingComma = false
    try body(ScoreToken(text: text, line: line))
  }

  private mutating func endLine() throws {
    guard !pendingComma else { throw failure("empty field after ','") }
    tokenBeforeComma = false
  }
}
