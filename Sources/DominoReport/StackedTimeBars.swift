/// Vertical bars per UTC day, stacked by a key (liquidation volume per day and pool).
package struct StackedTimeBars {
    package var id: String
    package var title: String
    package var window: (Int64, Int64)
    package var keys: [String]
    /// (day start, key index, USD in dollars), summed per (day, key) by the caller.
    package var values: [(day: Int64, key: Int, value: Double)]
    package var width = 900, height = 300
    package static let left = 72.0, right = 16.0, top = 36.0, bottom = 36.0

    package init(id: String, title: String, window: (Int64, Int64), keys: [String], values: [(day: Int64, key: Int, value: Double)]) {
        self.id = id; self.title = title; self.window = window; self.keys = keys; self.values = values
    }

    package var dayTotals: [Int64: Double] {
        var t: [Int64: Double] = [:]
        for v in values { t[v.day, default: 0] += v.value }
        return t
    }

    package func render() -> String {
        var s = SVG(width: width, height: height)
        let r = Scale.nice(0, max(1, dayTotals.values.max() ?? 1), count: 5)
        let x = Scale(domain: (Double(window.0), Double(window.1)), range: (Self.left, Double(width) - Self.right))
        let y = Scale(domain: (r.lo, r.hi), range: (Double(height) - Self.bottom, Self.top))
        let bottom = Double(height) - Self.bottom
        for v in Scale.ticks(r.lo, r.hi, step: r.step) {
            s.line(Self.left, y(v), Double(width) - Self.right, y(v), "grid")
            s.label(Self.left - 6, y(v) + 4, Units.tick(v, unit: "USD"), "tick", anchor: "end")
        }
        for t in Scale.timeTicks(window.0, window.1) {
            s.label(x(Double(t)), bottom + 16, Units.shortDate(t), "tick", anchor: "middle")
        }
        s.line(Self.left, bottom, Double(width) - Self.right, bottom, "axisline")
        s.label(Self.left, Double(height) - 4, "day (UTC, 2022: month-day)", "axislabel")
        s.element("text", [("class", "axislabel"), ("transform", "translate(12,\(SVG.num((Self.top + bottom) / 2))) rotate(-90)"), ("text-anchor", "middle")], content: "USD liquidated per day")
        let dayWidth = max(1, x(Double(window.0 + 86_400_000)) - x(Double(window.0)) - 1)
        var stack: [Int64: Double] = [:]
        for v in values.sorted(by: { ($0.day, $0.key) < ($1.day, $1.key) }) {
            let base = stack[v.day, default: 0]
            stack[v.day] = base + v.value
            s.open("g", [("data-s", "\(v.key)")])
            s.rect(x(Double(v.day)), y(base + v.value), dayWidth, y(base) - y(base + v.value), "bar c\(v.key % 10)")
            s.element("title", [], content: "\(Units.date(v.day)) \(keys[v.key]): \(Units.usd(v.value))")
            s.close("g")
        }
        s.legend(keys.enumerated().map { (name: $1, swatch: "c\($0 % 10)") }, left: Self.left, y: 16, gap: 30)
        return s.rendered(id: id, title: title, extra: [("class", "chart bars")])
    }
}
