import ArgumentParser

struct Domino: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "domino",
        abstract: "Replay compressed historical event logs through a model of crypto lending platforms.",
        subcommands: [ReplayCommand.self, VerifyCommand.self, CalibrateCommand.self, DiffCommand.self, ReportCommand.self, TraceCommand.self, SweepCommand.self, StressCommand.self, SensitivityCommand.self, LogCommand.self, ImportCommand.self, BenchCommand.self]
    )
}

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Inspect, extract and validate event logs.",
        subcommands: [LogInfo.self, LogCat.self, LogCheck.self]
    )
}
