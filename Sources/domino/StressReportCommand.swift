import ArgumentParser

// PLACEHOLDER (session 8): replaced by the helper that builds `report`; removed at merge if not.
struct StressReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "(not built yet)")
    func run() throws { throw ValidationError("'report' is not built yet") }
}
