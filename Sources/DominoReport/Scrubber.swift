/// The time scrubber: a slider over the snapshot times, the balance-sheet tables it redraws,
/// and the snapshots embedded compactly for the page's script: USD in whole units of a power of
/// ten chosen so the largest balance sheet has about five digits (`unit`, USD × 10^8).
package enum Scrubber {
    package static func controls(times: [Int64]) -> String {
        let last = max(0, times.count - 1)
        return "<div class=\"scrubber\"><label for=\"scrub\">moment</label>"
            + "<input type=\"range\" id=\"scrub\" min=\"0\" max=\"\(last)\" step=\"1\" value=\"\(last)\">"
            + "<button type=\"button\" id=\"play\">play</button>"
            + "<output id=\"scrub-time\">\(times.last.map { Units.minute($0) + " UTC" } ?? "")</output></div>"
    }

    /// The unit for amounts up to `max` (USD × 10^8): a power of ten, at least one dollar.
    package static func unit(max: Int64) -> Int64 {
        var u: Int64 = 100_000_000
        while u <= Int64.max / 10 && max / (u * 10) >= 10_000 { u *= 10 }
        return u
    }

    package static func table(id: String, names: [String], snapshot: Snapshot, unit: Int64) -> String {
        var s = "<table class=\"sheet\" id=\"\(id)\"><thead><tr><th>entity</th><th>status</th><th>assets</th><th>liabilities</th><th>liquid</th><th>equity</th></tr></thead><tbody>"
        for (i, sheet) in snapshot.sheets.enumerated() {
            s += "<tr class=\"st\(sheet.status)\"><td>\(SVG.escape(names[i]))</td><td>\(Snapshot.statusNames[sheet.status])</td>"
            for v in [sheet.assets, sheet.liabilities, sheet.liquid, sheet.equity] { s += "<td>\(Units.usd(v / unit * unit))</td>" }
            s += "</tr>"
        }
        return s + "</tbody></table>"
    }

    package static func data(runs: [CapturedRun], edgeKeys: [Snapshot.EdgeKey], maxAssets: Int64, maxEdge: Int64, unit: Int64) -> String {
        let u = { (v: Int64) in "\(v / unit)" }
        let first = runs[0]
        var s = "<script type=\"application/json\" id=\"scrub-data\">{"
        s += "\"t\":[" + first.snapshots.map { "\($0.time)" }.joined(separator: ",") + "],"
        s += "\"n\":[" + first.names.map { "\"" + SVG.escape($0) + "\"" }.joined(separator: ",") + "],"
        s += "\"E\":[" + edgeKeys.map { "[\($0.from),\($0.to),\($0.kind)]" }.joined(separator: ",") + "],"
        s += "\"u\":\(unit / 100_000_000),\"ma\":\(u(maxAssets)),\"me\":\(u(maxEdge)),\"runs\":["
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
