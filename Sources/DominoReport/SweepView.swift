import DominoSweep
import GRDB

/// The sweep view, from a sweep directory's results.sqlite: the Pareto scatter, a heatmap over
/// two grid axes, the spread over seeds per point, and the runs in which something failed.
package enum SweepView {
    package static func sections(store: SweepStore) throws -> (title: String, sections: [Section]) {
        let report = try SweepReport(store: store)
        var out: [Section] = []
        func label(_ ps: [GridParameter]) -> String { ps.isEmpty ? "spec as written" : ps.map { "\($0.key)=\($0.value)" }.joined(separator: " ") }
        let points = report.rows.sorted { $0.point < $1.point }
        out.append(Section(id: "pareto", title: "Depositor losses against capital efficiency",
                           explanation: "Each grid point (mean over its seeds): capital efficiency (share of customer claims lent, deployed or pledged on pools at the start) against depositor losses; the Pareto frontier (least losses and contagion, most efficiency) joined in red.",
                           body: ScatterChart(id: "chart-pareto", title: "Pareto", xLabel: "capital efficiency (% of claims earning)", xUnit: "%",
                                              yLabel: "mean depositor losses (USD)", yUnit: "USD",
                                              points: points.map { .init(x: Double($0.efficiency.mean) / 1e6, y: Double($0.losses.mean) / 1e8,
                                                                          label: "point \($0.point): \(label($0.parameters)) — losses \(Units.usd($0.losses.mean)), efficiency \(SVG.num(Double($0.efficiency.mean) / 1e6))%",
                                                                          highlighted: $0.frontier) }).render()))
        // Heatmap over the first two parameters that vary.
        var keys: [String] = []
        for row in points { for p in row.parameters where !keys.contains(p.key) { keys.append(p.key) } }
        let varying = keys.filter { k in Set(points.compactMap { $0.parameters.first { $0.key == k }?.value }).count > 1 }
        if varying.count >= 2 {
            let kx = varying[0], ky = varying[1]
            func values(_ k: String) -> [String] {
                var seen: [String] = []
                for row in points { if let v = row.parameters.first(where: { $0.key == k })?.value, !seen.contains(v) { seen.append(v) } }
                return seen
            }
            let xs = values(kx), ys = values(ky)
            var sums = [[Double]](repeating: [Double](repeating: 0, count: xs.count), count: ys.count)
            var counts = [[Int]](repeating: [Int](repeating: 0, count: xs.count), count: ys.count)
            for row in points {
                guard let vx = row.parameters.first(where: { $0.key == kx })?.value, let vy = row.parameters.first(where: { $0.key == ky })?.value,
                      let i = xs.firstIndex(of: vx), let j = ys.firstIndex(of: vy) else { continue }
                sums[j][i] += Double(row.losses.mean) / 1e8; counts[j][i] += 1
            }
            let cells = ys.indices.map { j in xs.indices.map { i in counts[j][i] > 0 ? sums[j][i] / Double(counts[j][i]) : nil } }
            out.append(Section(id: "heatmap", title: "Depositor losses over \(kx) × \(ky)",
                               explanation: "Mean depositor losses (USD) at each pair of values of the first two grid axes (averaged over any other axes and the seeds).",
                               body: HeatmapChart(id: "chart-heatmap", title: "Heatmap", xName: kx, yName: ky, xValues: xs, yValues: ys, cells: cells, unit: "USD").render()))
        }
        let perRun: [(Int, Int64)] = try store.read { db in
            try Row.fetchAll(db, sql: "SELECT point, depositor_losses FROM runs ORDER BY point, seed, run_id").map { ($0[0], $0[1]) }
        }
        let rows = points.map { p in (label: "\(p.point): \(label(p.parameters))", values: perRun.filter { $0.0 == p.point }.map { Double($0.1) / 1e8 }) }
        out.append(Section(id: "seeds", title: "Spread over seeds per point",
                           explanation: "Depositor losses of every run (one dot per seed) per grid point, with the 95th and 99th percentiles (nearest rank) marked.",
                           body: DistributionChart(id: "chart-seeds", title: "Seeds", rows: rows, unit: "USD").render()))
        let failed: [(Int, Int, Int64, Int64, String)] = try store.read { db in
            try Row.fetchAll(db, sql: """
                SELECT r.run_id, r.point, r.seed, r.depositor_losses,
                       (SELECT group_concat(e.entity || ' ' || e.status, ', ') FROM run_entities e WHERE e.run_id = r.run_id AND e.status != 'survives')
                FROM runs r WHERE r.failed > 0 ORDER BY r.run_id
                """).map { ($0[0], $0[1], $0[2], $0[3], ($0[4] as String?) ?? "") }
        }
        var table = "<p class=\"explain\">\(report.doneRuns) of \(report.totalRuns) runs finished; \(failed.count) of them with a failure.</p>"
        table += "<table><thead><tr><th>run</th><th>point</th><th>seed</th><th>depositor losses</th><th>failed</th></tr></thead><tbody>"
        for f in failed.prefix(200) {
            table += "<tr><td>\(f.0)</td><td>\(f.1)</td><td>\(f.2)</td><td>\(Units.usd(f.3))</td><td class=\"l\">\(SVG.escape(f.4))</td></tr>"
        }
        table += "</tbody></table>" + (failed.count > 200 ? "<p class=\"explain\">(first 200 shown)</p>" : "")
        out.append(Section(id: "failed", title: "Runs with a failure", explanation: "Every run in which an entity halted, defaulted or was found insolvent, and which.", body: table))
        return ("Sweep of \(report.spec)", out)
    }
}
