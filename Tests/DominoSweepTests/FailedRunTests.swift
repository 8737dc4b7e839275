import DominoReplay
import DominoSweep
import DominoTestFixtures
import Foundation
import Testing

/// A run that fails is stored as failed, with its error; the sweep goes on, a rerun skips it,
/// and the report lists it. The failing point reads a dataset that does not exist: the spec
/// parses (the plan validates), the replay stops with the log reader's error.
@Suite struct FailedRunTests {
    let dir = TempDir()

    func plan() throws -> SweepPlan {
        try Tiny.plan(dir, ["datasets=[data.zst],[nothere.zst]"], seeds: 2)
    }

    @Test(arguments: [1, 2]) func aFailingRunIsStoredAndTheSweepGoesOn(jobs: Int) throws {
        let plan = try plan()
        let (store, result) = try Tiny.sweep(plan, into: dir.file("j\(jobs)/results.sqlite"), jobs: jobs)
        // Runs 0, 1: point 0 (the spec's data), seeds 1, 2; runs 2, 3: point 1, which fails.
        #expect(result.total == 4 && result.written == 4 && result.failed == 2)
        let failures = try store.failures()
        #expect(failures.map(\.runID) == [2, 3])
        #expect(failures.map(\.seed) == [1, 2])
        #expect(failures.map(\.point) == [1, 1])
        #expect(failures.allSatisfy { $0.parameters == [GridParameter(key: "datasets", value: "[nothere.zst]")] })
        #expect(failures.allSatisfy { $0.error.contains("nothere.zst") && !$0.error.contains("\n") })
        #expect(failures[0].label == "run 2 (datasets=[nothere.zst] seed=1)")
        #expect(try store.finishedRuns() == [0, 1, 2, 3])
        #expect(try store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM runs") } == 2)

        // The rerun skips every run, the failed ones too: it does not die again.
        let (_, again) = try Tiny.sweep(plan, into: dir.file("j\(jobs)/results.sqlite"), jobs: jobs)
        #expect(again.skipped == 4 && again.written == 0 && again.failed == 0)

        let report = try SweepReport(store: store)
        #expect(report.doneRuns == 4 && report.rows.count == 1)
        #expect(report.text.contains("4 of 4 runs, 2 failed (listed below; not ranked)"))
        #expect(report.text.contains("Failed runs:\n  run 2 (datasets=[nothere.zst] seed=1): "))
        let json = report.json.render()
        #expect(json.contains("\"failed\":[{\"error\":") && json.contains("\"point\":1,\"run\":2,\"seed\":\"1\"}"))
    }

    /// The counterfactual runs of a baseline that fails are stored as failed too (never a hang).
    @Test func aFailingBaselineFailsItsCounterfactuals() throws {
        // seed is shared: each seed value is its own baseline; window.to beyond every datum
        // still replays, so the failure comes from the baseline's dataset.
        let plan = try Tiny.plan(dir, ["datasets=[nothere.zst]", "policy=none,no-rehyp"], seeds: nil)
        let (store, result) = try Tiny.sweep(plan, into: dir.file("b/results.sqlite"), jobs: 2)
        #expect(result.written == 2 && result.failed == 2)
        #expect(try store.failures().map(\.runID) == [0, 1])
    }

    /// Sharded: the shards hold the failures and the merged store equals the single writer's.
    @Test func shardedSweepStoresTheSameFailures() throws {
        let plan = try plan()
        let (single, _) = try Tiny.sweep(plan, into: dir.file("s/results.sqlite"), jobs: 1)
        let store = try SweepStore(path: dir.file("m/results.sqlite"))
        try store.claim(plan.meta(metrics: .all))
        var o = Sweep.Options(jobs: 2)
        o.metrics = .all
        let result = try ShardedSweep(plan: plan, options: o, directory: dir.file("m/.shards"), shardRuns: 1).run(store: store)
        #expect(result.written == 4)
        #expect(try store.dump() == single.dump())
    }
}
