import DominoLog
import DominoModel
import DominoReplay
import Foundation

/// Runs a sweep: every run of a plan not yet in the store, on `jobs` worker threads (each run
/// single-threaded and deterministic), written to the store by one writer in run-id order, the
/// runs that are ready batched into one transaction (never half a run). So the database content is the same whatever the job count,
/// and an interrupted sweep, run again, completes to the same content.
///
/// Each distinct baseline (the spec with a point's shared overrides and a seed) is replayed once
/// and its trace reused by every counterfactual run that needs it; when a run is itself a
/// baseline (a point without counterfactual overrides), that replay is the run.
///
/// A run that fails (its point's spec is invalid, its replay stops with an error) is stored as
/// failed with its error (`run_failures`) and the sweep goes on; so are the counterfactual runs
/// of a baseline that failed. The caller reports the failed runs at the end (exit 1).
package final class Sweep: @unchecked Sendable { // mutable state is behind `lock`
    package struct Options: Sendable {
        package var jobs: Int
        /// Which metrics samples to store (the `metrics` and `prices` tables).
        package var metrics = MetricsSampling.default
        /// Stop after writing this many runs (tests: an interruption at a known point).
        package var stopAfter: Int?
        /// Only these runs (tests: interruptions that left gaps), nil: all.
        package var only: Set<Int>?
        /// The most runs the writer commits in one transaction (those ready in run-id order).
        package var batchRuns = 64
        package init(jobs: Int) { self.jobs = jobs }
    }

    package struct Result: Sendable {
        /// Runs in the plan, runs found already stored, runs written now (with results or as failed).
        package var total: Int, skipped: Int, written: Int
        /// Of the runs written now, those stored as failed.
        package var failed: Int = 0
        /// Time the writer spent writing (seconds; for benchmarks, never stored).
        package var writeSeconds: Double = 0
        /// Of which CPU time of the writing thread (seconds): what the writer costs whatever
        /// other processes take of the cores.
        package var writeCPUSeconds: Double = 0

        /// CPU seconds of the calling thread so far.
        package static func threadCPUSeconds() -> Double {
            var t = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
            return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
        }
    }

    package let plan: SweepPlan
    package let options: Options

    private let lock = NSCondition()
    private var pending: [Int] = []
    private var next = 0 // index into pending of the next run to start
    private var writtenCount = 0
    private enum Done { case record(RunRecord), failure(RunFailure) }
    private var results: [Int: Done] = [:]
    private var produced = Set<Int>() // runs whose record exists (or is being produced by a baseline)
    private var cancelled = false
    private var running = 0
    private enum BaselineState { case computing, ready(BaselineTrace, String), failed(String) }
    /// Thrown to a counterfactual run whose baseline failed.
    private struct BaselineFailed: Error { let message: String }
    private var baselines: [Int: BaselineState] = [:]
    private var baselineUses: [Int: Int] = [:] // pending counterfactual runs still to use each baseline
    private var pureRun: [Int: Int] = [:]       // baseline id → the first pending run that is that baseline

    package init(plan: SweepPlan, options: Options) {
        self.plan = plan
        var o = options
        o.jobs = max(1, o.jobs)
        self.options = o
    }

    /// The number of cores this process may use (the default `--jobs`).
    package static var activeCores: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// Runs every pending run and writes it. `progress(done, total)` is called on the calling
    /// thread after each write (done counts runs already stored too).
    package func run(store: SweepStore, progress: ((Int, Int) -> Void)? = nil) throws -> Result {
        let finished = try store.finishedRuns()
        pending = (0..<plan.runCount).filter { !finished.contains($0) && (options.only?.contains($0) ?? true) }
        let skipped = plan.runCount - pending.count
        for run in pending {
            let point = plan.points[plan.grid.point(ofRun: run)]
            let b = plan.baseline(ofRun: run)
            if point.counterfactual { baselineUses[b, default: 0] += 1 } else if pureRun[b] == nil { pureRun[b] = run }
        }
        progress?(skipped, plan.runCount)
        let window = max(8, options.jobs * 4)
        let workers = min(options.jobs, max(1, pending.count))
        let group = DispatchGroup()
        for _ in 0..<workers {
            group.enter()
            let thread = Thread { [self] in
                work(window: window)
                group.leave()
            }
            thread.stackSize = 16 << 20
            thread.start()
        }
        // The writer: this thread, in pending order.
        var written = 0, failedCount = 0
        var writeSeconds = 0.0, writeCPU = 0.0
        var writeError: (any Error)?
        while written < pending.count {
            // Every consecutive record that is ready (at least one, at most `batchRuns`), in one transaction.
            var batch: [Done] = []
            let limit = min(options.batchRuns, (options.stopAfter ?? Int.max) - written)
            lock.lock()
            while results[pending[written]] == nil && !(cancelled && running == 0) { lock.wait() }
            while batch.count < limit, written + batch.count < pending.count,
                  let record = results.removeValue(forKey: pending[written + batch.count]) {
                batch.append(record)
            }
            lock.unlock()
            if batch.isEmpty { break }
            let started = DispatchTime.now().uptimeNanoseconds, startedCPU = Result.threadCPUSeconds()
            do {
                var records: [RunRecord] = [], failures: [RunFailure] = []
                for done in batch {
                    switch done {
                    case .record(let r): records.append(r)
                    case .failure(let f): failures.append(f)
                    }
                }
                failedCount += failures.count
                try store.write(records, failures: failures)
                writeSeconds += Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
                writeCPU += Result.threadCPUSeconds() - startedCPU
            } catch {
                writeError = error
                lock.lock(); cancelled = true; lock.broadcast(); lock.unlock()
                break
            }
            written += batch.count
            lock.lock()
            writtenCount = written
            if let stop = options.stopAfter, written >= stop { cancelled = true }
            lock.broadcast()
            lock.unlock()
            progress?(skipped + written, plan.runCount)
            if let stop = options.stopAfter, written >= stop { break }
        }
        lock.lock(); cancelled = true; lock.broadcast(); lock.unlock()
        group.wait()
        if let writeError { throw writeError }
        return Result(total: plan.runCount, skipped: skipped, written: written, failed: failedCount, writeSeconds: writeSeconds, writeCPUSeconds: writeCPU)
    }

    /// The one-line message of a run's error.
    package static func message(_ error: any Error) -> String {
        let text: String
        switch error {
        case let e as SpecError: text = e.description
        case let e as LogError: text = e.description
        case let e as SweepError: text = e.message
        case let e as CustomStringConvertible: text = e.description
        default: text = "\(error)"
        }
        return text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    private func failure(_ run: Int, _ error: any Error) -> RunFailure {
        let p = plan.grid.point(ofRun: run)
        let message = (error as? BaselineFailed).map { "its baseline failed: \($0.message)" } ?? Sweep.message(error)
        return RunFailure(runID: run, point: p, seed: plan.seed(ofRun: run) ?? plan.baseSpec.seed,
                          parameters: plan.points[p].parameters, error: message)
    }

    // MARK: Workers

    private func work(window: Int) {
        var cache: (point: Int, spec: Spec)? = nil
        while true {
            lock.lock()
            while !cancelled && next < pending.count && next >= writtenCount + window { lock.wait() }
            guard !cancelled, next < pending.count else { lock.unlock(); return }
            let run = pending[next]
            next += 1
            if produced.contains(run) { lock.unlock(); continue }
            produced.insert(run)
            running += 1
            lock.unlock()
            do {
                let record = try execute(run, cache: &cache)
                lock.lock()
                if let record { results[run] = .record(record) }
                running -= 1
                lock.broadcast()
                lock.unlock()
            } catch is CancellationError {
                lock.lock(); running -= 1; lock.broadcast(); lock.unlock()
                return
            } catch {
                // Stored as failed; the sweep goes on.
                let failed = failure(run, error)
                lock.lock()
                results[run] = .failure(failed)
                running -= 1
                lock.broadcast()
                lock.unlock()
            }
        }
    }

    /// Replays one run (and its baseline first, if no other worker has). nil when the run's
    /// record was produced elsewhere.
    private func execute(_ run: Int, cache: inout (point: Int, spec: Spec)?) throws -> RunRecord? {
        let p = plan.grid.point(ofRun: run)
        let point = plan.points[p]
        let b = plan.baseline(ofRun: run)
        if !point.counterfactual {
            // This run is a baseline; if counterfactuals need it, it is also their reference.
            lock.lock()
            let needed = (baselineUses[b] ?? 0) > 0
            // Another worker may already be replaying this baseline for a counterfactual, having
            // found this run claimed: then this replay is not its reference (computed twice, rarely).
            let reference = needed && baselines[b] == nil
            if reference { baselines[b] = .computing }
            lock.unlock()
            let result: ReplayResult
            do {
                result = try Replay.run(try pointSpec(p, run: run, cache: &cache), options: plan.runOptions(run: run))
            } catch {
                if reference { lock.lock(); baselines[b] = .failed(Sweep.message(error)); lock.broadcast(); lock.unlock() }
                throw error
            }
            var record = RunRecord(runID: run, point: p, parameters: point.parameters, run: result, counterfactual: false,
                                   baselineStateHash: nil, metrics: options.metrics)
            record.path = plan.grid.path(ofRun: run)
            if reference {
                lock.lock(); baselines[b] = .ready(result.model.trace, result.finalHash); lock.broadcast(); lock.unlock()
            }
            return record
        }
        defer {
            lock.lock()
            if let uses = baselineUses[b] {
                baselineUses[b] = uses - 1
                if uses == 1 { baselines[b] = nil; baselineUses[b] = nil } // free the trace
            }
            lock.unlock()
        }
        let (trace, baselineHash) = try baseline(b, run: run)
        let spec = try pointSpec(p, run: run, cache: &cache)
        var options = try plan.runOptions(run: run)
        options.reference = trace
        let result = try Replay.run(spec, options: options)
        var record = RunRecord(runID: run, point: p, parameters: point.parameters, run: result, counterfactual: true,
                               baselineStateHash: baselineHash, metrics: self.options.metrics)
        record.path = plan.grid.path(ofRun: run)
        return record
    }

    /// The trace of baseline `b`: computed by this worker if no other has, else awaited.
    private func baseline(_ b: Int, run: Int) throws -> (BaselineTrace, String) {
        lock.lock()
        while true {
            switch baselines[b] {
            case .ready(let trace, let hash)?:
                lock.unlock()
                return (trace, hash)
            case .failed(let message)?:
                lock.unlock()
                throw BaselineFailed(message: message)
            case .computing?:
                lock.wait()
                if cancelled { lock.unlock(); throw CancellationError() }
            case nil:
                baselines[b] = .computing
                // The run that is this baseline, if no worker has started it: this replay is it.
                var pure: Int? = nil
                if let r = pureRun[b], !produced.contains(r) { produced.insert(r); pure = r }
                lock.unlock()
                let result: ReplayResult
                do {
                    // The baseline of `run`'s shared group on `run`'s seed or path (the same for every run of `b`).
                    result = try Replay.run(try plan.baselineSpec(ofRun: run), options: plan.runOptions(run: run))
                } catch {
                    lock.lock()
                    baselines[b] = .failed(Sweep.message(error))
                    if let pure { results[pure] = .failure(failure(pure, error)) } // the run that is this baseline failed too
                    lock.broadcast()
                    lock.unlock()
                    throw BaselineFailed(message: Sweep.message(error))
                }
                lock.lock()
                baselines[b] = .ready(result.model.trace, result.finalHash)
                lock.broadcast()
                lock.unlock()
                if let pure {
                    // The run that is this baseline: its record comes from this replay.
                    let p = plan.grid.point(ofRun: pure)
                    var record = RunRecord(runID: pure, point: p, parameters: plan.points[p].parameters, run: result, counterfactual: false,
                                           baselineStateHash: nil, metrics: options.metrics)
                    record.path = plan.grid.path(ofRun: pure)
                    lock.lock(); results[pure] = .record(record); lock.broadcast(); lock.unlock()
                }
                return (result.model.trace, result.finalHash)
            }
        }
    }

    private func pointSpec(_ p: Int, run: Int, cache: inout (point: Int, spec: Spec)?) throws -> Spec {
        if plan.grid.paths != nil { return try plan.runSpec(run: run) } // each path its own draw
        var spec: Spec
        if let c = cache, c.point == p { spec = c.spec } else {
            spec = try plan.spec(point: p)
            cache = (p, spec)
        }
        if let seed = plan.seed(ofRun: run) { spec.seed = seed }
        return spec
    }
}
