import ArgumentParser
import DominoLog
import DominoReplay
import DominoSweep
import Foundation

/// `domino sweep`: the Cartesian product of `--grid` axes × seeds, run in parallel, into SQLite.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a grid of counterfactuals in parallel into a SQLite database; rank them.",
        subcommands: [SweepRun.self, SweepReportCommand.self, SweepPlanCommand.self, SweepRunShard.self, SweepMerge.self],
        defaultSubcommand: SweepRun.self
    )

    /// Exit 1 naming the failed runs stored (this time or before), if any: one line on stderr.
    static func reportFailures(_ store: SweepStore) throws {
        let failures = try store.failures()
        guard let first = failures.first else { return }
        let named = failures.prefix(3).map(\.label).joined(separator: ", ") + (failures.count > 3 ? ", …" : "")
        throw SweepError.failure("\(store.path): \(grouped(failures.count)) run\(failures.count == 1 ? "" : "s") failed and \(failures.count == 1 ? "is" : "are") stored as failed: \(named); the first: \(first.error) (`domino sweep report` lists them)")
    }

    /// What a sweep directory holds (with the plan's of `sweep plan`, whose directory a sweep may share).
    static let sweepNames: Set<String> = [SweepStore.fileName, SweepStore.fileName + "-wal", SweepStore.fileName + "-shm",
                                          SweepStore.fileName + "-journal", ".shards", ShardPlan.fileName, ShardPlan.shardsDirectory]

    /// An `--out` directory may be new, empty, or hold only what sweeps write: anything else
    /// (a user's files) is refused, so nothing of theirs is touched.
    static func checkOut(_ out: String, owned: Set<String>) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else { throw SweepError.usage("--out \(out): exists and is not a directory") }
        Staging.cleanStale(in: out)
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: out)) ?? [])
            .filter { !owned.contains($0) && !($0.hasPrefix(".") && Staging.stagingPID($0) != nil) && !$0.hasPrefix(SweepStore.fileName + ".merge-") }.sorted()
        guard names.isEmpty else {
            let list = names.prefix(3).joined(separator: ", ") + (names.count > 3 ? ", …" : "")
            throw SweepError.usage("--out \(out): the directory holds files that are not a sweep's (\(list)); give an empty or new directory, or a previous sweep's")
        }
    }

    /// The results database of `plan` in `out` (created if new; a foreign directory refused,
    /// `checkOut`), claimed for the plan: a sweep's or a stress study's.
    static func openStore(for plan: SweepPlan, out: String, metricsEvery: String) throws -> (SweepStore, MetricsSampling) {
        try checkOut(out, owned: sweepNames)
        do { try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true) } catch {
            throw SweepError.failure("\(out): cannot create the directory: \(error.localizedDescription)")
        }
        let store = try SweepStore(path: out + "/" + SweepStore.fileName)
        let sampling = try MetricsSampling.parse(metricsEvery)
        try store.claim(plan.meta(metrics: sampling))
        return (store, sampling)
    }

    /// Runs `body`, turning a `SweepError` into its one-line message and exit code.
    /// The results database of a sweep or stress `--out` directory (or the file itself), opened
    /// read-only for a report: a report never changes the database.
    static func reportStore(_ dir: String) throws -> SweepStore {
        let path = dir.hasSuffix(".sqlite") ? dir : dir + "/" + SweepStore.fileName
        guard FileManager.default.fileExists(atPath: path) else { throw SweepError.failure("\(path): no sweep results here") }
        return try SweepStore(existing: path)
    }

    static func reporting(_ body: () throws -> Void) throws {
        do { try body() } catch let error as SweepError {
            Output.flush()
            CLI.printError("domino: \(error.message)")
            throw CLIExit(code: error.usage ? 2 : 1)
        }
    }
}

