import ArgumentParser
import DominoBench

/// `domino bench workload lendpool-v1`: the canonical cross-implementation benchmark (WORKLOAD.md).
struct BenchWorkload: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workload",
        abstract: "Run a canonical benchmark workload and print its result line.",
        usage: "domino bench workload lendpool-v1 [--ticks <ticks>] [--seed <seed>] [--repeat <repeat>]",
        discussion: """
        lendpool-v1: one lending pool, 10,000 borrowers and 10,000 depositors, T price ticks; every \
        tick accrues interest on and health-checks every borrower (one agent-update each) and \
        liquidates the unhealthy ones. The figures are the same bit for bit as every other \
        implementation's, so the printed line can be checked with the shared check.py.

        Prints one JSON line per run on stdout (all runs, in order) and a summary with the median \
        agent-updates/s on stderr. Only the tick loop is timed (initial state excluded).
        """
    )

    static let workloads = [LendPoolWorkload.name]

    @Argument(help: "The workload: lendpool-v1.")
    var workload: String

    @Option(help: "Price ticks (10,000 agent-updates each).")
    var ticks: Int = 100_000

    @Option(help: "Seed of the three random streams.")
    var seed: UInt64 = 42

    @Option(name: .customLong("repeat"), help: "Runs; one result line each, median on stderr.")
    var repeats: Int = 1

    @Flag(help: "No summary on stderr.")
    var quiet = false

    func validate() throws {
        guard Self.workloads.contains(workload) else {
            throw ValidationError("unknown workload '\(workload)' (known: \(Self.workloads.joined(separator: ", ")))")
        }
        guard ticks >= 1 else { throw ValidationError("--ticks must be at least 1") }
        guard repeats >= 1 else { throw ValidationError("--repeat must be at least 1") }
    }

    func run() throws {
        let bench = LendPoolWorkload(ticks: ticks, seed: seed)
        var rates: [Double] = []
        var seconds: [Double] = []
        for _ in 0..<repeats {
            let result = bench.run()
            Output.line(result.jsonLine())
            Output.flush()
            rates.append(result.updatesPerSecond)
            seconds.append(result.elapsedSeconds)
        }
        guard !quiet else { return }
        let updates = bench.borrowers * ticks
        var summary = "\(workload): T=\(ticks), \(updates) agent-updates, "
        summary += "\(Self.seconds(Measure.median(seconds))) in the tick loop, "
        summary += "\(Self.rate(Measure.median(rates))) agent-updates/s"
        if repeats > 1 {
            summary += " (median of \(repeats); \(Self.rate(rates.min()!))–\(Self.rate(rates.max()!)))"
        }
        CLI.printError(summary)
    }

    /// `3.41G`, `576M`, `5.4k`: three significant figures.
    static func rate(_ r: Double) -> String {
        let units: [(Double, String)] = [(1e9, "G"), (1e6, "M"), (1e3, "k")]
        for (scale, unit) in units where r >= scale { return significant(r / scale) + unit }
        return significant(r)
    }

    static func seconds(_ s: Double) -> String {
        s >= 1 ? significant(s) + " s" : significant(s * 1000) + " ms"
    }

    private static func significant(_ x: Double) -> String {
        let decimals = x >= 100 ? 0 : x >= 10 ? 1 : 2
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let v = (x * scale).rounded() / scale
        var text = decimals == 0 ? String(Int(v)) : String(v)
        // String(Double) drops trailing zeros ("3.4"); pad to the chosen number of decimals.
        if decimals > 0, let dot = text.firstIndex(of: ".") {
            let have = text.distance(from: dot, to: text.endIndex) - 1
            if have < decimals { text += String(repeating: "0", count: decimals - have) }
        }
        return text
    }
}
