import DominoLog
import DominoModel
import Foundation

/// The replay engine, one input event at a time: `Replay.run` consumes every event with
/// `consumeAll` (runs of price ticks in one loop); `domino diff` steps two of them in lockstep
/// over the same input log to find where they first differ. A
/// struct, so the hot path mutates its model in place (a class's stored properties would pay a
/// dynamic exclusivity check on every access).
public struct Replayer {
    public let spec: Spec
    public let scenario: Scenario
    package private(set) var model: Model
    package private(set) var outcomes: [Outcome] = []
    /// Input events consumed so far (applied or ignored), over all datasets.
    public private(set) var consumed: UInt64 = 0
    /// The event consumed by the last `step`.
    public private(set) var lastEvent: Event?

    let options: RunOptions
    let progress: ((Double) -> Void)?
    let mappers: [InputMapper]
    var cursors: [LogCursor]
    var entityMetrics: [EntityMetrics] = []
    var priceMetrics: [PriceMetrics] = []
    var applied: UInt64 = 0, ignored: UInt64 = 0
    var nextSample: Int64
    var initialHash = ""
    var reuseAtStart: [Int64]
    var claimsAtStart: [Int64]
    var checkpoints: [(Int64, String, String)] = []
    var nextCheckpoint: Int64
    let span: Double
    var lastProgress = -1.0

    public init(_ spec: Spec, options: RunOptions = RunOptions(), progress: ((Double) -> Void)? = nil) throws {
        self.spec = spec
        self.options = options
        self.progress = progress
        scenario = try Scenario(spec: spec)
        let readers = try Replay.openDatasets(spec)
        let scenario = self.scenario
        mappers = readers.map { InputMapper(header: $0.header, scenario: scenario) }
        let start = spec.window.from - options.warmup
        cursors = try readers.map { try LogCursor(reader: $0, from: start, to: spec.window.to) }
        model = Model(state: scenario.state, reference: options.reference)
        model.incrementalChecks = options.incrementalChecks // the state changes only through the model below
        // Room for one outcome per event up front (address space only: pages are touched as
        // outcomes arrive): growing by doubling copied the outcomes and faulted in fresh pages
        // again at every step, in a run with many liquidations.
        let events = readers.reduce(0) { $0 + Int(clamping: $1.eventCount) }
        outcomes.reserveCapacity(min(events, 1 << 24))
        HugePages.advise(&outcomes)
        nextSample = spec.window.from
        reuseAtStart = [Int64](repeating: 0, count: spec.entities.count)
        claimsAtStart = reuseAtStart
        nextCheckpoint = options.checkpointEvery.map { spec.window.from + $0 } ?? .max
        span = Double(max(1, spec.window.to - spec.window.from))

        if let resume = options.resume {
            guard resume.spec == spec.name else {
                throw LogError(.usage, "checkpoint is of spec '\(resume.spec)', not '\(spec.name)'")
            }
            model = Model(state: resume.state, reference: options.reference, trace: resume.trace)
            model.incrementalChecks = options.incrementalChecks
            outcomes = resume.outcomes
            entityMetrics = resume.entityMetrics
            priceMetrics = resume.priceMetrics
            applied = resume.inputsApplied
            ignored = resume.eventsIgnored
            nextSample = resume.nextSample
            initialHash = resume.initialHash
            reuseAtStart = resume.reuseAtStart
            claimsAtStart = resume.claimsAtStart
            if let every = options.checkpointEvery { nextCheckpoint = resume.state.time - (resume.state.time - spec.window.from) % every + every }
            while consumed < resume.eventsConsumed {
                guard let k = Replay.nextCursor(cursors) else { break }
                try cursors[k].advance()
                consumed += 1
            }
        }
    }

    mutating func sample(at time: Int64) {
        var m = model.entityMetrics()
        for i in m.indices { m[i].time = time }
        entityMetrics += m
        var p = model.priceMetrics()
        for i in p.indices { p[i].time = time }
        priceMetrics += p
    }

    mutating func settle() throws {
        for (i, a) in model.state.market.assets.enumerated() where a.price == 0 {
            throw SpecError(file: spec.file, line: nil,
                            "asset \(spec.assets[i].symbol) has no price in the datasets within \(options.warmup / 86_400_000) days before the window starts (\(UTCTime.format(spec.window.from)))")
        }
        scenario.generatePositions(into: &model)
        model.settle(at: spec.window.from)
        model.applyPolicies()
        initialHash = try Replay.stateHash(model.state)
        reuseAtStart = model.state.agents.indices.map { model.reuseShare($0) }
        claimsAtStart = model.state.agents.indices.map { model.claimsValue(platform: $0) }
    }

