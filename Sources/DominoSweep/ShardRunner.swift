import Foundation

/// `domino sweep run-shard DIR --shard K`: runs one shard of a plan into its own database.
///
/// It works in `FILE.partial` (a sweep database, resumed like any sweep after a kill: the runs
/// already stored are skipped) and renames it to FILE only when every run of the shard is in it,
/// the WAL checkpointed and the file self-contained. So FILE exists only complete; running the
/// shard again finds it, checks that it is this shard of this plan, and leaves it as it is.
package struct ShardRunner: Sendable {
    package struct Result: Sendable {
        package var shard: Int, runs: Int, written: Int, skipped: Int
        package var path: String
        /// The shard's database was already complete: nothing ran.
        package var alreadyDone: Bool
    }

    package var dir: String
    package var shard: Int
    /// The database to write (default `DIR/shards/shard-K.sqlite`).
    package var out: String?
    /// The spec where it is on this node (default: the path in the plan).
    package var specPath: String?
    package var jobs: Int

    package init(dir: String, shard: Int, out: String? = nil, specPath: String? = nil, jobs: Int) {
        self.dir = dir; self.shard = shard; self.out = out; self.specPath = specPath; self.jobs = jobs
    }

    package func run(progress: ((Int, Int) -> Void)? = nil) throws -> Result {
        let plan = try ShardPlan.load(dir: dir)
        guard plan.shards.indices.contains(shard) else {
            throw SweepError.usage("--shard \(shard): the plan has shards 0…\(plan.shards.count - 1)")
        }
        let runs = plan.shards[shard].runs
        let path = out ?? ShardPlan.shardPath(dir: dir, shard: shard)
        let meta = try plan.meta()
        if FileManager.default.fileExists(atPath: path) {
            let existing = try SweepStore(existing: path)
            let have = try existing.meta()
            let same = meta.allSatisfy { k, v in k == "spec" || have[k] == v }
            guard same, try existing.finishedRuns() == Set(runs) else {
                throw SweepError.failure("\(path) exists and is not shard \(shard) of this plan; not overwritten")
            }
            return Result(shard: shard, runs: runs.count, written: 0, skipped: runs.count, path: path, alreadyDone: true)
        }
        let sweepPlan = try plan.sweepPlan(specPath: specPath)
        let partial = path + ".partial"
        let store = try SweepStore(path: partial)
        try store.claim(meta)
        var options = Sweep.Options(jobs: jobs)
        options.metrics = try MetricsSampling.parse(plan.metrics)
        options.only = Set(runs)
        let result = try Sweep(plan: sweepPlan, options: options).run(store: store) { done, _ in
            progress?(done - (sweepPlan.runCount - runs.count), runs.count)
        }
        guard try store.finishedRuns() == Set(runs) else {
            throw SweepError.failure("\(partial): the shard's runs are not all stored (the file holds runs of another shard?)")
        }
        try store.close()
        guard rename(partial, path) == 0 else {
            throw SweepError.failure("\(path): cannot rename \(partial) into place")
        }
        return Result(shard: shard, runs: runs.count, written: result.written, skipped: runs.count - result.written, path: path, alreadyDone: false)
    }
}
