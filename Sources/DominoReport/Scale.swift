import DominoLog

/// A linear map from data to pixels, with round tick values.
package struct Scale: Equatable {
    package var lo: Double, hi: Double
    package var from: Double, to: Double

    package init(domain: (Double, Double), range: (Double, Double)) {
        lo = domain.0; hi = domain.1 == domain.0 ? domain.0 + 1 : domain.1
        from = range.0; to = range.1
    }

    package func callAsFunction(_ x: Double) -> Double { from + (x - lo) / (hi - lo) * (to - from) }

    /// A domain widened to round numbers (1, 2, 2.5 or 5 × 10^k steps), with about `count` ticks.
    package static func nice(_ lo: Double, _ hi: Double, count: Int = 5) -> (lo: Double, hi: Double, step: Double) {
        var a = lo, b = hi
        if a == b { a -= 1; b += 1 }
        let raw = (b - a) / Double(max(1, count))
        var p = 1.0
        while p * 10 <= raw { p *= 10 }
        while p > raw { p /= 10 }
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * p }.first { $0 >= raw } ?? 10 * p
        return ((a / step).rounded(.down) * step, (b / step).rounded(.up) * step, step)
    }

    package static func ticks(_ lo: Double, _ hi: Double, step: Double) -> [Double] {
        var out: [Double] = []
        var i = (lo / step).rounded(.up)
        while i * step <= hi + step * 1e-9 && out.count < 50 { out.append(i * step); i += 1 }
        return out
    }

    /// Tick times for a window: whole days, spaced 1, 2, 7, 14 or 30 days apart.
    package static func timeTicks(_ from: Int64, _ to: Int64, count: Int = 8) -> [Int64] {
        let day: Int64 = 86_400_000
        let span = max(1, to - from)
        let step = [day / 4, day / 2, day, 2 * day, 7 * day, 14 * day, 30 * day, 90 * day].first { span / $0 <= Int64(count) } ?? 90 * day
        var t = (from + step - 1) / step * step
        if step == 7 * day || step == 14 * day { t = (from + day - 1) / day * day }
        var out: [Int64] = []
        while t <= to { out.append(t); t += step }
        return out
    }
}

/// How numbers and times are written in the report.
package enum Units {
    /// USD (× 10^8 fixed point) as "$1.2B", "$340.5M", "$12.0k", "$5".
    package static func usd(_ fixed: Int64) -> String { usd(Double(fixed) / 1e8) }

    package static func usd(_ dollars: Double) -> String {
        let sign = dollars < 0 ? "-" : ""
        let a = abs(dollars)
        if a >= 1e9 { return sign + "$" + SVG.num(a / 1e9) + "B" }
        if a >= 1e6 { return sign + "$" + SVG.num(a / 1e6) + "M" }
        if a >= 1e3 { return sign + "$" + SVG.num(a / 1e3) + "k" }
        return sign + "$" + SVG.num(a)
    }

    /// An axis tick: "$1.5B", "25%", "0.98".
    package static func tick(_ x: Double, unit: String) -> String {
        switch unit {
        case "USD": return usd(x)
        case "%": return SVG.num(x) + "%"
        case "×": return SVG.num(x) + "×"
        default:
            let a = abs(x)
            if a >= 1e6 { return SVG.num(x / 1e6) + "M" }
            if a >= 1e3 { return SVG.num(x / 1e3) + "k" }
            if a < 10 { let h = Int((x * 100).rounded()); let c = abs(h) % 100; return (h < 0 ? "-" : "") + "\(abs(h) / 100)." + (c < 10 ? "0" : "") + "\(c)" }
            return SVG.num(x)
        }
    }

    package static func date(_ t: Int64) -> String { UTCTime.formatDate(t) }
    /// "06-13" for a tick.
    package static func shortDate(_ t: Int64) -> String { String(UTCTime.formatDate(t).dropFirst(5)) }
    /// "2022-06-13 08:00".
    package static func minute(_ t: Int64) -> String {
        let s = UTCTime.format(t) // 2022-06-13T08:00:00Z or with fraction
        return String(s.prefix(10)) + " " + String(s.dropFirst(11).prefix(5))
    }
}
