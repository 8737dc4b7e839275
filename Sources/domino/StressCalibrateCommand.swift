import ArgumentParser
import DominoReplay

/// `domino stress calibrate SPEC [--generator gbm-jump[:…]] [--json]`: what the gbm-jump
/// generator takes from the record (issue 17 §1: "print the calibration").
struct StressCalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Print the calibration of the gbm-jump generator to a spec's recorded prices.",
        discussion: """
        Per non-cash asset: its data (hourly, or daily carried forward), the log returns and the \
        jumps among them (beyond k robust standard deviations of the median), the drift μ and \
        volatility σ of the diffusion (annualised, and σ per hour), the jump intensity λ a year \
        and the jump size (mean and sd of the log return); then the correlation of the \
        diffusion on daily returns. Estimators: docs/stress.md, "gbm-jump".
        """)

    @Argument(help: "Replay spec (YAML).") var spec: String
    @Option(help: "The generator with its options (gbm-jump[:k=4,jumps=on|off,vol=1]).") var generator: String = "gbm-jump"
    @Option(name: .customLong("set"), help: "Override a spec value, path=value (repeatable).") var sets: [String] = []
    @Flag(help: "Print JSON instead of the table.") var json = false

    func run() throws {
        try CLI.requireSpec(spec)
        guard generator == "gbm-jump" || generator.hasPrefix("gbm-jump:") else {
            throw UsageError("--generator \(generator): only gbm-jump is calibrated (the other generators take the record as it is)")
        }
        let overrides = try CLI.assignments(sets)
        let loaded = try CLI.blamingOverrides(spec: spec, overrides) { try Replay.loadSpec(path: spec, overrides: overrides) }
        let gbm = try GBMJump(generator.hasPrefix("gbm-jump:") ? String(generator.dropFirst("gbm-jump:".count)) : "", spec: loaded)
        Output.write(json ? gbm.calibration.json(spec: loaded.name).render(pretty: true) + "\n" : gbm.calibration.text(spec: loaded.name))
    }
}
