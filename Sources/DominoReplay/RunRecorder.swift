import DominoModel

/// What a replay records as it goes, apart from the model: the outcomes (each with its USD value),
/// the metrics samples, the counters and the initial state hash. Codable: a checkpoint carries
/// it whole, and a resumed run continues recording into it.
package struct RunRecorder: Codable, Sendable {
    /// Every outcome so far, each with its USD value (`Outcome.usd`).
    package var outcomes: [Outcome] = []
    package var entityMetrics: [EntityMetrics] = []
    package var priceMetrics: [PriceMetrics] = []
    /// The exposure network at each sample (`Model.networkEdges`), in sample order.
    package var network: [NetworkEdge] = []
    package var inputsApplied: UInt64 = 0
    package var eventsIgnored: UInt64 = 0
    /// Time of the next metrics sample.
    package var nextSample: Int64
    /// State hash once the book is settled and the policies applied.
    package var initialHash = ""
    /// Share of customer claims each agent had lent, deployed or pledged on pools once its policy was applied.
    package var reuseAtStart: [Int64]
    /// Customer claims (USD) per agent at the start, after policies.
    package var claimsAtStart: [Int64]

    package init(firstSample: Int64, agents: Int) {
        nextSample = firstSample
        reuseAtStart = [Int64](repeating: 0, count: agents)
        claimsAtStart = reuseAtStart
    }

    /// Room for `events` outcomes up front (address space only: pages are touched as outcomes
    /// arrive): growing by doubling copied the outcomes and faulted in fresh pages again at
    /// every step, in a run with many liquidations.
    package mutating func reserve(_ events: Int) {
        outcomes.reserveCapacity(min(events, 1 << 24))
        HugePages.advise(&outcomes)
    }

    /// The settled book's hash and its capital figures, before any input in the window.
    package mutating func recordStart(_ model: Model) {
        initialHash = CanonicalState.sha256Hex(model.state)
        reuseAtStart = model.state.agents.indices.map { model.reuseShare($0).raw }
        claimsAtStart = model.state.agents.indices.map { model.claimsValue(platform: $0).raw }
    }

    /// Takes the metrics samples due at or before `time` (and not after `end`), `interval` apart.
    package mutating func sample(_ model: Model, through time: Int64, end: Int64, interval: Int64) {
        while nextSample <= time && nextSample <= end {
            // One Eisenberg–Noe clearing a sample, for the metrics and the network alike.
            let marks = model.distress()
            var m = model.entityMetrics(marks: marks)
            for i in m.indices { m[i].time = nextSample }
            entityMetrics += m
            var p = model.priceMetrics()
            for i in p.indices { p[i].time = nextSample }
            priceMetrics += p
            var n = model.networkEdges(marks: marks)
            for i in n.indices { n[i].time = nextSample }
            network += n
            nextSample += interval
        }
    }

    /// Applies `input` to `model`, recording its outcomes and
    /// counting it as applied.
    package mutating func apply(_ input: Input, to model: inout Model, at time: Int64) {
        // The outcomes are moved out and back (O(1)), so the model and the closure do not
        // both access `self` at once.
        var emitted: [Outcome] = []
        swap(&emitted, &outcomes)
        model.apply(input, at: time, emit: { emitted.append($0) })
        swap(&emitted, &outcomes)
        inputsApplied += 1
    }

    /// Closes the model's window at `time`, recording its last outcomes.
    package mutating func finish(_ model: inout Model, at time: Int64) {
        var emitted: [Outcome] = []
        swap(&emitted, &outcomes)
        model.finish(at: time, emit: { emitted.append($0) })
        swap(&emitted, &outcomes)
    }
}
