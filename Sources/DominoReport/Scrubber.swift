/// The time scrubber: a slider over the snapshot times, the balance-sheet tables it redraws,
/// and the snapshots embedded compactly for the page's script (USD in units of $100k).
package enum Scrubber {
    package static func controls(times: [Int64]) -> String {
        let last = max(0, times.count - 1)
        return "<div class=\"scrubber\"><label for=\"scrub\">moment</label>"
            + "<input type=\"range\" id=\"scrub\" min=\"0\" max=\"\(last)\" step=\"1\" value=\"\(last)\">"
            + "<button type=\"button\" id=\"play\">play</button>"
            + "<output id=\"scrub-time\">\(times.last.map { Units.minute($0) + " UTC" } ?? "")</output></div>"
    }

    package static func table(id: String, names: [String], snapshot: Snapshot) -> String {
        var s = "<table class=\"sheet\" id=\"\(id)\"><thead><tr><th>entity</th><th>status</th><th>assets</th><th>liabilities</th><th>liquid</th><th>equity</th></tr></thead><tbody>"
        for (i, sheet) in snapshot.sheets.enumerated() {
            s += "<tr class=\"st\(sheet.status)\"><td>\(SVG.escape(names[i]))</td><td>\(Snapshot.statusNames[sheet.status])</td>"
            for v in [sheet.assets, sheet.liabilities, sheet.liquid, sheet.equity] { s += "<td>\(Units.usd(unitsOf100k(v) * 100_000))</td>" }
            s += "</tr>"
        }
        return s + "</tbody></table>"
    }

    /// USD × 10^8 in whole units of $100k (rounded toward zero), as the page's script gets them.
    package static func unitsOf100k(_ v: Int64) -> Double { Double(v / 10_000_000_000_000) }

    package static func data(runs: [CapturedRun], edgeKeys: [Snapshot.EdgeKey], maxAssets: Int64, maxEdge: Int64) -> String {
        let u = { (v: Int64) in "\(v / 10_000_000_000_000)" }
        let first = runs[0]
        var s = "<script type=\"application/json\" id=\"scrub-data\">{"
        s += "\"t\":[" + first.snapshots.map { "\($0.time)" }.joined(separator: ",") + "],"
        s += "\"n\":[" + first.names.map { "\"" + SVG.escape($0) + "\"" }.joined(separator: ",") + "],"
        s += "\"E\":[" + edgeKeys.map { "[\($0.from),\($0.to),\($0.kind)]" }.joined(separator: ",") + "],"
        s += "\"ma\":\(u(maxAssets)),\"me\":\(u(maxEdge)),\"runs\":["
        s += runs.map { r in
            let index = Dictionary(uniqueKeysWithValues: edgeKeys.enumerated().map { ($1, $0) }) // lookups only
            let sheets = r.snapshots.map { snap in
                "[" + snap.sheets.map { "\(u($0.assets)),\(u($0.liabilities)),\(u($0.liquid)),\(u($0.equity)),\($0.status)" }.joined(separator: ",") + "]"
            }.joined(separator: ",")
            let edges = r.snapshots.map { snap in
                var w = [Int64](repeating: 0, count: edgeKeys.count)
                for e in snap.edges { if let k = index[e.key] { w[k] = e.usd } }
                return "[" + w.map(u).joined(separator: ",") + "]"
            }.joined(separator: ",")
            return "{\"s\":[\(sheets)],\"w\":[\(edges)]}"
        }.joined(separator: ",")
        return s + "]}</script>"
    }
}
