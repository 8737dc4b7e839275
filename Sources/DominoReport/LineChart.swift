/// A time-series chart: one line per series over the run's window, vertical markers (halts,
/// defaults, insolvencies), a legend whose entries toggle their series, and the data for the
/// hover read-out embedded in `data-h`.
package struct LineChart {
    package struct Series {
        package var name: String
        package var times: [Int64]
        package var values: [Double]
        /// Colour index (`c0`…`c9` in the page's style).
        package var color: Int
        package var dashed = false
        /// Shade the area between this series and the one at this index (a counterfactual gap).
        package var shadeWith: Int? = nil
        /// Points drawn as dots, not a line (a record to compare with).
        package var dots = false
        package init(name: String, times: [Int64], values: [Double], color: Int, dashed: Bool = false, shadeWith: Int? = nil, dots: Bool = false) {
            self.name = name; self.times = times; self.values = values; self.color = color; self.dashed = dashed; self.shadeWith = shadeWith; self.dots = dots
        }
    }
    package struct Marker {
        package var time: Int64
        package var label: String
        /// halt, default or insolvency (its colour).
        package var kind: String
        package var dashed = false
        package init(time: Int64, label: String, kind: String, dashed: Bool = false) { self.time = time; self.label = label; self.kind = kind; self.dashed = dashed }
    }

    package var id: String
    package var title: String
    package var unit: String
    package var yLabel: String
    package var window: (Int64, Int64)
    package var series: [Series]
    package var markers: [Marker] = []
    /// Fix the bottom of the y axis at zero.
    package var fromZero = false
    package var width = 900, height = 320

    package static let left = 72.0, right = 16.0, top = 40.0, bottom = 36.0

    package init(id: String, title: String, unit: String, yLabel: String, window: (Int64, Int64), series: [Series], markers: [Marker] = [], fromZero: Bool = false) {
        self.id = id; self.title = title; self.unit = unit; self.yLabel = yLabel; self.window = window; self.series = series; self.markers = markers; self.fromZero = fromZero
    }

    /// The y range after rounding (for the tests and the axis).
    package var yRange: (lo: Double, hi: Double, step: Double) {
        let all = series.flatMap(\.values).filter(\.isFinite)
        var lo = all.min() ?? 0, hi = all.max() ?? 1
        if fromZero { lo = min(0, lo); hi = max(0, hi) }
        return Scale.nice(lo, hi, count: 5)
    }

    package var xScale: Scale { Scale(domain: (Double(window.0), Double(window.1)), range: (Self.left, Double(width) - Self.right)) }
    package var yScale: Scale { let r = yRange; return Scale(domain: (r.lo, r.hi), range: (Double(height) - Self.bottom, Self.top)) }

    package func render() -> String {
        var s = SVG(width: width, height: height)
        let x = xScale, y = yScale, r = yRange
        let plotBottom = Double(height) - Self.bottom, plotRight = Double(width) - Self.right
        s.open("g", [("class", "axis")])
        for v in Scale.ticks(r.lo, r.hi, step: r.step) {
            s.line(Self.left, y(v), plotRight, y(v), "grid")
            s.label(Self.left - 6, y(v) + 4, Units.tick(v, unit: unit), "tick", anchor: "end")
        }
        for t in Scale.timeTicks(window.0, window.1) {
            s.line(x(Double(t)), plotBottom, x(Double(t)), plotBottom + 4, "tickmark")
            s.label(x(Double(t)), plotBottom + 16, Units.shortDate(t), "tick", anchor: "middle")
        }
        s.line(Self.left, plotBottom, plotRight, plotBottom, "axisline")
        s.line(Self.left, Self.top, Self.left, plotBottom, "axisline")
        s.label(Self.left, Double(height) - 4, "time (UTC, 2022: month-day)", "axislabel")
        s.element("text", [("class", "axislabel"), ("transform", "translate(12,\(SVG.num((Self.top + plotBottom) / 2))) rotate(-90)"), ("text-anchor", "middle")], content: yLabel)
        s.close("g")
        for m in markers {
            let mx = x(Double(m.time))
            s.line(mx, Self.top, mx, plotBottom, "marker m-\(m.kind)" + (m.dashed ? " dash" : ""))
            s.label(mx + 2, Self.top + 9 + Double(markers.firstIndex { $0.time == m.time && $0.label == m.label }! % 4) * 10, m.label, "markerlabel m-\(m.kind)")
        }
        for (k, ser) in series.enumerated() {
            guard let other = ser.shadeWith, series.indices.contains(other) else { continue }
            let a = zip(ser.times, ser.values).map { (x(Double($0)), y($1)) }
            let b = zip(series[other].times, series[other].values).map { (x(Double($0)), y($1)) }
            s.element("polygon", [("class", "gap c\(ser.color)"), ("data-s", "\(k)"), ("points", SVG.polyline(a + b.reversed()))])
        }
        for (k, ser) in series.enumerated() {
            let pts = zip(ser.times, ser.values).filter { $1.isFinite }.map { (x(Double($0)), y($1)) }
            if ser.dots {
                s.open("g", [("class", "dots c\(ser.color)"), ("data-s", "\(k)")])
                for p in pts { s.circle(p.0, p.1, 3.5, "dot") }
                s.close("g")
            } else {
                s.element("polyline", [("class", "series c\(ser.color)" + (ser.dashed ? " dash" : "")), ("data-s", "\(k)"), ("points", SVG.polyline(pts))])
            }
        }
        // Legend: one entry per series, clickable.
        s.legend(series.map { (name: $0.name, swatch: "c\($0.color)" + ($0.dashed ? " dash" : "")) }, left: Self.left, y: 14, gap: 26,
                 limit: Double(width) - 120)
        s.line(0, Self.top, 0, plotBottom, "crosshair", extra: [("visibility", "hidden")])
        return s.rendered(id: id, title: title, extra: [("class", "chart line"), ("data-h", hoverData), ("data-unit", unit),
                                                         ("data-x0", SVG.num(Self.left)), ("data-x1", SVG.num(plotRight)),
                                                         ("data-t0", "\(window.0)"), ("data-t1", "\(window.1)")])
    }

    /// `{"n":[names],"t":[times per series, minutes from the window start],"v":[[values]]}`.
    var hoverData: String {
        let names = series.map { "\"" + $0.name.replacingOccurrences(of: "\"", with: "'") + "\"" }.joined(separator: ",")
        let times = series.map { "[" + $0.times.map { "\(($0 - window.0) / 60_000)" }.joined(separator: ",") + "]" }.joined(separator: ",")
        let values = series.map { "[" + $0.values.map { $0.isFinite ? Self.compact($0) : "null" }.joined(separator: ",") + "]" }.joined(separator: ",")
        return "{\"n\":[\(names)],\"t\":[\(times)],\"v\":[\(values)]}"
    }

    /// Four significant digits, as an integer or with a few decimals.
    static func compact(_ v: Double) -> String {
        let a = abs(v)
        if a >= 1000 { return "\(Int(v.rounded()))" }
        if a >= 1 { return SVG.num(v) }
        let h = Int((v * 10000).rounded())
        let c = abs(h)
        let frac = String(c % 10000)
        return (h < 0 ? "-" : "") + "\(c / 10000)." + String(repeating: "0", count: 4 - frac.count) + frac
    }
}
