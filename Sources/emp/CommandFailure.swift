/// A problem with what a command was asked to do, printed as one line.
struct CommandFailure: Error, CustomStringConvertible {
  let description: String
}
