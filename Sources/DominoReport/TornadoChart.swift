/// A tornado chart of Morris screening (`domino sensitivity`): one row per assumption, ranked by
/// μ* (the longest bar on top), a bar of μ* and a thinner one of σ under it, in the outcome's unit.
package struct TornadoChart {
    package var id: String
    package var title: String
    /// "USD", "days" or "points".
    package var unit: String
    /// Ranked rows: the assumption, μ* and σ (≥ 0).
    package var rows: [(name: String, muStar: Double, sigma: Double)]
    package var width = 900
    package static let left = 220.0, right = 80.0, top = 34.0, bottom = 34.0, rowHeight = 26.0

    package init(id: String, title: String, unit: String, rows: [(name: String, muStar: Double, sigma: Double)]) {
        self.id = id; self.title = title; self.unit = unit; self.rows = rows
    }

    package var height: Int { Int(Self.top + Double(rows.count) * Self.rowHeight + Self.bottom) }
    /// The axis: 0 to a nice bound above the largest bar.
    package var range: (lo: Double, hi: Double, step: Double) {
        let most = rows.map { max($0.muStar, $0.sigma) }.max() ?? 0
        return Scale.nice(0, most > 0 ? most : 1, count: 5)
    }

    package func render() -> String {
        var s = SVG(width: width, height: height)
        let r = range
        let x = Scale(domain: (r.lo, r.hi), range: (Self.left, Double(width) - Self.right))
        let bottom = Double(height) - Self.bottom
        s.valueGrid(x, r, top: Self.top, bottom: bottom, unit: unit)
        s.line(Self.left, Self.top, Self.left, bottom, "axisline")
        s.label(Double(width) - Self.right, Double(height) - 4, unit, "axislabel", anchor: "end")
        for (k, row) in rows.enumerated() {
            let y0 = Self.top + Double(k) * Self.rowHeight
            s.label(Self.left - 8, y0 + 14, row.name, "rowlabel", anchor: "end")
            s.open("g", [("data-s", "0")])
            s.rect(Self.left, y0 + 4, x(row.muStar) - Self.left, 12, "bar c0", extra: [("data-v", SVG.num(row.muStar))])
            s.label(x(row.muStar) + 4, y0 + 14, Units.tick(row.muStar, unit: unit), "barlabel")
            s.close("g")
            s.open("g", [("data-s", "1")])
            s.rect(Self.left, y0 + 18, x(row.sigma) - Self.left, 4, "bar c3", extra: [("data-v", SVG.num(row.sigma))])
            s.close("g")
        }
        s.legend([(name: "μ* (mean |effect|)", swatch: "c0"), (name: "σ (spread)", swatch: "c3")], left: Self.left, y: 16, gap: 40)
        return s.rendered(id: id, title: title, extra: [("class", "chart bars tornado")])
    }
}
