import Foundation

/// A sweep on one machine with parallel writers: the pending runs are cut into shards (as
/// `sweep plan` does, baseline groups kept whole where they fit, about four shards a job), each
/// job runs whole shards into its own scratch database — replaying, building rows and inserting
/// them in parallel with the others — and this thread merges each finished shard into the store
/// (one `INSERT … SELECT` transaction a shard) while the jobs run the next ones. The only serial
/// work left is the merge, about a third of what a single writer inserting every row spends
/// (README.md, "Sweeps": measured), and all but the last shard's merge overlaps the runs.
///
/// The store ends with the same content as `Sweep` of the same plan: rows are keyed, so the
/// order shards finish in changes nothing. A kill loses the shards not yet merged; rerun, the
/// runs already stored are skipped, as with `Sweep`.
package final class ShardedSweep: @unchecked Sendable { // mutable state is behind `lock`
    package let plan: SweepPlan
    package let options: Sweep.Options
    /// Where the scratch shard databases go (removed as they are merged).
    package let directory: String
    /// Runs a shard (nil: `shardRuns(runs:jobs:)`).
    package let shardRuns: Int?

    private let lock = NSCondition()
    private var next = 0
    private var finished: [Int] = []
    private var failure: (any Error)?
    private var active = 0

    package init(plan: SweepPlan, options: Sweep.Options, directory: String, shardRuns: Int? = nil) {
        self.plan = plan
        var o = options
        o.jobs = max(1, o.jobs)
        self.options = o
        self.directory = directory
        self.shardRuns = shardRuns.map { max(1, $0) }
    }

    /// Shards for `runs` pending runs on `jobs` jobs: about four a job, at least 16 runs each
    /// (each shard replays its baselines once more).
    package static func shardRuns(runs: Int, jobs: Int) -> Int { max(16, (runs + jobs * 4 - 1) / (jobs * 4)) }

    package func run(store: SweepStore, progress: ((Int, Int) -> Void)? = nil) throws -> Sweep.Result {
        let stored = try store.finishedRuns()
        let pending = (0..<plan.runCount).filter { !stored.contains($0) && (options.only?.contains($0) ?? true) }
        let skipped = plan.runCount - pending.count
        progress?(skipped, plan.runCount)
        guard !pending.isEmpty else { return Sweep.Result(total: plan.runCount, skipped: skipped, written: 0) }
        let shards = ShardPlan(plan: plan, metrics: options.metrics, shardRuns: shardRuns ?? Self.shardRuns(runs: pending.count, jobs: options.jobs),
                               only: Set(pending)).shards
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw SweepError.failure("\(directory): cannot create the directory: \(error.localizedDescription)")
        }
        let workers = min(options.jobs, shards.count)
        let group = DispatchGroup()
        for _ in 0..<workers {
            group.enter()
            let thread = Thread { [self] in
                work(shards)
                group.leave()
            }
            thread.stackSize = 16 << 20
            thread.start()
        }
        // The merger: this thread, shard by shard as they finish, one large transaction each,
        // through a rollback journal (back to WAL at the end).
        try store.journal(wal: false)
        defer { try? store.journal(wal: true) }
        var written = 0, merged = 0
        var writeSeconds = 0.0, writeCPU = 0.0
        var mergeError: (any Error)?
        while merged < shards.count {
            lock.lock()
            while finished.isEmpty && failure == nil && !(next >= shards.count && active == 0) { lock.wait() }
            guard failure == nil, !finished.isEmpty else { lock.unlock(); break }
            let k = finished.removeFirst()
            lock.unlock()
            let started = DispatchTime.now().uptimeNanoseconds, startedCPU = Sweep.Result.threadCPUSeconds()
            do {
                try store.append(from: file(k))
            } catch {
                mergeError = error
                lock.lock(); failure = failure ?? error; next = shards.count; lock.broadcast(); lock.unlock()
                break
            }
            writeSeconds += Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            writeCPU += Sweep.Result.threadCPUSeconds() - startedCPU
            try? FileManager.default.removeItem(atPath: file(k))
            merged += 1
            written += shards[k].runs.count
            progress?(skipped + written, plan.runCount)
        }
        group.wait()
        for k in shards.indices { try? FileManager.default.removeItem(atPath: file(k)) }
        try? FileManager.default.removeItem(atPath: directory)
        if let mergeError {
            if let e = mergeError as? SweepError { throw e }
            throw SweepError.failure("\(store.path): \(mergeError)")
        }
        if let failure { throw failure }
        return Sweep.Result(total: plan.runCount, skipped: skipped, written: written, writeSeconds: writeSeconds, writeCPUSeconds: writeCPU)
    }

    private func file(_ k: Int) -> String { directory + "/" + String(format: "shard-%05d.sqlite", k) }

    private func work(_ shards: [ShardPlan.Shard]) {
        while true {
            lock.lock()
            guard failure == nil, next < shards.count else { lock.unlock(); return }
            let k = next
            next += 1
            active += 1
            lock.unlock()
            do {
                let path = file(k)
                try? FileManager.default.removeItem(atPath: path)
                let store = try SweepStore(path: path, scratch: true)
                var o = Sweep.Options(jobs: 1)
                o.metrics = options.metrics
                o.only = Set(shards[k].runs)
                o.batchRuns = options.batchRuns
                _ = try Sweep(plan: plan, options: o).run(store: store)
                try store.close()
                lock.lock(); finished.append(k); active -= 1; lock.broadcast(); lock.unlock()
            } catch {
                lock.lock(); failure = failure ?? error; active -= 1; lock.broadcast(); lock.unlock()
                return
            }
        }
    }
}
