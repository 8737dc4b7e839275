import DominoModel
import DominoReplay
import GRDB

/// One row of the `risk` table: a metric of one grid point over its paths (or seeds).
package struct RiskRow: Sendable, Equatable {
    package var point: Int
    package var metric: String
    package var entity: String // '' when the metric is not per entity
    package var value: Int64, ciLow: Int64, ciHigh: Int64 // × 10⁸ (USD, or a share for p_* and capital efficiency)
    package var n: Int
}

/// The `risk` table of a sweep or stress database: derived data, computed from `runs` and
/// `run_entities` (docs/stress-metrics.md, RiskMetrics for the statistics).
///
/// ```sql
/// risk(point INTEGER, metric TEXT, entity TEXT,   -- entity '' when none
///      value INTEGER, ci_low INTEGER, ci_high INTEGER,  -- × 10^8; 90% percentile-bootstrap interval
///      n INTEGER)                                  -- paths (runs) of the point
/// ```
/// Metrics per point: `losses_mean`, `losses_var95`, `losses_es975`, `losses_es99`,
/// `p_any_halt`, `p_depth_ge2`, `p_depth_eq_D` (one per depth seen at any point), `lar95`,
/// `capital_efficiency`; per entity: `p_halt`, `p_default`, `p_insolvency`.
package enum RiskTable {
    /// The seed of the bootstrap resamples (fixed: the interval depends only on the data).
    package static let bootstrapSeed: UInt64 = 0x5249534B // "RISK"

    package static let schemaSQL = """
    CREATE TABLE IF NOT EXISTS risk (
        point INTEGER NOT NULL, metric TEXT NOT NULL, entity TEXT NOT NULL,
        value INTEGER NOT NULL, ci_low INTEGER NOT NULL, ci_high INTEGER NOT NULL, n INTEGER NOT NULL,
        PRIMARY KEY (point, metric, entity)
    ) WITHOUT ROWID;
    """

    struct Run { var runID: Int64, losses: Int64, halts: Int, depth: Int, liquidation: Int64, efficiency: Int64 }
    struct EntityFlags { var halt = false, defaulted = false, insolvent = false }

    /// Computes the rows from the store's runs, without writing anything; in (point, metric,
    /// entity) order as `read` returns them.
    package static func compute(store: SweepStore, resamples: Int = RiskMetrics.defaultResamples) throws -> [RiskRow] {
        let (runs, entities) = try store.read { db -> ([Int: [Run]], [Int64: [String: EntityFlags]]) in
            var runs: [Int: [Run]] = [:]
            for r in try GRDB.Row.fetchAll(db, sql: "SELECT run_id, point, depositor_losses, halts, contagion_depth, liquidation_volume, capital_efficiency FROM runs ORDER BY run_id") {
                runs[r["point"], default: []].append(Run(runID: r["run_id"], losses: r["depositor_losses"], halts: r["halts"], depth: r["contagion_depth"],
                                                         liquidation: r["liquidation_volume"], efficiency: r["capital_efficiency"]))
            }
            var entities: [Int64: [String: EntityFlags]] = [:]
            for r in try GRDB.Row.fetchAll(db, sql: "SELECT run_id, entity, halt, default_time, insolvency FROM run_entities ORDER BY run_id, entity") {
                let f = EntityFlags(halt: (r["halt"] as Int64?) != nil, defaulted: (r["default_time"] as Int64?) != nil, insolvent: (r["insolvency"] as Int64?) != nil)
                entities[r["run_id"], default: [:]][r["entity"]] = f
            }
            return (runs, entities)
        }
        let allDepths = Set(runs.values.flatMap { $0.map(\.depth) }).sorted()
        let allEntities = Set(entities.values.flatMap { $0.keys }).sorted()
        var rows: [RiskRow] = []
        for point in runs.keys.sorted() {
            let paths = runs[point]!
            let n = paths.count
            let samples = RiskMetrics.Resamples(n: n, seed: bootstrapSeed, point: point, resamples: resamples)
            // Every metric of the point, estimated together: each bootstrap resample is drawn once.
            var pending: [(metric: String, entity: String, item: (RiskMetrics.Statistic, [Int64]))] = []
            func add(_ metric: String, _ s: RiskMetrics.Statistic, _ values: [Int64], entity: String = "") {
                pending.append((metric, entity, (s, values)))
            }
            func flag(_ b: Bool) -> Int64 { b ? Fixed.one : 0 }
            let losses = paths.map(\.losses)
            add("losses_mean", .mean, losses)
            add("losses_var95", .quantile(.p95), losses)
            add("losses_es975", .shortfall(.p975), losses)
            add("losses_es99", .shortfall(.p99), losses)
            add("p_any_halt", .mean, paths.map { flag($0.halts > 0) })
            add("p_depth_ge2", .mean, paths.map { flag($0.depth >= 2) })
            for d in allDepths { add("p_depth_eq_\(d)", .mean, paths.map { flag($0.depth == d) }) }
            add("lar95", .quantile(.p95), paths.map(\.liquidation))
            add("capital_efficiency", .mean, paths.map(\.efficiency))
            for name in allEntities {
                let flags = paths.map { entities[$0.runID]?[name] ?? EntityFlags() }
                add("p_halt", .mean, flags.map { flag($0.halt) }, entity: name)
                add("p_default", .mean, flags.map { flag($0.defaulted) }, entity: name)
                add("p_insolvency", .mean, flags.map { flag($0.insolvent) }, entity: name)
            }
            for (p, e) in zip(pending, RiskMetrics.estimateAll(pending.map(\.item), samples)) {
                rows.append(RiskRow(point: point, metric: p.metric, entity: p.entity, value: e.value, ciLow: e.low, ciHigh: e.high, n: n))
            }
        }
        return rows.sorted { ($0.point, $0.metric, $0.entity) < ($1.point, $1.metric, $1.entity) }
    }

    /// Computes the table and writes it into the store, replacing its previous rows, in one transaction.
    package static func write(store: SweepStore, resamples: Int = RiskMetrics.defaultResamples) throws {
        let rows = try compute(store: store, resamples: resamples)
        try store.db.write { db in
            try db.execute(sql: schemaSQL)
            try db.execute(sql: "DELETE FROM risk")
            let insert = try db.cachedStatement(sql: "INSERT INTO risk (point, metric, entity, value, ci_low, ci_high, n) VALUES (?, ?, ?, ?, ?, ?, ?)")
            for r in rows { try insert.execute(arguments: [r.point, r.metric, r.entity, r.value, r.ciLow, r.ciHigh, r.n]) }
        }
    }

    /// The stored table, or nil when the store has none.
    package static func read(store: SweepStore) throws -> [RiskRow]? {
        try store.read { db in
            guard try db.tableExists("risk") else { return nil }
            return try GRDB.Row.fetchAll(db, sql: "SELECT point, metric, entity, value, ci_low, ci_high, n FROM risk ORDER BY point, metric, entity").map {
                RiskRow(point: $0["point"], metric: $0["metric"], entity: $0["entity"], value: $0["value"], ciLow: $0["ci_low"], ciHigh: $0["ci_high"], n: $0["n"])
            }
        }
    }

    /// The stored table, or computed without writing when there is none (`stress report`, `report`).
    package static func load(store: SweepStore) throws -> [RiskRow] {
        try read(store: store) ?? compute(store: store)
    }
}