struct SweepRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run every grid point × seed of a spec (the default: `domino sweep SPEC …`).",
        discussion: """
        Each --grid key=v1,v2,… is an axis: an override path as in `domino replay --set` \
        (e.g. entities.Celsius.policy.rehypothecationCap=0,0.25,0.5), or `policy` with policy-set \
        names or files (policy=none,no-rehypothecation,rehyp-cap-25; none = the spec as written). \
        Values are split at commas outside brackets and quotes, so YAML values like \
        {maxShare: 0.1, window: 1d} stay whole. The runs are the Cartesian product, the first \
        --grid outermost; with --seeds N every point runs with seeds 1…N (innermost), otherwise \
        once with the spec's seed. Run ids: run_id = point × N + (seed − 1), from 0.

        Counterfactual runs are replayed against their baseline (the spec with the point's \
        shared overrides — model.*, seed, window — and the seed), which is replayed once and \
        shared, exactly as `domino replay --set` does it.

        Results go to DIR/results.sqlite (schema in README.md, "Sweeps"), the same content \
        whatever --jobs and --writers are. With 2 jobs or more each job writes whole shards of \
        runs into its own scratch database (in DIR/.shards, removed as they are merged; what a kill left there is replaced on the next run), \
        merged into results.sqlite as they finish; --writers single (the default with 1 job) \
        has one writer insert every run in run-id order. Rerunning the same command after an \
        interruption (losing at most the shards not yet merged) skips the runs already stored \
        and ends with the same database content; \
        a different spec, grid or --seeds against the same DIR is refused, and so is a DIR \
        holding files that are not a sweep's.

        A run that fails (an invalid grid point, a replay that stops with an error) is stored as \
        failed with its error (table run_failures) and the sweep goes on; at the end it exits 1 \
        naming the failed runs, and `domino sweep report` lists them. A rerun skips them.
        """)

    @Argument(help: "Replay spec (YAML).") var spec: String
    @Option(name: .customLong("grid"), help: "An axis: key=value1,value2,… (repeatable; at least one, or --seeds).") var grid: [String] = []
    @Option(help: "Run every grid point with seeds 1…N.") var seeds: Int?
    @Option(help: "Worker threads (default: the active cores).") var jobs: Int?
    @Option(help: "Directory for results.sqlite (created if needed).") var out: String
    @Option(help: "Store the metrics samples at multiples of this duration from the window start (default 1d), all of them (all), or none.")
    var metricsEvery: String = MetricsSampling.default.description
    @Option(help: "shards (the default with 2 jobs or more): each job writes its own shard database, merged as shards finish; single: one writer thread inserts every run.")
    var writers: String?
    @Flag(name: .shortAndLong, help: "No progress bar.") var quiet = false

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if let writers, !["single", "shards"].contains(writers) { throw ValidationError("--writers must be single or shards") }
        if let seeds, seeds < 1 { throw ValidationError("--seeds must be at least 1") }
        if grid.isEmpty && seeds == nil { throw ValidationError("give at least one --grid key=v1,v2,… (or --seeds N)") }
    }

    func run() throws {
        try CLI.requireSpec(spec)
        try SweepCommand.reporting {
            let axes = try grid.map(GridAxis.parse)
            let plan = try SweepPlan(specPath: spec, grid: try Grid(axes: axes, seeds: seeds))
            try plan.validate()
            let (store, sampling) = try SweepCommand.openStore(for: plan, out: out, metricsEvery: metricsEvery)
            var options = Sweep.Options(jobs: jobs ?? Sweep.activeCores)
            options.metrics = sampling
            let bar = ProgressBar(total: 1, label: "sweep", quiet: quiet, unit: "runs")
            let result: Sweep.Result
            if (writers ?? (options.jobs > 1 ? "shards" : "single")) == "shards" {
                let scratch = out + "/.shards"
                result = try ShardedSweep(plan: plan, options: options, directory: scratch).run(store: store) { done, total in bar.update(done, of: total) }
            } else {
                result = try Sweep(plan: plan, options: options).run(store: store) { done, total in bar.update(done, of: total) }
            }
            bar.finish()
            let points = plan.grid.pointCount, seedCount = plan.grid.seedCount
            var line = "\(plan.baseSpec.name): \(grouped(result.total)) runs (\(grouped(points)) grid point\(points == 1 ? "" : "s") × "
            line += "\(seedCount) seed\(seedCount == 1 ? "" : "s")): \(grouped(result.written)) run now"
            if result.skipped > 0 { line += ", \(grouped(result.skipped)) already done" }
            if result.failed > 0 { line += " (\(grouped(result.failed)) failed)" }
            line += " → \(store.path)"
            Output.line(line)
            try SweepCommand.reportFailures(store)
        }
    }
}

