import Dispatch

/// A one-line progress bar on stderr, drawn only on a terminal and never with `--quiet`: the
/// label, a bar and the percentage; with a `unit` (e.g. "runs"), also the counts, the rate and
/// the time left, redrawn at most every 0.1 s. The one bar of every command (`ProgressReporter`
/// draws one per phase).
final class ProgressBar {
    private(set) var total: Int
    let label: String
    let unit: String?
    let enabled: Bool
    private var lastPercent = -1
    private var lastDone = -1
    private var lastDraw = -1.0
    private var start: (time: Double, done: Int)?

    init(total: Int, label: String, quiet: Bool, unit: String? = nil) {
        self.total = max(total, 1)
        self.label = label
        self.unit = unit
        enabled = !quiet && CLI.stderrIsTerminal
    }

    private static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// Draws `done` of `total` (a new total replaces the old one).
    func update(_ done: Int, of total: Int) {
        self.total = max(total, 1)
        update(done)
    }

    func update(_ done: Int) {
        guard enabled else { return }
        let percent = min(100, done * 100 / total)
        var text = ""
        if let unit {
            let t = Self.now()
            if start == nil { start = (t, done) }
            guard done != lastDone, done == total || t - lastDraw >= 0.1 else { return }
            lastDraw = t
            lastDone = done
            text = " \(grouped(done))/\(grouped(total)) \(unit)"
            let elapsed = t - start!.time, ran = done - start!.done
            if ran > 0 && elapsed > 0 {
                let rate = Double(ran) / elapsed
                let eta = Int((Double(total - done) / rate).rounded())
                text += ", \(Self.oneDecimal(rate)) \(unit)/s, ETA \(eta / 60):\(eta % 60 < 10 ? "0" : "")\(eta % 60)"
            }
            text += "\u{1B}[K"
        } else {
            guard percent != lastPercent else { return }
        }
        lastPercent = percent
        let width = 30
        let filled = percent * width / 100
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        CLI.writeStderr("\r\(label) [\(bar)] \(percent)%" + text)
    }

    /// Clears the line.
    func finish() {
        guard enabled else { return }
        CLI.writeStderr("\r\u{1B}[K")
    }

    private static func oneDecimal(_ x: Double) -> String {
        let tenths = Int((x * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}

/// Draws one `ProgressBar` per phase label.
final class ProgressReporter {
    private let quiet: Bool
    private var label = ""
    private var bar: ProgressBar?

    init(quiet: Bool) { self.quiet = quiet }

    func update(_ label: String, _ done: Int, _ total: Int) {
        if label != self.label || bar == nil {
            bar?.finish()
            self.label = label
            bar = ProgressBar(total: total, label: label, quiet: quiet)
        }
        bar?.update(done)
    }

    func finish() {
        bar?.finish()
        bar = nil
        label = ""
    }
}
