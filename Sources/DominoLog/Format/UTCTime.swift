/// UTC timestamps as integer milliseconds since the Unix epoch, with ISO 8601 text conversion.
///
/// Implemented on integer calendar arithmetic (Howard Hinnant's `days_from_civil`), so it needs
/// no time-zone database, no `Date` and no locale, and gives the same answer on every machine.
public enum UTCTime {
    public static let msPerSecond: Int64 = 1_000
    public static let msPerDay: Int64 = 86_400_000

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    public static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// (year, month, day) of a day number since 1970-01-01.
    public static func civil(days z0: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// `2022-06-13T04:00:00Z`, with `.mmm` before the `Z` only when the milliseconds are not 0.
    public static func format(_ ms: Int64) -> String {
        let day = ms / msPerDay - (ms % msPerDay < 0 ? 1 : 0) // floor division, no overflow
        let rem = ms % msPerDay + (ms % msPerDay < 0 ? msPerDay : 0)
        let (y, mo, d) = civil(days: day)
        let h = rem / 3_600_000, mi = rem / 60_000 % 60, s = rem / 1000 % 60, milli = rem % 1000
        var text = "\(pad(y, 4))-\(pad(mo, 2))-\(pad(d, 2))T\(pad(h, 2)):\(pad(mi, 2)):\(pad(s, 2))"
        if milli != 0 { text += ".\(pad(milli, 3))" }
        return text + "Z"
    }

    /// `2022-06-13` (the UTC date only).
    public static func formatDate(_ ms: Int64) -> String { String(format(ms).prefix(10)) }

    private static func pad(_ v: Int64, _ width: Int) -> String {
        let s = String(v < 0 ? -v : v)
        return (v < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - s.count)) + s
    }

    /// Parses ISO 8601 in the forms people and tools write for UTC:
    /// `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM`, `YYYY-MM-DDTHH:MM:SS`, optional `.f…` fraction (kept to
    /// the millisecond; finer digits must be 0), a space instead of `T`, and a `Z`, `+HH:MM` or
    /// `-HH:MM` suffix (no suffix means UTC). Returns nil for anything else, or an impossible date.
    public static func parse(_ text: some StringProtocol) -> Int64? {
        let b = Array(text.utf8)
        var i = 0
        func digits(_ n: Int) -> Int64? {
            guard i + n <= b.count else { return nil }
            var v: Int64 = 0
            for k in 0..<n {
                let c = b[i + k]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int64(c - 48)
            }
            i += n
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < b.count, b[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), expect(45), let month = digits(2), expect(45), let day = digits(2) else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year) else { return nil }
        var ms = days(year: year, month: month, day: day) * msPerDay
        if i == b.count { return ms }
        guard b[i] == 84 || b[i] == 32 else { return nil } // 'T' or ' '
        i += 1
        guard let hour = digits(2), expect(58), let minute = digits(2), hour < 24, minute < 60 else { return nil }
        ms += hour * 3_600_000 + minute * 60_000
        if i < b.count && b[i] == 58 {
            i += 1
            guard let second = digits(2), second < 60 else { return nil }
            ms += second * 1000
            if i < b.count && b[i] == 46 { // fraction
                i += 1
                var place: Int64 = 100, frac: Int64 = 0, count = 0
                while i < b.count, b[i] >= 48, b[i] <= 57 {
                    let d = Int64(b[i] - 48)
                    if place > 0 { frac += d * place; place /= 10 } else if d != 0 { return nil }
                    i += 1; count += 1
                }
                guard count > 0 else { return nil }
                ms += frac
            }
        }
        if i == b.count { return ms }
        if b[i] == 90 { return i + 1 == b.count ? ms : nil } // 'Z'
        guard b[i] == 43 || b[i] == 45 else { return nil }
        let sign: Int64 = b[i] == 43 ? 1 : -1
        i += 1
        guard let oh = digits(2) else { return nil }
        _ = expect(58)
        guard let om = digits(2), i == b.count, oh < 24, om < 60 else { return nil }
        return ms - sign * (oh * 3_600_000 + om * 60_000)
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
