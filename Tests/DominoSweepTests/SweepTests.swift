@testable import DominoSweep
import DominoLog
import DominoModel
import DominoReplay
import DominoTestFixtures
import Foundation
import GRDB
import Testing

@Suite struct GridTests {
    @Test func valuesSplitAtTopLevelCommas() throws {
        #expect(try GridAxis.parse("seed=1,2,3") == GridAxis(key: "seed", values: ["1", "2", "3"]))
        #expect(try GridAxis.parse("entities.L.policy.rehypothecationCap= 0 , 0.5") ==
                GridAxis(key: "entities.L.policy.rehypothecationCap", values: ["0", "0.5"]))
        // YAML mappings, lists and quoted text keep their commas.
        let gate = try GridAxis.parse("entities.L.policy.withdrawalGate={maxShare: 0.1, window: 1d},null,{maxShare: 0.2, window: 2d}")
        #expect(gate.values == ["{maxShare: 0.1, window: 1d}", "null", "{maxShare: 0.2, window: 2d}"])
        #expect(try GridAxis.parse("loans[0].collateral=[1, 2],'a,b'").values == ["[1, 2]", "'a,b'"])
        #expect(try GridAxis.parse("policy=none").values == ["none"])
    }

    @Test func badGridsAreUsageErrors() throws {
        func message(_ text: String) -> String? {
            do { _ = try GridAxis.parse(text); return nil } catch let e as SweepError { return e.usage ? e.message : "not usage: \(e.message)" } catch { return "\(error)" }
        }
        #expect(message("seed") == "--grid 'seed' is not key=value1,value2,…")
        #expect(message("=1,2") == "--grid '=1,2' has no key before '='")
        #expect(message("a..b=1") == "--grid key 'a..b' is not a spec path like entities.Celsius.policy.rehypothecationCap")
        #expect(message("seed=1,,2") == "--grid seed has an empty value in '1,,2' (values are separated by single commas)")
        #expect(message("seed=") == "--grid seed has an empty value in '' (values are separated by single commas)")
        #expect(message("seed=1,2,1") == "--grid seed lists the value '1' twice")
        #expect(message("a={x: 1") == "--grid a: unclosed bracket in '{x: 1'")
        #expect(message("a=x}") == "--grid a: unbalanced '}' in 'x}'")
        #expect(message("a='x,y") == "--grid a: unclosed quote in ''x,y'")
        #expect(throws: SweepError.usage("--grid model.swapFee is given twice (give its values in one --grid)")) {
            try Grid(axes: [GridAxis(key: "model.swapFee", values: ["0"]), GridAxis(key: "model.swapFee", values: ["1"])], seeds: nil)
        }
        #expect(throws: SweepError.usage("--grid seed=… and --seeds cannot be combined")) {
            try Grid(axes: [GridAxis(key: "seed", values: ["1", "2"])], seeds: 3)
        }
        #expect(throws: SweepError.usage("--seeds must be at least 1")) { try Grid(axes: [], seeds: 0) }
    }

    /// Run ids: the first --grid outermost, seeds innermost.
    @Test func runIdsFollowTheGridOrder() throws {
        let grid = try Grid(axes: [GridAxis(key: "a", values: ["a0", "a1"]), GridAxis(key: "b", values: ["b0", "b1", "b2"])], seeds: 2)
        #expect(grid.pointCount == 6 && grid.runCount == 12)
        #expect(grid.coordinates(ofPoint: 0) == [0, 0])
        #expect(grid.coordinates(ofPoint: 1) == [0, 1])
        #expect(grid.coordinates(ofPoint: 3) == [1, 0])
        #expect(grid.coordinates(ofPoint: 5) == [1, 2])
        // run 9 = point 4 (a1, b1), seed 2
        #expect(grid.point(ofRun: 9) == 4 && grid.seedIndex(ofRun: 9) == 1)
        #expect(grid.parameters(ofPoint: 4).map { "\($0.key)=\($0.value)" } == ["a=a1", "b=b1"])
        #expect(grid.json.render() == #"{"axes":[{"key":"a","values":["a0","a1"]},{"key":"b","values":["b0","b1","b2"]}],"seeds":2}"#)
        #expect(try Grid(axes: [], seeds: nil).runCount == 1)
    }

    @Test func aBadOverrideStopsTheSweepBeforeItRuns() throws {
        let dir = TempDir()
        #expect(throws: SweepError.usage(
            "grid point entities.L.policy.rehypothecationCapp=0: --set entities.L.policy.rehypothecationCapp=0: unknown key 'rehypothecationCapp' in 'entities.L.policy'; did you mean 'rehypothecationCap'? "
            + "(allowed: rehypothecationCap, minCollateralRatio, liquidityBuffer, concentrationLimit, withdrawalGate, circuitBreaker, dynamicCollateral, proofOfReserves, tiers)")) {
            _ = try Tiny.plan(dir, ["entities.L.policy.rehypothecationCapp=0"], seeds: nil)
        }
        let other = TempDir()
        #expect(throws: SweepError.self) { _ = try Tiny.plan(other, ["policy=none,no-such-policy"], seeds: nil) }
    }
}

