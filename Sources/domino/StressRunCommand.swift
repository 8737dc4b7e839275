import ArgumentParser

// PLACEHOLDER (session 8): replaced by the helper that builds `run`; removed at merge if not.
struct StressRun: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "(not built yet)")
    func run() throws { throw ValidationError("'run' is not built yet") }
}
