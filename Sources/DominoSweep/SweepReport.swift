import DominoLog
import DominoModel
import DominoReplay
import GRDB

/// `domino sweep report`: per grid point, over its seeds, the mean and median of depositor
/// losses, contagion depth and capital efficiency; the points ranked, and the Pareto frontier
/// (least losses, least contagion depth, most capital efficiency — the trade-off a policy makes
/// between protecting depositors and putting their assets to work).
///
/// Ranking: points are sorted into Pareto fronts on the three means (front 1 is the frontier:
/// no other point is at least as good on all three and better on one; front 2 is the frontier
/// once front 1 is removed; …); within a front, by mean depositor losses, then mean contagion
/// depth, then capital efficiency (higher first), then point number. All figures are exact
/// fixed point (× 10^8): means and medians round half away from zero.
package struct SweepReport: Sendable {
    package struct Stat: Sendable, Equatable { package var mean: Int64, median: Int64 }
    package struct Row: Sendable {
        package var point: Int
        package var parameters: [GridParameter]
        package var runs: Int
        package var losses: Stat, depth: Stat, efficiency: Stat
        package var front = 0, rank = 0
        package var frontier: Bool { front == 1 }
    }

    package var spec: String
    package var totalRuns: Int
    package var doneRuns: Int
    package var rows: [Row] // in rank order
    /// Runs stored as failed (counted in `doneRuns`, not in any row).
    package var failures: [RunFailure]

    package init(store: SweepStore) throws {
        let (meta, raw) = try store.read { db -> ([String: String], [(Int, String, Int64, Int64, Int64)]) in
            var meta: [String: String] = [:]
            for row in try GRDB.Row.fetchAll(db, sql: "SELECT key, value FROM sweep") { meta[row["key"]] = row["value"] as String }
            let runs = try GRDB.Row.fetchAll(db, sql: "SELECT point, params, depositor_losses, contagion_depth, capital_efficiency FROM runs ORDER BY run_id")
                .map { r -> (Int, String, Int64, Int64, Int64) in (r["point"], r["params"], r["depositor_losses"], r["contagion_depth"], r["capital_efficiency"]) }
            return (meta, runs)
        }
        guard !meta.isEmpty else { throw SweepError.failure("\(store.path) holds no sweep") }
        spec = meta["spec_name"] ?? meta["spec"] ?? "?"
        totalRuns = Int(meta["runs"] ?? "") ?? raw.count
        failures = try store.failures()
        doneRuns = raw.count + failures.count
        let keys = SweepReport.gridKeys(meta["grid"] ?? "")
        var byPoint: [Int: (params: String, losses: [Int64], depth: [Int64], efficiency: [Int64])] = [:]
        for (point, params, losses, depth, efficiency) in raw {
            byPoint[point, default: (params, [], [], [])].losses.append(losses)
            byPoint[point]!.depth.append(depth * Fixed.one)
            byPoint[point]!.efficiency.append(efficiency)
        }
        var rows = byPoint.keys.sorted().map { p -> Row in
            let g = byPoint[p]!
            return Row(point: p, parameters: SweepReport.parameters(g.params, keys: keys), runs: g.losses.count,
                       losses: SweepReport.stat(g.losses), depth: SweepReport.stat(g.depth), efficiency: SweepReport.stat(g.efficiency))
        }
        SweepReport.rank(&rows)
        self.rows = rows
    }

    /// Whether `a` is at least as good as `b` on every objective and better on one.
    static func dominates(_ a: Row, _ b: Row) -> Bool {
        let noWorse = a.losses.mean <= b.losses.mean && a.depth.mean <= b.depth.mean && a.efficiency.mean >= b.efficiency.mean
        let better = a.losses.mean < b.losses.mean || a.depth.mean < b.depth.mean || a.efficiency.mean > b.efficiency.mean
        return noWorse && better
    }

    static func rank(_ rows: inout [Row]) {
        var remaining = Array(rows.indices)
        var front = 1
        while !remaining.isEmpty {
            let layer = remaining.filter { i in !remaining.contains { j in j != i && dominates(rows[j], rows[i]) } }
            for i in layer { rows[i].front = front }
            remaining.removeAll { layer.contains($0) }
            front += 1
        }
        rows.sort {
            ($0.front, $0.losses.mean, $0.depth.mean, -$0.efficiency.mean, $0.point) < ($1.front, $1.losses.mean, $1.depth.mean, -$1.efficiency.mean, $1.point)
        }
        for i in rows.indices { rows[i].rank = i + 1 }
    }

    static func stat(_ values: [Int64]) -> Stat {
        let sorted = values.sorted()
        let n = Int64(sorted.count)
        let sum = sorted.reduce(0, +)
        let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2] : divide(sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2], 2)
        return Stat(mean: divide(sum, n), median: median)
    }

    /// a / b rounded half away from zero.
    static func divide(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b, r = a % b
        if 2 * abs(r) >= b { return q + (a < 0 ? -1 : 1) }
        return q
    }

    static func gridKeys(_ gridJSON: String) -> [String] {
        // {"axes":[{"key":"…","values":[…]},…],"seeds":…}: the keys in order, read back leniently.
        var keys: [String] = []
        var rest = Substring(gridJSON)
        while let r = rest.range(of: "\"key\":") {
            rest = rest[r.upperBound...]
            if let s = decodeString(&rest) { keys.append(s) }
        }
        return keys
    }

    static func parameters(_ json: String, keys: [String]) -> [GridParameter] {
        var values: [String: String] = [:]
        var rest = Substring(json.dropFirst())
        while true {
            guard let k = decodeString(&rest), let colon = rest.firstIndex(of: ":") else { break }
            rest = rest[rest.index(after: colon)...]
            guard let v = decodeString(&rest) else { break }
            values[k] = v
        }
        return keys.compactMap { k in values[k].map { GridParameter(key: k, value: $0) } }
    }

    /// Reads the next JSON string literal of `text`, advancing past it.
    static func decodeString(_ text: inout Substring) -> String? {
        guard let open = text.firstIndex(of: "\"") else { return nil }
        var out = ""
        var i = text.index(after: open)
        while i < text.endIndex {
            let c = text[i]
            if c == "\"" { text = text[text.index(after: i)...]; return out }
            if c == "\\" {
                i = text.index(after: i)
                guard i < text.endIndex else { return nil }
                switch text[i] {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "r": out.append("\r")
                case "b": out.append("\u{8}")
                case "f": out.append("\u{c}")
                case "u":
                    let hex = text[text.index(after: i)...].prefix(4)
                    if let v = UInt32(hex, radix: 16), let s = Unicode.Scalar(v) { out.unicodeScalars.append(s) }
                    i = text.index(i, offsetBy: 4, limitedBy: text.endIndex) ?? text.endIndex
                default: out.append(text[i])
                }
            } else {
                out.append(c)
            }
            i = text.index(after: i)
        }
        return nil
    }

    package var frontier: [Row] { rows.filter(\.frontier) }

    // MARK: Output

    package var json: JSON {
        func stat(_ s: Stat) -> JSON { .object([("mean", .fixed(s.mean)), ("median", .fixed(s.median))]) }
        return .object([
            ("spec", .string(spec)),
            ("runs", .int(totalRuns)),
            ("done", .int(doneRuns)),
            ("objectives", .object([("depositorLosses", .string("min")), ("contagionDepth", .string("min")), ("capitalEfficiency", .string("max"))])),
            ("points", .array(rows.map { r in
                .object([
                    ("rank", .int(r.rank)), ("front", .int(r.front)), ("frontier", .bool(r.frontier)), ("point", .int(r.point)),
                    ("parameters", .array(r.parameters.map { .object([("key", .string($0.key)), ("value", .string($0.value))]) })),
                    ("runs", .int(r.runs)),
                    ("depositorLosses", stat(r.losses)), ("contagionDepth", stat(r.depth)), ("capitalEfficiency", stat(r.efficiency)),
                ])
            })),
            ("frontier", .array(frontier.map { .int($0.point) })),
            ("failed", .array(failures.map { f in
                .object([("run", .int(f.runID)), ("point", .int(f.point)), ("seed", .string(String(f.seed))),
                         ("parameters", .array(f.parameters.map { .object([("key", .string($0.key)), ("value", .string($0.value))]) })),
                         ("error", .string(f.error))])
            })),
        ])
    }

    package var text: String {
        var out = "\(spec): \(rows.count) grid point\(rows.count == 1 ? "" : "s"), \(doneRuns) of \(totalRuns) runs"
        out += doneRuns < totalRuns ? " (incomplete: run the sweep again to finish it)" : ""
        out += failures.isEmpty ? "\n" : ", \(failures.count) failed (listed below; not ranked)\n"
        out += "Ranked by Pareto front (least depositor losses, least contagion depth, most capital efficiency), then losses.\n"
        out += "Figures over each point's seeds: mean / median. * = on the Pareto frontier.\n\n"
        let header = [pad("rank", 5, right: true), " ", pad("front", 5, right: true), "  ", pad("point", 5, right: true), "  ",
                      pad("depositor losses", 19, right: true), "  ", pad("contagion depth", 15, right: true), "  ",
                      pad("capital efficiency", 18, right: true), "  ", pad("runs", 4, right: true), "  parameters"]
        out += header.joined() + "\n"
        for r in rows {
            let params = r.parameters.isEmpty ? "(the spec as written)" : r.parameters.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            out += pad(String(r.rank), 5, right: true) + " " + pad(String(r.front) + (r.frontier ? " *" : "  "), 5, right: true) + "  "
            out += pad(String(r.point), 5, right: true) + "  "
            out += pad("\(Summary.dollars(r.losses.mean)) / \(Summary.dollars(r.losses.median))", 19, right: true) + "  "
            out += pad("\(decimal(r.depth.mean, 2)) / \(decimal(r.depth.median, 2))", 15, right: true) + "  "
            out += pad("\(percent(r.efficiency.mean)) / \(percent(r.efficiency.median))", 18, right: true) + "  "
            out += pad(String(r.runs), 4, right: true) + "  " + params + "\n"
        }
        out += "\nPareto frontier:"
        out += frontier.isEmpty ? " none\n" : "\n" + frontier.map { r in
            "  point \(r.point): " + (r.parameters.isEmpty ? "(the spec as written)" : r.parameters.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
                + " — losses \(Summary.dollars(r.losses.mean)), depth \(decimal(r.depth.mean, 2)), capital efficiency \(percent(r.efficiency.mean))\n"
        }.joined()
        if !failures.isEmpty {
            out += "\nFailed runs:\n" + failures.map { "  \($0.label): \($0.error)\n" }.joined()
        }
        return out
    }

    func pad(_ s: String, _ w: Int, right: Bool = false) -> String { NumberText.padded(s, w, right: right) }

    /// Fixed × 10^8 with `places` decimals, rounded half away from zero.
    func decimal(_ v: Int64, _ places: Int) -> String {
        var scale: Int64 = 1
        for _ in 0..<places { scale *= 10 }
        let rounded = SweepReport.divide(v, Fixed.one / scale)
        guard places > 0 else { return String(rounded) }
        let frac = String(abs(rounded) % scale)
        return (rounded < 0 ? "-" : "") + String(abs(rounded) / scale) + "." + String(repeating: "0", count: places - frac.count) + frac
    }

    func percent(_ v: Int64) -> String { decimal(v * 100, 1) + "%" }
}
