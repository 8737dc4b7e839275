import DominoLog
import DominoReplay
import Foundation
import DominoModel

/// `domino stress report`: the `risk` table as text (one row per grid point, then per platform)
/// or JSON. Dollars in $M with one decimal and shares as %, as `sweep report` prints them.
package struct StressReport: Sendable {
    package var rows: [RiskRow]
    package init(rows: [RiskRow]) { self.rows = rows }

    static func money(_ v: Int64) -> String { String(format: "%.1f", Double(v) / 1e8 / 1e6) }
    static func share(_ v: Int64) -> String { String(format: "%.1f%%", Double(v) / 1e6) }

    func row(_ point: Int, _ metric: String, _ entity: String = "") -> RiskRow? {
        rows.first { $0.point == point && $0.metric == metric && $0.entity == entity }
    }

    package var points: [Int] { Array(Set(rows.map(\.point))).sorted() }

    package func text() -> String {
        func cell(_ r: RiskRow?, _ f: (Int64) -> String) -> String {
            guard let r else { return "-" }
            return "\(f(r.value)) [\(f(r.ciLow)), \(f(r.ciHigh))]"
        }
        var table: [[String]] = [["point", "n", "losses mean $M", "VaR95 $M", "ES97.5 $M", "ES99 $M", "P(any halt)", "P(depth≥2)", "LaR95 $M", "cap. eff."]]
        for p in points {
            table.append([String(p), String(row(p, "losses_mean")?.n ?? 0),
                          cell(row(p, "losses_mean"), Self.money), cell(row(p, "losses_var95"), Self.money),
                          cell(row(p, "losses_es975"), Self.money), cell(row(p, "losses_es99"), Self.money),
                          cell(row(p, "p_any_halt"), Self.share), cell(row(p, "p_depth_ge2"), Self.share),
                          cell(row(p, "lar95"), Self.money), cell(row(p, "capital_efficiency"), Self.share)])
        }
        var out = Self.render(table)
        let entities = Array(Set(rows.filter { !$0.entity.isEmpty }.map(\.entity))).sorted()
        if !entities.isEmpty {
            var per: [[String]] = [["point", "entity", "P(halt)", "P(default)", "P(insolvency)"]]
            for p in points {
                for e in entities {
                    per.append([String(p), e, cell(row(p, "p_halt", e), Self.share), cell(row(p, "p_default", e), Self.share),
                                cell(row(p, "p_insolvency", e), Self.share)])
                }
            }
            out += "\n" + Self.render(per)
        }
        out += "\nIntervals: 90% percentile bootstrap over the paths (docs/stress-metrics.md).\n"
        return out
    }

    static func render(_ table: [[String]]) -> String {
        let widths = (0..<table[0].count).map { c in table.map { $0[c].count }.max() ?? 0 }
        return table.map { r in
            r.enumerated().map { c, s in c < 2 ? s.padding(toLength: widths[c], withPad: " ", startingAt: 0) : String(repeating: " ", count: widths[c] - s.count) + s }
                .joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    package func json() -> String {
        JSON.object([("risk", .array(rows.map { r in
            JSON.object([("point", .int(Int64(r.point))), ("metric", .string(r.metric)), ("entity", .string(r.entity)),
                         ("value", .int(r.value)), ("ci_low", .int(r.ciLow)), ("ci_high", .int(r.ciHigh)), ("n", .int(Int64(r.n)))])
        }))]).render() + "\n"
    }
}
