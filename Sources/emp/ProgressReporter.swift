import EMPModel
import Foundation

/// A progress bar on standard error for work that takes more than about a second: bytes
/// done, rate and time left for the current phase of the work.
///
/// It draws only when standard error is a terminal and the command was not given
/// `--quiet`, waits a second before drawing at all (short work shows nothing), redraws
/// at most ten times a second, and erases itself when the work ends.
final class ProgressReporter: ModelProgress {
  private let isEnabled: Bool
  private let start = Date()
  private var phaseStart = Date()
  private var phase = ""
  private var totalBytes = 0
  private var doneBytes = 0
  private var lastDraw = Date.distantPast
  private var isShowing = false

  /// A reporter; `quiet` turns it off.
  init(quiet: Bool) {
    isEnabled = !quiet && isatty(2) != 0
  }

  /// Starts a phase of work named `name` over `totalBytes` bytes.
  func beginPhase(_ name: String, totalBytes: Int) {
    phase = name
    self.totalBytes = totalBytes
    doneBytes = 0
    phaseStart = Date()
  }

  /// Records `bytes` more bytes done in the current phase.
  func advance(by bytes: Int) {
    doneBytes += bytes
    guard isEnabled else { return }
    let now = Date()
    guard now.timeIntervalSince(start) >= 1, now.timeIntervalSince(lastDraw) >= 0.1 else { return }
    lastDraw = now
    let line = Self.line(
      label: phase, done: doneBytes, total: totalBytes, seconds: now.timeIntervalSince(phaseStart), width: 24)
    FileHandle.standardError.write(Data(("\r" + line + "\u{1B}[K").utf8))
    isShowing = true
  }

  /// Erases the bar, if it was drawn.
  func finish() {
    guard isShowing else { return }
    FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    isShowing = false
  }

  /// One progress line: `label [=====>    ]  1.2 GB / 4.0 GB  350 MB/s  ETA 8s`.
  ///
  /// The rate and time left are shown once `seconds > 0` and some bytes are done.
  static func line(label: String, done: Int, total: Int, seconds: Double, width: Int) -> String {
    let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 1
    let filled = Int(fraction * Double(width))
    let bar = String(repeating: "=", count: filled) + (filled < width ? ">" : "")
      + String(repeating: " ", count: max(0, width - filled - 1))
    var text = "\(label) [\(bar)] \(byteString(done)) / \(byteString(total))"
    if seconds > 0, done > 0 {
      let rate = Double(done) / seconds
      text += "  \(byteString(Int(rate)))/s  ETA \(durationString(Double(max(0, total - done)) / rate))"
    }
    return text
  }

  /// `812 B`, `3.4 kB`, `56.0 MB`, `4.2 GB` (powers of 1000, one decimal).
  static func byteString(_ bytes: Int) -> String {
    let units = ["B", "kB", "MB", "GB", "TB", "PB"]
    var value = Double(bytes)
    var unit = 0
    while value >= 1000, unit < units.count - 1 {
      value /= 1000
      unit += 1
    }
    return unit == 0 ? "\(bytes) B" : String(format: "%.1f", value) + " " + units[unit]
  }

  /// `7s`, `2m05s`, `1h02m`.
  static func durationString(_ seconds: Double) -> String {
    guard seconds.isFinite else { return "?" }
    let s = Int(seconds.rounded(.up))
    if s < 60 { return "\(s)s" }
    if s < 3600 { return String(format: "%dm%02ds", s / 60, s % 60) }
    return String(format: "%dh%02dm", s / 3600, s % 3600 / 60)
  }
}