struct SweepPlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Cut a sweep into shards for distributed runs: DIR/plan.json.",
        discussion: """
        Takes the spec, --grid, --seeds and --metrics-every of `domino sweep` and writes \
        DIR/plan.json: the spec hash, every run id in its baseline group (the runs that share one \
        baseline replay) and the shards, lists of run ids that keep baseline groups whole where \
        they fit. Shards hold at most --shard-runs runs, or as many as take about \
        --shard-seconds (default 60) at one run's replay time, measured here unless --run-ms \
        gives it. Then run every shard (`domino sweep run-shard DIR --shard K`, anywhere: \
        python/domino_ray.py does it on a Ray cluster) and `domino sweep merge DIR`.

        With --paths N (instead of --seeds) the plan is a stress study, as `domino stress` runs \
        it: every grid point on paths 0…N−1, with --generator and the study --seed; its shards \
        merged equal `domino stress` of the same study.
        """)

    @Argument(help: "Replay spec (YAML).") var spec: String
    @Option(name: .customLong("grid"), help: "An axis: key=value1,value2,… (repeatable; at least one, or --seeds, or --paths).") var grid: [String] = []
    @Option(help: "Run every grid point with seeds 1…N.") var seeds: Int?
    @Option(help: "A stress study: run every grid point on paths 0…N−1 (as `domino stress`).") var paths: Int?
    @Option(help: "With --paths: what generates each path's inputs (default recorded).") var generator: String?
    @Option(help: "With --paths: the study seed (default: the spec's seed).") var seed: UInt64?
    @Option(help: "Directory for plan.json and shards/ (created if needed).") var out: String
    @Option(help: "Metrics samples stored, as `domino sweep` (default 1d).") var metricsEvery: String = MetricsSampling.default.description
    @Option(help: "At most this many runs per shard.") var shardRuns: Int?
    @Option(help: "Target seconds per shard on one core (default 60).") var shardSeconds: Double?
    @Option(help: "One run's time in ms for --shard-seconds (default: measured).") var runMs: Double?
    @Flag(help: "Print one JSON object instead of the summary line.") var json = false

    func validate() throws {
        if let seeds, seeds < 1 { throw ValidationError("--seeds must be at least 1") }
        if let paths, paths < 1 { throw ValidationError("--paths must be at least 1") }
        if seeds != nil && paths != nil { throw ValidationError("--seeds and --paths cannot be combined (each path has its own seed)") }
        if paths == nil && (generator != nil || seed != nil) { throw ValidationError("--generator and --seed need --paths") }
        if grid.isEmpty && seeds == nil && paths == nil { throw ValidationError("give at least one --grid key=v1,v2,… (or --seeds N, or --paths N)") }
        if let shardRuns, shardRuns < 1 { throw ValidationError("--shard-runs must be at least 1") }
        if let shardSeconds, !(shardSeconds > 0) { throw ValidationError("--shard-seconds must be positive") }
        if let runMs, !(runMs > 0) { throw ValidationError("--run-ms must be positive") }
        if shardRuns != nil && (shardSeconds != nil || runMs != nil) { throw ValidationError("give --shard-runs or --shard-seconds, not both") }
    }

    func run() throws {
        try CLI.requireSpec(spec)
        try SweepCommand.reporting {
            let plan = try SweepPlan(specPath: spec, grid: try Grid(axes: try grid.map(GridAxis.parse), seeds: seeds, paths: paths),
                                     generator: paths == nil ? nil : generator ?? "recorded", studySeed: seed)
            try plan.validate()
            let sampling = try MetricsSampling.parse(metricsEvery)
            var perRun: Double? = nil
            let size: Int
            if let shardRuns { size = shardRuns } else {
                perRun = try runMs ?? ShardPlan.measureRunMs(plan)
                size = ShardPlan.shardRuns(seconds: shardSeconds ?? 60, runMs: perRun!)
            }
            let shards = ShardPlan(plan: plan, metrics: sampling, shardRuns: size)
            try SweepCommand.checkOut(out, owned: SweepCommand.sweepNames)
            try shards.write(to: out)
            if json {
                var fields: [(String, JSON)] = [("plan", .string(out + "/" + ShardPlan.fileName)), ("specHash", .string(shards.specHash)),
                                                ("runs", .int(shards.runs)), ("baselines", .int(shards.baselines.count)),
                                                ("shards", .int(shards.shards.count)), ("shardRuns", .int(size))]
                if let perRun { fields.append(("runMs", .number(String(format: "%.2f", perRun)))) }
                Output.write(JSON.object(fields).render(pretty: true) + "\n")
            } else {
                var line = "\(plan.baseSpec.name): \(grouped(shards.runs)) runs in \(grouped(shards.baselines.count)) baseline group"
                line += "\(shards.baselines.count == 1 ? "" : "s"), \(grouped(shards.shards.count)) shard\(shards.shards.count == 1 ? "" : "s") of at most \(grouped(size)) runs"
                if let perRun { line += String(format: " (%.1f ms a run)", perRun) }
                Output.line(line + " → \(out)/\(ShardPlan.fileName)")
            }
        }
    }
}

