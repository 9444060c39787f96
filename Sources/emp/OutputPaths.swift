import Foundation

/// Comparing the paths a command reads and writes.
enum OutputPaths {
  /// Whether `a` and `b` name the same file: the same inode when both exist, else the same
  /// path once their directories are resolved (`./x` and `x`; symbolic links to directories).
  static func isSamePath(_ a: String, _ b: String) -> Bool {
    var (x, y) = (stat(), stat())
    if stat(a, &x) == 0 && stat(b, &y) == 0 { return x.st_dev == y.st_dev && x.st_ino == y.st_ino }
    func resolved(_ path: String) -> String {
      let url = URL(fileURLWithPath: path)
      let parent = url.deletingLastPathComponent().path
      let real = realpath(parent, nil).map { pointer in
        defer { free(pointer) }
        return String(cString: pointer)
      }
      return (real ?? parent) + "/" + url.lastPathComponent
    }
    return resolved(a) == resolved(b)
  }

  /// The directory holding `path`, as an absolute path.
  static func directory(of path: String) -> String {
    URL(fileURLWithPath: path).deletingLastPathComponent().path
  }
}
