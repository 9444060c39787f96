import Foundation
import Testing

@testable import TensorIO

/// Outputs of one transaction appear together or not at all, and what was at their targets
/// before survives a failed commit.
@Suite struct OutputTransactionTests {
  /// Stages `bytes` as an NPY file for `path` in `transaction` (without one: writes it now).
  static func stage(_ bytes: [UInt8], at path: String, in transaction: OutputTransaction?) throws {
    try NPYFile.write(to: path, dtype: .u8, shape: [bytes.count], in: transaction) { try $0.write(bytes) }
  }

  /// The three data bytes at the end of a file `stage` wrote.
  static func payload(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path)).suffix(3)) }

  @Test func commitPutsEveryOutputInPlace() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let transaction = OutputTransaction()
    try Self.stage([1, 2, 3], at: directory.file("a.npy"), in: transaction)
    let staged = try transaction.stageDirectory(for: directory.file("d"))
    try Self.stage([4, 5, 6], at: staged + "/b.npy", in: nil)  // the directory is staged whole
    #expect(try directory.contents().allSatisfy { $0.hasPrefix(".") }, "nothing visible before the commit")
    try transaction.commit()
    #expect(try directory.contents() == ["a.npy", "d"])
    #expect(try Self.payload(directory.file("a.npy")) == [1, 2, 3] && Self.payload(directory.file("d/b.npy")) == [4, 5, 6])
  }

  /// The second output's target turns into a directory before the commit: the first output,
  /// already renamed, is undone and the file it replaced is back.
  @Test func aFailureBetweenTheRenamesIsRolledBack() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let (first, second) = (directory.file("a.npy"), directory.file("b.npy"))
    try Self.stage([9, 9, 9], at: first, in: nil)  // an earlier output
    let before = try Data(contentsOf: URL(fileURLWithPath: first))
    let transaction = OutputTransaction(replacingExisting: true)
    try Self.stage([1, 2, 3], at: first, in: transaction)
    try Self.stage([4, 5, 6], at: second, in: transaction)
    try FileManager.default.createDirectory(atPath: second, withIntermediateDirectories: false)
    #expect(throws: TensorIOError.outputExists(file: second, kind: "a directory")) { try transaction.commit() }
    #expect(try Data(contentsOf: URL(fileURLWithPath: first)) == before)
    #expect(try directory.contents() == ["a.npy", "b.npy"], "no temporary file left")
  }

  @Test func existingTargetsNeedReplacing() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let target = try directory.write([7], to: "a.npy")
    let transaction = OutputTransaction()
    try Self.stage([1, 2, 3], at: target, in: transaction)
    #expect(throws: TensorIOError.outputExists(file: target, kind: "a regular file")) { try transaction.commit() }
    #expect(try Data(contentsOf: URL(fileURLWithPath: target)) == Data([7]))
    #expect(try directory.contents() == ["a.npy"])
  }

  /// What a killed process leaves beside `a.npy` is found by name, and only that.
  @Test func leftoversAreRecognisedByName() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    for name in [".a.npy.tmp-abc123", ".a.npy.tmp-abc123.old", ".a.npy.tmp-abc1234", ".b.npy.tmp-abc123", "a.npy"] {
      _ = try directory.write([0], to: name)
    }
    try FileManager.default.createDirectory(atPath: directory.file(".a.npy.tmp-XYZ789"), withIntermediateDirectories: false)
    _ = try directory.write([0], to: ".a.npy.tmp-XYZ789/inside")
    let removed = try TemporaryOutputs.removeLeftovers(of: directory.file("a.npy"))
    #expect(removed.count == 3)
    #expect(try directory.contents() == [".a.npy.tmp-abc1234", ".b.npy.tmp-abc123", "a.npy"])
  }
}
