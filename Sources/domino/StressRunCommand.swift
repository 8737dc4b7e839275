import ArgumentParser
import DominoLog
import DominoReplay
import DominoSweep
import Foundation

/// `domino stress run` (the default of `domino stress`): grid points (policies, `--grid` keys) ×
/// paths 0…N−1, through the sweep machinery into DIR/results.sqlite.
struct StressRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Replay a spec over N paths under policies into a SQLite database (the default: `domino stress SPEC …`).",
        discussion: """
        A stress study is grid points × paths. The points are the policies (--policy P, each \
        beside the spec as written, `none`) and the --grid axes, as in `domino sweep`. Path k \
        has its own draw of the spec's assumptions, its own model seed (both keyed by the study \
        --seed and k, never by the order paths run in) and the generator's inputs for k \
        (--generator; `recorded`: the recorded prices). Every point of path k shares them: the \
        baseline of path k is the spec with its draw and seed, replayed once, and a policy \
        point is a counterfactual against it on the same path.

        Results go to DIR/results.sqlite, the schema of `domino sweep` with runs.path and the \
        study's paths, generator and seed in the sweep table (README.md, "Stress"); the same \
        content whatever --jobs is and however the study was sharded (`domino sweep plan \
        --paths`). Rerun after an interruption, it completes the missing runs.
        """)

    @Argument(help: "Replay spec (YAML).") var spec: String
    @Option(help: "Paths to run (0…N−1).") var paths: Int
    @Option(help: "What generates each path's inputs: \(Generators.names.joined(separator: ", ")) (default recorded).") var generator: String = "recorded"
    @Option(help: "The study seed keying every path's draws (default: the spec's seed).") var seed: UInt64?
    @Option(name: .customLong("policy"), help: "A policy set (name or file) to run beside the spec as written (repeatable).") var policies: [String] = []
    @Option(name: .customLong("grid"), help: "An axis: key=value1,value2,… as in `domino sweep` (repeatable).") var grid: [String] = []
    @Option(help: "Worker threads (default: the active cores).") var jobs: Int?
    @Option(help: "Directory for results.sqlite (created if needed).") var out: String
    @Option(help: "Store the metrics samples at multiples of this duration from the window start (default 1d), all of them (all), or none.")
    var metricsEvery: String = MetricsSampling.default.description
    @Flag(name: .shortAndLong, help: "No progress bar.") var quiet = false
    @Flag(help: "Print one JSON object instead of the summary line.") var json = false

    func validate() throws {
        if paths < 1 { throw ValidationError("--paths must be at least 1") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    /// The grid axes: `policy=none,P…` from --policy (before the --grid axes), then --grid.
    func axes() throws -> [GridAxis] {
        var axes = try grid.map(GridAxis.parse)
        if !policies.isEmpty {
            if axes.contains(where: { $0.key == GridAxis.policyKey }) {
                throw SweepError.usage("give policies with --policy or --grid policy=…, not both")
            }
            var values = [GridAxis.nonePolicy]
            for p in policies where !values.contains(p) { values.append(p) }
            axes.insert(GridAxis(key: GridAxis.policyKey, values: values), at: 0)
        }
        return axes
    }

    func run() throws {
        try CLI.requireSpec(spec)
        try SweepCommand.reporting {
            let plan = try SweepPlan(specPath: spec, grid: try Grid(axes: try axes(), seeds: nil, paths: paths),
                                     generator: generator, studySeed: seed)
            try plan.validate()
            let (store, sampling) = try SweepCommand.openStore(for: plan, out: out, metricsEvery: metricsEvery)
            var options = Sweep.Options(jobs: jobs ?? Sweep.activeCores)
            options.metrics = sampling
            let bar = ProgressBar(total: 1, label: "stress", quiet: quiet || json, unit: "runs")
            let started = DispatchTime.now().uptimeNanoseconds
            let result: Sweep.Result
            // The same machinery as `domino sweep`: shards merged as they finish with 2 jobs or more.
            if options.jobs > 1 {
                result = try ShardedSweep(plan: plan, options: options, directory: out + "/.shards").run(store: store) { bar.update($0, of: $1) }
            } else {
                result = try Sweep(plan: plan, options: options).run(store: store) { bar.update($0, of: $1) }
            }
            bar.finish()
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            // The risk metrics over the paths of each grid point (`risk` table, docs/stress-metrics.md).
            try RiskTable.write(store: store)
            let points = plan.grid.pointCount
            let pathsNow = Double(result.written) / Double(points)
            let rate = seconds > 0 ? pathsNow / seconds : 0
            if json {
                let fields: [(String, JSON)] = [
                    ("spec", .string(plan.baseSpec.name)), ("generator", .string(plan.generator?.description ?? "")),
                    ("seed", .string(String(plan.studySeed ?? 0))), ("paths", .int(paths)), ("points", .int(points)),
                    ("runs", .int(result.total)), ("written", .int(result.written)), ("skipped", .int(result.skipped)),
                    ("failed", .int(result.failed)), ("seconds", .number(String(format: "%.3f", seconds))),
                    ("pathsPerSecond", .number(String(format: "%.2f", rate))), ("database", .string(store.path)),
                ]
                Output.write(JSON.object(fields).render(pretty: true) + "\n")
            } else {
                var line = "\(plan.baseSpec.name): \(grouped(paths)) path\(paths == 1 ? "" : "s") × \(grouped(points)) point\(points == 1 ? "" : "s")"
                line += " (\(plan.generator?.description ?? ""), seed \(plan.studySeed ?? 0)) = \(grouped(result.total)) runs: \(grouped(result.written)) run now"
                if result.skipped > 0 { line += ", \(grouped(result.skipped)) already done" }
                if result.failed > 0 { line += " (\(grouped(result.failed)) failed)" }
                line += String(format: " in %.1f s (%.1f paths/s)", seconds, rate)
                Output.line(line + " → \(store.path)")
            }
            try SweepCommand.reportFailures(store)
        }
    }
}
