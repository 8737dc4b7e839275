/// The failure timeline: one row per entity, halt → default → insolvency marked on the window,
/// each run of a pair on its own half-row (the counterfactual's markers hollow).
package struct TimelineChart {
    package struct Row {
        package var name: String
        /// Per run: halt, default, insolvency times.
        package var events: [(halt: Int64?, defaulted: Int64?, insolvent: Int64?)]
        package init(name: String, events: [(halt: Int64?, defaulted: Int64?, insolvent: Int64?)]) { self.name = name; self.events = events }
    }
    package var id: String
    package var title: String
    package var window: (Int64, Int64)
    package var rows: [Row]
    package var runLabels: [String]
    package var width = 900
    package static let left = 110.0, right = 16.0, top = 36.0, rowHeight = 30.0

    package init(id: String, title: String, window: (Int64, Int64), rows: [Row], runLabels: [String]) {
        self.id = id; self.title = title; self.window = window; self.rows = rows; self.runLabels = runLabels
    }

    package var height: Int { Int(Self.top + Double(rows.count) * Self.rowHeight + 40) }
    package var xScale: Scale { Scale(domain: (Double(window.0), Double(window.1)), range: (Self.left, Double(width) - Self.right)) }

    package func render() -> String {
        var s = SVG(width: width, height: height)
        let x = xScale
        let bottom = Self.top + Double(rows.count) * Self.rowHeight
        for t in Scale.timeTicks(window.0, window.1) {
            s.line(x(Double(t)), Self.top, x(Double(t)), bottom, "grid")
            s.label(x(Double(t)), bottom + 16, Units.shortDate(t), "tick", anchor: "middle")
        }
        s.line(Self.left, bottom, Double(width) - Self.right, bottom, "axisline")
        s.label(Self.left, Double(height) - 4, "time (UTC, 2022: month-day)", "axislabel")
        for (r, row) in rows.enumerated() {
            let y0 = Self.top + Double(r) * Self.rowHeight
            s.label(Self.left - 8, y0 + Self.rowHeight / 2 + 4, row.name, "rowlabel", anchor: "end")
            for (k, e) in row.events.enumerated() {
                let y = y0 + (row.events.count == 1 ? Self.rowHeight / 2 : Self.rowHeight * (0.3 + 0.4 * Double(k)))
                let times = [e.halt, e.defaulted, e.insolvent].compactMap { $0 }
                if let first = times.min(), let last = times.max(), last > first {
                    s.line(x(Double(first)), y, x(Double(last)), y, "span r\(k)")
                }
                for (kind, t) in [("halt", e.halt), ("default", e.defaulted), ("insolvency", e.insolvent)] {
                    guard let t else { continue }
                    s.open("g", [("class", "ev m-\(kind) r\(k)"), ("data-s", "\(k)")])
                    s.element("title", [], content: "\(row.name) \(kind) \(Units.minute(t)) (\(runLabels[k]))")
                    s.circle(x(Double(t)), y, 6, k == 0 ? "evdot" : "evdot hollow")
                    s.close("g")
                }
            }
        }
        var lx = Self.left
        for (kind, name) in [("halt", "halt"), ("default", "default"), ("insolvency", "insolvency")] {
            s.circle(lx + 5, 14, 5, "evdot m-\(kind)")
            s.label(lx + 14, 18, name, "legendtext")
            lx += 90
        }
        for (k, label) in runLabels.enumerated() {
            s.open("g", [("class", "legend"), ("data-t", "\(k)"), ("transform", "translate(\(SVG.num(lx)),18)")])
            s.circle(5, -4, 5, k == 0 ? "evdot m-none" : "evdot hollow m-none")
            s.label(14, 0, label, "legendtext")
            s.close("g")
            lx += 30 + Double(label.count) * 7.2
        }
        return s.rendered(id: id, title: title, extra: [("class", "chart timeline")])
    }
}