    /// Consumes the next input event (settling the book first when the window opens). Returns
    /// false when the datasets are exhausted.
    public mutating func step() throws -> Bool {
        guard let k = Replay.nextCursor(cursors) else { return false }
        let event = cursors[k].current!
        if event.time >= spec.window.from && !model.state.settled { try settle() }
        if model.state.settled {
            while nextSample <= event.time && nextSample <= spec.window.to {
                sample(at: nextSample)
                nextSample += spec.parameters.metricsInterval
            }
            if event.time >= nextCheckpoint, let dir = options.checkpointDirectory {
                let cp = try Replay.writeCheckpoint(model: model, at: nextCheckpoint, spec: spec, dir: dir, consumed: consumed, nextSample: nextSample,
                                                    initialHash: initialHash, reuseAtStart: reuseAtStart, claimsAtStart: claimsAtStart, outcomes: outcomes,
                                                    entityMetrics: entityMetrics, priceMetrics: priceMetrics,
                                                    applied: applied, ignored: ignored)
                checkpoints.append(cp)
                while nextCheckpoint <= event.time { nextCheckpoint += options.checkpointEvery! }
            }
        }
        if let input = mappers[k].input(event, scenario: scenario) {
            if model.state.settled || { if case .price = input { return true } else { return false } }() {
                // The outcomes are moved out and back (O(1)), so the model and the closure do not
                // both access `self` at once.
                var emitted: [Outcome] = []
                swap(&emitted, &outcomes)
                model.apply(input, at: max(event.time, model.state.time), emit: { emitted.append($0) })
                swap(&emitted, &outcomes)
                applied += 1
            } else {
                ignored += 1 // flows before the window are not part of it
            }
        } else {
            ignored += 1
        }
        lastEvent = event
        try cursors[k].advance()
        consumed += 1
        if let progress, model.state.settled {
            let share = Double(event.time - spec.window.from) / span
            if share - lastProgress >= 0.01 { lastProgress = share; progress(share) }
        }
        return true
    }

    /// Consumes every event, as `step` in a loop would, to the same state, outcomes and metrics.
    /// Runs of price ticks are applied straight from the decoded columns (`applyPriceRun`); all
    /// else goes through `step`.
    public mutating func consumeAll() throws {
        repeat {
            if model.state.settled { try applyPriceRun() }
        } while try step()
    }

    /// Applies the price ticks that come next in the current block of the dataset `step` would
    /// read next, up to (not including) the first event that is not a price, that needs a
    /// metrics sample or a checkpoint first, or that another dataset's next event precedes or
    /// ties with: what `step` would do for each of them (map, apply, value the outcomes, count),
    /// without building an `Event` and an `Input` for every tick. Only once settled.
    mutating func applyPriceRun() throws {
        guard let k = Replay.nextCursor(cursors) else { return }
        var limit = min(nextSample, spec.window.to &+ 1)
        if options.checkpointDirectory != nil { limit = min(limit, nextCheckpoint) }
        for j in cursors.indices where j != k {
            if let t = cursors[j].currentTime { limit = min(limit, t) }
        }
        // The columns are a copy (it shares the cursor's buffers): it must be gone before the
        // cursor reads its next block into them, or that read copies every column first.
        let (n, last) = applyPrices(cursor: k, below: limit)
        guard n > 0, let last else { return }
        lastEvent = last
        consumed += UInt64(n)
        try cursors[k].advance(by: n)
        if let progress {
            let share = Double(last.time - spec.window.from) / span
            if share - lastProgress >= 0.01 { lastProgress = share; progress(share) }
        }
    }

    /// The loop of `applyPriceRun`: how many events it consumed and the last of them.
    mutating func applyPrices(cursor k: Int, below limit: Int64) -> (Int, Event?) {
        let (columns, range) = cursors[k].pending
        let assets = mappers[k].asset
        let priceKind = Int64(EventKind.price.rawValue)
        var i = range.lowerBound
        var emitted: [Outcome] = []
        swap(&emitted, &outcomes)
        while i < range.upperBound {
            let t = columns.time[i]
            guard t < limit, columns.kind[i] == priceKind else { break }
            let id = Int(UInt32(truncatingIfNeeded: columns.asset[i]))
            let a = id == 0 ? -1 : assets[id]
            if a >= 0 {
                model.apply(.price(asset: AssetID(a), price: Price(columns.amount[i])), at: max(t, model.state.time), emit: { emitted.append($0) })
                applied += 1
            } else {
                ignored += 1
            }
            i += 1
        }
        swap(&emitted, &outcomes)
        return (i - range.lowerBound, i > range.lowerBound ? columns[i - 1] : nil)
    }

    /// Closes the window (settling first if no event reached it) and returns the run.
    public mutating func finish() throws -> Run {
        if !model.state.settled { try settle() }
        var emitted: [Outcome] = []
        swap(&emitted, &outcomes)
        model.finish(at: spec.window.to, emit: { emitted.append($0) })
        swap(&emitted, &outcomes)
        while nextSample <= spec.window.to {
            sample(at: nextSample)
            nextSample += spec.parameters.metricsInterval
        }
        progress?(1)
        return Run(scenario: scenario, model: model, outcomes: outcomes, entityMetrics: entityMetrics, priceMetrics: priceMetrics,
                   initialHash: initialHash, finalHash: try Replay.stateHash(model.state), inputsApplied: applied, eventsIgnored: ignored,
                   checkpoints: checkpoints, reuseAtStart: reuseAtStart, claimsAtStart: claimsAtStart)
    }
}
