import ArgumentParser
import DominoBench
import DominoSweep
import Foundation

/// `domino bench stress`: a stress study of a spec at each job count of --jobs.
struct BenchStress: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stress",
        abstract: "Time a stress study (paths of a spec, every metric stored) at several job counts; memory against paths.",
        discussion: """
        Runs the spec as written over --paths paths (default 1,000 of \
        replays/3ac-celsius-2022.yaml, --generator recorded), every metric stored as `domino \
        stress` stores it, into a fresh database in a temporary directory at each job count of \
        --jobs (default 1,2). Prints one path's time split between generation (its assumption \
        draw, spec and generated inputs), replay, the rows built and their write; per job count \
        the seconds, paths/s, paths/s per core, speed-up over 1 job (goal ≥ 1.8x at 2) and peak \
        resident memory (with --repeat R, the pass of median seconds of R); the time 1,000 paths take at the fastest (goal < 60 s); the peak memory \
        at --paths and at a quarter of them (memory should not grow with the paths); and \
        whether every pass stored the same runs.
        """)

    @Option(help: "Paths in the study.") var paths: Int = 1000
    @Option(help: "The spec.") var spec: String = "replays/3ac-celsius-2022.yaml"
    @Option(help: "What generates each path's inputs (as `domino stress --generator`).") var generator: String = "recorded"
    @Option(help: "Metrics samples stored (default 1d, as `domino stress`), all or none.") var metricsEvery: String = MetricsSampling.default.description
    @OptionGroup var passes: BenchPassOptions

    func validate() throws {
        guard paths >= 1 else { throw ValidationError("--paths must be at least 1") }
    }

    func run() throws {
        try CLI.requireSpec(spec)
        var options = StressBenchmark.Options(spec: spec, paths: paths)
        options.jobs = try passes.jobCounts()
        options.generator = generator
        options.directory = passes.dir
        options.repeat = passes.repeat
        let reporter = ProgressReporter(quiet: passes.quiet)
        try SweepCommand.reporting {
            options.metrics = try MetricsSampling.parse(metricsEvery)
            defer { reporter.finish() }
            let report = try StressBenchmark(options: options).run { label, done, total in reporter.update(label, done, total) }
            reporter.finish()
            Output.write(passes.json ? report.json() : report.text())
        }
    }
}
