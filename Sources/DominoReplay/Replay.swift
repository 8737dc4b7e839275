import DominoLog
import DominoModel
import Foundation

/// Options of one replay.
public struct RunOptions: Sendable {
    /// The baseline to compare with (a counterfactual run); nil for the baseline itself.
    package var reference: BaselineTrace?
    /// Write a checkpoint every this much model time (ms), into `checkpointDirectory`.
    public var checkpointEvery: Int64?
    public var checkpointDirectory: String?
    /// Continue from this checkpoint instead of from the start.
    public var resume: Checkpoint?
    /// Prices are read from this long before the window, so every asset has one at its start.
    public var warmup: Int64 = 30 * 86_400_000
    /// Let the model skip the checks after a price tick that its bounds prove would find nothing
    /// (`Model.incrementalChecks`). Outcomes and state are the same either way; off only to
    /// check exactly that.
    public var incrementalChecks = true
    public init() {}
}

/// The result of a replay: the final model, every outcome, the sampled metrics and hashes.
public struct Run: Sendable {
    public var scenario: Scenario
    package var model: Model
    /// Every outcome, each with its USD value (`Outcome.usd`).
    package var outcomes: [Outcome]
    package var entityMetrics: [EntityMetrics]
    package var priceMetrics: [PriceMetrics]
    public var initialHash: String
    public var finalHash: String
    public var inputsApplied: UInt64
    public var eventsIgnored: UInt64
    public var checkpoints: [(time: Int64, hash: String, path: String)]
    /// Share of customer claims each agent had lent or deployed once its policy was applied
    /// (capital efficiency: what is earning).
    public var reuseAtStart: [Int64]
    /// Customer claims (USD) per agent at the start, after policies.
    public var claimsAtStart: [Int64]
}

/// A snapshot from which a replay continues to the same results as a run from the start.
public struct Checkpoint: Codable, Sendable {
    public var format = 1
    public var spec: String
    public var eventsConsumed: UInt64
    public var nextSample: Int64
    public var initialHash: String
    public var stateHash: String
    package var state: ModelState
    package var trace: BaselineTrace
    package var outcomes: [Outcome]
    package var entityMetrics: [EntityMetrics]
    package var priceMetrics: [PriceMetrics]
    public var inputsApplied: UInt64
    public var eventsIgnored: UInt64
    public var reuseAtStart: [Int64]
    public var claimsAtStart: [Int64]

    public static func load(_ path: String) throws -> Checkpoint {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LogError(.io, "cannot read checkpoint", file: path)
        }
        do { return try JSONDecoder().decode(Checkpoint.self, from: data) } catch let error as DecodingError {
            throw LogError(.invalidInput, "not a Domino checkpoint: \(error)", file: path)
        }
    }
}

public enum Replay {
    /// SHA-256 over the canonical binary encoding of the whole state (`CanonicalState`: a fixed
    /// field order, fixed-width little-endian integers, length-prefixed strings; integers only,
    /// so the encoding is exact and the same in every process). Checkpoints stay JSON.
    package static func stateHash(_ state: ModelState) throws -> String {
        CanonicalState.sha256Hex(state)
    }