@Suite struct SweepDatabaseTests {
    let dir = TempDir()

    func rows(_ store: SweepStore, _ sql: String) throws -> [[String]] {
        try store.read { db in
            try Row.fetchAll(db, sql: sql).map { row in row.databaseValues.map { $0.isNull ? "NULL" : "\($0.storage.value!)" } }
        }
    }

    /// policy=none,no-rehyp × seeds 1…2: runs 0-1 are the spec as written (each its own
    /// baseline), runs 2-3 the counterfactual without rehypothecation.
    @Test func schemaAndRowsOfATinySweep() throws {
        let plan = try Tiny.plan(dir, ["policy=none,no-rehyp"], seeds: 2)
        #expect(plan.runCount == 4 && plan.baselineCount == 2)
        let (store, result) = try Tiny.sweep(plan, into: dir.file("out/results.sqlite"), jobs: 2)
        #expect(result.total == 4 && result.written == 4 && result.skipped == 0)

        // The documented schema: these tables (and the view), these columns, in this order.
        let tables = try rows(store, "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name").map { "\($0[0]) \($0[1])" }
        #expect(tables == ["table metrics", "view metrics_usd", "table network", "table prices", "view prices_usd", "table run_contagion", "table run_entities",
                           "table run_failures", "table run_losses", "table run_outcomes", "table run_params", "table runs", "table sweep"])
        func columns(_ table: String) throws -> String {
            try rows(store, "SELECT name FROM pragma_table_info('\(table)') ORDER BY cid").map { $0[0] }.joined(separator: ",")
        }
        #expect(try columns("runs") == "run_id,point,seed,path,params,counterfactual,spec_hash,initial_hash,state_hash,baseline_state_hash,"
                + "depositor_losses,depositor_losses_usd,failed,halts,defaults,insolvencies,contagion_depth,capital_efficiency,"
                + "capital_efficiency_share,liquidations,liquidation_volume,liquidation_volume_usd,inputs,distress_shock,distress_total,amplification")
        #expect(try columns("run_params") == "run_id,key,value")
        #expect(try columns("run_losses") == "run_id,platform,cohort,loss,loss_usd,withdrawn,withdrawn_usd")
        #expect(try columns("run_entities") == "run_id,entity,role,status,halt,default_time,insolvency,equity,equity_usd,recognised_losses,recognised_losses_usd,capital_efficiency")
        #expect(try columns("run_outcomes") == "run_id,seq,time,entity,kind,counterparty,usd,usd_real,count")
        #expect(try columns("run_contagion") == "run_id,seq,from_entity,to_entity,time,via")
        #expect(try columns("metrics") == "run_id,time,entity,assets,liabilities,liquid,equity,coverage,loans_outstanding,reuse_multiplier,marked_equity,payment")
        #expect(try columns("metrics_usd") == "run_id,time,time_utc,entity,assets,liabilities,liquid,equity,coverage,loans_outstanding,reuse_multiplier")
        #expect(try columns("prices") == "run_id,time,asset,price")
        #expect(try columns("prices_usd") == "run_id,time,time_utc,asset,price")
        #expect(try columns("run_failures") == "run_id,point,seed,params,error")
        #expect(try columns("network") == "run_id,seq,time,lender,borrower,kind,asset,nominal,collateral,marked")

        let meta = try rows(store, "SELECT key, value FROM sweep ORDER BY key").map { "\($0[0])=\($0[1])" }
        #expect(meta == ["grid={\"axes\":[{\"key\":\"policy\",\"values\":[\"none\",\"no-rehyp\"]}],\"seeds\":2}", "metrics=all", "runs=4",
                         "schema=5", "seeds=2", "spec=\(dir.file("tiny.yaml"))",
                         "spec_hash=\(plan.specHash)", "spec_name=tiny"])

        // Headline figures per run (hand-computed: see `Tiny`). Losses 200 USD = 200 × 10^8;
        // L had lent 600 of 1,000 of customer assets: capital efficiency 0.6.
        let headline = try rows(store, """
            SELECT run_id, point, seed, params, counterfactual, depositor_losses, depositor_losses_usd, failed, halts, defaults,
                   insolvencies, contagion_depth, capital_efficiency, capital_efficiency_share FROM runs ORDER BY run_id
            """)
        #expect(headline == [
            ["0", "0", "1", #"{"policy":"none"}"#, "0", "20000000000", "200.0", "2", "1", "1", "2", "2", "60000000", "0.6"],
            ["1", "0", "2", #"{"policy":"none"}"#, "0", "20000000000", "200.0", "2", "1", "1", "2", "2", "60000000", "0.6"],
            ["2", "1", "1", #"{"policy":"no-rehyp"}"#, "1", "0", "0.0", "0", "0", "0", "0", "0", "0", "0.0"],
            ["3", "1", "2", #"{"policy":"no-rehyp"}"#, "1", "0", "0.0", "0", "0", "0", "0", "0", "0", "0.0"],
        ])
        // State hashes are those of `domino replay SPEC --set … --set seed=k`; a counterfactual
        // records its baseline's (run 0 for seed 1, run 1 for seed 2).
        let hashes = try rows(store, "SELECT state_hash, baseline_state_hash, spec_hash FROM runs ORDER BY run_id")
        for run in 0..<4 {
            let replay = try Replay.run(path: plan.specPath, overrides: plan.overrides(ofRun: run))
            #expect(hashes[run][0] == replay.run.finalHash)
            #expect(hashes[run][1] == (replay.baseline?.finalHash ?? "NULL"))
            #expect(hashes[run][2] == SHA256.hex(Array(SpecRenderer.render(replay.run.scenario.spec).utf8)))
        }
        #expect(hashes[2][1] == hashes[0][0] && hashes[3][1] == hashes[1][0])
        #expect(plan.overrides(ofRun: 3).map { "\($0.path)=\($0.value)" } == ["entities.L.policy.rehypothecationCap=0", "seed=2"])

        #expect(try rows(store, "SELECT * FROM run_params ORDER BY run_id") ==
                [["0", "policy", "none"], ["1", "policy", "none"], ["2", "policy", "no-rehyp"], ["3", "policy", "no-rehyp"]])
        // The exposure network of run 0 (the episode as written): L's unsecured 600 USDC loan to F,
        // at par while F's 0.4 ETH ($800) covers it, marked at 600 × 400/600 = 399.999996 (the
        // share rounded down to 0.66666666) once ETH halves on 3 June, gone at F's default on 5 June.
        let day: Int64 = 86_400_000, first = t("2022-06-01T00:00:00Z")
        #expect(try rows(store, "SELECT seq, time, lender, borrower, kind, asset, nominal, collateral, marked FROM network WHERE run_id = 0 ORDER BY seq") ==
                (0..<5).map { i in
                    ["\(i)", "\(first + Int64(i) * day)", "L", "F", "loan", "USDC", "60000000000", "0", i < 3 ? "60000000000" : "39999999600"]
                })
        // Depositors withdrew 300 + 100 (all L had) and lose the 200 L cannot cover.
        #expect(try rows(store, "SELECT * FROM run_losses WHERE run_id IN (0, 2) ORDER BY run_id") ==
                [["0", "L", "retail", "20000000000", "200.0", "40000000000", "400.0"],
                 ["2", "L", "retail", "0", "0.0", "50000000000", "500.0"]])
        #expect(try rows(store, "SELECT entity, role, status, halt, default_time, insolvency, capital_efficiency FROM run_entities WHERE run_id = 0") == [
            ["F", "fund", "defaulted", "NULL", "\(t("2022-06-05T12:00:00Z"))", "\(t("2022-06-05T12:00:00Z"))", "0"], // found insolvent as it defaults
            ["L", "lender", "halted", "\(t("2022-06-02T12:00:00Z"))", "NULL", "\(t("2022-06-05T12:00:00Z"))", "60000000"],
        ])
        // The timeline of `domino replay`.
        #expect(try rows(store, "SELECT seq, time, entity, kind, counterparty, usd, count FROM run_outcomes WHERE run_id = 1") == [
            ["0", "\(t("2022-06-02T12:00:00Z"))", "L", "recall", "F", "60000000000", "1"],
            ["1", "\(t("2022-06-02T12:00:00Z"))", "L", "halt", "NULL", "10000000000", "1"],
            ["2", "\(t("2022-06-05T12:00:00Z"))", "F", "default", "NULL", "20000000000", "1"],
            ["3", "\(t("2022-06-05T12:00:00Z"))", "L", "loss", "F", "20000000000", "1"],
            ["4", "\(t("2022-06-05T12:00:00Z"))", "L", "insolvency", "NULL", "20000000000", "1"],
            ["5", "\(t("2022-06-05T12:00:00Z"))", "F", "insolvency", "NULL", "20000000000", "1"],
        ])
        #expect(try rows(store, "SELECT count(*) FROM run_outcomes WHERE run_id >= 2") == [["0"]])
        // L, halted first, recalled F's loan before F failed: a chain L → F, depth 2.
        #expect(try rows(store, "SELECT run_id, seq, from_entity, to_entity, time, via FROM run_contagion ORDER BY run_id") == [
            ["0", "0", "L", "F", "\(t("2022-06-05T12:00:00Z"))", "recall"],
            ["1", "0", "L", "F", "\(t("2022-06-05T12:00:00Z"))", "recall"],
        ])
        // metrics.csv of each run: daily samples 1-10 June of L and F, and of USDC and ETH.
        #expect(try rows(store, "SELECT run_id, count(*) FROM metrics GROUP BY run_id") == [["0", "20"], ["1", "20"], ["2", "20"], ["3", "20"]])
        #expect(try rows(store, "SELECT run_id, count(*) FROM prices GROUP BY run_id") == [["0", "20"], ["1", "20"], ["2", "20"], ["3", "20"]])
        #expect(try rows(store, "SELECT asset, price FROM prices WHERE run_id = 0 AND time = \(t("2022-06-10T00:00:00Z"))") ==
                [["ETH", "100000000000"], ["USDC", "100000000"]])
        // A sample at T is taken before the inputs at T: the crash tick of 3 June 00:00 shows on the 4th.
        #expect(try rows(store, "SELECT time_utc, price FROM prices_usd WHERE run_id = 0 AND asset = 'ETH' AND time_utc >= '2022-06-03' LIMIT 2") ==
                [["2022-06-03T00:00:00Z", "2000.0"], ["2022-06-04T00:00:00Z", "1000.0"]])
        // L's balance sheet on 1 June, as written: 1,000 owed to depositors, 400 liquid, 600 lent.
        #expect(try rows(store, "SELECT liabilities, liquid, loans_outstanding FROM metrics WHERE run_id = 0 AND entity = 'L' AND time = \(t("2022-06-01T00:00:00Z"))") ==
                [["100000000000", "40000000000", "60000000000"]])
    }

    /// Kill-like interruptions — after k runs, or with gaps — then the same sweep again: the
    /// database ends with exactly the rows of an uninterrupted run, whatever the job count.
    @Test func interruptedSweepResumesToTheSameContent() throws {
        let plan = try Tiny.plan(dir, ["entities.L.policy.rehypothecationCap=0,0.3,0.6", "model.halt.horizon=48h,96h"], seeds: 2)
        #expect(plan.runCount == 12)
        #expect(plan.baselineCount == 4) // 2 horizons × 2 seeds
        let (reference, _) = try Tiny.sweep(plan, into: dir.file("a/results.sqlite"), jobs: 1)
        let expected = try reference.dump()
        #expect(expected.filter { $0.hasPrefix("runs|") }.count == 12)

        // Stopped after 5 runs written, resumed.
        let b = dir.file("b/results.sqlite")
        let (_, first) = try Tiny.sweep(plan, into: b, jobs: 2, stopAfter: 5)
        #expect(first.written == 5)
        let partial = try SweepStore(path: b)
        #expect(try partial.finishedRuns() == Set(0..<5))
        #expect(try partial.dump() != expected)
        let (resumed, second) = try Tiny.sweep(plan, into: b, jobs: 2)
        #expect(second.skipped == 5 && second.written == 7)
        #expect(try resumed.dump() == expected)

        // Gaps: runs 1, 6 and 11 done (each with a baseline the others share), then the rest.
        let c = dir.file("c/results.sqlite")
        try Tiny.sweep(plan, into: c, jobs: 2, only: [1, 6, 11])
        let (gapped, third) = try Tiny.sweep(plan, into: c, jobs: 3)
        #expect(third.skipped == 3 && third.written == 9)
        #expect(try gapped.dump() == expected)

        // Run again when complete: nothing to do, nothing changes.
        let (again, fourth) = try Tiny.sweep(plan, into: c, jobs: 2)
        #expect(fourth.written == 0 && fourth.skipped == 12)
        #expect(try again.dump() == expected)
    }

    @Test func jobCountDoesNotChangeTheContent() throws {
        let plan = try Tiny.plan(dir, ["policy=no-rehyp,none", "model.recoveryRate=1,0.5"], seeds: 2)
        let dumps = try [1, 2, 4].map { jobs in try Tiny.sweep(plan, into: dir.file("j\(jobs)/results.sqlite"), jobs: jobs).0.dump() }
        #expect(dumps[0] == dumps[1] && dumps[0] == dumps[2])
        #expect(dumps[0].filter { $0.hasPrefix("runs|") }.count == 8)
    }

    /// 12-hourly samples over 1-10 June: 19 per entity. The default keeps the daily ones (10),
    /// `--metrics-every all` all of them, `none` none.
    @Test func metricsSampling() throws {
        #expect(try MetricsSampling.parse("1d") == .default && MetricsSampling.default.description == "1d")
        #expect(try MetricsSampling.parse("all") == .all && MetricsSampling.parse("none") == MetricsSampling.none)
        #expect(try MetricsSampling.parse("90m").description == "90m" && MetricsSampling.parse("36h").description == "36h")
        #expect(throws: SweepError.usage("--metrics-every 'daily' is not all, none or a duration like 1d or 6h")) { try MetricsSampling.parse("daily") }
        let plan = try Tiny.plan(dir, ["model.metricsInterval=12h"], seeds: nil)
        var counts: [String] = []
        for sampling in [MetricsSampling.all, .default, .every(2 * 86_400_000), .none] {
            let store = try SweepStore(path: dir.file("m-\(sampling)/results.sqlite"))
            try store.claim(plan.meta(metrics: sampling))
            var o = Sweep.Options(jobs: 1)
            o.metrics = sampling
            _ = try Sweep(plan: plan, options: o).run(store: store)
            counts.append(try rows(store, "SELECT (SELECT count(*) FROM metrics WHERE entity = 'L'), (SELECT count(*) FROM prices WHERE asset = 'ETH'), (SELECT value FROM sweep WHERE key = 'metrics')")[0].joined(separator: " "))
        }
        #expect(counts == ["20 20 all", "10 10 1d", "5 5 2d", "0 0 none"])
    }

    @Test func anotherSweepInTheSameDirectoryIsRefused() throws {
        let path = dir.file("results.sqlite")
        let plan = try Tiny.plan(dir, ["policy=none,no-rehyp"], seeds: nil)
        try Tiny.sweep(plan, into: path, jobs: 1, stopAfter: 1)
        let other = try Tiny.plan(dir, ["policy=no-rehyp,none"], seeds: nil)
        #expect(other.specHash == plan.specHash)
        #expect(throws: SweepError.usage("\(path) holds a different sweep (the grid differs); use another --out or remove it")) {
            try Tiny.sweep(other, into: path, jobs: 1)
        }
        let seeded = try Tiny.plan(dir, ["policy=none,no-rehyp"], seeds: 3)
        #expect(throws: SweepError.usage("\(path) holds a different sweep (--seeds differs); use another --out or remove it")) {
            try Tiny.sweep(seeded, into: path, jobs: 1)
        }
        // The spec changed (the same grid): its hash differs.
        try dir.write("tiny.yaml", Tiny.spec.replacingOccurrences(of: "seed: 7", with: "seed: 8"))
        let changed = try SweepPlan(specPath: dir.file("tiny.yaml"), grid: plan.grid)
        #expect(changed.specHash != plan.specHash)
        let store = try SweepStore(path: path)
        #expect(throws: SweepError.usage("\(path) holds a different sweep (the spec, its datasets or policy files changed); use another --out or remove it")) {
            try store.claim(changed.meta(metrics: .all))
        }
        #expect(throws: SweepError.usage("\(path) holds a different sweep (--metrics-every differs); use another --out or remove it")) {
            try store.claim(plan.meta(metrics: .default))
        }
        try store.claim(plan.meta(metrics: .all)) // the same sweep: accepted
    }
}

