import DominoSweep
import GRDB

/// The stress sections of a sweep or stress directory's report, from its `risk` table (or the
/// table computed without writing): the policy frontier VaR 95 against capital efficiency, and
/// the distribution of depositor losses over the paths per point.
package enum StressView {
    package static func sections(store: SweepStore) throws -> [Section] {
        let rows = try RiskTable.load(store: store)
        let report = StressReport(rows: rows)
        func value(_ p: Int, _ m: String) -> Int64 { rows.first { $0.point == p && $0.metric == m && $0.entity == "" }?.value ?? 0 }
        let labels: [Int: String] = try store.read { db in
            var out: [Int: String] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT point, params FROM runs ORDER BY run_id") where out[r["point"]] == nil {
                out[r["point"]] = r["params"] as String
            }
            return out
        }
        let points = report.points
        // The frontier: no other point has VaR 95 at most as high and efficiency at least as high, one of them strictly.
        func dominated(_ p: Int) -> Bool {
            points.contains { q in
                q != p && value(q, "losses_var95") <= value(p, "losses_var95") && value(q, "capital_efficiency") >= value(p, "capital_efficiency")
                    && (value(q, "losses_var95") < value(p, "losses_var95") || value(q, "capital_efficiency") > value(p, "capital_efficiency"))
            }
        }
        let scatter = ScatterChart(id: "chart-risk-frontier", title: "Risk frontier", xLabel: "capital efficiency (% of claims earning)", xUnit: "%",
                                   yLabel: "VaR 95 of depositor losses (USD)", yUnit: "USD",
                                   points: points.map { p in
                                       .init(x: Double(value(p, "capital_efficiency")) / 1e6, y: Double(value(p, "losses_var95")) / 1e8,
                                             label: "point \(p) \(labels[p] ?? ""): VaR 95 \(Units.usd(value(p, "losses_var95"))), efficiency \(SVG.num(Double(value(p, "capital_efficiency")) / 1e6))%",
                                             highlighted: !dominated(p))
                                   })
        let perRun: [(Int, Int64)] = try store.read { db in
            try Row.fetchAll(db, sql: "SELECT point, depositor_losses FROM runs ORDER BY point, run_id").map { ($0[0], $0[1]) }
        }
        let dist = DistributionChart(id: "chart-risk-losses", title: "Losses over paths",
                                     rows: points.map { p in (label: "\(p): \(labels[p] ?? "")", values: perRun.filter { $0.0 == p }.map { Double($0.1) / 1e8 }) },
                                     unit: "USD")
        return [
            Section(id: "risk-frontier", title: "Policy frontier: VaR 95 against capital efficiency",
                    explanation: "Each grid point: the 95th percentile (lower empirical quantile) of depositor losses over its paths against its mean capital efficiency; the points no other beats on both joined in red.",
                    body: scatter.render()),
            Section(id: "risk-losses", title: "Depositor losses over the paths",
                    explanation: "Depositor losses of every path per grid point, with the 95th and 99th percentiles marked.",
                    body: dist.render()),
            Section(id: "risk-table", title: "Risk metrics", explanation: "The risk table with 90% bootstrap intervals (docs/stress-metrics.md).",
                    body: "<pre>" + SVG.escape(report.text()) + "</pre>"),
        ] + (try EquityFan.sections(store: store))
    }
}
