import ArgumentParser
import DominoLog
import DominoReplay
import DominoReport
import Foundation

struct SensitivityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sensitivity",
        abstract: "Rank a spec's assumptions by their effect on its outcomes (Morris screening).",
        discussion: """
        Morris elementary effects over the ranges of the spec's `assumptions:`: --trajectories r \
        trajectories through a --levels p grid of their unit cube, each moving one assumption at \
        a time by Δ = p/(2(p−1)) of its range; r × (k + 1) replays of the spec drawn at each point \
        (a spec variant, on the recorded prices). The design is keyed by --seed (default: the \
        spec's seed): the same command gives the same table whatever --jobs. Runs use the spec's \
        own seed, or the mean over --seeds M seeds (the same at every point). Prints per outcome \
        the assumptions ranked by μ* (mean |elementary effect|, the change of the outcome per \
        full range), with μ (signed) and σ (spread: interaction or non-linearity). Outcomes: the \
        spec's known outcomes with a numeric value (dates in days, money in USD, outflows in \
        points), `losses` (depositor losses) and `liquidations` (liquidation volume); a date that does not happen on a run counts as \
        the window's end + 1 day, and the table says on how many runs it happened.
        """)

    @Argument(help: "The spec.") var spec: String
    @Option(name: .customLong("outcome"), help: "An outcome id to screen, 'losses' or 'liquidations' (repeatable; default: all).") var outcomes: [String] = []
    @Option(help: "Morris trajectories (r).") var trajectories: Int = 10
    @Option(help: "Grid levels (p, even).") var levels: Int = 4
    @Option(help: "Seeds averaged at each point (default: the spec's own only).") var seeds: Int = 1
    @Option(help: "The design's seed (default: the spec's seed).") var seed: UInt64?
    @Option(name: .customLong("set"), help: "Override a spec value before the draws: path=value (repeatable).") var assignments: [String] = []
    @Option(name: .customLong("policy"), help: "Apply a policy set (repeatable).") var policies: [String] = []
    @Option(help: "Rows per outcome in the table (default: all).") var top: Int?
    @Option(help: "Write the tornado charts to this HTML file (self-contained; replaces only a domino report).") var html: String?
    @Option(help: "Runs at a time (default: the number of cores).") var jobs: Int?
    @Flag(help: "Print JSON instead of the tables.") var json = false
    @Flag(name: .shortAndLong, help: "No progress bar.") var quiet = false

    func validate() throws {
        if !(1...1000).contains(trajectories) { throw ValidationError("--trajectories must be 1 … 1000") }
        if !(2...20).contains(levels) || levels % 2 != 0 { throw ValidationError("--levels must be even, 2 … 20") }
        if !(1...100).contains(seeds) { throw ValidationError("--seeds must be 1 … 100") }
        if let top, top < 1 { throw ValidationError("--top must be at least 1") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        try CLI.requireSpec(spec)
        // As `domino report`: an existing --html is replaced only if it is a report (checked before the runs).
        if let html, let existing = FileManager.default.contents(atPath: html),
           !String(decoding: existing, as: UTF8.self).contains(ReportCommand.signature) {
            throw UsageError("--html \(html): exists and is not a domino report; not replaced (remove it or choose another name)")
        }
        let sets = try CLI.assignments(assignments)
        let overrides = try Replay.assignments(specPath: spec, policies: policies, overrides: sets)
        let plan: Sensitivity.Plan
        do {
            plan = try CLI.blamingOverrides(spec: spec, overrides) {
                try Sensitivity.Plan(path: spec, overrides: overrides, outcomes: outcomes, trajectories: trajectories,
                                     levels: levels, seeds: seeds, designSeed: seed)
            }
        } catch let error as SensitivityError { throw UsageError(error.message) }
        let bar = ProgressBar(total: plan.runs, label: "sensitivity", quiet: quiet)
        let result = try Sensitivity.run(plan, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount) { bar.update($0) }
        bar.finish()
        if let html {
            let writer = try AtomicFileWriter(path: html)
            try writer.write(Array(SensitivityView.page(result).html.utf8))
            try writer.commit()
        }
        if json {
            Output.line(result.json.render(pretty: true))
        } else {
            Output.write(result.table(top: top))
        }
    }
}
