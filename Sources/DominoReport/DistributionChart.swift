/// The spread over seeds per grid point: each run a dot on its point's row, the 95th and 99th
/// percentiles (nearest rank) marked.
package struct DistributionChart {
    package var id: String
    package var title: String
    package var rows: [(label: String, values: [Double])]
    package var unit: String
    package var width = 900
    package static let left = 340.0, right = 30.0, top = 34.0, rowHeight = 22.0

    package init(id: String, title: String, rows: [(label: String, values: [Double])], unit: String) {
        self.id = id; self.title = title; self.rows = rows; self.unit = unit
    }

    package var height: Int { Int(Self.top + Double(rows.count) * Self.rowHeight + 36) }

    /// Nearest-rank percentile: the smallest value with at least p% of the values at or below it.
    package static func percentile(_ values: [Double], _ p: Int) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = max(1, (p * sorted.count + 99) / 100)
        return sorted[rank - 1]
    }

    package func render() -> String {
        var s = SVG(width: width, height: height)
        let r = Scale.nice(min(0, rows.flatMap(\.values).min() ?? 0), max(1, rows.flatMap(\.values).max() ?? 1))
        let x = Scale(domain: (r.lo, r.hi), range: (Self.left, Double(width) - Self.right))
        let bottom = Self.top + Double(rows.count) * Self.rowHeight
        for v in Scale.ticks(r.lo, r.hi, step: r.step) {
            s.line(x(v), Self.top, x(v), bottom, "grid")
            s.label(x(v), bottom + 14, Units.tick(v, unit: unit), "tick", anchor: "middle")
        }
        s.label(x(r.lo), Double(height) - 4, "depositor losses per run (USD)", "axislabel")
        for (k, row) in rows.enumerated() {
            let y = Self.top + (Double(k) + 0.5) * Self.rowHeight
            s.label(Self.left - 8, y + 4, row.label, "rowlabel", anchor: "end")
            for v in row.values { s.circle(x(v), y, 3, "dot c0 faint") }
            if let p95 = Self.percentile(row.values, 95) { s.line(x(p95), y - 8, x(p95), y + 8, "pct p95") }
            if let p99 = Self.percentile(row.values, 99) { s.line(x(p99), y - 8, x(p99), y + 8, "pct p99") }
        }
        s.circle(Self.left + 6, 14, 3, "dot c0"); s.label(Self.left + 14, 18, "one seed", "legendtext")
        s.line(Self.left + 100, 8, Self.left + 100, 20, "pct p95"); s.label(Self.left + 106, 18, "95th percentile", "legendtext")
        s.line(Self.left + 230, 8, Self.left + 230, 20, "pct p99"); s.label(Self.left + 236, 18, "99th percentile", "legendtext")
        return s.rendered(id: id, title: title, extra: [("class", "chart distribution")])
    }
}
