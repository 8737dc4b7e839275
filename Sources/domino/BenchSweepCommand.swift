import ArgumentParser
import DominoSweep

/// `domino bench sweep`: a sweep of the 3AC/Celsius episode with 1 worker and with 2.
struct BenchSweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Time a sweep of the 3AC/Celsius episode with 1 and with 2 workers.",
        discussion: """
        Sweeps Celsius's rehypothecation cap (10 values) × liquidity buffer (5 values) × seeds \
        1…⌈runs/50⌉ of the spec (default replays/3ac-celsius-2022.yaml: 1,000 runs = 50 points × \
        20 seeds), into a results database in a temporary directory: once with 1 worker, once \
        with 2. Prints one run's parts timed alone, runs/s of each pass, the scaling ratio and \
        whether the goals hold (≥ 1.8x on 2 cores; 1,000 runs in under 60 s), and checks that \
        both passes wrote the same runs table.
        """)

    @Option(help: "Runs in the sweep (rounded up to a multiple of 50).") var runs: Int = 1000
    @Option(help: "Time only the first N runs with 1 worker (default: all).") var singleRuns: Int?
    @Option(help: "The episode spec.") var spec: String = "replays/3ac-celsius-2022.yaml"
    @Option(help: "Metrics samples stored: a duration (default 1d, as `domino sweep`), all or none.")
    var metricsEvery: String = MetricsSampling.default.description
    @Option(help: "Directory for the databases, kept afterwards (default: a temporary directory, removed).") var dir: String?
    @Flag(help: "Print one JSON object instead of the table.") var json = false
    @Flag(help: "No progress on stderr.") var quiet = false

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
        if let singleRuns, singleRuns < 1 { throw ValidationError("--single-runs must be at least 1") }
    }

    func run() throws {
        var options = SweepBenchmark.Options(spec: spec, runs: runs)
        options.singleWorkerRuns = singleRuns
        options.directory = dir
        let reporter = ProgressReporter(quiet: quiet)
        try SweepCommand.reporting {
            options.metrics = try MetricsSampling.parse(metricsEvery)
            defer { reporter.finish() }
            let report = try SweepBenchmark(options: options).run { label, done, total in reporter.update(label, done, total) }
            reporter.finish()
            Output.write(json ? report.json() : report.text())
        }
    }
}
