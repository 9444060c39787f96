import EMPVerify
import Exact
import Foundation

/// The committed corpus (`Conformance/` at the repository root) and test helpers over it.
enum CorpusFixture {
  /// The repository's `Conformance` directory.
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Conformance").path

  /// The committed corpus, loaded once (loading re-derives every expected value).
  static let all: [ConformanceCorpus.Entry] = try! ConformanceCorpus.load(from: directory)

  /// The cases with an EMP analysis (the others test what is done with masked or zero scores).
  static let entries = all.filter { $0.expected != nil }

  /// A fresh empty temporary directory.
  static func temporaryDirectory(_ label: String) throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("empverify-\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url.path
  }

  /// Every regular file under `directory`, as relative paths.
  static func files(under directory: String) -> [String] {
    let enumerator = FileManager.default.enumerator(atPath: directory)!
    var paths: [String] = []
    while let path = enumerator.nextObject() as? String {
      var isDirectory: ObjCBool = false
      FileManager.default.fileExists(atPath: directory + "/" + path, isDirectory: &isDirectory)
      if !isDirectory.boolValue { paths.append(path) }
    }
    return paths.sorted()
  }
}
