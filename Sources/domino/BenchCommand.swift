import ArgumentParser
import DominoBench
import DominoLog
import Foundation

/// `domino bench …`: benchmarks that print figures (not timed tests).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks that print figures.",
        subcommands: [BenchLog.self, BenchReplay.self, BenchWorkload.self, BenchSweep.self, BenchStress.self]
    )
}

/// `domino bench log`: write and read a synthetic log, compared with `zstd -dc` on the same file.
struct BenchLog: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Measure writing and decoding a log against zstd -dc on the same file.",
        discussion: """
        Generates a deterministic mixed workload (minute and hourly price ticks, flows among a few \
        hundred entities, occasional signals), writes it, decodes every block folding every field \
        of every event, and times `zstd -dc FILE > /dev/null` on the same file in the same run. \
        Also reports bytes/event for a year of hourly prices of 10 assets and the resident memory \
        while reading files of N/8 and N events. Figures are medians of --repeat runs.

        --sweep instead measures block sizes 1024 … 262144 × zstd levels 3, 9, 19.
        """
    )

    @Option(help: "Events in the mixed workload.")
    var events: Int = LogBenchmark.Options.defaultEvents

    @Option(help: "Events per block (the writer's default unless given).")
    var blockEvents: Int = WriterOptions.defaultBlockEvents

    @Option(help: "zstd compression level (the writer's default unless given).")
    var level: Int32 = WriterOptions.defaultLevel

    @Option(help: "Seed of the synthetic workload.")
    var seed: UInt64 = 1

    @Option(help: "Directory for the files, kept afterwards (default: a new temporary directory, removed at the end).")
    var dir: String?

    @Option(name: .customLong("repeat"), help: "Timed runs of each phase; medians are reported.")
    var repeats: Int = LogBenchmark.Options.defaultRepeats

    @Flag(help: "Measure block sizes × zstd levels instead of the default run.")
    var sweep = false

    @Flag(help: "Print one JSON object instead of the table.")
    var json = false

    @Flag(help: "No progress on stderr.")
    var quiet = false

    /// Internal: open and read FILE, print this process's peak RSS in bytes (run by the benchmark
    /// itself, in a fresh process, to measure the reader's memory alone).
    @Option(help: .hidden)
    var probeReadMemory: String?

    func validate() throws {
        guard events >= 8 else { throw ValidationError("--events must be at least 8") }
        guard repeats >= 1 else { throw ValidationError("--repeat must be at least 1") }
        guard (1...LogFormat.maxBlockEvents).contains(blockEvents) else {
            throw ValidationError("--block-events must be in 1…\(LogFormat.maxBlockEvents)")
        }
    }

    func run() throws {
        if let file = probeReadMemory {
            Output.line(String(try LogBenchmark.readForMemoryProbe(file)))
            return
        }
        // The probe re-runs this executable; /proc/self/exe names it whatever argv[0] says.
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        let probe = executable.map { [$0, "bench", "log", "--probe-read-memory"] }
        let options = LogBenchmark.Options(events: events, writer: WriterOptions(blockEvents: blockEvents, level: level),
                                           seed: seed, directory: dir, repeats: repeats, readMemoryProbe: probe)
        let reporter = ProgressReporter(quiet: quiet)
        let bench = LogBenchmark(options: options,
                                 progress: { label, done, total in reporter.update(label, done, total) },
                                 note: { CLI.printError("domino: \($0)") })
        defer { reporter.finish() } // also before an error's message
        let text: String
        if sweep {
            let report = try bench.sweep()
            text = json ? try report.json() : report.text()
        } else {
            let report = try bench.run()
            text = json ? try report.json() : report.text()
        }
        reporter.finish()
        Output.write(text)
    }
}
