import ArgumentParser
import DominoReplay
import Foundation

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Replay episode specs and check the model against their known outcomes.",
        discussion: """
        Prints a row per known outcome: expected, modelled, error, tolerance, result. A result is
        pass, FAIL, gap (an outcome the spec marks as a known gap, with its reason) or FIXED (a known
        gap that passes now). Exits 1 on any FAIL or FIXED. --set and --policy apply to every spec
        (sensitivity checks: how an assumption moves the outcomes).
        """)

    @Argument(help: "Specs to verify (default: every replays/*.yaml).") var specs: [String] = []
    @Option(name: .customLong("set"), help: "Override a spec value in every spec: path=value (repeatable).") var assignments: [String] = []
    @Option(name: .customLong("policy"), help: "Apply a policy set to every spec (repeatable).") var policies: [String] = []
    @Flag(help: "Print JSON instead of the table.") var json = false
    @Flag(name: .shortAndLong, help: "No progress bar.") var quiet = false

    func run() throws {
        var paths = specs
        if paths.isEmpty {
            let dir = "replays"
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            paths = names.filter { $0.hasSuffix(".yaml") }.sorted().map { "\(dir)/\($0)" }
            guard !paths.isEmpty else { throw ValidationError("no specs given and none in ./replays") }
        }
        for path in paths { try CLI.requireSpec(path) }
        var results: [Verification] = []
        let bar = ProgressBar(total: paths.count * 100, label: "verify", quiet: quiet)
        for (k, path) in paths.enumerated() {
            let overrides = try Replay.assignments(specPath: path, policies: policies, overrides: try CLI.assignments(assignments))
            let run = try CLI.blamingOverrides(spec: path, overrides) {
                try Replay.run(path: path, overrides: overrides) { bar.update(k * 100 + Int($0 * 100)) }.run
            }
            results.append(Verification(run: run))
        }
        bar.finish()
        if json {
            let passed = results.reduce(0) { $0 + $1.passed }, failed = results.reduce(0) { $0 + $1.failed }, gaps = results.reduce(0) { $0 + $1.gaps }
            Output.line(JSON.object([("passed", .int(passed)), ("failed", .int(failed)), ("gaps", .int(gaps)),
                                     ("specs", .array(results.map(\.json)))]).render(pretty: true))
        } else {
            Output.write(Verification.table(results))
        }
        if results.contains(where: { $0.failed > 0 }) { throw CLIExit(code: 1) }
    }
}
