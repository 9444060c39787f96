import Foundation

/// What a fuzz target does when it is built without libFuzzer (a plain `swift build`, in which
/// the scripts' `EMPKIT_LIBFUZZER` condition is not set): it runs its `LLVMFuzzerTestOneInput`
/// once on each file named on the command line, and on each file of each directory named, as
/// the libFuzzer binary replays a crash file or a corpus. A trap stops it as it would the fuzzer.
public enum FuzzInputReplay {
  /// Replays the inputs named by `CommandLine.arguments` through `testOneInput`.
  public static func main(_ testOneInput: (UnsafePointer<UInt8>, Int) -> CInt) {
    let paths = CommandLine.arguments.dropFirst()
    guard !paths.isEmpty else {
      print("usage: \(CommandLine.arguments[0]) INPUT-FILE-OR-DIRECTORY…")
      print("Built without libFuzzer, this replays inputs; the scripts in Fuzz/ build the fuzzer.")
      exit(2)
    }
    var count = 0
    for path in paths {
      for file in files(at: path) {
        guard let data = FileManager.default.contents(atPath: file) else {
          print("cannot read \(file)")
          exit(1)
        }
        // libFuzzer never passes a null pointer, even for an empty input.
        let bytes = [UInt8](data) + [0]
        _ = bytes.withUnsafeBufferPointer { testOneInput($0.baseAddress!, data.count) }
        count += 1
      }
    }
    print("replayed \(count) input\(count == 1 ? "" : "s"): no failure")
  }

  /// `path` if it is a file, or the files in it (sorted) if it is a directory.
  private static func files(at path: String) -> [String] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
      return [path]
    }
    let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    return names.sorted().map { path + "/" + $0 }
  }
}
