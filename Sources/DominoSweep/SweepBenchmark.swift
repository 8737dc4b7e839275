import DominoLog
import DominoModel
import DominoReplay
import Foundation
import GRDB

/// `domino bench sweep`: the same sweep of the 3AC/Celsius episode timed with 1 worker and with
/// 2, into a results database in a temporary directory, plus one run's parts timed alone.
///
/// The grid: Celsius's rehypothecation cap (0, 0.1, …, 0.9) × its liquidity buffer (0, 0.05,
/// …, 0.2) — 50 counterfactual points — × seeds 1…⌈runs / 50⌉, so `--runs 1000` is 50 points
/// × 20 seeds with 20 shared baselines.
public struct SweepBenchmark: Sendable {
    public struct Options: Sendable {
        public var spec: String
        public var runs: Int
        /// Runs timed with 1 worker (the first ones in run-id order); nil = all of them.
        public var singleWorkerRuns: Int?
        public var metrics = MetricsSampling.default
        public var directory: String?
        public init(spec: String, runs: Int) { self.spec = spec; self.runs = runs }
    }

    public struct Pass: Sendable {
        public var jobs: Int, runs: Int, seconds: Double
        /// Of which the writer (on its own thread) spent this long writing.
        public var writeSeconds: Double
        /// CPU time (user + system) of the whole process during the pass: cores kept busy =
        /// cpuSeconds / seconds (below the job count + writer when other processes took cores).
        public var cpuSeconds: Double
        public var coresBusy: Double { cpuSeconds / seconds }
        public var runsPerSecond: Double { Double(runs) / seconds }
    }

    public struct Report: Sendable {
        public var spec: String
        public var runs: Int, points: Int, seeds: Int, baselines: Int
        public var metrics: MetricsSampling
        public var planSeconds: Double
        /// One run's parts: spec from the parsed tree, baseline replay, counterfactual replay,
        /// the run's rows built, the rows written (one transaction).
        public var specMs: Double, baselineMs: Double, counterfactualMs: Double, recordMs: Double, writeMs: Double
        public var metricsRowsPerRun: Int
        public var one: Pass, two: Pass
        public var identical: Bool

        public var ratio: Double { two.runsPerSecond / one.runsPerSecond }
        /// The time 1,000 runs take with 2 workers at the measured rate.
        public var secondsPer1000: Double { 1000 / two.runsPerSecond }
        public var scalingGoal: Bool { ratio >= 1.8 }
        public var timeGoal: Bool { secondsPer1000 < 60 }

        public func text() -> String {
            func f(_ v: Double, _ d: Int) -> String { String(format: "%.\(d)f", v) }
            var o = "domino bench sweep: \(spec)\n"
            o += "  grid            rehypothecationCap × liquidityBuffer of Celsius: \(points) points × \(seeds) seeds = \(NumberText.grouped(runs)) runs, \(baselines) baselines\n"
            o += "  one run         spec \(f(specMs, 1)) ms + counterfactual replay \(f(counterfactualMs, 1)) ms + rows \(f(recordMs, 1)) ms + write \(f(writeMs, 1)) ms"
            o += " (\(NumberText.grouped(metricsRowsPerRun)) metrics and prices rows: --metrics-every \(metrics)); baseline replay \(f(baselineMs, 1)) ms\n"
            o += "  1 worker        \(NumberText.grouped(one.runs)) runs in \(f(one.seconds, 2)) s: \(f(one.runsPerSecond, 2)) runs/s"
            o += one.runs < runs ? " (the first \(NumberText.grouped(one.runs)) runs only)" : ""
            o += "; writer busy \(f(one.writeSeconds, 2)) s; \(f(one.coresBusy, 2)) cores busy\n"
            o += "  2 workers       \(NumberText.grouped(two.runs)) runs in \(f(two.seconds, 2)) s: \(f(two.runsPerSecond, 2)) runs/s; writer busy \(f(two.writeSeconds, 2)) s; \(f(two.coresBusy, 2)) cores busy\n"
            o += "  scaling         \(f(ratio, 2))x (goal ≥ 1.8x: \(scalingGoal ? "met" : "NOT met"))\n"
            o += "  1,000 runs      \(f(secondsPer1000, 1)) s with 2 workers (goal < 60 s: \(timeGoal ? "met" : "NOT met"))\n"
            o += "  databases       \(identical ? "identical" : "DIFFERENT") (runs table of both passes, compared row by row)\n"
            return o
        }

