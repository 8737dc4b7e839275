import ArgumentParser

// Placeholder: being written (benchmark work in progress).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench", abstract: "Benchmarks that print figures.")
}
