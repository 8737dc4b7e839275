/// A Sankey diagram: nodes in columns, flows as bands whose width is their value. Nodes in a
/// column are stacked in the order given; flows leave and enter each node in the order given.
package struct SankeyChart {
    package struct Flow {
        package var from: Int, to: Int
        package var value: Int64
        package init(from: Int, to: Int, value: Int64) { self.from = from; self.to = to; self.value = value }
    }
    package var id: String
    package var title: String
    package var nodes: [(name: String, column: Int)]
    package var flows: [Flow]
    package var columnTitles: [String]
    package var width = 900, height = 360
    package static let nodeWidth = 14.0, gap = 14.0, top = 34.0, bottom = 12.0

    /// Collects a diagram's nodes by (column, name), each added once in first-seen order.
    package struct Nodes {
        package private(set) var list: [(name: String, column: Int)] = []
        private var index: [String: Int] = [:] // lookups only

        package init() {}

        /// The index of the node `name` in `column`, added if new.
        package mutating func node(_ name: String, _ column: Int) -> Int {
            let key = "\(column)|\(name)"
            if let i = index[key] { return i }
            list.append((name, column)); index[key] = list.count - 1
            return list.count - 1
        }
    }

    package init(id: String, title: String, nodes: [(name: String, column: Int)], flows: [Flow], columnTitles: [String]) {
        self.id = id; self.title = title; self.nodes = nodes; self.flows = flows.filter { $0.value > 0 }; self.columnTitles = columnTitles
    }

    /// Each node's value: the larger of what enters and what leaves it.
    package var nodeValues: [Int64] {
        var into = [Int64](repeating: 0, count: nodes.count), out = into
        for f in flows { out[f.from] += f.value; into[f.to] += f.value }
        return nodes.indices.map { max(into[$0], out[$0]) }
    }

    /// Node rectangles (x, y, height) and the pixels per USD (× 10^8).
    package var layout: (rects: [(Double, Double, Double)], scale: Double) {
        let values = nodeValues
        let columns = (nodes.map(\.column).max() ?? 0) + 1
        var scale = Double.infinity
        for c in 0..<columns {
            let members = nodes.indices.filter { nodes[$0].column == c && values[$0] > 0 }
            let total = members.reduce(0.0) { $0 + Double(values[$1]) }
            guard total > 0 else { continue }
            let room = Double(height) - Self.top - Self.bottom - Self.gap * Double(max(0, members.count - 1))
            scale = min(scale, room / total)
        }
        if !scale.isFinite { scale = 0 }
        var rects = [(Double, Double, Double)](repeating: (0, 0, 0), count: nodes.count)
        let colX = { (c: Int) in 190 + (Double(self.width) - 400 - Self.nodeWidth) * Double(c) / Double(max(1, columns - 1)) }
        for c in 0..<columns {
            var y = Self.top
            for i in nodes.indices where nodes[i].column == c && values[i] > 0 {
                let h = Double(values[i]) * scale
                rects[i] = (colX(c), y, h)
                y += h + Self.gap
            }
        }
        return (rects, scale)
    }

    package func render() -> String {
        var s = SVG(width: width, height: height)
        let (rects, scale) = layout
        let values = nodeValues
        var outY = rects.map(\.1), inY = rects.map(\.1)
        for (c, t) in columnTitles.enumerated() {
            let xs = nodes.indices.filter { nodes[$0].column == c && values[$0] > 0 }.map { rects[$0].0 }
            if let x = xs.first { s.label(x + Self.nodeWidth / 2, 16, t, "axislabel", anchor: "middle") }
        }
        s.open("g", [("class", "flows")])
        for (k, f) in flows.enumerated() {
            let w = Double(f.value) * scale
            let x0 = rects[f.from].0 + Self.nodeWidth, x1 = rects[f.to].0
            let y0 = outY[f.from] + w / 2, y1 = inY[f.to] + w / 2
            outY[f.from] += w; inY[f.to] += w
            let mx = (x0 + x1) / 2
            s.open("path", [("class", "flow c\(f.from % 10)"), ("data-s", "\(k)"),
                            ("d", "M\(SVG.num(x0)),\(SVG.num(y0)) C\(SVG.num(mx)),\(SVG.num(y0)) \(SVG.num(mx)),\(SVG.num(y1)) \(SVG.num(x1)),\(SVG.num(y1))"),
                            ("stroke-width", SVG.num(max(1, w)))])
            s.element("title", [], content: "\(nodes[f.from].name) → \(nodes[f.to].name): \(Units.usd(f.value))")
            s.close("path")
        }
        s.close("g")
        for i in nodes.indices where values[i] > 0 {
            let r = rects[i]
            s.rect(r.0, r.1, Self.nodeWidth, max(1, r.2), "snode c\(i % 10)")
            let right = nodes[i].column > 0
            s.label(right ? r.0 + Self.nodeWidth + 6 : r.0 - 6, r.1 + r.2 / 2 + 4, "\(nodes[i].name) \(Units.usd(values[i]))", "nodelabel", anchor: right ? "start" : "end")
        }
        return s.rendered(id: id, title: title, extra: [("class", "chart sankey")])
    }
}
