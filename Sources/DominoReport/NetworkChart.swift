/// The exposure network at one moment: entities as nodes sized by assets and coloured by
/// status, loans, deployments and pool positions as edges sized by exposure. The layout is
/// fixed for the whole run: layered by failure order (the first to fail on the left, the
/// survivors on the right), so the scrubber only resizes and recolours.
package struct NetworkChart {
    package var id: String
    package var title: String
    package var names: [String]
    package var roles: [String]
    /// Layer of each node (0 = first to fail).
    package var layers: [Int]
    package var edgeKeys: [Snapshot.EdgeKey]
    package var snapshot: Snapshot
    /// Largest node assets and edge value over every snapshot shown (USD × 10^8), so sizes
    /// compare across moments.
    package var maxAssets: Int64
    package var maxEdge: Int64
    /// Each node's largest assets over the snapshots shown: edges stop at that circle's rim.
    package var nodeMaxAssets: [Int64]
    package var width = 900, height = 400

    /// Layers from failure times (the earliest of halt, default, insolvency): one layer per
    /// distinct failure day in order, then one for the survivors; pools and other roles
    /// that never fail share the survivors' layer.
    package static func layers(failureTimes: [Int64?]) -> [Int] {
        let day: Int64 = 86_400_000
        let days = Array(Set(failureTimes.compactMap { $0.map { $0 / day } })).sorted()
        return failureTimes.map { t in t.map { days.firstIndex(of: $0 / day)! } ?? days.count }
    }

    package init(id: String, title: String, names: [String], roles: [String], layers: [Int], edgeKeys: [Snapshot.EdgeKey],
                 snapshot: Snapshot, maxAssets: Int64, maxEdge: Int64, nodeMaxAssets: [Int64]) {
        self.nodeMaxAssets = nodeMaxAssets
        self.id = id; self.title = title; self.names = names; self.roles = roles; self.layers = layers; self.edgeKeys = edgeKeys
        self.snapshot = snapshot; self.maxAssets = maxAssets; self.maxEdge = maxEdge
    }

    /// Node centres.
    package var positions: [(Double, Double)] {
        let count = (layers.max() ?? 0) + 1
        let colWidth = (Double(width) - 40) / Double(count)
        var seen = [Int](repeating: 0, count: count)
        let perLayer = (0..<count).map { l in layers.filter { $0 == l }.count }
        return layers.map { l in
            let k = seen[l]; seen[l] += 1
            let rowHeight = (Double(height) - 90) / Double(max(1, perLayer[l]))
            // Stagger alternate layers by a third of a row, so straight edges do not pass through nodes.
            let stagger = l % 2 == 1 && perLayer[l] > 1 ? rowHeight / 3 : 0
            return (20 + colWidth * (Double(l) + 0.5), 40 + rowHeight * (Double(k) + 0.5) + stagger - (l % 2 == 1 ? rowHeight / 6 : 0))
        }
    }

    package static func radius(_ assets: Int64, max: Int64) -> Double {
        6 + 30 * (Double(Swift.max(0, assets)) / Double(Swift.max(1, max))).squareRoot()
    }

    package static func strokeWidth(_ usd: Int64, max: Int64) -> Double {
        usd <= 0 ? 0 : 1 + 13 * (Double(usd) / Double(Swift.max(1, max))).squareRoot()
    }

    /// A curve from `a` bending to its left, ending `stop` short of `b` (the target's rim).
    package static func path(_ a: (Double, Double), _ b: (Double, Double), stop: Double = 0) -> String {
        let mx = (a.0 + b.0) / 2, my = (a.1 + b.1) / 2
        let dx = b.0 - a.0, dy = b.1 - a.1
        let cx = mx - dy * 0.18, cy = my + dx * 0.18
        let ex = b.0 - cx, ey = b.1 - cy
        let len = max(1, (ex * ex + ey * ey).squareRoot())
        let k = min(stop, len * 0.8) / len
        let end = (b.0 - ex * k, b.1 - ey * k)
        return "M\(SVG.num(a.0)),\(SVG.num(a.1)) Q\(SVG.num(cx)),\(SVG.num(cy)) \(SVG.num(end.0)),\(SVG.num(end.1))"
    }

    package func render() -> String {
        var s = SVG(width: width, height: height)
        let pos = positions
        s.raw("<defs><marker id=\"\(id)-arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"11\" markerHeight=\"11\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" class=\"arrowhead\"/></marker></defs>")
        let usd = Dictionary(uniqueKeysWithValues: snapshot.edges.map { ($0.key, $0.usd) }) // lookups only
        s.open("g", [("class", "edges")])
        for (k, e) in edgeKeys.enumerated() {
            let v = usd[e] ?? 0
            let w = Self.strokeWidth(v, max: maxEdge)
            s.open("path", [("id", "\(id)-e\(k)"), ("class", "edge k\(e.kind)"), ("d", Self.path(pos[e.from], pos[e.to], stop: Self.radius(nodeMaxAssets[e.to], max: maxAssets) + 3)),
                            ("stroke-width", SVG.num(w)), ("visibility", v > 0 ? "visible" : "hidden"), ("marker-end", "url(#\(id)-arrow)")])
            s.element("title", [], content: "\(names[e.from]) → \(names[e.to]): \(["loan", "deployment", "pool position"][e.kind]) \(Units.usd(v))")
            s.close("path")
        }
        s.close("g")
        s.open("g", [("class", "nodes")])
        for i in names.indices {
            let sheet = snapshot.sheets[i]
            s.open("g", [("class", "node")])
            s.circle(pos[i].0, pos[i].1, Self.radius(sheet.assets, max: maxAssets), "st\(sheet.status)", extra: [("id", "\(id)-n\(i)")])
            s.label(pos[i].0, pos[i].1 + 4, names[i], "nodelabel", anchor: "middle")
            s.label(pos[i].0, pos[i].1 + 16, roles[i], "nodesub", anchor: "middle")
            s.close("g")
        }
        s.close("g")
        var lx = 20.0
        for (k, name) in Snapshot.statusNames.enumerated() {
            s.circle(lx + 6, Double(height) - 30, 6, "st\(k)")
            s.label(lx + 16, Double(height) - 26, name, "legendtext")
            lx += 90
        }
        lx = 20
        for (k, name) in ["loan (lender → borrower)", "deployment (holder → venue)", "pool position (owner → pool)"].enumerated() {
            s.line(lx, Double(height) - 8, lx + 22, Double(height) - 8, "edge k\(k)", extra: [("stroke-width", "3")])
            s.label(lx + 26, Double(height) - 4, name, "legendtext")
            lx += 40 + Double(name.count) * 6.5
        }
        s.label(Double(width) - 10, 18, "at " + Units.minute(snapshot.time) + " UTC", "stamp", anchor: "end", extra: [("id", "\(id)-stamp")])
        return s.rendered(id: id, title: title, extra: [("class", "chart network")])
    }
}
