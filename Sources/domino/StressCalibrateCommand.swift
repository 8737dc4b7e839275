import ArgumentParser

// PLACEHOLDER (session 8): replaced by the helper that builds `calibrate`; removed at merge if not.
struct StressCalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "calibrate", abstract: "(not built yet)")
    func run() throws { throw ValidationError("'calibrate' is not built yet") }
}
