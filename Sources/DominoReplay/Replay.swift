import DominoLog
import DominoModel
import Foundation

/// The entry points of a replay: load a spec, run it (with its baseline when the overrides make
/// it a counterfactual), hash a state. The engine is `ReplayEngine`, its result `ReplayResult`.
package enum Replay {
    /// SHA-256 over the canonical binary encoding of the whole state (`CanonicalState`: a fixed
    /// field order, fixed-width little-endian integers, length-prefixed strings; integers only,
    /// so the encoding is exact and the same in every process). Checkpoints stay JSON.
    package static func stateHash(_ state: ModelState) -> String {
        CanonicalState.sha256Hex(state)
    }

    static func canonicalEncoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }

    /// Opens a spec's datasets (paths relative to the spec file), with `file:line` errors for
    /// missing ones.
    package static func openDatasets(_ spec: Spec) throws -> [LogReader] {
        let base = URL(fileURLWithPath: spec.file).deletingLastPathComponent()
        return try spec.datasets.enumerated().map { i, path in
            let full = path.hasPrefix("/") ? path : base.appendingPathComponent(path).standardizedFileURL.path
            let line = spec.datasetLines.indices.contains(i) ? spec.datasetLines[i] : nil
            var directory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: full, isDirectory: &directory) else {
                throw SpecError(file: spec.file, line: line, "dataset '\(path)' not found (looked for \(full))")
            }
            guard !directory.boolValue else { throw SpecError(file: spec.file, line: line, "dataset '\(path)' is a directory, not a log file (\(full))") }
            do { return try LogReader(path: full) } catch let e as LogError where e.code == .io {
                throw SpecError(file: spec.file, line: line, "dataset '\(path)': \(e.message) (\(full))")
            }
        }
    }

    /// Replays `spec` over its datasets: `state = events.reduce(initial, apply)`, with metrics
    /// sampled at the spec's interval and outcomes collected. `progress` receives the share of
    /// the window done, now and then.
    package static func run(_ spec: Spec, options: RunOptions = RunOptions(),
                           progress: ((Double) -> Void)? = nil) throws -> ReplayResult {
        var engine = try ReplayEngine(spec, options: options, progress: progress)
        try engine.consumeAll()
        return try engine.finish()
    }
}

extension Replay {
    /// Reads, overrides and parses a spec file.
    package static func loadSpec(path: String, overrides: [Overrides.Assignment] = []) throws -> Spec {
        let text = try SpecFile.read(path: path)
        let root = try Overrides.apply(overrides, to: try SpecFile.compose(text, file: path))
        return try Spec.parse(root)
    }

    /// Whether two specs start the same model: the same initial state (balance sheets, links,
    /// policies, parameters, seed) and the same generated crowds.
    static func sameScenario(_ a: Spec, _ b: Spec) throws -> Bool {
        func crowds(_ s: Spec) -> [String] {
            s.pools.flatMap { p in p.generate.map { "\(p.entity) \($0.count) \($0.collateralAsset) \($0.debtAsset) \($0.collateral) \($0.ltv)" } }
        }
        guard crowds(a) == crowds(b) && a.window == b.window && a.datasets == b.datasets else { return false }
        return stateHash(try Scenario(spec: a).state) == stateHash(try Scenario(spec: b).state)
    }

    /// Overrides that define the experiment (model and behavioural parameters, seed, window, market depth) apply
    /// to the baseline too; every other override (policies, balance sheets, links) makes the run
    /// a counterfactual against the spec as written.
    package static func isShared(_ a: Overrides.Assignment) -> Bool {
        let head = a.path.split(separator: ".").first.map(String.init) ?? a.path
        if ["model", "behaviour", "seed", "window", "name", "description"].contains(head) { return true }
        return head == "assets" && a.path.hasSuffix(".depth")
    }

    /// Runs a spec with overrides. With counterfactual overrides it first replays the baseline
    /// (the spec as written, with the shared overrides) to obtain its trace, then the
    /// counterfactual against it. Returns the run asked for (and the baseline's, if one was run).
    package static func run(path: String, overrides: [Overrides.Assignment], options: RunOptions = RunOptions(),
                           progress: ((Double) -> Void)? = nil) throws -> (run: ReplayResult, baseline: ReplayResult?) {
        let spec = try loadSpec(path: path, overrides: overrides)
        guard overrides.contains(where: { !isShared($0) }) else { return (try run(spec, options: options, progress: progress), nil) }
        let baselineSpec = try loadSpec(path: path, overrides: overrides.filter(isShared))
        // Overrides that set what the spec already says leave the run as written: same state
        // hash, no baseline.
        guard try !sameScenario(spec, baselineSpec) else { return (try run(spec, options: options, progress: progress), nil) }
        var baselineOptions = RunOptions()
        baselineOptions.warmup = options.warmup
        let baseline = try run(baselineSpec, options: baselineOptions, progress: progress.map { p in { p($0 / 2) } })
        var o = options
        o.reference = baseline.model.trace
        let result = try run(spec, options: o, progress: progress.map { p in { p(0.5 + $0 / 2) } })
        return (result, baseline)
    }
}
