import DominoLog
import DominoModel
import Foundation

/// Options of one replay.
public struct RunOptions: Sendable {
    /// The baseline to compare with (a counterfactual run); nil for the baseline itself.
    public var reference: BaselineTrace?
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
    public var model: Model
    public var outcomes: [Outcome]
    /// USD value of each outcome (a recall is valued at the prices after the input that caused it).
    public var outcomeUSD: [Int64]
    public var entityMetrics: [EntityMetrics]
    public var priceMetrics: [PriceMetrics]
    public var initialHash: String
    public var finalHash: String
    public var inputsApplied: UInt64
    public var eventsIgnored: UInt64
    public var checkpoints: [(time: Int64, hash: String, path: String)]
    /// Share of customer claims each agent had lent or deployed once its policy was applied
    /// (capital efficiency: what is earning).
    public var reuseAtStart: [Int64]
}

/// A snapshot from which a replay continues to the same results as a run from the start.
public struct Checkpoint: Codable, Sendable {
    public var format = 1
    public var spec: String
    public var eventsConsumed: UInt64
    public var nextSample: Int64
    public var initialHash: String
    public var stateHash: String
    public var state: ModelState
    public var trace: BaselineTrace
    public var outcomes: [Outcome]
    public var outcomeUSD: [Int64]
    public var entityMetrics: [EntityMetrics]
    public var priceMetrics: [PriceMetrics]
    public var inputsApplied: UInt64
    public var eventsIgnored: UInt64
    public var reuseAtStart: [Int64]

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
    public static func stateHash(_ state: ModelState) throws -> String {
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
        let scenario = try Scenario(spec: spec)
        let readers = try openDatasets(spec)
        let mappers = readers.map { InputMapper(header: $0.header, scenario: scenario) }
        let start = spec.window.from - options.warmup
        var cursors = try readers.map { try LogCursor(reader: $0, from: start, to: spec.window.to) }

        var model = Model(state: scenario.state, reference: options.reference)
        model.incrementalChecks = options.incrementalChecks // the state changes only through the model below
        var outcomes: [Outcome] = []
        var outcomeUSD: [Int64] = []
        // Room for one outcome per event up front (address space only: pages are touched as
        // outcomes arrive): growing by doubling copied the outcomes and faulted in fresh pages
        // again at every step, in a run with many liquidations.
        let events = readers.reduce(0) { $0 + Int(clamping: $1.eventCount) }
        outcomes.reserveCapacity(min(events, 1 << 24))
        outcomeUSD.reserveCapacity(min(events, 1 << 24))
        var entityMetrics: [EntityMetrics] = []
        var priceMetrics: [PriceMetrics] = []
        var consumed: UInt64 = 0, applied: UInt64 = 0, ignored: UInt64 = 0
        var nextSample = spec.window.from
        var initialHash = ""
        var reuseAtStart = [Int64](repeating: 0, count: spec.entities.count)
        var checkpoints: [(Int64, String, String)] = []
        var nextCheckpoint = options.checkpointEvery.map { spec.window.from + $0 } ?? .max

        if let resume = options.resume {
            guard resume.spec == spec.name else {
                throw LogError(.usage, "checkpoint is of spec '\(resume.spec)', not '\(spec.name)'")
            }
            model = Model(state: resume.state, reference: options.reference, trace: resume.trace)
            model.incrementalChecks = options.incrementalChecks
            outcomes = resume.outcomes
            outcomeUSD = resume.outcomeUSD
            entityMetrics = resume.entityMetrics
            priceMetrics = resume.priceMetrics
            applied = resume.inputsApplied
            ignored = resume.eventsIgnored
            nextSample = resume.nextSample
            initialHash = resume.initialHash
            reuseAtStart = resume.reuseAtStart
            if let every = options.checkpointEvery { nextCheckpoint = resume.state.time - (resume.state.time - spec.window.from) % every + every }
            while consumed < resume.eventsConsumed {
                guard let k = nextCursor(cursors) else { break }
                try cursors[k].advance()
                consumed += 1
            }
        }

        func sample(at time: Int64) {
            var m = model.entityMetrics()
            for i in m.indices { m[i].time = time }
            entityMetrics += m
            var p = model.priceMetrics()
            for i in p.indices { p[i].time = time }
            priceMetrics += p
        }

        func settle() throws {
            for (i, a) in model.state.market.assets.enumerated() where a.price == 0 {
                throw SpecError(file: spec.file, line: nil,
                                "asset \(spec.assets[i].symbol) has no price in the datasets within \(options.warmup / 86_400_000) days before the window starts (\(UTCTime.format(spec.window.from)))")
            }
            model.state.time = spec.window.from
            scenario.generatePositions(into: &model.state)
            model.settle()
            model.applyPolicies()
            initialHash = try stateHash(model.state)
            reuseAtStart = model.state.agents.indices.map { model.reuseShare($0) }
        }

        let span = Double(max(1, spec.window.to - spec.window.from))
        var lastProgress = -1.0
        while let k = nextCursor(cursors) {
            let event = cursors[k].current!
            if event.time >= spec.window.from && !model.state.settled { try settle() }
            if model.state.settled {
                while nextSample <= event.time && nextSample <= spec.window.to {
                    sample(at: nextSample)
                    nextSample += spec.parameters.metricsInterval
                }
                if event.time >= nextCheckpoint, let dir = options.checkpointDirectory {
                    let cp = try writeCheckpoint(model: model, at: nextCheckpoint, spec: spec, dir: dir, consumed: consumed, nextSample: nextSample,
                                                 initialHash: initialHash, reuseAtStart: reuseAtStart, outcomes: outcomes, outcomeUSD: outcomeUSD, entityMetrics: entityMetrics,
                                                 priceMetrics: priceMetrics, applied: applied, ignored: ignored)
                    checkpoints.append(cp)
                    while nextCheckpoint <= event.time { nextCheckpoint += options.checkpointEvery! }
                }
            }
            if let input = mappers[k].input(event, scenario: scenario) {
                if model.state.settled || { if case .price = input { return true } else { return false } }() {
                    model.apply(input, at: max(event.time, model.state.time), emit: { outcomes.append($0) })
                    if outcomeUSD.count < outcomes.count { value(&outcomeUSD, outcomes, model) }
                    applied += 1
                } else {
                    ignored += 1 // flows before the window are not part of it
                }
            } else {
                ignored += 1
            }
            try cursors[k].advance()
            consumed += 1
            if let progress, model.state.settled {
                let share = Double(event.time - spec.window.from) / span
                if share - lastProgress >= 0.01 { lastProgress = share; progress(share) }
            }
        }
        if !model.state.settled { try settle() }
        model.finish(at: spec.window.to, emit: { outcomes.append($0) })
        value(&outcomeUSD, outcomes, model)
        while nextSample <= spec.window.to {
            sample(at: nextSample)
            nextSample += spec.parameters.metricsInterval
        }
        progress?(1)
        return Run(scenario: scenario, model: model, outcomes: outcomes, outcomeUSD: outcomeUSD, entityMetrics: entityMetrics, priceMetrics: priceMetrics,
                   initialHash: initialHash, finalHash: try stateHash(model.state), inputsApplied: applied, eventsIgnored: ignored,
                   checkpoints: checkpoints, reuseAtStart: reuseAtStart)
    }

    /// USD values for the outcomes not valued yet.
    static func value(_ usd: inout [Int64], _ outcomes: [Outcome], _ model: Model) {
        while usd.count < outcomes.count {
            let o = outcomes[usd.count]
            switch o.kind {
            case .liquidation: usd.append(o.aux)
            case .recall: usd.append(model.state.market.value(o.asset, o.amount))
            default: usd.append(o.amount)
            }
        }
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
                                reuseAtStart: [Int64],
                                outcomes: [Outcome], outcomeUSD: [Int64], entityMetrics: [EntityMetrics], priceMetrics: [PriceMetrics],
                                applied: UInt64, ignored: UInt64) throws -> (Int64, String, String) {
        let hash = try stateHash(model.state)
        let cp = Checkpoint(spec: spec.name, eventsConsumed: consumed, nextSample: nextSample, initialHash: initialHash, stateHash: hash,
                            state: model.state, trace: model.trace, outcomes: outcomes, outcomeUSD: outcomeUSD, entityMetrics: entityMetrics,
                            priceMetrics: priceMetrics, inputsApplied: applied, eventsIgnored: ignored, reuseAtStart: reuseAtStart)
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
