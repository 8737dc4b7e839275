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
        subcommands: [SweepRun.self, SweepReportCommand.self],
        defaultSubcommand: SweepRun.self
    )

    /// Runs `body`, turning a `SweepError` into its one-line message and exit code.
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

        Results go to DIR/results.sqlite (schema in README.md, "Sweeps"), one transaction per \
        run, written in run-id order whatever --jobs is. Rerunning the same command after an \
        interruption skips the runs already stored and ends with the same database content; \
        a different spec, grid or --seeds against the same DIR is refused.
        """)

    @Argument(help: "Replay spec (YAML).") var spec: String
    @Option(name: .customLong("grid"), help: "An axis: key=value1,value2,… (repeatable; at least one, or --seeds).") var grid: [String] = []
    @Option(help: "Run every grid point with seeds 1…N.") var seeds: Int?
    @Option(help: "Worker threads (default: the active cores).") var jobs: Int?
    @Option(help: "Directory for results.sqlite (created if needed).") var out: String
    @Option(help: "Store the metrics samples at multiples of this duration from the window start (default 1d), all of them (all), or none.")
    var metricsEvery: String = MetricsSampling.default.description
    @Flag(name: .shortAndLong, help: "No progress bar.") var quiet = false

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if let seeds, seeds < 1 { throw ValidationError("--seeds must be at least 1") }
        if grid.isEmpty && seeds == nil { throw ValidationError("give at least one --grid key=v1,v2,… (or --seeds N)") }
    }

    func run() throws {
        try SweepCommand.reporting {
            let axes = try grid.map(GridAxis.parse)
            let plan = try SweepPlan(specPath: spec, grid: try Grid(axes: axes, seeds: seeds))
            try plan.validate()
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory), !isDirectory.boolValue {
                throw SweepError.failure("\(out) exists and is not a directory")
            }
            do { try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true) } catch {
                throw SweepError.failure("\(out): cannot create the directory: \(error.localizedDescription)")
            }
            let store = try SweepStore(path: out + "/" + SweepStore.fileName)
            let sampling = try MetricsSampling.parse(metricsEvery)
            try store.claim(plan.meta(metrics: sampling))
            var options = Sweep.Options(jobs: jobs ?? Sweep.activeCores)
            options.metrics = sampling
            let sweep = Sweep(plan: plan, options: options)
            let bar = SweepProgress(quiet: quiet)
            let result = try sweep.run(store: store) { done, total in bar.update(done, total) }
            bar.finish()
            let points = plan.grid.pointCount, seedCount = plan.grid.seedCount
            var line = "\(plan.baseSpec.name): \(grouped(result.total)) runs (\(grouped(points)) grid point\(points == 1 ? "" : "s") × "
            line += "\(seedCount) seed\(seedCount == 1 ? "" : "s")): \(grouped(result.written)) run now"
            if result.skipped > 0 { line += ", \(grouped(result.skipped)) already done" }
            line += " → \(store.path)"
            Output.line(line)
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
        lent or deployed at the start: what is earning). Points are ranked by Pareto front — \
        front 1, the frontier, holds the points no other beats on all three (least losses, \
        least depth, most capital efficiency) — then by losses, depth and efficiency.
        """)

    @Argument(help: "The sweep's --out directory (or its results.sqlite).") var dir: String
    @Flag(help: "Print JSON instead of the table.") var json = false

    func run() throws {
        try SweepCommand.reporting {
            let path = dir.hasSuffix(".sqlite") ? dir : dir + "/" + SweepStore.fileName
            guard FileManager.default.fileExists(atPath: path) else { throw SweepError.failure("\(path): no sweep results here") }
            let report = try SweepReport(store: try SweepStore(path: path))
            Output.write(json ? report.json.render(pretty: true) + "\n" : report.text)
        }
    }
}

/// A one-line progress bar with run counts, rate and ETA on stderr (terminal only, never with
/// --quiet), drawn like `ProgressBar`.
final class SweepProgress {
    let enabled: Bool
    private var start: Double?
    private var startDone = 0
    private var lastDraw = -1.0
    private var lastDone = -1

    init(quiet: Bool) { enabled = !quiet && CLI.stderrIsTerminal }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    func update(_ done: Int, _ total: Int) {
        guard enabled else { return }
        let t = Self.now()
        if start == nil { start = t; startDone = done }
        guard done != lastDone, done == total || t - lastDraw >= 0.1 else { return }
        lastDraw = t
        lastDone = done
        let total = max(total, 1)
        let percent = min(100, done * 100 / total)
        let width = 30
        let filled = percent * width / 100
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        var text = "\rsweep [\(bar)] \(percent)% \(grouped(done))/\(grouped(total)) runs"
        let elapsed = t - start!, ran = done - startDone
        if ran > 0 && elapsed > 0 {
            let rate = Double(ran) / elapsed
            let eta = Int((Double(total - done) / rate).rounded())
            text += String(format: ", %.1f runs/s, ETA %d:%02d", rate, eta / 60, eta % 60)
        }
        CLI.writeStderr(text + "\u{1B}[K")
    }

    func finish() {
        guard enabled else { return }
        CLI.writeStderr("\r\u{1B}[K")
    }
}
