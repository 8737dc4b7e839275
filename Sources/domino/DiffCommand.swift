import ArgumentParser
import DominoLog
import DominoReplay
import Foundation

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two runs over the same input log: first divergence, outcome, loss and metric deltas.",
        discussion: """
        A and B are run directories (written by `domino replay --out`, which records how to replay
        them in run.json) or spec files. B defaults to A, so one spec with --b-policy or --b-set
        compares the spec as written against a counterfactual:

          domino diff replays/3ac-celsius-2022.yaml --b-policy no-rehypothecation
          domino diff runs/baseline runs/capped

        Both runs are replayed in lockstep and their model states compared after every input event
        (policies and model parameters aside), so the first divergence is exact. Exit status: 0,
        or 1 with --fail-on-divergence when the runs differ; 2 for a usage error.
        """)

    @Argument(help: "Run A: a run directory or a spec.") var a: String
    @Argument(help: "Run B: a run directory or a spec (default: A).") var b: String?
    @Option(name: .customLong("set"), help: "Override for both sides: path=value (repeatable).") var both: [String] = []
    @Option(name: .customLong("a-set"), help: "Override for A only (repeatable).") var aSet: [String] = []
    @Option(name: .customLong("b-set"), help: "Override for B only (repeatable).") var bSet: [String] = []
    @Option(name: .customLong("a-policy"), help: "Policy set for A: a name in replays/policies/ or a file (repeatable).") var aPolicy: [String] = []
    @Option(name: .customLong("b-policy"), help: "Policy set for B (repeatable).") var bPolicy: [String] = []
    @Flag(help: "Print the diff as JSON.") var json = false
    @Flag(help: "Exit 1 when the runs diverge (a regression guard).") var failOnDivergence = false
    @Option(help: "How many metric series to list in the text output.") var series = 10
    @Flag(name: .shortAndLong, help: "No progress bar.") var quiet = false

    func run() throws {
        let sideA = try side(a, policies: aPolicy, sets: both + aSet)
        let sideB = try side(b ?? a, policies: bPolicy, sets: both + bSet)
        let bar = ProgressBar(total: 1000, label: "diff", quiet: quiet)
        let diff = try Diff.compare(sideA, sideB) { bar.update(Int($0 * 1000)) }
        bar.finish()
        Output.write(json ? diff.json.render(pretty: true) + "\n" : diff.text(seriesLimit: series))
        if failOnDivergence && !diff.identical { throw CLIExit(code: 1) }
    }

    /// A spec (with policies and overrides), or a run directory replayed from its run.json.
    func side(_ path: String, policies: [String], sets: [String]) throws -> DiffSide {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ValidationError("\(path): no such run directory or spec")
        }
        let extra = try CLI.assignments(sets)
        guard isDirectory.boolValue else {
            try CLI.requireSpec(path)
            let overrides = try Replay.assignments(specPath: path, policies: policies, overrides: extra)
            let words = policies.map { "--policy \($0)" } + sets.map { "--set \($0)" }
            return DiffSide(specPath: path, overrides: overrides, label: ([path] + words).joined(separator: " "))
        }
        guard policies.isEmpty && extra.isEmpty else {
            throw ValidationError("\(path) is a run directory: its policies and overrides are fixed; give a spec to add more")
        }
        let file = path + "/run.json"
        guard let data = FileManager.default.contents(atPath: file) else {
            throw LogError(.invalidInput, "not a run directory written by `domino replay --out` (no run.json)", file: path)
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let spec = object["spec"] as? String, let hash = object["stateHash"] as? String, let set = object["set"] as? [String] else {
            throw LogError(.invalidInput, "run.json lacks spec, stateHash or set", file: file)
        }
        let overrides = try set.map { text -> Overrides.Assignment in
            guard let a = Overrides.Assignment(text) else { throw LogError(.invalidInput, "bad override '\(text)'", file: file) }
            return a
        }
        return DiffSide(specPath: spec, overrides: overrides, label: path, expectedHash: hash)
    }
}
