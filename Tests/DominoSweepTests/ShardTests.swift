@testable import DominoSweep
import DominoTestFixtures
import Foundation
import GRDB
import Testing

/// `sweep plan`, `sweep run-shard` and `sweep merge` on the tiny episode.
///
/// The grid cap=0,0.3,0.6 × halt horizon=48h,96h × seeds 1…2 has 12 runs: run = point × 2 +
/// (seed − 1), point = cap × 2 + horizon. The horizon is shared with the baseline, so there are
/// 4 baselines — (48h, seed 1): runs 0, 4, 8; (48h, seed 2): 1, 5, 9; (96h, seed 1): 2, 6, 10;
/// (96h, seed 2): 3, 7, 11.
@Suite struct ShardTests {
    let dir = TempDir()
    static let grid = ["entities.L.policy.rehypothecationCap=0,0.3,0.6", "model.halt.horizon=48h,96h"]

    func sweepPlan() throws -> SweepPlan { try Tiny.plan(dir, Self.grid, seeds: 2) }

    /// Writes a plan of at most `shardRuns` runs a shard into `name`; returns its directory.
    func planDir(_ name: String, shardRuns: Int, plan: SweepPlan? = nil) throws -> String {
        let path = dir.file(name)
        try ShardPlan(plan: try plan ?? sweepPlan(), metrics: .all, shardRuns: shardRuns).write(to: path)
        return path
    }

    func runAll(_ path: String, jobs: Int = 1) throws {
        for k in try ShardPlan.load(dir: path).shards.indices { _ = try ShardRunner(dir: path, shard: k, jobs: jobs).run() }
    }

    func localSweep() throws -> [String] {
        try Tiny.sweep(try sweepPlan(), into: dir.file("local/results.sqlite"), jobs: 2).0.dump()
    }

    func failure(_ body: () throws -> Any) -> String? {
        do { _ = try body(); return nil } catch let e as SweepError { return e.usage ? "usage: \(e.message)" : e.message } catch { return "\(error)" }
    }

    @Test func planKeepsBaselineGroupsTogether() throws {
        let plan = try ShardPlan(plan: sweepPlan(), metrics: .all, shardRuns: 6)
        #expect(plan.runs == 12)
        #expect(plan.baselines.map(\.runs) == [[0, 4, 8], [1, 5, 9], [2, 6, 10], [3, 7, 11]])
        #expect(plan.shards.map(\.runs) == [[0, 1, 4, 5, 8, 9], [2, 3, 6, 7, 10, 11]])
        // 4 a shard: one group each (two would not fit).
        #expect(try ShardPlan(plan: sweepPlan(), metrics: .all, shardRuns: 4).shards.map(\.runs) == [[0, 4, 8], [1, 5, 9], [2, 6, 10], [3, 7, 11]])
        // 2 a shard: each group of 3 split into 2 + 1.
        #expect(try ShardPlan(plan: sweepPlan(), metrics: .all, shardRuns: 2).shards.map(\.runs) ==
                [[0, 4], [8], [1, 5], [9], [2, 6], [10], [3, 7], [11]])
        #expect(ShardPlan.shardRuns(seconds: 60, runMs: 48) == 1250)
        #expect(ShardPlan.shardRuns(seconds: 0.01, runMs: 48) == 1)