        public func json() -> String {
            func d(_ v: Double, _ places: Int) -> JSON { .number(String(format: "%.\(places)f", v)) }
            return JSON.object([
                ("spec", .string(spec)), ("runs", .int(runs)), ("points", .int(points)), ("seeds", .int(seeds)), ("baselines", .int(baselines)),
                ("metricsEvery", .string(metrics.description)),
                ("oneRunMs", .object([("spec", d(specMs, 2)), ("baseline", d(baselineMs, 2)), ("counterfactual", d(counterfactualMs, 2)),
                                      ("rows", d(recordMs, 2)), ("write", d(writeMs, 2))])),
                ("oneWorker", .object([("runs", .int(one.runs)), ("seconds", d(one.seconds, 3)), ("runsPerSecond", d(one.runsPerSecond, 2)),
                                       ("writerSeconds", d(one.writeSeconds, 3)), ("cpuSeconds", d(one.cpuSeconds, 3))])),
                ("twoWorkers", .object([("runs", .int(two.runs)), ("seconds", d(two.seconds, 3)), ("runsPerSecond", d(two.runsPerSecond, 2)),
                                        ("writerSeconds", d(two.writeSeconds, 3)), ("cpuSeconds", d(two.cpuSeconds, 3))])),
                ("scaling", d(ratio, 3)), ("secondsPer1000Runs", d(secondsPer1000, 2)),
                ("goals", .object([("scaling1_8x", .bool(scalingGoal)), ("under60s", .bool(timeGoal))])),
                ("identical", .bool(identical)),
            ]).render(pretty: true) + "\n"
        }
    }

    public static let caps = ["0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9"]
    public static let buffers = ["0", "0.05", "0.1", "0.15", "0.2"]

    public let options: Options
    public init(options: Options) { self.options = options }

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

    public func run(progress: @escaping (String, Int, Int) -> Void) throws -> Report {
        let points = Self.caps.count * Self.buffers.count
        let seeds = max(1, (options.runs + points - 1) / points)
        let grid = try Grid(axes: [GridAxis(key: "entities.Celsius.policy.rehypothecationCap", values: Self.caps),
                                   GridAxis(key: "entities.Celsius.policy.liquidityBuffer", values: Self.buffers)], seeds: seeds)
        var t = Self.now()
        let plan = try SweepPlan(specPath: options.spec, grid: grid)
        try plan.validate()
        let planSeconds = Self.now() - t

        // One run's parts, alone (the median of 3).
        var parts: [[Double]] = []
        var rows = 0
        for _ in 0..<3 {
            t = Self.now()
            let baselineSpec = try plan.baselineSpec(group: 0, seed: 1)
            let baseline = try Replay.run(baselineSpec)
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

        func pass(jobs: Int, runs: Int?) throws -> (Pass, [String]) {
            let path = "\(base)/results-\(jobs).sqlite"
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            let store = try SweepStore(path: path)
            var o = Sweep.Options(jobs: jobs)
            o.metrics = options.metrics
            if let runs { o.only = Set(0..<runs) }
            let label = "\(jobs) worker\(jobs == 1 ? "" : "s")"
            let cpuStart = Self.cpuTime()
            let start = Self.now()
            let result = try Sweep(plan: plan, options: o).run(store: store) { done, total in progress(label, done, runs ?? total) }
            let seconds = Self.now() - start
            let cpu = Self.cpuTime() - cpuStart
            let hashes = try store.read { db in try String.fetchAllStateHashes(db) }
            return (Pass(jobs: jobs, runs: result.written, seconds: seconds, writeSeconds: result.writeSeconds, cpuSeconds: cpu), hashes)
        }
        let (one, hashesOne) = try pass(jobs: 1, runs: options.singleWorkerRuns.map { min($0, plan.runCount) })
        let (two, hashesTwo) = try pass(jobs: 2, runs: nil)
        return Report(spec: options.spec, runs: plan.runCount, points: points, seeds: seeds, baselines: plan.baselineCount,
                      metrics: options.metrics, planSeconds: planSeconds,
                      specMs: median[0], baselineMs: median[1], counterfactualMs: median[2], recordMs: median[3], writeMs: median[4],
                      metricsRowsPerRun: rows, one: one, two: two, identical: hashesTwo.starts(with: hashesOne))
    }
}

extension String {
    static func fetchAllStateHashes(_ db: Database) throws -> [String] {
        try Row.fetchAll(db, sql: "SELECT * FROM runs ORDER BY run_id").map { row in
            row.databaseValues.map { $0.description }.joined(separator: "|")
        }
    }
}
