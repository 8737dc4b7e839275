/// The known-outcome scorecard: per row the expected value at 0, the tolerance as whiskers at
/// ±1, and the modelled value at (modelled − expected) / tolerance, coloured by result.
package struct ScorecardChart {
    package struct Row {
        package var label: String
        /// nil: no number (a survival, or an event that did not happen).
        package var error: Double?
        /// pass, gap, FAIL or FIXED.
        package var result: String
        package var note: String
        package init(label: String, error: Double?, result: String, note: String) { self.label = label; self.error = error; self.result = result; self.note = note }
    }
    package var id: String
    package var title: String
    package var rows: [Row]
    package var width = 900
    package static let left = 200.0, right = 180.0, top = 34.0, rowHeight = 24.0, limit = 3.0

    package init(id: String, title: String, rows: [Row]) { self.id = id; self.title = title; self.rows = rows }

    package var height: Int { Int(Self.top + Double(rows.count) * Self.rowHeight + 36) }
    package var xScale: Scale { Scale(domain: (-Self.limit, Self.limit), range: (Self.left, Double(width) - Self.right)) }

    /// Where a row's dot goes (clamped to the axis; a row without a number at 0 when it passes,
    /// at the right edge when it does not).
    package func position(_ row: Row) -> Double {
        guard let e = row.error else { return ["pass", "holds", "FIXED", "unstressed", "not measured"].contains(row.result) ? 0 : Self.limit }
        return min(Self.limit, max(-Self.limit, e))
    }

    package func render() -> String {
        var s = SVG(width: width, height: height)
        let x = xScale
        let bottom = Self.top + Double(rows.count) * Self.rowHeight
        for v in stride(from: -Self.limit, through: Self.limit, by: 1) {
            s.line(x(v), Self.top, x(v), bottom, v == 0 ? "axisline" : "grid")
            s.label(x(v), bottom + 14, (v > 0 ? "+" : "") + SVG.num(v), "tick", anchor: "middle")
        }
        s.label(x(0), Double(height) - 4, "(modelled − expected) ÷ tolerance: inside ±1 passes", "axislabel", anchor: "middle")
        for (k, row) in rows.enumerated() {
            let y = Self.top + (Double(k) + 0.5) * Self.rowHeight
            s.label(Self.left - 8, y + 4, row.label, "rowlabel", anchor: "end")
            s.line(x(-1), y, x(1), y, "whisker")
            s.line(x(-1), y - 5, x(-1), y + 5, "whisker")
            s.line(x(1), y - 5, x(1), y + 5, "whisker")
            let cls = ["pass", "holds"].contains(row.result) ? "pass" : ["gap", "unstressed", "not measured"].contains(row.result) ? "gapr" : "fail"
            s.open("g", [("class", "score \(cls)")])
            s.element("title", [], content: "\(row.label): \(row.result) \(row.note)")
            s.circle(x(position(row)), y, 6, "scoredot")
            s.close("g")
            s.label(Double(width) - Self.right + 10, y + 4, row.result + (row.note.isEmpty ? "" : "  " + row.note), "rowlabel \(cls)")
        }
        var lx = Self.left
        for (cls, name) in [("pass", "pass"), ("gapr", "known gap"), ("fail", "fail")] {
            s.circle(lx + 6, 14, 6, "scoredot \(cls)")
            s.label(lx + 16, 18, name, "legendtext")
            lx += 100
        }
        s.line(lx, 14, lx + 30, 14, "whisker")
        s.label(lx + 36, 18, "tolerance", "legendtext")
        return s.rendered(id: id, title: title, extra: [("class", "chart scorecard")])
    }
}