struct SweepRunShard: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run-shard",
        abstract: "Run one shard of a plan into its own database.",
        discussion: """
        Writes DIR/shards/shard-KKKKK.sqlite (or --out FILE): it works in FILE.partial, resumed \
        after a kill like any sweep, and renames it to FILE once every run of the shard is in it. \
        Rerun on a complete FILE it checks that FILE is this shard and does nothing. The spec \
        must hash as planned (the same spec, datasets and policy files).
        """)

    @Argument(help: "The plan's directory.") var dir: String
    @Option(help: "The shard (0-based).") var shard: Int
    @Option(help: "The database to write (default DIR/shards/shard-KKKKK.sqlite).") var out: String?
    @Option(help: "The spec's path on this node (default: the path in the plan).") var spec: String?
    @Option(help: "Worker threads (default 1: one shard, one core).") var jobs: Int = 1
    @Flag(name: .shortAndLong, help: "No progress bar.") var quiet = false

    func validate() throws {
        if shard < 0 { throw ValidationError("--shard must be at least 0") }
        if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        try SweepCommand.reporting {
            let bar = ProgressBar(total: 1, label: "sweep", quiet: quiet, unit: "runs")
            let result = try ShardRunner(dir: dir, shard: shard, out: out, specPath: spec, jobs: jobs).run { bar.update($0, of: $1) }
            bar.finish()
            Output.line(result.alreadyDone
                ? "shard \(shard): \(grouped(result.runs)) runs, already complete → \(result.path)"
                : "shard \(shard): \(grouped(result.runs)) runs: \(grouped(result.written)) run now\(result.skipped > 0 ? ", \(grouped(result.skipped)) already done" : "") → \(result.path)")
            try SweepCommand.reportFailures(try SweepStore(existing: result.path))
        }
    }
}

struct SweepMerge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge a plan's shard databases into results.sqlite.",
        discussion: """
        Checks that every DIR/shards/*.sqlite has this schema and the plan's spec hash, grid, \
        seeds and metrics sampling, that together they hold every run id of the plan exactly \
        once, and that a run found in two shards has the same state hash in both; then writes \
        DIR/results.sqlite (or --out), the same content as `domino sweep` of the same plan. An \
        existing output is left as it is when it has that content, and refused otherwise.
        """)

    @Argument(help: "The plan's directory.") var dir: String
    @Option(help: "The merged database (default DIR/results.sqlite).") var out: String?

    func run() throws {
        try SweepCommand.reporting {
            let result = try ShardMerger(dir: dir, out: out).merge()
            var line = "\(grouped(result.runs)) runs from \(grouped(result.shards)) shard\(result.shards == 1 ? "" : "s")"
            if result.duplicates > 0 { line += " (\(grouped(result.duplicates)) duplicate run\(result.duplicates == 1 ? "" : "s"), same state hashes)" }
            line += result.unchanged ? ": \(result.path) already holds them" : " → \(result.path)"
            Output.line(line)
            try SweepCommand.reportFailures(try SweepStore(existing: result.path))
        }
    }
}

struct SweepReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Rank a sweep's grid points and list the Pareto frontier.",
        discussion: """
        Per grid point, over its seeds (mean / median): depositor losses, contagion depth (the \
        longest who-took-down-whom chain) and capital efficiency (the share of customer assets \
        lent, deployed or pledged on pools at the start: what is earning). Points are ranked by Pareto front — \
        front 1, the frontier, holds the points no other beats on all three (least losses, \
        least depth, most capital efficiency) — then by losses, depth and efficiency.
        """)

    @Argument(help: "The sweep's --out directory (or its results.sqlite).") var dir: String
    @Flag(help: "Print JSON instead of the table.") var json = false

    func run() throws {
        try SweepCommand.reporting {
            let report = try SweepReport(store: try SweepCommand.reportStore(dir))
            Output.write(json ? report.json.render(pretty: true) + "\n" : report.text)
        }
    }
}
