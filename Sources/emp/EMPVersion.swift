/// The version `emp --version` prints.
enum EMPVersion {
  static let current = "0.1.0"
}
