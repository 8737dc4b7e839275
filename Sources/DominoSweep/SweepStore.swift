import DominoLog
import DominoReplay
import Foundation
import GRDB
import GRDBSQLite

/// The results database of a sweep, `DIR/results.sqlite` (SQLite through GRDB).
///
/// Schema (version 5; version 2 added `run_failures`, version 3 the distress columns, version 4 the
/// stress paths: `runs.path` and the `sweep` keys paths, generator, study_seed; version 5 the
/// `network` table — a separate step from any other bump, for the merge; a sweep of an
/// older version is refused: rerun it into another directory). Amounts are exact fixed point, USD × 10^8, as INTEGER (the `_usd`
/// columns repeat them as REAL dollars for convenience); times are INTEGER milliseconds since
/// the Unix epoch, UTC. Every table's content depends only on the command (spec, datasets,
/// policy files, grid, seeds): not on `--jobs`, the order runs finished in, interruptions or
/// the clock — there are no timestamps or durations anywhere.
///
/// ```sql
/// sweep(key TEXT PRIMARY KEY, value TEXT)            -- schema, spec, spec_name, spec_hash, grid, seeds, runs, metrics;
///                                                    -- a stress study also paths, generator, study_seed
/// runs(run_id INTEGER PRIMARY KEY,                   -- 0-based: point × seeds + (seed − 1), or point × paths + path
///      point INTEGER, seed INTEGER,                  -- seed: the model seed the run replayed with
///      path INTEGER,                                 -- a stress study's path (0-based), NULL in a plain sweep
///      params TEXT,                                  -- JSON object {grid key: value as given}
///      counterfactual INTEGER,                       -- 1: replayed against its baseline
///      spec_hash TEXT,                               -- SHA-256 of the resolved spec (spec.resolved)
///      initial_hash TEXT, state_hash TEXT,           -- SHA-256 state hashes, as `domino replay`
///      baseline_state_hash TEXT,                     -- the baseline's final state hash, or NULL
///      depositor_losses INTEGER, depositor_losses_usd REAL,
///      failed INTEGER, halts INTEGER, defaults INTEGER, insolvencies INTEGER,
///      contagion_depth INTEGER,                      -- entities on the longest who-took-down-whom chain (0: none failed)
///      capital_efficiency INTEGER,                   -- share × 10^8 of customer assets lent, deployed or pledged at the start
///      capital_efficiency_share REAL,                -- the same, 0…1
///      liquidations INTEGER, liquidation_volume INTEGER, liquidation_volume_usd REAL,
///      inputs INTEGER,                               -- dataset events applied
///      distress_shock INTEGER, distress_total INTEGER, -- DebtRank-style equity loss at the peak, at book and with
///      amplification INTEGER)                       -- claims marked to distress; total / shock × 10^8 (DistressFigures)
/// run_params(run_id, key, value)                     -- the grid parameters, one row per key
/// run_losses(run_id, platform, cohort, loss, loss_usd, withdrawn, withdrawn_usd)
///                                                    -- depositor losses (and withdrawals) per cohort
/// run_entities(run_id, entity, role, status,         -- status: survives, halted, defaulted, insolvent
///              halt, default_time, insolvency,       -- failure times, or NULL
///              equity, equity_usd, recognised_losses, recognised_losses_usd,
///              capital_efficiency)                   -- share × 10^8 lent, deployed or pledged at the start
/// run_outcomes(run_id, seq, time, entity, kind, counterparty, usd, usd_real, count)
///                                                    -- the timeline of `domino replay` (liquidations per pool and day)
/// run_contagion(run_id, seq, from_entity, to_entity, time, via)
///                                                    -- who helped take down whom: `from` failed first and `to`
///                                                    -- lost on it ("loss") or was recalled by it ("recall"); time = `to`'s failure
/// metrics(run_id, time, entity, assets, liabilities, liquid, equity, coverage,
///         loans_outstanding, reuse_multiplier,
///         marked_equity, payment)                    -- sampled balance sheets (entity rows of metrics.csv), × 10^8;
///                                                    -- marked_equity/payment: the exposure network's distress (Distress.swift);
///                                                    -- coverage NULL when no withdrawal is pending
/// prices(run_id, time, asset, price)                 -- sampled prices (asset rows of metrics.csv), × 10^8
/// network(run_id, seq, time, lender, borrower, kind, asset,
///         nominal, collateral, marked)               -- the exposure network at each kept sample (network.csv), USD × 10^8;
///                                                    -- seq: the run's edge order (time, lender id, borrower id, kind, asset)
///                                                    -- (both: the samples --metrics-every keeps, daily by default)
/// run_failures(run_id, point, seed, params, error)   -- runs that failed (bad grid point, replay error): the one-line
///                                                    -- error instead of results; such a run has no row in any other
///                                                    -- table, counts as done (a rerun skips it) and `sweep report` lists it
/// metrics_usd, prices_usd                            -- views: the same with time_utc text and REAL columns
/// ```
package final class SweepStore: @unchecked Sendable { // used from one thread at a time
    package static let schemaVersion = 5 // 5: the network table (issue 15)
    package static let fileName = "results.sqlite"

    package let path: String
    let db: DatabaseQueue

    /// Opens (creating if needed) the database at `path` and its schema.
    ///
    /// `scratch`: a file that is thrown away unless complete (a shard of a parallel sweep, a merge
    /// before its rename), written without a journal or syncs — a kill can leave it corrupt,
    /// never half-valid in place, since it is only ever renamed into place after `close()`.
    package init(path: String, scratch: Bool = false) throws {
        self.path = path
        var config = Configuration()
        config.prepareDatabase { db in
            try db.execute(sql: scratch ? "PRAGMA journal_mode = OFF" : "PRAGMA journal_mode = WAL")
            try db.execute(sql: scratch ? "PRAGMA synchronous = OFF" : "PRAGMA synchronous = NORMAL")
        }
        do {
            let parent = (path as NSString).deletingLastPathComponent
            if !parent.isEmpty { try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true) }
            db = try DatabaseQueue(path: path, configuration: config)
            try db.write { db in try SweepStore.createSchema(db) }
        } catch let error as DatabaseError {
            throw SweepError.failure("\(path): \(error.message ?? "\(error)")")
        } catch {
            throw SweepError.failure("\(path): \(error.localizedDescription)")
        }
    }

    /// Opens an existing database read-only, without creating anything (`sweep merge` reading
    /// shards, comparisons).
    package init(existing path: String) throws {
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else { throw SweepError.failure("\(path): no such file") }
        var config = Configuration()
        config.readonly = true
        do {
            db = try DatabaseQueue(path: path, configuration: config)
            _ = try db.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") }
        } catch let error as DatabaseError {
            throw SweepError.failure("\(path): not a readable SQLite database (\(error.message ?? "\(error)"))")
        }
    }

    /// The definitions of every table and view (`sqlite_master`), one line each, by name: two
    /// databases of the same schema give the same lines.
    package func schemaLines() throws -> [String] {
        try db.read { db in
            try Row.fetchAll(db, sql: "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name").map { row in
                [row["type"] as String? ?? "", row["name"] as String? ?? "", row["sql"] as String? ?? ""].joined(separator: "|")
            }
        }
    }

    /// An in-memory database (benchmarks, tests).
    package init() throws {
        path = ":memory:"
        db = try DatabaseQueue()
        try db.write { db in try SweepStore.createSchema(db) }
    }

    package static let schemaSQL = """
    CREATE TABLE IF NOT EXISTS sweep (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS runs (
        run_id INTEGER PRIMARY KEY NOT NULL,
        point INTEGER NOT NULL,
        seed INTEGER NOT NULL,
        path INTEGER,
        params TEXT NOT NULL,
        counterfactual INTEGER NOT NULL,
        spec_hash TEXT NOT NULL,
        initial_hash TEXT NOT NULL,
        state_hash TEXT NOT NULL,
        baseline_state_hash TEXT,
        depositor_losses INTEGER NOT NULL,
        depositor_losses_usd REAL NOT NULL,
        failed INTEGER NOT NULL,
        halts INTEGER NOT NULL,
        defaults INTEGER NOT NULL,
        insolvencies INTEGER NOT NULL,
        contagion_depth INTEGER NOT NULL,
        capital_efficiency INTEGER NOT NULL,
        capital_efficiency_share REAL NOT NULL,
        liquidations INTEGER NOT NULL,
        liquidation_volume INTEGER NOT NULL,
        liquidation_volume_usd REAL NOT NULL,
        inputs INTEGER NOT NULL,
        distress_shock INTEGER NOT NULL,
        distress_total INTEGER NOT NULL,
        amplification INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS run_params (
        run_id INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
        PRIMARY KEY (run_id, key)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS run_losses (
        run_id INTEGER NOT NULL, platform TEXT NOT NULL, cohort TEXT NOT NULL,
        loss INTEGER NOT NULL, loss_usd REAL NOT NULL, withdrawn INTEGER NOT NULL, withdrawn_usd REAL NOT NULL,
        PRIMARY KEY (run_id, platform, cohort)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS run_entities (
        run_id INTEGER NOT NULL, entity TEXT NOT NULL, role TEXT NOT NULL, status TEXT NOT NULL,
        halt INTEGER, default_time INTEGER, insolvency INTEGER,
        equity INTEGER NOT NULL, equity_usd REAL NOT NULL, recognised_losses INTEGER NOT NULL, recognised_losses_usd REAL NOT NULL,
        capital_efficiency INTEGER NOT NULL,
        PRIMARY KEY (run_id, entity)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS run_outcomes (
        run_id INTEGER NOT NULL, seq INTEGER NOT NULL, time INTEGER NOT NULL, entity TEXT NOT NULL,
        kind TEXT NOT NULL, counterparty TEXT, usd INTEGER NOT NULL, usd_real REAL NOT NULL, count INTEGER NOT NULL,
        PRIMARY KEY (run_id, seq)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS run_contagion (
        run_id INTEGER NOT NULL, seq INTEGER NOT NULL, from_entity TEXT NOT NULL, to_entity TEXT NOT NULL, time INTEGER NOT NULL,
        via TEXT NOT NULL,
        PRIMARY KEY (run_id, seq)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS metrics (
        run_id INTEGER NOT NULL, time INTEGER NOT NULL, entity TEXT NOT NULL,
        assets INTEGER NOT NULL, liabilities INTEGER NOT NULL, liquid INTEGER NOT NULL, equity INTEGER NOT NULL, coverage INTEGER,
        loans_outstanding INTEGER NOT NULL, reuse_multiplier INTEGER NOT NULL,
        marked_equity INTEGER NOT NULL, payment INTEGER NOT NULL,
        PRIMARY KEY (run_id, time, entity)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS prices (
        run_id INTEGER NOT NULL, time INTEGER NOT NULL, asset TEXT NOT NULL, price INTEGER NOT NULL,
        PRIMARY KEY (run_id, time, asset)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS network (
        run_id INTEGER NOT NULL, seq INTEGER NOT NULL, time INTEGER NOT NULL, lender TEXT NOT NULL, borrower TEXT NOT NULL,
        kind TEXT NOT NULL, asset TEXT, nominal INTEGER NOT NULL, collateral INTEGER NOT NULL, marked INTEGER NOT NULL,
        PRIMARY KEY (run_id, seq)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS run_failures (
        run_id INTEGER PRIMARY KEY NOT NULL, point INTEGER NOT NULL, seed INTEGER NOT NULL, params TEXT NOT NULL, error TEXT NOT NULL
    );
    CREATE VIEW IF NOT EXISTS metrics_usd AS SELECT
        run_id, time, strftime('%Y-%m-%dT%H:%M:%SZ', time / 1000, 'unixepoch') AS time_utc, entity,
        assets / 1e8 AS assets, liabilities / 1e8 AS liabilities, liquid / 1e8 AS liquid, equity / 1e8 AS equity,
        coverage / 1e8 AS coverage, loans_outstanding / 1e8 AS loans_outstanding, reuse_multiplier / 1e8 AS reuse_multiplier
        FROM metrics;
    CREATE VIEW IF NOT EXISTS prices_usd AS SELECT
        run_id, time, strftime('%Y-%m-%dT%H:%M:%SZ', time / 1000, 'unixepoch') AS time_utc, asset, price / 1e8 AS price
        FROM prices;
    """

    /// The tables whose rows a resumed sweep reproduces exactly (all of them), in a fixed order.
    package static let tables = ["sweep", "runs", "run_params", "run_losses", "run_entities", "run_outcomes", "run_contagion", "metrics", "prices", "network", "run_failures"]

    static func createSchema(_ db: Database) throws {
        try db.execute(sql: schemaSQL)
    }

    // MARK: The sweep's identity

    /// Records the sweep's identity in a new database, or checks that an existing one holds the
    /// same sweep (same spec hash, grid and seeds): a different one is a usage error.
    package func claim(_ meta: [(String, String)]) throws {
        try db.write { db in
            let existing = try Row.fetchAll(db, sql: "SELECT key, value FROM sweep")
            if existing.isEmpty {
                for (k, v) in meta { try db.execute(sql: "INSERT INTO sweep (key, value) VALUES (?, ?)", arguments: [k, v]) }
                return
            }
            var have: [String: String] = [:]
            for row in existing { have[row["key"]] = row["value"] as String }
            if let schema = have["schema"], schema != String(SweepStore.schemaVersion) {
                throw SweepError.usage("\(path) has results of schema \(schema), not \(SweepStore.schemaVersion); use another --out")
            }
            let reasons = ["spec_hash": "the spec, its datasets or policy files changed", "grid": "the grid differs",
                           "seeds": "--seeds differs", "metrics": "--metrics-every differs", "paths": "--paths differs",
                           "generator": "--generator differs", "study_seed": "the study --seed differs"]
            let given = Dictionary(meta, uniquingKeysWith: { a, _ in a })
            for k in ["seeds", "paths", "generator", "study_seed", "grid", "metrics", "spec_hash"] where have[k] != given[k] {
                let what = reasons[k]!
                throw SweepError.usage("\(path) holds a different sweep (\(what)); use another --out or remove it")
            }
        }
    }

    /// Makes the file self-contained (the WAL checkpointed into it, rollback journal mode) and
    /// closes it: what `sweep run-shard` and `sweep merge` do before renaming a file into place.
    package func close() throws {
        do {
            try db.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
            }
            try db.close()
        } catch let error as DatabaseError {
            throw SweepError.failure("\(path): \(error.message ?? "\(error)")")
        }
    }

    /// Copies every row of `runs` (nil: of every run) from the sweep database at `file` (same
    /// schema), in one transaction, with SQL (`INSERT … SELECT`), never through Swift values.
    package func append(from file: String, runs: [Int]? = nil) throws {
        try db.writeWithoutTransaction { db in
            try db.execute(sql: "ATTACH DATABASE ? AS shard", arguments: [file])
            defer { try? db.execute(sql: "DETACH DATABASE shard") }
            try db.inTransaction {
                var filter = ""
                if let runs {
                    try db.execute(sql: "CREATE TEMP TABLE pick (run_id INTEGER PRIMARY KEY)")
                    let insert = try db.makeStatement(sql: "INSERT INTO temp.pick (run_id) VALUES (?)")
                    for run in runs { try insert.execute(arguments: [run]) }
                    filter = " WHERE run_id IN (SELECT run_id FROM temp.pick)"
                }
                for table in SweepStore.tables where table != "sweep" {
                    try db.execute(sql: "INSERT INTO main.\(table) SELECT * FROM shard.\(table)" + filter)
                }
                if runs != nil { try db.execute(sql: "DROP TABLE temp.pick") }
                return .commit
            }
        }
    }

    /// Switches the journal: WAL (the default: cheap small commits, readers beside the writer) or
    /// a rollback journal (cheaper for a few large transactions: each new page is written once,
    /// not to the WAL and then again at the checkpoint). Both keep every transaction atomic.
    package func journal(wal: Bool) throws {
        try db.writeWithoutTransaction { db in
            if !wal { try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
            try db.execute(sql: wal ? "PRAGMA journal_mode = WAL" : "PRAGMA journal_mode = DELETE")
        }
    }

    /// The `sweep` table as key → value.
    package func meta() throws -> [String: String] {
        try db.read { db in
            var have: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT key, value FROM sweep") { have[row["key"]] = row["value"] as String }
            return have
        }
    }

    /// The ids of the runs already stored, with results or as failed.
    package func finishedRuns() throws -> Set<Int> {
        try db.read { db in Set(try Int.fetchAll(db, sql: "SELECT run_id FROM runs UNION ALL SELECT run_id FROM run_failures")) }
    }

    /// The failed runs stored, by run id.
    package func failures() throws -> [RunFailure] {
        try db.read { db in
            try Row.fetchAll(db, sql: "SELECT run_id, point, seed, params, error FROM run_failures ORDER BY run_id").map { row in
                RunFailure(runID: row["run_id"], point: row["point"], seed: UInt64(bitPattern: row["seed"] as Int64),
                           parameters: SweepStore.parameters(row["params"]), error: row["error"])
            }
        }
    }

    /// A `params` JSON object (`{"key":"value",…}`, as written here) back to its parameters, in order.
    static func parameters(_ json: String) -> [GridParameter] {
        guard let data = json.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: String] else { return [] }
        // JSONSerialization loses the order: recover it from the text.
        return object.keys.sorted { (json.range(of: JSON.quote($0))?.lowerBound ?? json.endIndex) < (json.range(of: JSON.quote($1))?.lowerBound ?? json.endIndex) }
            .map { GridParameter(key: $0, value: object[$0]!) }
    }

    // MARK: Writing

    /// Writes one run, all its rows, in one transaction: a kill never leaves half a run.
    package func write(_ r: RunRecord) throws { try write([r]) }

    /// Writes several runs, all their rows, in one transaction (the sweep's writer batches the
    /// runs that are ready, so one commit serves many runs): a kill never leaves half a run, and
    /// loses at most the batch, which a rerun writes again.
    package func write(_ records: [RunRecord], failures: [RunFailure] = []) throws {
        guard !records.isEmpty || !failures.isEmpty else { return }
        try db.write { db in
            for r in records { try SweepStore.insert(r, db) }
            for f in failures {
                let params = JSON.object(f.parameters.map { ($0.key, .string($0.value)) }).render()
                try db.execute(sql: "INSERT INTO run_failures (run_id, point, seed, params, error) VALUES (?, ?, ?, ?, ?)",
                               arguments: [f.runID, f.point, Int64(bitPattern: f.seed), params, f.error])
            }
        }
    }

    static func insert(_ r: RunRecord, _ db: Database) throws {
        let params = JSON.object(r.parameters.map { ($0.key, .string($0.value)) }).render()
        try db.execute(sql: """
            INSERT INTO runs (run_id, point, seed, path, params, counterfactual, spec_hash, initial_hash, state_hash, baseline_state_hash,
                depositor_losses, depositor_losses_usd, failed, halts, defaults, insolvencies, contagion_depth,
                capital_efficiency, capital_efficiency_share, liquidations, liquidation_volume, liquidation_volume_usd, inputs,
                distress_shock, distress_total, amplification)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [r.runID, r.point, Int64(bitPattern: r.seed), r.path, params, r.counterfactual ? 1 : 0, r.specHash, r.initialHash,
                             r.stateHash, r.baselineStateHash,
                             r.depositorLosses, SweepStore.real(r.depositorLosses), r.failed, r.halts, r.defaults, r.insolvencies,
                             r.contagionDepth, r.capitalEfficiency, SweepStore.real(r.capitalEfficiency), r.liquidations,
                             r.liquidationVolume, SweepStore.real(r.liquidationVolume), Int64(bitPattern: r.inputs),
                             r.distressShock, r.distressTotal, r.amplification])
        let param = try db.cachedStatement(sql: "INSERT INTO run_params (run_id, key, value) VALUES (?, ?, ?)")
        for p in r.parameters { try param.execute(arguments: [r.runID, p.key, p.value]) }
        let loss = try db.cachedStatement(sql: """
            INSERT INTO run_losses (run_id, platform, cohort, loss, loss_usd, withdrawn, withdrawn_usd) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        for l in r.losses {
            try loss.execute(arguments: [r.runID, l.platform, l.cohort, l.loss, SweepStore.real(l.loss), l.withdrawn, SweepStore.real(l.withdrawn)])
        }
        let entity = try db.cachedStatement(sql: """
            INSERT INTO run_entities (run_id, entity, role, status, halt, default_time, insolvency, equity, equity_usd,
                recognised_losses, recognised_losses_usd, capital_efficiency) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for e in r.entities {
            try entity.execute(arguments: [r.runID, e.name, e.role, e.status, e.halt, e.defaulted, e.insolvency, e.equity, SweepStore.real(e.equity),
                                           e.recognisedLosses, SweepStore.real(e.recognisedLosses), e.capitalEfficiency])
        }
        let outcome = try db.cachedStatement(sql: """
            INSERT INTO run_outcomes (run_id, seq, time, entity, kind, counterparty, usd, usd_real, count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for (i, o) in r.outcomes.enumerated() {
            try Insert(outcome).int(r.runID).int(i).int(o.time).text(o.entity).text(o.kind).text(o.counterparty.isEmpty ? nil : o.counterparty)
                .int(o.usd).real(SweepStore.real(o.usd)).int(o.count).step(db)
        }
        let link = try db.cachedStatement(sql: "INSERT INTO run_contagion (run_id, seq, from_entity, to_entity, time, via) VALUES (?, ?, ?, ?, ?, ?)")
        for (i, l) in r.chain.enumerated() { try link.execute(arguments: [r.runID, i, l.from, l.to, l.time, l.via]) }
        // The bulk of a run's rows: bound through the SQLite C API, without GRDB's argument arrays.
        let metric = try db.cachedStatement(sql: """
            INSERT INTO metrics (run_id, time, entity, assets, liabilities, liquid, equity, coverage, loans_outstanding, reuse_multiplier,
                marked_equity, payment)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for m in r.metrics {
            try Insert(metric).int(r.runID).int(m.time).text(m.entity).int(m.assets).int(m.liabilities).int(m.liquid)
                .int(m.equity).int(m.coverage).int(m.loansOutstanding).int(m.reuseMultiplier).int(m.markedEquity).int(m.payment).step(db)
        }
        let price = try db.cachedStatement(sql: "INSERT INTO prices (run_id, time, asset, price) VALUES (?, ?, ?, ?)")
        for p in r.prices { try Insert(price).int(r.runID).int(p.time).text(p.asset).int(p.price).step(db) }
        let edge = try db.cachedStatement(sql: """
            INSERT INTO network (run_id, seq, time, lender, borrower, kind, asset, nominal, collateral, marked) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for (i, e) in r.network.enumerated() {
            try Insert(edge).int(r.runID).int(i).int(e.time).text(e.lender).text(e.borrower).text(e.kind).text(e.asset)
                .int(e.nominal).int(e.collateral).int(e.marked).step(db)
        }
    }

    /// One row bound column by column straight into a prepared statement, then stepped.
    struct Insert {
        let handle: OpaquePointer
        var column: Int32 = 1
        init(_ statement: Statement) { handle = statement.sqliteStatement }

        static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

        func int(_ v: Int64?) -> Insert {
            var next = self
            if let v { sqlite3_bind_int64(handle, column, v) } else { sqlite3_bind_null(handle, column) }
            next.column += 1
            return next
        }
        func int(_ v: Int) -> Insert { int(Int64(v)) }
        func real(_ v: Double) -> Insert {
            var next = self
            sqlite3_bind_double(handle, column, v)
            next.column += 1
            return next
        }
        func text(_ v: String?) -> Insert {
            var next = self
            if let v { sqlite3_bind_text(handle, column, v, -1, Insert.transient) } else { sqlite3_bind_null(handle, column) }
            next.column += 1
            return next
        }
        func step(_ db: Database) throws {
            let code = sqlite3_step(handle)
            sqlite3_reset(handle)
            guard code == SQLITE_DONE else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
            }
        }
    }

    static func real(_ fixed: Int64) -> Double { Double(fixed) / 1e8 }

    // MARK: Reading

    /// Every row of every table, rendered as text lines in primary-key order: two databases
    /// with the same content give the same lines (the tests compare them).
    package func dump(tables: [String] = SweepStore.tables) throws -> [String] {
        try db.read { db in
            var lines: [String] = []
            for table in tables {
                let keys = try SweepStore.primaryKey(db, table)
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY \(keys.joined(separator: ", "))") {
                    lines.append(table + "|" + row.columnNames.map { name in
                        let v = row[name] as DatabaseValue
                        switch v.storage {
                        case .null: return "NULL"
                        case .int64(let i): return String(i)
                        case .double(let d): return "r" + String(d)
                        case .string(let s): return "'" + s + "'"
                        case .blob(let b): return "x" + b.map { String($0, radix: 16) }.joined()
                        }
                    }.joined(separator: "|"))
                }
            }
            return lines
        }
    }

    static func primaryKey(_ db: Database, _ table: String) throws -> [String] {
        try Row.fetchAll(db, sql: "SELECT name, pk FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", arguments: [table]).map { $0["name"] }
    }

    /// Runs a read-only block (reports, tests).
    package func read<T>(_ body: (Database) throws -> T) throws -> T { try db.read(body) }
}