@Suite struct ReportTests {
    func row(_ point: Int, losses: Int64, depth: Int64, efficiency: Int64) -> SweepReport.Row {
        SweepReport.Row(point: point, parameters: [], runs: 1, losses: .init(mean: losses, median: losses),
                        depth: .init(mean: depth * one, median: depth * one), efficiency: .init(mean: efficiency, median: efficiency))
    }

    /// B beats A on losses, equal otherwise: A is dominated. C (no losses, little efficiency)
    /// and D (most losses, most efficiency) are trade-offs: B, C, D form the frontier.
    @Test func paretoFrontsThenLosses() {
        var rows = [row(0, losses: 100, depth: 1, efficiency: 50), row(1, losses: 50, depth: 1, efficiency: 50),
                    row(2, losses: 0, depth: 0, efficiency: 10), row(3, losses: 200, depth: 3, efficiency: 90)]
        SweepReport.rank(&rows)
        #expect(rows.map(\.point) == [2, 1, 3, 0])
        #expect(rows.map(\.front) == [1, 1, 1, 2])
        #expect(rows.map(\.rank) == [1, 2, 3, 4])
        // Equal on everything: neither dominates; ties go by point.
        var ties = [row(5, losses: 1, depth: 1, efficiency: 1), row(4, losses: 1, depth: 1, efficiency: 1)]
        SweepReport.rank(&ties)
        #expect(ties.map(\.point) == [4, 5] && ties.allSatisfy { $0.frontier })
    }

