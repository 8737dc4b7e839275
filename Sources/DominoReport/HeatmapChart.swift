/// A grid of cells over two parameters, shaded by value (darker = larger), the value written in.
package struct HeatmapChart {
    package var id: String
    package var title: String
    package var xName: String, yName: String
    package var xValues: [String], yValues: [String]
    /// cells[y][x], nil where no run finished.
    package var cells: [[Double?]]
    package var unit: String
    package var width = 900

    package init(id: String, title: String, xName: String, yName: String, xValues: [String], yValues: [String], cells: [[Double?]], unit: String) {
        self.id = id; self.title = title; self.xName = xName; self.yName = yName; self.xValues = xValues; self.yValues = yValues; self.cells = cells; self.unit = unit
    }

    package var height: Int { 60 + yValues.count * 34 + 40 }

    package func render() -> String {
        var s = SVG(width: width, height: height)
        let left = 160.0, top = 40.0, ch = 34.0
        let cw = (Double(width) - left - 20) / Double(max(1, xValues.count))
        let all = cells.flatMap { $0 }.compactMap { $0 }
        let lo = all.min() ?? 0, hi = all.max() ?? 1
        for (j, yv) in yValues.enumerated() {
            s.label(left - 8, top + Double(j) * ch + ch / 2 + 4, yv, "rowlabel", anchor: "end")
            for (i, _) in xValues.enumerated() {
                let v = cells[j][i]
                let level = v.map { hi > lo ? Int((($0 - lo) / (hi - lo) * 5).rounded(.down)) : 0 }.map { min(4, $0) }
                s.open("g", [])
                s.element("title", [], content: "\(xName)=\(xValues[i]), \(yName)=\(yv): \(v.map { Units.tick($0, unit: unit) } ?? "no run")")
                s.rect(left + Double(i) * cw, top + Double(j) * ch, cw - 2, ch - 2, level.map { "heat h\($0)" } ?? "heat none")
                s.label(left + (Double(i) + 0.5) * cw, top + (Double(j) + 0.5) * ch + 4, v.map { Units.tick($0, unit: unit) } ?? "—", (level ?? 0) >= 3 ? "cell dark" : "cell", anchor: "middle")
                s.close("g")
            }
        }
        for (i, xv) in xValues.enumerated() { s.label(left + (Double(i) + 0.5) * cw, top - 8, xv, "tick", anchor: "middle") }
        s.label(left, 16, "columns: \(xName)   rows: \(yName)   shade: \(unit == "USD" ? "mean depositor losses (USD)" : unit), light = least", "axislabel")
        return s.rendered(id: id, title: title, extra: [("class", "chart heatmap")])
    }
}
