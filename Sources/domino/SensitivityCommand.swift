import ArgumentParser

// PLACEHOLDER (session 8): replaced by the helper that builds `sensitivity`; removed at merge if not.
struct SensitivityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sensitivity", abstract: "(not built yet)")
    func run() throws { throw ValidationError("'sensitivity' is not built yet") }
}
