import ArgumentParser
import DominoBench
import DominoSweep
import Foundation

/// `domino bench sweep`: a sweep of the 3AC/Celsius episode at each job count of --jobs.
struct BenchSweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Time a sweep of the 3AC/Celsius episode at several job counts; Amdahl's serial fraction.",
        discussion: """
        Sweeps Celsius's rehypothecation cap (10 values) × liquidity buffer (5 values) × seeds \
        1…⌈runs/50⌉ of the spec (default replays/3ac-celsius-2022.yaml: 1,000 runs = 50 points × \
        20 seeds), into a fresh results database in a temporary directory at each job count of \
        --jobs (default 1,2), --repeat times each (the median is reported). Prints one run's \
        parts timed alone, then per job count the seconds, runs/s, speed-up over 1 job, \
        parallel efficiency, writer and cores busy; the serial fraction f that Amdahl's law \
        infers (least squares over the job counts above 1: T(n)/T(1) = f + (1 − f)/n) and the \
        speed-up it predicts at 16 jobs (goal ≥ 13.6x); and whether every pass wrote the same \
        database content.
        """)

    @Option(help: "Runs in the sweep (rounded up to a multiple of 50).") var runs: Int = 1000
    @Option(help: "The episode spec.") var spec: String = "replays/3ac-celsius-2022.yaml"
    @Option(help: "Metrics samples stored: a duration (default 1d, as `domino sweep`), all or none.")
    var metricsEvery: String = MetricsSampling.default.description
    @Option(help: "The most runs the writer commits in one transaction (1: a transaction per run).") var batch: Int = Sweep.Options(jobs: 1).batchRuns
    @Option(help: "single: one writer thread inserts every run (as `domino sweep --writers single`); shards: each job writes its own shard database, merged as they finish.")
    var writers: String = "shards"
    @OptionGroup var passes: BenchPassOptions

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
        guard batch >= 1 else { throw ValidationError("--batch must be at least 1") }
        guard ["single", "shards"].contains(writers) else { throw ValidationError("--writers must be single or shards") }
    }

    func run() throws {
        var options = SweepBenchmark.Options(spec: spec, runs: runs)
        options.jobs = try passes.jobCounts()
        options.repeats = passes.repeat
        options.batchRuns = batch
        options.sharded = writers == "shards"
        options.directory = passes.dir
        let reporter = ProgressReporter(quiet: passes.quiet)
        try SweepCommand.reporting {
            options.metrics = try MetricsSampling.parse(metricsEvery)
            defer { reporter.finish() }
            let report = try SweepBenchmark(options: options).run { label, done, total in reporter.update(label, done, total) }
            reporter.finish()
            Output.write(passes.json ? report.json() : report.text())
        }
    }
}
