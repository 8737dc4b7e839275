import DominoSweep
import Foundation
import GRDB

/// Fan charts of a stress study (issue 17 §2): per platform, its equity over time across the
/// paths — the 5–95% and 25–75% bands and the median of the first grid point (the spec as
/// written, or the first of the grid), with the median of every other point beside it.
///
/// Quantiles are the lower empirical quantiles of `RiskMetrics` (the ⌈q·n⌉-th smallest of the n
/// paths' equities at a sample time, exact in fixed point), computed one sample time at a time
/// from the store's `metrics` table (filled by `domino stress`'s default `--metrics-every 1d`):
/// memory holds one time step × paths, never the study.
package enum EquityFan {
    /// The levels drawn, lowest first.
    package static let levels: [(name: String, level: RiskMetrics.Level)] = [
        ("5%", RiskMetrics.Level(5, 100)), ("25%", RiskMetrics.Level(25, 100)), ("median", RiskMetrics.Level(50, 100)),
        ("75%", RiskMetrics.Level(75, 100)), ("95%", RiskMetrics.Level(95, 100)),
    ]

    /// One entity's fan at one grid point: per sample time, the equity at each of `levels`
    /// (× 10⁸ USD), and how many paths had a sample at that time.
    package struct Fan: Equatable, Sendable {
        package var entity: String
        package var times: [Int64] = []
        /// quantiles[k][t]: the level `levels[k]` at `times[t]`.
        package var quantiles: [[Int64]] = Array(repeating: [], count: EquityFan.levels.count)
        package var paths: [Int] = []
        package init(entity: String) { self.entity = entity }

        /// Adds one sample time from the equities of the paths there.
        package mutating func add(time: Int64, equities: [Int64]) {
            times.append(time)
            paths.append(equities.count)
            let sorted = equities.sorted()
            for (k, l) in EquityFan.levels.enumerated() {
                quantiles[k].append(sorted.isEmpty ? 0 : sorted[RiskMetrics.rank(l.level, sorted.count) - 1])
            }
        }
    }

    /// The fans of every platform (role lender or exchange) at grid point `point`, entities in
    /// name order; streamed from the store ordered by (entity, time).
    package static func fans(store: SweepStore, point: Int) throws -> [Fan] {
        try store.read { db in
            var out: [Fan] = []
            var current: Fan?
            var time: Int64 = .min
            var equities: [Int64] = []
            func flush() {
                if current != nil, time != .min { current!.add(time: time, equities: equities) }
                equities.removeAll(keepingCapacity: true)
            }
            let rows = try Row.fetchCursor(db, sql: """
                SELECT m.entity, m.time, m.equity FROM metrics m
                JOIN runs r ON r.run_id = m.run_id
                JOIN run_entities e ON e.run_id = m.run_id AND e.entity = m.entity
                WHERE r.point = ? AND e.role IN ('lender', 'exchange')
                ORDER BY m.entity, m.time
                """, arguments: [point])
            while let row = try rows.next() {
                let entity: String = row[0], t: Int64 = row[1], equity: Int64 = row[2]
                if current?.entity != entity {
                    flush()
                    if let done = current { out.append(done) }
                    current = Fan(entity: entity)
                    time = t
                } else if t != time {
                    flush()
                    time = t
                }
                equities.append(equity)
            }
            flush()
            if let done = current { out.append(done) }
            return out
        }
    }

    /// The grid points of the store, each with its label (its parameters), in point order.
    static func points(store: SweepStore) throws -> [(point: Int, label: String)] {
        try store.read { db in
            try Row.fetchAll(db, sql: "SELECT point, MIN(params) FROM runs GROUP BY point ORDER BY point").map { ($0[0], label($0[1])) }
        }
    }

    /// A point's parameters as `key=value, …` in key order (`{"policy":"none"}` → `policy=none`);
    /// the text itself when it is not a flat JSON object.
    static func label(_ params: String) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(params.utf8)) as? [String: Any] else { return params }
        if object.isEmpty { return "the spec as written" }
        return object.keys.sorted().map { key in "\(key)=\(object[key].map { "\($0)" } ?? "")" }.joined(separator: ", ")
    }

    /// The most other points whose medians are drawn beside the first point's fan.
    static let otherPoints = 6

    /// One section per platform; a one-line note when the store holds no equity samples.
    package static func sections(store: SweepStore) throws -> [Section] {
        let points = try Self.points(store: store)
        guard let first = points.first else { return [] }
        let fans = try fans(store: store, point: first.point)
        guard !fans.isEmpty else {
            return [Section(id: "risk-fan", title: "Equity across the paths",
                            explanation: "No equity samples in this store: `domino stress` stores them daily unless run with --metrics-every none; rerun it with --metrics-every 1d to draw the fan charts.",
                            body: "")]
        }
        var others: [(label: String, fans: [Fan])] = []
        for p in points.dropFirst().prefix(otherPoints) { others.append((p.label, try Self.fans(store: store, point: p.point))) }
        return fans.enumerated().map { index, fan in
            let usd = { (v: [Int64]) in v.map { Double($0) / 1e8 } }
            var series: [LineChart.Series] = []
            // Lowest first: 5% shaded up to 95%, 25% up to 75%; the median on top.
            let names = levels.map(\.name)
            series.append(.init(name: "\(names[0]) (\(first.label))", times: fan.times, values: usd(fan.quantiles[0]), color: 0, dashed: true, shadeWith: 4))
            series.append(.init(name: "\(names[1])", times: fan.times, values: usd(fan.quantiles[1]), color: 0, dashed: true, shadeWith: 3))
            series.append(.init(name: "median", times: fan.times, values: usd(fan.quantiles[2]), color: 0))
            series.append(.init(name: "\(names[3])", times: fan.times, values: usd(fan.quantiles[3]), color: 0, dashed: true))
            series.append(.init(name: "\(names[4])", times: fan.times, values: usd(fan.quantiles[4]), color: 0, dashed: true))
            for (k, other) in others.enumerated() {
                guard let f = other.fans.first(where: { $0.entity == fan.entity }) else { continue }
                series.append(.init(name: "median (\(other.label))", times: f.times, values: usd(f.quantiles[2]), color: (k + 1) % 10))
            }
            let lo = fan.times.first ?? 0, hi = max(lo + 1, fan.times.last ?? 1)
            let chart = LineChart(id: "chart-risk-fan-\(index)", title: "Equity of \(fan.entity) across the paths", unit: "USD",
                                  yLabel: "equity (USD)", window: (lo, hi), series: series, fromZero: true)
            let n = fan.paths.max() ?? 0
            return Section(id: "risk-fan-\(index)", title: "Equity of \(fan.entity) across the paths",
                           explanation: "Equity at market per sample time over \(n) paths of \(first.label): the median, the 25–75% band (darker) and the 5–95% band (lower empirical quantiles); beside it the median of each other grid point (up to \(otherPoints)). Below zero the platform is insolvent at market.",
                           body: chart.render())
        }
    }
}