    static func canonicalEncoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }

    /// Opens a spec's datasets (paths relative to the spec file), with `file:line` errors for
    /// missing ones.
    public static func openDatasets(_ spec: Spec) throws -> [LogReader] {
        let base = URL(fileURLWithPath: spec.file).deletingLastPathComponent()
        return try spec.datasets.enumerated().map { i, path in
            let full = path.hasPrefix("/") ? path : base.appendingPathComponent(path).standardizedFileURL.path
            guard FileManager.default.fileExists(atPath: full) else {
                throw SpecError(file: spec.file, line: spec.datasetLines.indices.contains(i) ? spec.datasetLines[i] : nil,
                                "dataset '\(path)' not found (looked for \(full))")
            }
            return try LogReader(path: full)
        }
    }

    /// Replays `spec` over its datasets: `state = events.reduce(initial, apply)`, with metrics
    /// sampled at the spec's interval and outcomes collected. `progress` receives the share of
    /// the window done, now and then.
    public static func run(_ spec: Spec, options: RunOptions = RunOptions(),
                           progress: ((Double) -> Void)? = nil) throws -> Run {
        var replayer = try Replayer(spec, options: options, progress: progress)
        try replayer.consumeAll()
        return try replayer.finish()
    }

    /// The cursor with the earliest current event; ties go to the dataset listed first.
    static func nextCursor(_ cursors: [LogCursor]) -> Int? {
        // By index, reading only the time column: iterating the cursors by value would copy each
        // (a retain and release of its reader and of every column, on every event).
        if cursors.count == 1 { return cursors[0].currentTime == nil ? nil : 0 }
        var best: Int? = nil
        var bestTime = Int64.max
        for i in cursors.indices {
            if let t = cursors[i].currentTime, t < bestTime { best = i; bestTime = t }
        }
        return best
    }

    /// Writes `checkpoint-<boundary>.json`: the state after every event before `boundary`.
    static func writeCheckpoint(model: Model, at boundary: Int64, spec: Spec, dir: String, consumed: UInt64, nextSample: Int64, initialHash: String,
                                reuseAtStart: [Int64], claimsAtStart: [Int64],
                                outcomes: [Outcome], entityMetrics: [EntityMetrics], priceMetrics: [PriceMetrics],
                                applied: UInt64, ignored: UInt64) throws -> (Int64, String, String) {
        let hash = try stateHash(model.state)
        let cp = Checkpoint(spec: spec.name, eventsConsumed: consumed, nextSample: nextSample, initialHash: initialHash, stateHash: hash,
                            state: model.state, trace: model.trace, outcomes: outcomes, entityMetrics: entityMetrics,
                            priceMetrics: priceMetrics, inputsApplied: applied, eventsIgnored: ignored, reuseAtStart: reuseAtStart, claimsAtStart: claimsAtStart)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let stamp = UTCTime.format(boundary).replacingOccurrences(of: ":", with: "")
        let path = "\(dir)/checkpoint-\(stamp).json"
        let writer = try AtomicFileWriter(path: path)
        try writer.write(Array(try canonicalEncoder().encode(cp)))
        try writer.commit()
        return (boundary, hash, path)
    }
}

extension Replay {
    /// Reads, overrides and parses a spec file.
    public static func loadSpec(path: String, overrides: [Overrides.Assignment] = []) throws -> Spec {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SpecError(file: path, line: nil, "cannot read the spec (missing or unreadable)")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw SpecError(file: path, line: nil, "the spec is not UTF-8 text") }
        let root = try Overrides.apply(overrides, to: try SpecFile.compose(text, file: path))
        return try Spec.parse(root)
    }

    /// Overrides that define the experiment (model parameters, seed, window, market depth) apply
    /// to the baseline too; every other override (policies, balance sheets, links) makes the run
    /// a counterfactual against the spec as written.
    public static func isShared(_ a: Overrides.Assignment) -> Bool {
        let head = a.path.split(separator: ".").first.map(String.init) ?? a.path
        if ["model", "seed", "window", "name", "description"].contains(head) { return true }
        return head == "assets" && a.path.hasSuffix(".depth")
    }

    /// Runs a spec with overrides. With counterfactual overrides it first replays the baseline
    /// (the spec as written, with the shared overrides) to obtain its trace, then the
    /// counterfactual against it. Returns the run asked for (and the baseline's, if one was run).
    public static func run(path: String, overrides: [Overrides.Assignment], options: RunOptions = RunOptions(),
                           progress: ((Double) -> Void)? = nil) throws -> (run: Run, baseline: Run?) {
        let counterfactual = overrides.contains { !isShared($0) }
        guard counterfactual else {
            return (try run(try loadSpec(path: path, overrides: overrides), options: options, progress: progress), nil)
        }
        let baselineSpec = try loadSpec(path: path, overrides: overrides.filter(isShared))
        let spec = try loadSpec(path: path, overrides: overrides)
        var baselineOptions = RunOptions()
        baselineOptions.warmup = options.warmup
        let baseline = try run(baselineSpec, options: baselineOptions, progress: progress.map { p in { p($0 / 2) } })
        var o = options
        o.reference = baseline.model.trace
        let result = try run(spec, options: o, progress: progress.map { p in { p(0.5 + $0 / 2) } })
        return (result, baseline)
    }
}
