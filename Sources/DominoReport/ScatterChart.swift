/// Points on two numeric axes (the sweep's Pareto scatter), the frontier highlighted and joined.
package struct ScatterChart {
    package struct Point {
        package var x: Double, y: Double
        package var label: String
        package var highlighted: Bool
        package init(x: Double, y: Double, label: String, highlighted: Bool) { self.x = x; self.y = y; self.label = label; self.highlighted = highlighted }
    }
    package var id: String
    package var title: String
    package var xLabel: String, xUnit: String
    package var yLabel: String, yUnit: String
    package var points: [Point]
    package var width = 900, height = 360
    package static let left = 80.0, right = 20.0, top = 30.0, bottom = 40.0

    package init(id: String, title: String, xLabel: String, xUnit: String, yLabel: String, yUnit: String, points: [Point]) {
        self.id = id; self.title = title; self.xLabel = xLabel; self.xUnit = xUnit; self.yLabel = yLabel; self.yUnit = yUnit; self.points = points
    }

    package func render() -> String {
        var s = SVG(width: width, height: height)
        let rx = Scale.nice(min(0, points.map(\.x).min() ?? 0), points.map(\.x).max() ?? 1)
        let ry = Scale.nice(min(0, points.map(\.y).min() ?? 0), points.map(\.y).max() ?? 1)
        let x = Scale(domain: (rx.lo, rx.hi), range: (Self.left, Double(width) - Self.right))
        let y = Scale(domain: (ry.lo, ry.hi), range: (Double(height) - Self.bottom, Self.top))
        let bottom = Double(height) - Self.bottom
        for v in Scale.ticks(ry.lo, ry.hi, step: ry.step) {
            s.line(Self.left, y(v), Double(width) - Self.right, y(v), "grid")
            s.label(Self.left - 6, y(v) + 4, Units.tick(v, unit: yUnit), "tick", anchor: "end")
        }
        for v in Scale.ticks(rx.lo, rx.hi, step: rx.step) {
            s.line(x(v), Self.top, x(v), bottom, "grid")
            s.label(x(v), bottom + 14, Units.tick(v, unit: xUnit), "tick", anchor: "middle")
        }
        s.line(Self.left, bottom, Double(width) - Self.right, bottom, "axisline")
        s.line(Self.left, Self.top, Self.left, bottom, "axisline")
        s.label((Self.left + Double(width)) / 2, Double(height) - 6, xLabel, "axislabel", anchor: "middle")
        s.element("text", [("class", "axislabel"), ("transform", "translate(14,\(SVG.num((Self.top + bottom) / 2))) rotate(-90)"), ("text-anchor", "middle")], content: yLabel)
        let front = points.filter(\.highlighted).sorted { ($0.x, $0.y) < ($1.x, $1.y) }
        if front.count > 1 { s.element("polyline", [("class", "series c3 dash"), ("points", SVG.polyline(front.map { (x($0.x), y($0.y)) }))]) }
        for p in points {
            s.open("g", [("class", p.highlighted ? "pt front" : "pt")])
            s.element("title", [], content: p.label)
            s.circle(x(p.x), y(p.y), p.highlighted ? 6 : 4, p.highlighted ? "dot c3" : "dot c0")
            s.close("g")
        }
        s.circle(Self.left + 10, 14, 4, "dot c0"); s.label(Self.left + 18, 18, "grid point (mean over seeds)", "legendtext")
        s.circle(Self.left + 230, 14, 6, "dot c3"); s.label(Self.left + 240, 18, "Pareto frontier", "legendtext")
        return s.rendered(id: id, title: title, extra: [("class", "chart scatter")])
    }
}
