import ArgumentParser

/// `domino stress`: generated price paths × assumption draws × the depositors' own randomness,
/// under policies; risk metrics over the paths (issue 17).
struct StressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stress",
        abstract: "Replay a spec over many generated paths under policies; risk metrics with confidence intervals.",
        subcommands: [StressRun.self, StressReportCommand.self, StressCalibrateCommand.self],
        defaultSubcommand: StressRun.self
    )
}