    @Test func meansAndMediansRoundHalfAwayFromZero() {
        #expect(SweepReport.stat([1, 2]) == .init(mean: 2, median: 2))          // 1.5 → 2
        #expect(SweepReport.stat([1, 2, 10]) == .init(mean: 4, median: 2))      // 13/3 = 4.33
        #expect(SweepReport.stat([-1, -2]) == .init(mean: -2, median: -2))
        #expect(SweepReport.stat([0, 0, 0, 7]) == .init(mean: 2, median: 0))    // 1.75 → 2
    }

    /// A store of schema 4 (before the network table) is still read by the reports: the table
    /// is only added, and `sweep report` reads none of it.
    @Test func aSchema4StoreIsStillReported() throws {
        let dir = TempDir()
        let plan = try Tiny.plan(dir, ["policy=none,no-rehyp"], seeds: 2)
        let (store, _) = try Tiny.sweep(plan, into: dir.file("results.sqlite"), jobs: 1)
        let now = try SweepReport(store: store).text
        try store.close()
        let db = try DatabaseQueue(path: dir.file("results.sqlite"))
        try db.write { db in
            try db.execute(sql: "DROP TABLE network")
            try db.execute(sql: "UPDATE sweep SET value = '4' WHERE key = 'schema'")
        }
        try db.close()
        #expect(try SweepReport(store: SweepStore(existing: dir.file("results.sqlite"))).text == now.replacingOccurrences(of: "schema 5", with: "schema 4"))
    }