        // The file: read back equal; written again unchanged; another plan in its place refused.
        let path = try planDir("p", shardRuns: 6)
        #expect(try ShardPlan.load(dir: path) == plan)
        let bytes = FileManager.default.contents(atPath: path + "/plan.json")
        try plan.write(to: path)
        #expect(FileManager.default.contents(atPath: path + "/plan.json") == bytes)
        #expect(failure { try ShardPlan(plan: try sweepPlan(), metrics: .all, shardRuns: 4).write(to: path) } ==
                "usage: \(path)/plan.json holds a different plan; use another --out or remove it")
        #expect(try plan.meta().map { "\($0.0)=\($0.1)" } == (try sweepPlan()).meta(metrics: .all).map { "\($0.0)=\($0.1)" })
    }

    /// The merged database equals a local sweep of the same plan (every table, sorted dump)
    /// whatever the shard size and the jobs of each shard.
    @Test func mergeEqualsALocalSweep() throws {
        let expected = try localSweep()
        #expect(expected.filter { $0.hasPrefix("runs|") }.count == 12)
        for (shardRuns, jobs) in [(1, 1), (2, 2), (5, 1), (6, 3), (12, 2)] {
            let path = try planDir("s\(shardRuns)", shardRuns: shardRuns)
            try runAll(path, jobs: jobs)
            let result = try ShardMerger(dir: path).merge()
            #expect(result.runs == 12 && result.duplicates == 0 && !result.unchanged)
            #expect(result.shards == (try ShardPlan.load(dir: path)).shards.count)
            #expect(try SweepStore(existing: path + "/results.sqlite").dump() == expected)
            // Merged again: the same content is left as it is.
            #expect(try ShardMerger(dir: path).merge().unchanged)
        }
    }

    /// A kill leaves `FILE.partial` with the runs committed so far; run-shard resumes it and
    /// renames it into place. Run again, it finds the shard complete and changes nothing.
    @Test func runShardResumesAfterAKillAndIsIdempotent() throws {
        let path = try planDir("k", shardRuns: 6)
        let plan = try ShardPlan.load(dir: path)
        let file = ShardPlan.shardPath(dir: path, shard: 1)
        // What a kill after 2 of shard 1's 6 runs leaves.
        let killed = try SweepStore(path: file + ".partial")
        try killed.claim(try plan.meta())
        var options = Sweep.Options(jobs: 2)
        options.metrics = .all
        options.only = Set(plan.shards[1].runs)
        options.stopAfter = 2
        #expect(try Sweep(plan: try sweepPlan(), options: options).run(store: killed).written == 2)
        try killed.db.close() // the killed process's connection is gone (its WAL not checkpointed)
        #expect(!FileManager.default.fileExists(atPath: file))

        let resumed = try ShardRunner(dir: path, shard: 1, jobs: 2).run()
        #expect(resumed.runs == 6 && resumed.written == 4 && resumed.skipped == 2 && !resumed.alreadyDone)
        #expect(FileManager.default.fileExists(atPath: file) && !FileManager.default.fileExists(atPath: file + ".partial"))
        #expect(!FileManager.default.fileExists(atPath: file + "-wal"))
        let content = try SweepStore(existing: file).dump()
        #expect(try SweepStore(existing: file).finishedRuns() == [2, 3, 6, 7, 10, 11])

        let again = try ShardRunner(dir: path, shard: 1, jobs: 1).run()
        #expect(again.alreadyDone && again.written == 0)
        #expect(try SweepStore(existing: file).dump() == content)

        // The same shard run from scratch elsewhere gives the same content.
        let elsewhere = dir.file("elsewhere.sqlite")
        #expect(try ShardRunner(dir: path, shard: 1, out: elsewhere, jobs: 1).run().written == 6)
        #expect(try SweepStore(existing: elsewhere).dump() == content)

        // Shard 0's name already taken by shard 1's database: refused, not overwritten.
        try FileManager.default.copyItem(atPath: file, toPath: ShardPlan.shardPath(dir: path, shard: 0))
        #expect(failure { try ShardRunner(dir: path, shard: 0, jobs: 1).run() } ==
                "\(ShardPlan.shardPath(dir: path, shard: 0)) exists and is not shard 0 of this plan; not overwritten")
        #expect(failure { try ShardRunner(dir: path, shard: 2, jobs: 1).run() } == "usage: --shard 2: the plan has shards 0…1")
        // The spec changed since the plan: refused before anything runs.
        try dir.write("tiny.yaml", Tiny.spec.replacingOccurrences(of: "seed: 7", with: "seed: 8"))
        try FileManager.default.removeItem(atPath: ShardPlan.shardPath(dir: path, shard: 0))
        #expect(failure { try ShardRunner(dir: path, shard: 0, jobs: 1).run() }?.contains("the spec, its datasets or policy files changed since the plan") == true)
    }

    @Test func mergeChecksEveryShard() throws {
        let expected = try localSweep()
        let path = try planDir("m", shardRuns: 4)
        try runAll(path)
        let shard = { (k: Int) in ShardPlan.shardPath(dir: path, shard: k) }
        let copy = dir.file("m/shards/shard-99999.sqlite")
        func edit(_ sql: String) throws {
            try? FileManager.default.removeItem(atPath: copy)
            try FileManager.default.copyItem(atPath: shard(2), toPath: copy)
            let db = try DatabaseQueue(path: copy)
            try db.write { try $0.execute(sql: sql) }
            try db.close()
        }

        // Shard 2 (runs 2, 6, 10) doubled with the same state hashes: accepted, counted.
        try edit("SELECT 1")
        let doubled = try ShardMerger(dir: path, out: dir.file("doubled.sqlite")).merge()
        #expect(doubled.duplicates == 3 && doubled.shards == 5)
        #expect(try SweepStore(existing: dir.file("doubled.sqlite")).dump() == expected)

        // A duplicate with another state hash.
        try edit("UPDATE runs SET state_hash = 'ffff' || substr(state_hash, 5) WHERE run_id = 6")
        let hash = try SweepStore(existing: shard(2)).read { try String.fetchOne($0, sql: "SELECT state_hash FROM runs WHERE run_id = 6")! }
        #expect(failure { try ShardMerger(dir: path).merge() } ==
                "run 6 is in \(shard(2)) and \(copy) with different state hashes (\(hash.prefix(12))… and ffff\(hash.dropFirst(4).prefix(8))…)")
        // Another schema: a column more; a schema version other than 3.
        try edit("ALTER TABLE runs ADD COLUMN note TEXT")
        #expect(failure { try ShardMerger(dir: path).merge() } == "\(copy): not a sweep database of schema 5 (its tables differ)")
        try edit("UPDATE sweep SET value = '1' WHERE key = 'schema'")
        #expect(failure { try ShardMerger(dir: path).merge() } == "\(copy): a shard of another sweep (its schema differs from the plan's)")
        // A run id outside the plan.
        try edit("UPDATE runs SET run_id = 12 WHERE run_id = 10")
        #expect(failure { try ShardMerger(dir: path).merge() } == "\(copy): run 12 is not in the plan (runs 0…11)")
        try FileManager.default.removeItem(atPath: copy)

        // A shard of the same grid over another spec (the seed changed: another spec hash).
        let other = TempDir()
        _ = try Tiny.make(in: other)
        try other.write("tiny.yaml", Tiny.spec.replacingOccurrences(of: "seed: 7", with: "seed: 8"))
        let otherPlan = try SweepPlan(specPath: other.file("tiny.yaml"), grid: try sweepPlan().grid)
        let otherDir = other.file("plan")
        try ShardPlan(plan: otherPlan, metrics: .all, shardRuns: 4).write(to: otherDir)
        _ = try ShardRunner(dir: otherDir, shard: 2, jobs: 1).run()
        try FileManager.default.removeItem(atPath: shard(2))
        try FileManager.default.copyItem(atPath: ShardPlan.shardPath(dir: otherDir, shard: 2), toPath: shard(2))
        #expect(failure { try ShardMerger(dir: path).merge() } == "\(shard(2)): a shard of another sweep (its spec hash differs from the plan's)")

        // A missing shard: its runs are in no shard.
        try FileManager.default.removeItem(atPath: shard(2))
        #expect(failure { try ShardMerger(dir: path).merge() } == "3 runs are in no shard (run 2, 6, 10); run shard 2 first")
        #expect(!FileManager.default.fileExists(atPath: path + "/results.sqlite"))

        // Complete again; an existing output with other content is refused, not overwritten.
        _ = try ShardRunner(dir: path, shard: 2, jobs: 1).run()
        let taken = dir.file("taken.sqlite")
        try FileManager.default.copyItem(atPath: shard(0), toPath: taken)
        #expect(failure { try ShardMerger(dir: path, out: taken).merge() } == "\(taken) exists with other content; not overwritten (remove it or give --out)")
        #expect(try SweepStore(existing: taken).dump() == SweepStore(existing: shard(0)).dump())
        #expect(try ShardMerger(dir: path).merge().runs == 12)
        #expect(try SweepStore(existing: path + "/results.sqlite").dump() == expected)
        #expect(try FileManager.default.contentsOfDirectory(atPath: path).sorted() == ["plan.json", "results.sqlite", "shards"])
    }
}

