import DominoLog
import DominoModel
import DominoReplay
import DominoSweep
import Foundation

/// `domino bench stress`: a stress study of a spec as written (one point × N paths, every metric
/// stored as `domino stress` stores it, the `risk` table included) timed at each job count, into a
/// fresh database each; one
/// path's parts timed alone (generation: the path's assumption draw, spec and generator inputs;
/// replay; the rows built; the rows written); and the peak resident memory of the study at N
/// paths and at N/4, whose ratio shows whether memory grows with the paths (it should not: runs
/// stream into the store).
package struct StressBenchmark: Sendable {
    package struct Options: Sendable {
        package var spec: String
        package var paths: Int
        package var jobs: [Int] = [1, 2]
        package var generator = "recorded"
        package var metrics = MetricsSampling.default
        package var directory: String?
        /// Timed passes per job count; the pass of median seconds is reported.
        package var `repeat` = 1
        package init(spec: String, paths: Int) { self.spec = spec; self.paths = paths }
    }

    package struct Pass: Sendable {
        package var jobs: Int, paths: Int
        package var seconds: Double, cpuSeconds: Double
        /// Of `seconds`, the risk table's computation and write at the end (serial).
        package var riskSeconds: Double
        package var peakRSS: UInt64
        /// The seconds of every repeat at this job count (this pass is their median).
        package var repeats: [Double] = []
        package var pathsPerSecond: Double { Double(paths) / seconds }
    }

    package struct Report: Sendable {
        package var spec: String, generator: String
        package var paths: Int, cores: Int
        package var metrics: MetricsSampling
        /// One path's parts (ms, the median of 3 paths): generation, replay, rows, write.
        package var generateMs: Double, replayMs: Double, rowsMs: Double, writeMs: Double
        package var passes: [Pass]
        /// The memory pass: N/4 paths at the largest job count.
        package var smallPass: Pass
        /// Every pass stored the same runs (the `runs` table, row for row).
        package var identical: Bool

        var base: Pass { passes.first { $0.jobs == 1 } ?? passes[0] }
        /// Paths/s over the 1-job pass's (over the first pass's, per job, without one).
        package func speedUp(_ p: Pass) -> Double { p.pathsPerSecond / (base.pathsPerSecond / Double(base.jobs)) }
        var largest: Pass { passes.max { $0.jobs < $1.jobs }! }
        package var memoryRatio: Double { Double(largest.peakRSS) / Double(max(1, smallPass.peakRSS)) }

        package func text() -> String {
            func f(_ v: Double, _ d: Int) -> String { String(format: "%.\(d)f", v) }
            func pad(_ s: String, _ w: Int) -> String { String(repeating: " ", count: max(0, w - s.count)) + s }
            func mib(_ b: UInt64) -> String { f(Double(b) / 1_048_576, 0) + " MiB" }
            let total = generateMs + replayMs + rowsMs + writeMs
            func share(_ v: Double) -> String { f(100 * v / max(total, 1e-9), 0) + "%" }
            var o = "domino bench stress: \(spec), generator \(generator) (\(cores) cores; --metrics-every \(metrics); 1 job \(CPUAffinity.available ? "pinned to one core" : "not pinned"))\n"
            o += "  one path        generation \(f(generateMs, 1)) ms (\(share(generateMs))) + replay \(f(replayMs, 1)) ms (\(share(replayMs)))"
            o += " + rows \(f(rowsMs, 1)) ms (\(share(rowsMs))) + write \(f(writeMs, 1)) ms (\(share(writeMs)))\n"
            o += "  jobs   paths   seconds   of which risk   paths/s   per core  speed-up  cores busy   peak RSS\n"
            for p in passes {
                o += "  " + pad(String(p.jobs), 4) + pad(NumberText.grouped(p.paths), 8) + pad(f(p.seconds, 2), 10) + pad(f(p.riskSeconds, 2) + " s", 16) + pad(f(p.pathsPerSecond, 1), 10)
                o += pad(f(p.pathsPerSecond / Double(p.jobs), 1), 11) + pad(f(speedUp(p), 2) + "x", 10) + pad(f(p.cpuSeconds / p.seconds, 2), 12) + pad(mib(p.peakRSS), 11)
                o += p.repeats.count > 1 ? "   (median of " + p.repeats.map { f($0, 2) }.joined(separator: ", ") + ")\n" : "\n"
            }
            o += "  risk table      \(f(1000 * base.riskSeconds / Double(max(1, base.paths)), 2)) ms a path at the end of the study (every metric, 1,000 bootstrap resamples; serial)\n"
            let fastest = passes.max { $0.pathsPerSecond < $1.pathsPerSecond }!
            let thousand = 1000 / fastest.pathsPerSecond
            o += "  goal            1,000 paths in < 60 s: \(f(thousand, 1)) s at \(fastest.jobs) job\(fastest.jobs == 1 ? "" : "s") (\(thousand < 60 ? "met" : "NOT met"))"
            if passes.contains(where: { $0.jobs == 2 }), passes.contains(where: { $0.jobs == 1 }) {
                let s = speedUp(passes.first { $0.jobs == 2 }!)
                o += "; speed-up at 2 jobs \(f(s, 2))x (goal ≥ 1.8x: \(s >= 1.8 ? "met" : "NOT met"))"
            }
            o += "\n  memory          peak RSS \(mib(largest.peakRSS)) at \(NumberText.grouped(largest.paths)) paths, \(mib(smallPass.peakRSS)) at \(NumberText.grouped(smallPass.paths)): ratio \(f(memoryRatio, 2)) for \(f(Double(largest.paths) / Double(smallPass.paths), 1))x the paths\n"
            o += "  databases       \(identical ? "identical" : "DIFFERENT") (the runs and risk tables of every pass)\n"
            return o
        }

        package func json() -> String {
            func d(_ v: Double, _ places: Int) -> JSON { .number(String(format: "%.\(places)f", v)) }
            func pass(_ p: Pass) -> JSON {
                .object([("jobs", .int(p.jobs)), ("paths", .int(p.paths)), ("seconds", d(p.seconds, 3)), ("pathsPerSecond", d(p.pathsPerSecond, 2)),
                         ("pathsPerSecondPerCore", d(p.pathsPerSecond / Double(p.jobs), 2)), ("speedUp", d(speedUp(p), 3)),
                         ("cpuSeconds", d(p.cpuSeconds, 3)), ("riskSeconds", d(p.riskSeconds, 3)), ("peakRSSBytes", .int(Int(p.peakRSS))),
                         ("repeats", .array(p.repeats.map { d($0, 3) }))])
            }
            return JSON.object([
                ("spec", .string(spec)), ("generator", .string(generator)), ("paths", .int(paths)), ("cores", .int(cores)),
                ("metricsEvery", .string(metrics.description)),
                ("onePathMs", .object([("generation", d(generateMs, 2)), ("replay", d(replayMs, 2)), ("rows", d(rowsMs, 2)), ("write", d(writeMs, 2))])),
                ("passes", .array(passes.map(pass))), ("memoryPass", pass(smallPass)), ("memoryRatio", d(memoryRatio, 3)),
                ("identical", .bool(identical)),
            ]).render(pretty: true) + "\n"
        }
    }

    package let options: Options
    package init(options: Options) { self.options = options }

    func plan(paths: Int) throws -> SweepPlan {
        let plan = try SweepPlan(specPath: options.spec, grid: try Grid(axes: [], seeds: nil, paths: paths), generator: options.generator)
        try plan.validate()
        return plan
    }

    package func run(progress: @escaping (String, Int, Int) -> Void) throws -> Report {
        let plan = try plan(paths: options.paths)
        // One path's parts, alone: paths 0, 1, 2, the median of each part.
        var parts: [[Double]] = [[], [], [], []]
        let scratch = try SweepStore()
        for run in 0..<min(3, options.paths) {
            let (g, input) = try Measure.seconds { (try plan.runSpec(run: run), try plan.runOptions(run: run)) }
            let (r, result) = try Measure.seconds { try Replay.run(input.0, options: input.1) }
            let (b, record) = Measure.seconds { RunRecord(runID: run, point: 0, parameters: [], run: result, counterfactual: false, baselineStateHash: nil, metrics: options.metrics) }
            let (w, _) = try Measure.seconds { try scratch.write(record) }
            for (i, v) in [g, r, b, w].enumerated() { parts[i].append(v * 1000) }
        }
        let base = options.directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("domino-bench-stress-\(ProcessInfo.processInfo.processIdentifier)").path
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        defer { if options.directory == nil { try? FileManager.default.removeItem(atPath: base) } }

        var reference: [String]? = nil
        var identical = true
        func pass(_ plan: SweepPlan, jobs: Int, name: String) throws -> Pass {
            let path = "\(base)/\(name).sqlite"
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            let store = try SweepStore(path: path)
            try store.claim(plan.meta(metrics: options.metrics))
            var o = Sweep.Options(jobs: jobs)
            o.metrics = options.metrics
            let label = "\(NumberText.grouped(plan.runCount)) paths, \(jobs) job\(jobs == 1 ? "" : "s")"
            let sampler = RSSSampler()
            sampler.start()
            let cpu = SweepBenchmark.cpuTime()
            var riskSeconds = 0.0
            func study() throws {
                _ = jobs > 1
                    ? try ShardedSweep(plan: plan, options: o, directory: "\(base)/shards-\(name)").run(store: store) { progress(label, $0, $1) }
                    : try Sweep(plan: plan, options: o).run(store: store) { progress(label, $0, $1) }
                // As `domino stress` ends: the risk metrics over the paths.
                riskSeconds = try Measure.seconds { try RiskTable.write(store: store) }.0
            }
            // The 1-job pass on one core (CPUAffinity): the serial baseline of the speed-up.
            let (seconds, _) = try Measure.seconds { jobs == 1 ? try CPUAffinity.onOneCore(study) : try study() }
            let cpuSeconds = SweepBenchmark.cpuTime() - cpu
            let peak = sampler.stop()
            if plan.runCount == options.paths {
                let runs = try store.dump(tables: ["runs", "risk"])
                if let reference { identical = identical && runs == reference } else { reference = runs }
            }
            return Pass(jobs: jobs, paths: plan.runCount, seconds: seconds, cpuSeconds: cpuSeconds, riskSeconds: riskSeconds, peakRSS: peak)
        }
        // The memory pass first (fewer paths), so a later, larger peak is the study's own.
        let maxJobs = options.jobs.max() ?? 1
        let small = try pass(try self.plan(paths: max(1, options.paths / 4)), jobs: maxJobs, name: "small")
        var passes: [Pass] = []
        for jobs in options.jobs {
            var runs: [Pass] = []
            for r in 0..<max(1, options.repeat) { runs.append(try pass(plan, jobs: jobs, name: "jobs-\(jobs)-\(r)")) }
            var median = runs.sorted { $0.seconds < $1.seconds }[runs.count / 2]
            median.repeats = runs.map(\.seconds)
            passes.append(median)
        }
        return Report(spec: options.spec, generator: plan.generator?.description ?? options.generator, paths: options.paths,
                      cores: Sweep.activeCores, metrics: options.metrics,
                      generateMs: Measure.median(parts[0]), replayMs: Measure.median(parts[1]), rowsMs: Measure.median(parts[2]), writeMs: Measure.median(parts[3]),
                      passes: passes, smallPass: small, identical: identical)
    }
}
