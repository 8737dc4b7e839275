@testable import DominoSweep
import DominoLog
import DominoModel
import DominoReplay
import DominoTestFixtures
import Foundation
import GRDB
import Testing

/// Stress studies (`domino stress`): grid points × paths through the sweep machinery.
@Suite struct StressTests {
    let dir = TempDir()

    /// The tiny episode with one assumption: L's cash on hand, drawn per path from half to one
    /// and a half times the written 400 USDC. With 400 L halts on 2 June (100 left for the 200
    /// asked); above 500 it pays both requests — so the paths differ in outcome, not only seed.
    static let assumptions = """
    assumptions:
      - {name: l-cash, path: entities.L.liquid, scale: [0.5, 1.5], why: "test: L's cash on hand ±50%"}

    """

    func plan(paths: Int, policies: Bool = true) throws -> SweepPlan {
        try Tiny.writeData(to: dir.file("data.zst"))
        try dir.write("policies/no-rehyp.yaml", Tiny.policy)
        let spec = try dir.write("tiny.yaml", Tiny.spec + Self.assumptions)
        let axes = policies ? [try GridAxis.parse("policy=none,no-rehyp")] : []
        let plan = try SweepPlan(specPath: spec, grid: try Grid(axes: axes, seeds: nil, paths: paths))
        try plan.validate()
        return plan
    }