/// `ShardedSweep` (parallel writers, shards merged as they finish): the same database content as
/// the single writer, whatever the job count, and resumable.
@Suite struct ShardedSweepTests {
    let dir = TempDir()

    func sharded(_ plan: SweepPlan, into path: String, jobs: Int, shardRuns: Int? = nil, only: Set<Int>? = nil) throws -> (SweepStore, Sweep.Result) {
        let store = try SweepStore(path: path)
        try store.claim(plan.meta(metrics: .all))
        var o = Sweep.Options(jobs: jobs)
        o.metrics = .all
        o.only = only
        let scratch = dir.file("scratch-\(jobs)")
        let result = try ShardedSweep(plan: plan, options: o, directory: scratch, shardRuns: shardRuns).run(store: store)
        #expect(!FileManager.default.fileExists(atPath: scratch)) // the scratch shards are removed
        return (store, result)
    }

    @Test func sameContentAsOneWriterWhateverTheJobs() throws {
        let plan = try Tiny.plan(dir, ShardTests.grid, seeds: 2)
        let expected = try Tiny.sweep(plan, into: dir.file("single/results.sqlite"), jobs: 1).0.dump()
        #expect(ShardedSweep.shardRuns(runs: 12, jobs: 2) == 16 && ShardedSweep.shardRuns(runs: 1000, jobs: 2) == 125)
        for (jobs, shardRuns) in [(1, nil), (2, nil), (2, 1), (3, 2), (2, 5)] as [(Int, Int?)] {
            let (store, result) = try sharded(plan, into: dir.file("j\(jobs)-\(shardRuns ?? 0)/results.sqlite"), jobs: jobs, shardRuns: shardRuns)
            #expect(result.written == 12 && result.skipped == 0)
            #expect(try store.dump() == expected)
        }
    }

    /// A sweep stopped with runs 1, 6 and 11 stored, then run sharded: the rest is added and the
    /// content is that of an uninterrupted sweep; run again, nothing changes.
    @Test func resumesWhereTheStoreStands() throws {
        let plan = try Tiny.plan(dir, ShardTests.grid, seeds: 2)
        let expected = try Tiny.sweep(plan, into: dir.file("single/results.sqlite"), jobs: 1).0.dump()
        let path = dir.file("r/results.sqlite")
        _ = try sharded(plan, into: path, jobs: 2, only: [1, 6, 11])
        #expect(try SweepStore(path: path).finishedRuns() == [1, 6, 11])
        let (store, result) = try sharded(plan, into: path, jobs: 2, shardRuns: 2)
        #expect(result.skipped == 3 && result.written == 9)
        #expect(try store.dump() == expected)
        let (again, none) = try sharded(plan, into: path, jobs: 2)
        #expect(none.written == 0 && none.skipped == 12)
        #expect(try again.dump() == expected)
    }
}
