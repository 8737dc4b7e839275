import ArgumentParser
import DominoLog
import DominoModel
import DominoReplay
import Foundation

struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a spec through the lending model: timeline of outcomes and headline figures.",
        discussion: """
        Overrides use dotted paths into the spec, e.g. --set seed=7, --set model.halt.horizon=24h,
        --set entities.Celsius.policy.rehypothecationCap=0. --policy NAME applies a policy set from
        replays/policies/ (or a file) to every platform; --set after it wins. Overrides of policies, balance sheets or
        links make a counterfactual: the spec as written is replayed first as its baseline, so the
        recorded flows and prices change only through the depositors' response and market impact.

        --out DIR writes spec.resolved, outcomes.zst, metrics.csv, network.csv, summary.json and
        run.json and nothing else. DIR may be new, empty or a previous run's; a directory holding other files
        is refused unless --force, which still replaces only those six files.
        """)

    @Argument(help: "Replay spec (YAML).") var spec: String
    @Option(name: .customLong("set"), help: "Override a spec value: path=value (repeatable).") var assignments: [String] = []
    @Option(name: .customLong("policy"), help: "Apply a policy set: a shipped name (replays/policies/, compiled in; policies/NAME.yaml beside the spec wins) or a YAML file (repeatable).") var policies: [String] = []
    @Option(help: "Write spec.resolved, outcomes.zst, metrics.csv, network.csv, summary.json and run.json into this directory (new, empty, or a previous run's).") var out: String?
    @Flag(help: "Write into an --out directory that holds other files too (only the run's own files are replaced).") var force = false
    @Flag(help: "Print summary.json on stdout instead of the readable timeline.") var json = false
    @Flag(name: .shortAndLong, help: "No progress bar, no timeline: only the headline figures (and no checkpoint notes).") var quiet = false
    @Option(help: "Write a checkpoint every this much model time (e.g. 7d) into --checkpoint-dir.") var checkpointEvery: String?
    @Option(help: "Directory for checkpoints (default: <out>.checkpoints).") var checkpointDir: String?
    @Option(help: "Continue from a checkpoint file; the results equal those of a full replay.") var resume: String?
    @Option(help: "Replay one stressed path: path K of --generator (its prices and shocks, its draw of the spec's assumptions and its behaviour seed; --set still wins).") var path: Int?
    @Option(help: "The generator of --path (recorded, scenario:…; see docs/stress.md).") var generator: String?
    @Option(help: "The study seed of --path (default 1).") var pathsSeed: UInt64?

    func run() throws {
        try CLI.requireSpec(spec)
        if let out, !force, case .foreign(let names) = RunOutput.contents(of: out) { // refused before the replay, not after
            guard names != [URL(fileURLWithPath: out).standardizedFileURL.path], names != [out] else {
                throw UsageError("--out \(out): exists and is not a directory")
            }
            let list = names.prefix(3).joined(separator: ", ") + (names.count > 3 ? ", …" : "")
            throw UsageError("--out \(out): the directory holds files that are not a run's (\(list)); give an empty or new directory, a previous run's, or --force to replace only the run's own files")
        }
        var overrides = try Replay.assignments(specPath: spec, policies: policies, overrides: try CLI.assignments(assignments))
        var options = RunOptions()
        if path != nil || generator != nil || pathsSeed != nil {
            guard let path, path >= 0 else { throw UsageError("--path K (K ≥ 0) is needed with --generator and --paths-seed") }
            guard checkpointEvery == nil, resume == nil else { throw UsageError("--path: checkpoints are not supported for a generated path") }
            let seed = pathsSeed ?? 1
            let loaded = try CLI.blamingOverrides(spec: spec, overrides) { try Replay.loadSpec(path: spec, overrides: overrides) }
            let made: any PriceGenerator
            do { made = try Generators.make(generator ?? "recorded", spec: loaded) } catch let e as SpecError {
                throw UsageError("--generator: \(e.message)")
            }
            let root = try SpecFile.compose(try String(contentsOfFile: spec, encoding: .utf8), file: spec)
            overrides = try PathRandom.overrides(loaded, root: root, seed: seed, path: path).overrides + overrides
            options.path = try made.inputs(seed: seed, path: path)
        }
        if let every = checkpointEvery {
            guard let ms = SpecNode.parseDuration(every), ms > 0 else { throw ValidationError("--checkpoint-every '\(every)' is not a duration like 7d or 12h") }
            guard let dir = checkpointDir ?? out.map({ $0 + ".checkpoints" }) else {
                throw ValidationError("--checkpoint-every needs --out or --checkpoint-dir")
            }
            options.checkpointEvery = ms
            options.checkpointDirectory = dir
            Staging.cleanStale(in: dir) // checkpoint temporaries of killed runs
        }
        if let resume { options.resume = try Checkpoint.load(resume) }
        let bar = ProgressBar(total: 1000, label: "replay", quiet: quiet)
        let result = try CLI.blamingOverrides(spec: spec, overrides) {
            try Replay.run(path: spec, overrides: overrides, options: options) { share in bar.update(Int(share * 1000)) }
        }
        bar.finish()
        let summary = Summary(run: result.run)
        if let out { try RunOutput.write(result.run, summary: summary, to: out, source: (spec, overrides), force: force) }
        if json { Output.write(summary.json.render(pretty: true) + "\n") } else { Output.write(summary.text(timeline: !quiet)) }
        if !quiet {
            for cp in result.run.checkpoints { CLI.printError("domino: checkpoint \(cp.path) (state \(cp.hash.prefix(16)))") }
        }
    }
}
