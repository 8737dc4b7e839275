import DominoLog
import Foundation

/// libFuzzer target: the log reader. The input is a whole log file; it is opened strictly and
/// leniently, read block by block (all of it, and a seek into the middle of its range), and
/// checked by `LogChecker`. Any error is fine; a crash, a hang or unbounded memory is not.
enum FuzzLogReader {
    static func run(_ data: UnsafePointer<UInt8>, _ size: Int) {
        let path = scratchFile("log.zst")
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes: data, count: size))
        for lenient in [false, true] {
            guard let reader = try? LogReader(path: path, lenient: lenient) else { continue }
            var count = 0
            _ = try? reader.forEachEvent { _ in count += 1 }
            let range = reader.header.timeRange
            let mid = range.start / 2 + range.end / 2
            _ = try? reader.forEachEvent(from: mid, to: range.end) { _ in count += 1 }
        }
        _ = try? LogChecker.check(path: path)
    }
}

