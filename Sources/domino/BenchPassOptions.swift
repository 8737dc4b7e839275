import ArgumentParser

/// The options `domino bench sweep` and `domino bench stress` share: the job counts to time, the
/// timed passes per count, where the databases go, and the output.
struct BenchPassOptions: ParsableArguments {
    @Option(help: "Job counts, comma-separated (include 1 for the speed-up).") var jobs: String = "1,2"
    @Option(help: "Timed passes per job count (the median is reported).") var `repeat`: Int = 1
    @Option(help: "Directory for the databases, kept afterwards (default: a temporary directory, removed).") var dir: String?
    @Flag(help: "Print one JSON object instead of the table.") var json = false
    @Flag(help: "No progress on stderr.") var quiet = false

    func jobCounts() throws -> [Int] {
        let counts = jobs.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !counts.isEmpty, counts.allSatisfy({ ($0 ?? 0) >= 1 }) else {
            throw ValidationError("--jobs '\(jobs)' is not a list of job counts like 1,2,4")
        }
        return counts.map { $0! }
    }

    func validate() throws {
        guard (1...25).contains(`repeat`) else { throw ValidationError("--repeat must be 1 … 25") }
        _ = try jobCounts()
    }
}
