import DominoLog
import DominoReplay
import DominoSweep
import Foundation

/// `domino bench sweep`: the same sweep of the 3AC/Celsius episode timed at each job count of
/// `--jobs` (1,2 by default), each into a fresh results database in a temporary directory, plus
/// one run's parts timed alone; the speed-up at each job count, and the serial fraction that
/// Amdahl's law infers from them with the speed-up it predicts at 16 jobs.
///
/// The grid: Celsius's rehypothecation cap (0, 0.1, …, 0.9) × its liquidity buffer (0, 0.05,
/// …, 0.2) — 50 counterfactual points — × seeds 1…⌈runs / 50⌉, so `--runs 1000` is 50 points
/// × 20 seeds with 20 shared baselines.
///
/// Amdahl: with a serial fraction f, n jobs take T(n) = T(1) · (f + (1 − f) / n). Each n > 1
/// gives y = T(n)/T(1) − 1/n = f · (1 − 1/n); f is the least-squares fit over all of them
/// (f = Σxy / Σx², x = 1 − 1/n), and the predicted speed-up at n jobs is 1 / (f + (1 − f)/n).
package struct SweepBenchmark: Sendable {
    package struct Options: Sendable {
        package var spec: String
        package var runs: Int
        package var jobs: [Int] = [1, 2]
        /// Timed passes at each job count; the median is reported.
        package var repeats = 1
        package var metrics = MetricsSampling.default
        /// The most runs the writer commits in one transaction (1: one transaction a run, as before batching).
        package var batchRuns = Sweep.Options(jobs: 1).batchRuns
        /// Parallel writers (`ShardedSweep`: shards merged as they finish) instead of one writer.
        package var sharded = false
        package var directory: String?
        package init(spec: String, runs: Int) { self.spec = spec; self.runs = runs }
    }

    package struct Pass: Sendable {
        package var jobs: Int, runs: Int
        /// The median over the repeats, and every repeat.
        package var seconds: Double, allSeconds: [Double]
        /// Of which the writer (on its own thread) spent this long writing (the median pass's).
        package var writeSeconds: Double
        /// The CPU time of those writes (the writer's cost whatever else ran on the machine).
        package var writeCPUSeconds: Double
        /// CPU time (user + system) of the whole process during the median pass: cores kept
        /// busy = cpuSeconds / seconds (below the job count + writer when other processes took cores).
        package var cpuSeconds: Double
        package var coresBusy: Double { cpuSeconds / seconds }
        package var runsPerSecond: Double { Double(runs) / seconds }
    }

    package struct Report: Sendable {
        package var spec: String
        package var runs: Int, points: Int, seeds: Int, baselines: Int
        package var metrics: MetricsSampling
        package var batchRuns: Int
        package var sharded: Bool
        package var cores: Int
        /// One run's parts: spec from the parsed tree, baseline replay, counterfactual replay,
        /// the run's rows built, the rows written (one transaction).
        package var specMs: Double, baselineMs: Double, counterfactualMs: Double, recordMs: Double, writeMs: Double
        package var metricsRowsPerRun: Int
        package var passes: [Pass]
        /// Every pass wrote the same database content (the sorted dump of every table).
        package var identical: Bool

        package var baseSeconds: Double { passes.first { $0.jobs == 1 }?.seconds ?? passes[0].seconds * Double(passes[0].jobs) }
        package func speedUp(_ p: Pass) -> Double { baseSeconds / p.seconds }

        /// Amdahl's serial fraction fitted to the passes with more than one job (nil without them or without a 1-job pass).
        package var serialFraction: Double? {
            guard passes.contains(where: { $0.jobs == 1 }) else { return nil }
            let xy = passes.filter { $0.jobs > 1 }.map { p -> (Double, Double) in
                let n = Double(p.jobs)
                return (1 - 1 / n, p.seconds / baseSeconds - 1 / n)
            }
            guard !xy.isEmpty else { return nil }
            let f = xy.map { $0.0 * $0.1 }.reduce(0, +) / xy.map { $0.0 * $0.0 }.reduce(0, +)
            return min(1, max(0, f))
        }

        package static func amdahl(_ f: Double, jobs n: Int) -> Double { 1 / (f + (1 - f) / Double(n)) }

        package func text() -> String {
            func f(_ v: Double, _ d: Int) -> String { String(format: "%.\(d)f", v) }
            func pad(_ s: String, _ w: Int) -> String { String(repeating: " ", count: max(0, w - s.count)) + s }
            var o = "domino bench sweep: \(spec) (\(cores) cores; "
            o += sharded ? "parallel writers: shards merged as they finish)\n"
                : "one writer, up to \(batchRuns) run\(batchRuns == 1 ? "" : "s") a transaction)\n"
            o += "  grid            rehypothecationCap × liquidityBuffer of Celsius: \(points) points × \(seeds) seeds = \(NumberText.grouped(runs)) runs, \(baselines) baselines\n"
            o += "  one run         spec \(f(specMs, 1)) ms + counterfactual replay \(f(counterfactualMs, 1)) ms + rows \(f(recordMs, 1)) ms + write \(f(writeMs, 1)) ms"
            o += " (\(NumberText.grouped(metricsRowsPerRun)) metrics and prices rows: --metrics-every \(metrics)); baseline replay \(f(baselineMs, 1)) ms\n"
            o += "  jobs   seconds   runs/s  speed-up  efficiency  \(sharded ? "     merge busy     " : "     writer busy    ")  cores busy\n"
            for p in passes {
                let s = speedUp(p)
                o += "  " + pad(String(p.jobs), 4) + pad(f(p.seconds, 2), 10) + pad(f(p.runsPerSecond, 1), 9) + pad(f(s, 2) + "x", 10)
                o += pad(f(s / Double(p.jobs), 2), 12) + pad(f(p.writeSeconds, 2) + " s", 9) + pad("(cpu " + f(p.writeCPUSeconds, 2) + ")", 12) + pad(f(p.coresBusy, 2), 12)
                o += p.allSeconds.count > 1 ? "   (median of " + p.allSeconds.map { f($0, 2) }.joined(separator: ", ") + ")\n" : "\n"
            }
            if let sf = serialFraction {
                let s16 = Self.amdahl(sf, jobs: 16)
                o += "  Amdahl          serial fraction \(f(sf, 4)): predicts \(f(s16, 1))x at 16 jobs (efficiency \(f(s16 / 16, 2)); goal ≥ 13.6x: \(s16 >= 13.6 ? "met" : "NOT met"))\n"
            } else {
                o += "  Amdahl          give --jobs 1 and at least one more job count for the serial fraction\n"
            }
            o += "  databases       \(identical ? "identical" : "DIFFERENT") (every table of every pass, sorted dump)\n"
            return o
        }

        package func json() -> String {
            func d(_ v: Double, _ places: Int) -> JSON { .number(String(format: "%.\(places)f", v)) }
            var fields: [(String, JSON)] = [
                ("spec", .string(spec)), ("runs", .int(runs)), ("points", .int(points)), ("seeds", .int(seeds)), ("baselines", .int(baselines)),
                ("metricsEvery", .string(metrics.description)), ("cores", .int(cores)), ("batchRuns", .int(batchRuns)), ("writers", .string(sharded ? "shards" : "single")),
                ("oneRunMs", .object([("spec", d(specMs, 2)), ("baseline", d(baselineMs, 2)), ("counterfactual", d(counterfactualMs, 2)),
                                      ("rows", d(recordMs, 2)), ("write", d(writeMs, 2))])),
                ("passes", .array(passes.map { p in
                    .object([("jobs", .int(p.jobs)), ("runs", .int(p.runs)), ("seconds", d(p.seconds, 3)),
                             ("allSeconds", .array(p.allSeconds.map { d($0, 3) })), ("runsPerSecond", d(p.runsPerSecond, 2)),
                             ("speedUp", d(speedUp(p), 3)), ("efficiency", d(speedUp(p) / Double(p.jobs), 3)),
                             ("writerSeconds", d(p.writeSeconds, 3)), ("writerCPUSeconds", d(p.writeCPUSeconds, 3)), ("cpuSeconds", d(p.cpuSeconds, 3))])
                })),
                ("identical", .bool(identical)),
            ]
            if let sf = serialFraction {
                fields.append(("serialFraction", d(sf, 5)))
                fields.append(("predictedSpeedUp16", d(Self.amdahl(sf, jobs: 16), 2)))
            }
            return JSON.object(fields).render(pretty: true) + "\n"
        }
    }

    package static let caps = ["0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9"]
    package static let buffers = ["0", "0.05", "0.1", "0.15", "0.2"]

    package let options: Options
    package init(options: Options) { self.options = options }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// User + system CPU seconds of this process so far.
    static func cpuTime() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return s(usage.ru_utime) + s(usage.ru_stime)
    }

    package func run(progress: @escaping (String, Int, Int) -> Void) throws -> Report {
        let points = Self.caps.count * Self.buffers.count
        let seeds = max(1, (options.runs + points - 1) / points)
        let grid = try Grid(axes: [GridAxis(key: "entities.Celsius.policy.rehypothecationCap", values: Self.caps),
                                   GridAxis(key: "entities.Celsius.policy.liquidityBuffer", values: Self.buffers)], seeds: seeds)
        let plan = try SweepPlan(specPath: options.spec, grid: grid)
        try plan.validate()

        // One run's parts, alone (the median of 3).
        var parts: [[Double]] = []
        var rows = 0
        for _ in 0..<3 {
            var t = Self.now()
            let baseline = try Replay.run(try plan.baselineSpec(group: 0, seed: 1))
            let baselineMs = (Self.now() - t) * 1000
            t = Self.now()
            var spec = try plan.spec(point: 1)
            spec.seed = 1
            let specMs = (Self.now() - t) * 1000
            t = Self.now()
            var runOptions = RunOptions()
            runOptions.reference = baseline.model.trace
            let run = try Replay.run(spec, options: runOptions)
            let counterfactualMs = (Self.now() - t) * 1000
            t = Self.now()
            let record = RunRecord(runID: 1, point: 1, parameters: plan.points[1].parameters, run: run, counterfactual: true,
                                   baselineStateHash: baseline.finalHash, metrics: options.metrics)
            let recordMs = (Self.now() - t) * 1000
            let store = try SweepStore()
            t = Self.now()
            try store.write(record)
            let writeMs = (Self.now() - t) * 1000
            rows = record.metrics.count + record.prices.count
            parts.append([specMs, baselineMs, counterfactualMs, recordMs, writeMs])
        }
        let median = (0..<5).map { i in parts.map { $0[i] }.sorted()[1] }

        let base = options.directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("domino-bench-sweep-\(ProcessInfo.processInfo.processIdentifier)").path
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        defer { if options.directory == nil { try? FileManager.default.removeItem(atPath: base) } }

        var reference: [String]? = nil
        var identical = true
        var passes: [Pass] = []
        for jobs in options.jobs {
            var timed: [(seconds: Double, write: Double, writeCPU: Double, cpu: Double, runs: Int)] = []
            for r in 0..<max(1, options.repeats) {
                let path = "\(base)/results-\(jobs).sqlite"
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
                let store = try SweepStore(path: path)
                var o = Sweep.Options(jobs: jobs)
                o.metrics = options.metrics
                o.batchRuns = options.batchRuns
                let label = "\(jobs) job\(jobs == 1 ? "" : "s")" + (options.repeats > 1 ? " (\(r + 1)/\(options.repeats))" : "")
                let cpuStart = Self.cpuTime()
                let start = Self.now()
                func sweep() throws -> Sweep.Result {
                    options.sharded
                        ? try ShardedSweep(plan: plan, options: o, directory: "\(base)/shards-\(jobs)").run(store: store) { done, total in progress(label, done, total) }
                        : try Sweep(plan: plan, options: o).run(store: store) { done, total in progress(label, done, total) }
                }
                // The 1-job pass on one core (CPUAffinity): Amdahl's T(1) is a serial time.
                let result = jobs == 1 ? try CPUAffinity.onOneCore(sweep) : try sweep()
                let seconds = Self.now() - start
                let cpu = Self.cpuTime() - cpuStart
                timed.append((seconds, result.writeSeconds, result.writeCPUSeconds, cpu, result.written))
                if r == 0 {
                    let dump = try store.dump()
                    if let reference { identical = identical && dump == reference } else { reference = dump }
                }
            }
            let m = timed.sorted { $0.seconds < $1.seconds }[timed.count / 2]
            passes.append(Pass(jobs: jobs, runs: m.runs, seconds: m.seconds, allSeconds: timed.map(\.seconds), writeSeconds: m.write, writeCPUSeconds: m.writeCPU, cpuSeconds: m.cpu))
        }
        return Report(spec: options.spec, runs: plan.runCount, points: points, seeds: seeds, baselines: plan.baselineCount,
                      metrics: options.metrics, batchRuns: options.batchRuns, sharded: options.sharded, cores: ProcessInfo.processInfo.activeProcessorCount,
                      specMs: median[0], baselineMs: median[1], counterfactualMs: median[2], recordMs: median[3], writeMs: median[4],
                      metricsRowsPerRun: rows, passes: passes, identical: identical)
    }
}
