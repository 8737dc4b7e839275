import ArgumentParser

// PLACEHOLDER (session 8): replaced by the helper that builds `stress`; removed at merge if not.
struct BenchStress: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stress", abstract: "(not built yet)")
    func run() throws { throw ValidationError("'stress' is not built yet") }
}
