/// Horizontal grouped bars: one row per category, one bar per group (baseline, counterfactual).
package struct BarChart {
    package var id: String
    package var title: String
    package var unit: String
    package var categories: [String]
    package var groups: [String]
    /// values[group][category], in the unit (USD in dollars).
    package var values: [[Double]]
    package var width = 900
    package static let left = 220.0, right = 70.0, top = 34.0, bottom = 34.0

    package init(id: String, title: String, unit: String, categories: [String], groups: [String], values: [[Double]]) {
        self.id = id; self.title = title; self.unit = unit; self.categories = categories; self.groups = groups; self.values = values
    }

    package var rowHeight: Double { Double(max(1, groups.count)) * 14 + 10 }
    package var height: Int { Int(Self.top + Double(categories.count) * rowHeight + Self.bottom) }
    package var range: (lo: Double, hi: Double, step: Double) { Scale.nice(0, max(1, values.flatMap { $0 }.max() ?? 1), count: 5) }

    package func render() -> String {
        var s = SVG(width: width, height: height)
        let r = range
        let x = Scale(domain: (r.lo, r.hi), range: (Self.left, Double(width) - Self.right))
        let bottom = Double(height) - Self.bottom
        s.valueGrid(x, r, top: Self.top, bottom: bottom, unit: unit)
        s.line(Self.left, bottom, Double(width) - Self.right, bottom, "axisline")
        s.label(Double(width) - Self.right, Double(height) - 4, unit == "USD" ? "USD" : unit, "axislabel", anchor: "end")
        for (c, name) in categories.enumerated() {
            let y0 = Self.top + Double(c) * rowHeight
            s.label(Self.left - 8, y0 + rowHeight / 2 + 3, name, "rowlabel", anchor: "end")
            for g in groups.indices {
                let v = values[g][c]
                let y = y0 + 5 + Double(g) * 14
                s.open("g", [("data-s", "\(g)")])
                s.rect(Self.left, y, x(v) - Self.left, 12, "bar c\(g == 0 ? 0 : 3)")
                s.label(x(v) + 4, y + 10, Units.tick(v, unit: unit), "barlabel")
                s.close("g")
            }
        }
        s.legend(groups.enumerated().map { (name: $1, swatch: "c\($0 == 0 ? 0 : 3)") }, left: Self.left, y: 16, gap: 30)
        return s.rendered(id: id, title: title, extra: [("class", "chart bars")])
    }
}