    @Test func pathsAndSeedsAreExclusive() throws {
        #expect(throws: SweepError.usage("--seeds and --paths cannot be combined (each path has its own seed)")) {
            try Grid(axes: [], seeds: 2, paths: 3)
        }
        #expect(throws: SweepError.usage("--grid seed=… and --paths cannot be combined (each path has its own seed)")) {
            try Grid(axes: [GridAxis(key: "seed", values: ["1"])], seeds: nil, paths: 3)
        }
        #expect(throws: SweepError.usage("--paths must be at least 1")) { try Grid(axes: [], seeds: nil, paths: 0) }
        let grid = try Grid(axes: [GridAxis(key: "a", values: ["x", "y"])], seeds: nil, paths: 5)
        // run_id = point × paths + path
        #expect(grid.runCount == 10 && grid.point(ofRun: 7) == 1 && grid.path(ofRun: 7) == 2)
        #expect(try Grid(axes: [], seeds: 3).path(ofRun: 1) == nil)
        #expect(grid.json.render() == #"{"axes":[{"key":"a","values":["x","y"]}],"paths":5,"seeds":"spec"}"#)
    }

    /// Path k of every point replays path k's draw and seed; the policy point is a counterfactual
    /// against the baseline of the same path; each run equals `domino replay --set` of its overrides.
    @Test func everyPointOfAPathSharesItsDrawSeedAndBaseline() throws {
        let plan = try plan(paths: 6)
        let (store, result) = try Tiny.sweep(plan, into: dir.file("a.sqlite"), jobs: 1)
        #expect(result.written == 12 && result.failed == 0)
        let rows = try store.read { db in
            try Row.fetchAll(db, sql: "SELECT run_id, point, path, seed, counterfactual, state_hash, baseline_state_hash FROM runs ORDER BY run_id")
        }
        #expect(rows.count == 12)
        var noneHash: [Int: String] = [:]
        for row in rows {
            let run: Int = row["run_id"], path: Int = row["path"], point: Int = row["point"]
            #expect(path == run % 6 && point == run / 6)
            #expect(UInt64(row["seed"] as Int64) == PathRandom.behaviourSeed(seed: 7, path: path))
            if point == 0 {
                #expect(row["counterfactual"] as Int == 0)
                noneHash[path] = row["state_hash"]
            } else {
                #expect(row["counterfactual"] as Int == 1)
                #expect(row["baseline_state_hash"] as String? == noneHash[path])
            }
        }
        // The draw matters: the paths do not all end alike (L's cash decides whether it halts).
        #expect(Set(noneHash.values).count > 1)
        let halts = try store.read { db in try Int.fetchAll(db, sql: "SELECT halts FROM runs WHERE point = 0 ORDER BY path") }
        #expect(halts.contains(0) && halts.contains(1))
        // Each run is the replay of its overrides (draw, policy, seed), as `domino replay --set`.
        // Run 2 (no policy, path 2): the spec with path 2's draw and seed. Run 8 (no-rehyp, path 2): a
        // counterfactual against that baseline — the draw is in the baseline, not counterfactual.
        let drawn = try plan.runOverrides(ofRun: 2)
        #expect(drawn.count == 2 && drawn[0].path.hasPrefix("entities.L.liquid") && drawn[1].path == "seed")
        let baseline = try Replay.run(Replay.loadSpec(path: plan.specPath, overrides: drawn))
        #expect(baseline.finalHash == rows[2]["state_hash"] as String)
        let policy = try plan.runOverrides(ofRun: 8)
        #expect(policy.first == drawn[0] && policy.last == drawn[1] && policy.contains { $0.path.hasSuffix("rehypothecationCap") })
        var options = RunOptions()
        options.reference = baseline.model.trace
        #expect(try Replay.run(Replay.loadSpec(path: plan.specPath, overrides: policy), options: options).finalHash == rows[8]["state_hash"] as String)
        let meta = try store.meta()
        #expect(meta["paths"] == "6" && meta["generator"] == "recorded" && meta["study_seed"] == "7")
    }

    /// Issue 17 §1: the same 100 paths with 1 job, 2 jobs (single writer and sharded writers)
    /// and as two shards of a plan merged give identical databases, row for row.
    @Test func oneJobTwoJobsAndTwoShardsMergedAreIdentical() throws {
        let plan = try plan(paths: 100)
        let (one, _) = try Tiny.sweep(plan, into: dir.file("one.sqlite"), jobs: 1)
        let expected = try one.dump()
        #expect(expected.filter { $0.hasPrefix("runs|") }.count == 200)
        #expect(try Tiny.sweep(plan, into: dir.file("two.sqlite"), jobs: 2).0.dump() == expected)

        let sharded = try SweepStore(path: dir.file("sharded.sqlite"))
        try sharded.claim(plan.meta(metrics: .all))
        var o = Sweep.Options(jobs: 2)
        o.metrics = .all
        _ = try ShardedSweep(plan: plan, options: o, directory: dir.file("scratch")).run(store: sharded)
        #expect(try sharded.dump() == expected)

        let planDir = dir.file("plan")
        let shards = ShardPlan(plan: plan, metrics: .all, shardRuns: 100)
        #expect(shards.shards.count == 2 && shards.paths == 100 && shards.generator == "recorded" && shards.generatorDescription == "recorded" && shards.studySeed == 7)
        try shards.write(to: planDir)
        for k in 0..<2 { _ = try ShardRunner(dir: planDir, shard: k, jobs: 1).run() }
        let merged = try ShardMerger(dir: planDir).merge()
        #expect(try SweepStore(existing: merged.path).dump() == expected)
    }

    /// A different study seed is a different study: other draws, refused in the same database.
    @Test func theStudySeedKeysThePaths() throws {
        let a = try plan(paths: 3, policies: false)
        let b = try SweepPlan(specPath: a.specPath, grid: a.grid, generator: "recorded", studySeed: 8)
        #expect(try a.runOverrides(ofRun: 1) != b.runOverrides(ofRun: 1))
        let store = try SweepStore(path: dir.file("s.sqlite"))
        try store.claim(a.meta(metrics: .all))
        #expect(throws: SweepError.usage("\(dir.file("s.sqlite")) holds a different sweep (the study --seed differs); use another --out or remove it")) {
            try store.claim(b.meta(metrics: .all))
        }
        #expect(throws: SweepError.usage("--generator and --seed need --paths")) {
            try SweepPlan(specPath: a.specPath, grid: try Grid(axes: [], seeds: 1), generator: "recorded")
        }
    }
}
