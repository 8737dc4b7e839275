import DominoLog
import DominoModel
import Foundation

/// The replay engine: the model folded over the merged input, one event at a time (`step`) or
/// with runs of price ticks in one loop (`consumeAll`), recording as it goes. `Replay.run`
/// consumes everything; `domino diff` steps two engines in lockstep over the same input log to
/// find where they first differ. A struct, so the hot path mutates its model in place (a
/// class's stored properties would pay a dynamic exclusivity check on every access).
package struct ReplayEngine {
    package let spec: Spec
    package let scenario: Scenario
    package private(set) var model: Model
    package private(set) var recorder: RunRecorder
    private var input: MergedInput
    /// The event consumed by the last `step`.
    package private(set) var lastEvent: Event?

    private let options: RunOptions
    private let progress: ((Double) -> Void)?
    private var checkpoints: [(time: Int64, hash: String, path: String)] = []
    private var nextCheckpoint: Int64
    private let span: Double
    private var lastProgress = -1.0
    /// `Fixed.faults` when last looked at (see `checkFaults`).
    private var seenFaults = Fixed.faults.load(ordering: .relaxed)

    /// Input events consumed so far (applied or ignored), over all datasets.
    package var consumed: UInt64 { input.position }

    /// The time of the next input event, nil once the datasets are exhausted (`domino verify`
    /// measures paths at given times by stepping up to them).
    package var nextTime: Int64? { input.head?.event.time }

    package init(_ spec: Spec, options: RunOptions = RunOptions(), progress: ((Double) -> Void)? = nil) throws {
        self.spec = spec
        self.options = options
        self.progress = progress
        scenario = try Scenario(spec: spec)
        if let path = options.path, !(path.replaced.isEmpty && path.prices.isEmpty && path.inputs.isEmpty),
           options.checkpointDirectory != nil || options.resume != nil {
            throw LogError(.usage, "checkpoints are not supported for a generated path (--path)")
        }
        let readers = try Replay.openDatasets(spec)
        input = try MergedInput(readers, scenario: scenario, from: spec.window.from - options.warmup, to: spec.window.to, path: options.path)
        nextCheckpoint = options.checkpointEvery.map { spec.window.from + $0 } ?? .max
        span = Double(max(1, spec.window.to - spec.window.from))
        if let resume = options.resume {
            guard resume.spec == spec.name else {
                throw LogError(.usage, "checkpoint is of spec '\(resume.spec)', not '\(spec.name)'")
            }
            model = Model(state: resume.state, reference: options.reference, trace: resume.trace)
            recorder = resume.recorder
            if let every = options.checkpointEvery { nextCheckpoint = resume.state.time - (resume.state.time - spec.window.from) % every + every }
            try input.skip(to: resume.position)
        } else {
            model = Model(state: scenario.state, reference: options.reference)
            recorder = RunRecorder(firstSample: spec.window.from, agents: spec.entities.count)
            recorder.reserve(readers.reduce(0) { $0 + Int(clamping: $1.eventCount) })
        }
        model.incrementalChecks = options.incrementalChecks // the state changes only through the model below
    }

    /// Settles the book when the window opens: every asset priced, positions generated,
    /// policies applied; records the initial hash.
    private mutating func settle() throws {
        for (i, a) in model.state.market.assets.enumerated() where a.price == .zero {
            throw SpecError(file: spec.file, line: nil,
                            "asset \(spec.assets[i].symbol) has no price in the datasets within \(options.warmup / 86_400_000) days before the window starts (\(UTCTime.format(spec.window.from)))")
        }
        scenario.generatePositions(into: &model)
        model.settle(at: spec.window.from)
        model.applyPolicies()
        try checkFaults()
        recorder.recordStart(model)
    }

    /// Stops the run when fixed-point arithmetic left the representable range on this thread
    /// since the last look (`Fixed` saturated and recorded it): one error naming the party, the
    /// asset and the time.
    @inline(__always)
    private mutating func checkFaults() throws {
        let n = Fixed.faults.load(ordering: .relaxed)
        guard n != seenFaults else { return }
        seenFaults = n
        guard Fixed.faultThread.load(ordering: .relaxed) == Fixed.currentThread else { return }
        let site = model.overflowSite().map { "\($0.party) \(spec.assets[$0.asset].symbol)" } ?? "a computed amount"
        throw SpecError(file: spec.file, line: nil,
                        "overflow: \(site) at \(UTCTime.format(model.state.time)): a value beyond the representable range (±92,233,720,368.54775807 USD or tokens; see 'Representable range' in the model's README)")
    }

    private mutating func report(_ time: Int64) {
        guard let progress else { return }
        let share = Double(time - spec.window.from) / span
        if share - lastProgress >= 0.01 { lastProgress = share; progress(share) }
    }

    /// Consumes the next input event (settling the book first when the window opens). Returns
    /// false when the datasets are exhausted.
    package mutating func step() throws -> Bool {
        guard let head = input.head else { return false }
        let event = head.event
        if event.time >= spec.window.from && !model.state.settled { try settle() }
        if model.state.settled {
            // Only when a sample is due: the call passes a copy of the model.
            if recorder.nextSample <= event.time {
                recorder.sample(model, through: event.time, end: spec.window.to, interval: spec.parameters.metricsInterval)
            }
            if event.time >= nextCheckpoint, let dir = options.checkpointDirectory {
                let checkpoint = Checkpoint(spec: spec.name, model: model, recorder: recorder, position: input.position)
                checkpoints.append((nextCheckpoint, checkpoint.stateHash, try checkpoint.write(into: dir, at: nextCheckpoint)))
                while nextCheckpoint <= event.time { nextCheckpoint += options.checkpointEvery! }
            }
        }
        if let mapped = try input.input(for: head) {
            if model.state.settled || { if case .price = mapped { return true } else { return false } }() {
                recorder.apply(mapped, to: &model, at: max(event.time, model.state.time))
            } else {
                recorder.eventsIgnored += 1 // flows before the window are not part of it
            }
        } else {
            recorder.eventsIgnored += 1
        }
        lastEvent = event
        try checkFaults()
        try input.consume(head)
        if model.state.settled { report(event.time) }
        return true
    }

    /// Consumes every event, as `step` in a loop would, to the same state, outcomes and metrics.
    /// Once settled, runs of price ticks go through the input's fast path
    /// (`MergedInput.applyPriceRun`), up to the next metrics sample or checkpoint; all else
    /// goes through `step`.
    package mutating func consumeAll() throws {
        repeat {
            if model.state.settled {
                var limit = min(recorder.nextSample, spec.window.to &+ 1)
                if options.checkpointDirectory != nil { limit = min(limit, nextCheckpoint) }
                if let last = try input.applyPriceRun(before: limit, to: &model, recording: &recorder) {
                    lastEvent = last
                    try checkFaults()
                    report(last.time)
                }
            }
        } while try step()
    }

    /// Closes the window (settling first if no event reached it) and returns the result.
    package mutating func finish() throws -> ReplayResult {
        if !model.state.settled { try settle() }
        recorder.finish(&model, at: spec.window.to)
        try checkFaults()
        recorder.sample(model, through: spec.window.to, end: spec.window.to, interval: spec.parameters.metricsInterval)
        progress?(1)
        return ReplayResult(scenario: scenario, model: model, recorder: recorder, checkpoints: checkpoints)
    }
}
