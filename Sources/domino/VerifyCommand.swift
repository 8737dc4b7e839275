import ArgumentParser
import DominoReplay
import Foundation

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Replay episode specs over seeds and check the model against their known outcomes.",
        discussion: """
        Prints a row per known outcome: its class (fitted: a calibration target; held out: never \
        used in fitting or in building an input; derived: follows from the inputs by arithmetic, \
        shown and never counted), expected, modelled and error (the spec's own seed), tolerance, \
        how many seeds land within it, the median error over seeds, and the result. A row passes \
        when more than half of the seeds land within tolerance. A result is pass, holds (a derived \
        row), FAIL, unstressed (a survival of an entity that never came under stress: not \
        counted), gap (a known gap, with its reason in the spec) or FIXED (a known gap that passes \
        now). Held-out and fitted passes are counted apart. Exits 1 on any FAIL or FIXED. --set \
        and --policy apply to every spec (sensitivity checks). Seeds: the spec's own, then seeds \
        derived from it; the output does not depend on --jobs.

        --paths N re-runs each spec N times on the recorded prices instead, path k with its own \
        draw of the spec's assumptions (their ranges, `assumptions:`) and its own model seed, \
        keyed by --paths-seed (default: the spec's seed) and k. A row then shows the median and \
        the 5–95% interval of the modelled value over the paths (nearest rank) and P(in tol), \
        the share of paths within tolerance; it passes when more than half of the paths land \
        within. A row within tolerance on some paths but not on most is "narrow (P%)": it \
        reproduces the record only in a corner of the ranges, and fails like FAIL.
        """)

    @Argument(help: "Specs to verify (default: every replays/*.yaml).") var specs: [String] = []
    @Option(name: .customLong("set"), help: "Override a spec value in every spec: path=value (repeatable).") var assignments: [String] = []
    @Option(name: .customLong("policy"), help: "Apply a policy set to every spec (repeatable).") var policies: [String] = []
    @Option(help: "Seeds per spec (default: the spec's verify.seeds, else 1).") var seeds: Int?
    @Option(help: "Paths per spec: each draws the assumptions and the model seed (exclusive with --seeds).") var paths: Int?
    @Option(name: .customLong("paths-seed"), help: "The seed the paths are keyed by (default: the spec's seed).") var pathsSeed: UInt64?
    @Option(help: "Runs at a time (default: the number of cores).") var jobs: Int?
    @Flag(help: "Print JSON instead of the table.") var json = false
    @Flag(name: .shortAndLong, help: "No progress bar.") var quiet = false

    func validate() throws {
        if let seeds, !(1...1000).contains(seeds) { throw ValidationError("--seeds must be 1 … 1000") }
        if let paths, !(1...10000).contains(paths) { throw ValidationError("--paths must be 1 … 10000") }
        if paths != nil && seeds != nil { throw ValidationError("--paths and --seeds cannot be used together") }
        if pathsSeed != nil && paths == nil { throw ValidationError("--paths-seed needs --paths") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        var paths = specs
        if paths.isEmpty {
            let dir = "replays"
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            // calibration.yaml is the calibration's plan, not an episode.
            paths = names.filter { $0.hasSuffix(".yaml") && $0 != "calibration.yaml" }.sorted().map { "\(dir)/\($0)" }
            guard !paths.isEmpty else { throw ValidationError("no specs given and none in ./replays") }
        }
        for path in paths { try CLI.requireSpec(path) }
        let sets = try CLI.assignments(assignments)
        var plans: [(path: String, overrides: [Overrides.Assignment], seeds: Int)] = []
        for path in paths {
            let overrides = try Replay.assignments(specPath: path, policies: policies, overrides: sets)
            let count = try self.paths ?? seeds ?? CLI.blamingOverrides(spec: path, overrides) { try Replay.loadSpec(path: path, overrides: overrides).verify.seeds }
            plans.append((path, overrides, count))
        }
        let total = plans.reduce(0) { $0 + $1.seeds }
        let bar = ProgressBar(total: total, label: "verify", quiet: quiet)
        var results: [Verification] = []
        var done = 0
        for plan in plans {
            let jobs = jobs ?? ProcessInfo.processInfo.activeProcessorCount
            if self.paths != nil {
                let runs = try VerifyRun.runPaths(path: plan.path, overrides: plan.overrides, count: plan.seeds, pathsSeed: pathsSeed,
                                                  jobs: jobs) { bar.update(done + $0) }
                let seed = try pathsSeed ?? Replay.loadSpec(path: plan.path, overrides: plan.overrides).seed
                results.append(Verification(runs: runs, pathsSeed: seed))
            } else {
                let runs = try VerifyRun.runSeeds(path: plan.path, overrides: plan.overrides, seeds: plan.seeds, jobs: jobs) { bar.update(done + $0) }
                results.append(Verification(runs: runs))
            }
            done += plan.seeds
        }
        bar.finish()
        if json {
            func sum(_ f: (Verification) -> Int) -> Int { results.reduce(0) { $0 + f($1) } }
            Output.line(JSON.object([("passed", .int(sum(\.passed))),
                                     ("heldOut", .object([("passed", .int(sum { $0.passed(.heldOut) })), ("rows", .int(sum { $0.total(.heldOut) }))])),
                                     ("fitted", .object([("passed", .int(sum { $0.passed(.fitted) })), ("rows", .int(sum { $0.total(.fitted) }))])),
                                     ("derived", .object([("holds", .int(sum(\.holds))), ("rows", .int(sum { $0.total(.derived) }))])),
                                     ("failed", .int(sum(\.failed))), ("gaps", .int(sum(\.gaps))), ("unstressed", .int(sum(\.unstressed))),
                                     ] + (self.paths != nil ? [("narrow", .int(sum(\.narrow)))] : []) + [
                                     ("specs", .array(results.map(\.json)))]).render(pretty: true))
        } else {
            Output.write(Verification.table(results))
        }
        if results.contains(where: { $0.failed > 0 }) { throw CLIExit(code: 1) }
    }
}