    @Test func reportOfATinySweep() throws {
        let dir = TempDir()
        let plan = try Tiny.plan(dir, ["policy=none,no-rehyp"], seeds: 2)
        let (store, _) = try Tiny.sweep(plan, into: dir.file("results.sqlite"), jobs: 2)
        let report = try SweepReport(store: store)
        #expect(report.doneRuns == 4 && report.totalRuns == 4)
        // no-rehyp: no losses, no contagion, nothing earning; none: 200 lost, depth 2, 60% earning.
        // Neither dominates the other, so both are on the frontier; fewer losses rank first.
        #expect(report.rows.map(\.point) == [1, 0])
        #expect(report.rows.allSatisfy { $0.frontier })
        #expect(report.rows[1].losses == .init(mean: 200 * one, median: 200 * one))
        #expect(report.rows[1].depth == .init(mean: 2 * one, median: 2 * one))
        #expect(report.rows[1].efficiency == .init(mean: 60_000_000, median: 60_000_000))
        #expect(report.rows[1].parameters == [GridParameter(key: "policy", value: "none")])
        let json = report.json.render()
        #expect(json.contains(#""frontier":[1,0]"#))
        #expect(json.contains(#""depositorLosses":{"mean":200,"median":200}"#))
        let text = report.text
        #expect(text.contains("tiny: 2 grid points, 4 of 4 runs\n"))
        #expect(text.contains("  point 0: policy=none — losses $200, depth 2.00, capital efficiency 60.0%\n"))
        // A partial sweep says so.
        let partialDir = TempDir()
        let partialPlan = try Tiny.plan(partialDir, ["policy=none,no-rehyp"], seeds: 2)
        let (partial, _) = try Tiny.sweep(partialPlan, into: partialDir.file("results.sqlite"), jobs: 1, stopAfter: 3)
        #expect(try SweepReport(store: partial).text.contains("3 of 4 runs (incomplete: run the sweep again to finish it)"))
    }
}
