import DominoLog

/// Times as input files write them: ISO 8601 text (anything `UTCTime.parse` accepts, e.g.
/// `2022-06-12`, `2022-06-12 22:00:00`, `2022-06-12T22:00:00Z`) or a Unix epoch integer.
///
/// An epoch integer is read as **milliseconds when it is at least 10^11**, else as seconds.
/// 10^11 ms is 1973-03-03 and 10^11 s is the year 5138, so for any date from 1973 to 5138 the
/// rule cannot mistake one unit for the other.
package enum TimeText {
    /// Integers at or above this are milliseconds; below, seconds.
    package static let millisecondThreshold: Int64 = 100_000_000_000

    /// How a time cell was written (reported in a series' `method`).
    package enum Form: String, Sendable, Equatable {
        case iso = "ISO 8601 UTC"
        case epochMilliseconds = "Unix epoch milliseconds"
        case epochSeconds = "Unix epoch seconds"
    }

    /// Milliseconds since the epoch and the form, or nil when `text` is neither form.
    package static func parse(_ text: some StringProtocol) -> (ms: Int64, form: Form)? {
        let utf8 = text.utf8
        guard !utf8.isEmpty else { return nil }
        if utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            guard utf8.count <= 18, let v = Int64(text) else { return nil }
            return v >= millisecondThreshold ? (v, .epochMilliseconds) : (v * UTCTime.msPerSecond, .epochSeconds)
        }
        guard let ms = UTCTime.parse(text) else { return nil }
        return (ms, .iso)
    }
}
