import DominoLog
import DominoModel

/// The input of a replay: the k-way merge of its datasets' cursors, mapped to model inputs.
/// Events come in the total order of their key (time, dataset order, position in the file):
/// the earliest first, ties to the dataset listed first, and within a dataset in file order.
/// The spec's own flows (`flows:`, `Spec+Flows.swift`) are one more dataset after the spec's
/// datasets (index `datasets.count`): at the same time the logs' events come first. A generated
/// path's prices and inputs (`PathInputs`) are one more after the flows (`datasets.count + 1`).
///
/// Two ways through it that must give the same run: the slow path (`head`, `input(for:)`,
/// `consume`) hands out one event at a time; the fast path (`applyPriceRun`) applies a run of
/// price ticks straight from the decoded columns. `MergedInputTests` replays the episodes both
/// ways.
package struct MergedInput {
    /// The ordering key of an event in the merge.
    package struct Key: Comparable, Sendable {
        package var time: Int64
        package var dataset: Int
        package var position: UInt64

        package static func < (a: Key, b: Key) -> Bool {
            (a.time, a.dataset, a.position) < (b.time, b.dataset, b.position)
        }
    }

    /// The next event of the merge and the dataset it comes from.
    package struct Head {
        package let dataset: Int
        package let event: Event
    }

    private var cursors: [LogCursor]
    private let mappers: [InputMapper]
    /// The spec's flows in merge order, and the next one.
    private let flows: [(time: Int64, input: Input)]
    private var nextFlow = 0
    private let scenario: Scenario
    /// A generated path's prices, then its inputs, in merge order (`PathInputs`): one more
    /// source after the flows (index `datasets.count + 1`); at the same time the logs' events
    /// and the flows come first.
    private let pathEvents: [(time: Int64, input: Input)]
    private var nextPath = 0
    /// From this time on, each dataset's price ticks go through `priceAsset` (the replaced
    /// assets of a path are -1 there: their recorded ticks are ignored); before it, `asset`.
    private let windowFrom: Int64
    private let priceAsset: [[Int]]
    /// Events consumed so far (applied or ignored), over all datasets: the input position a
    /// checkpoint records.
    package private(set) var position: UInt64 = 0

    /// Reads `readers` from `from` to `to` (inclusive), for `scenario`.
    /// With `path`, the recorded prices of `path.replaced` from the window's start on are
    /// ignored, and the path's prices and inputs within [`from`, `to`] are merged in.
    package init(_ readers: [LogReader], scenario: Scenario, from: Int64, to: Int64, path: PathInputs? = nil) throws {
        self.scenario = scenario
        let mappers = readers.map { InputMapper(header: $0.header, scenario: scenario) }
        self.mappers = mappers
        cursors = try readers.map { try LogCursor(reader: $0, from: from, to: to) }
        flows = scenario.spec.scheduledFlows().filter { $0.time >= from && $0.time <= to }
        windowFrom = scenario.spec.window.from
        let path = path ?? .recorded
        priceAsset = mappers.map { m in
            path.replaced.isEmpty ? m.asset : m.asset.map { $0 >= 0 && path.replaced.contains($0) ? -1 : $0 }
        }
        // Prices first at a tie, then inputs: a stable merge of the two time-ordered lists.
        let prices = path.prices.filter { $0.time >= from && $0.time <= to }
        let inputs = path.inputs.filter { $0.time >= from && $0.time <= to }
        var merged: [(time: Int64, input: Input)] = []
        merged.reserveCapacity(prices.count + inputs.count)
        var i = 0, j = 0
        while i < prices.count || j < inputs.count {
            if j == inputs.count || (i < prices.count && prices[i].time <= inputs[j].time) {
                merged.append((prices[i].time, .price(asset: prices[i].asset, price: prices[i].price))); i += 1
            } else {
                merged.append(inputs[j]); j += 1
            }
        }
        pathEvents = merged
    }

    /// The time of the next spec flow, if any is left.
    @inline(__always)
    private var nextFlowTime: Int64? { nextFlow < flows.count ? flows[nextFlow].time : nil }

    /// The time of the next path event, if any is left.
    @inline(__always)
    private var nextPathTime: Int64? { nextPath < pathEvents.count ? pathEvents[nextPath].time : nil }

    /// The next event of the spec's flows or the path, earliest first (ties: the flows), as
    /// its source index and time.
    @inline(__always)
    private var nextExtra: (index: Int, time: Int64)? {
        switch (nextFlowTime, nextPathTime) {
        case (nil, nil): nil
        case let (f?, nil): (cursors.count, f)
        case let (nil, p?): (cursors.count + 1, p)
        case let (f?, p?): f <= p ? (cursors.count, f) : (cursors.count + 1, p)
        }
    }

    /// The dataset whose current event is the earliest; ties go to the dataset listed first.
    @inline(__always)
    private func nextDataset() -> Int? {
        // By index, reading only the time column: iterating the cursors by value would copy each
        // (a retain and release of its reader and of every column, on every event).
        let extra = nextExtra
        if cursors.count == 1 && extra == nil { return cursors[0].currentTime == nil ? nil : 0 }
        var best: Int? = nil
        var bestTime = Int64.max
        for i in cursors.indices {
            if let t = cursors[i].currentTime, t < bestTime { best = i; bestTime = t }
        }
        if let extra, best == nil || extra.time < bestTime { best = extra.index } // ties: the logs first
        return best
    }

    // MARK: The slow path: one event at a time
    //
    // `head`, `input(for:)` and what they call are `@inline(__always)`: the engine calls them
    // on its stored input for every event, and a call that is not inlined passes a copy of
    // the whole merge (over a kilobyte with the scenario, copied by `memcpy`).

    /// The next event, or nil when every dataset is exhausted.
    @inline(__always)
    package var head: Head? {
        guard let k = nextDataset() else { return nil }
        if k == cursors.count { return Head(dataset: k, event: Self.event(flows[nextFlow])) }
        if k == cursors.count + 1 { return Head(dataset: k, event: Self.event(pathEvents[nextPath])) }
        return Head(dataset: k, event: cursors[k].current!)
    }

    /// The event a spec flow stands for (no log ids: entity, counterparty and asset are 0; the
    /// amount is the model quantity).
    static func event(_ flow: (time: Int64, input: Input)) -> Event {
        switch flow.input {
        case let .withdrawal(_, _, quantity): Event(time: flow.time, kind: .withdrawalRequest, amount: quantity.raw)
        case let .deposit(_, _, quantity): Event(time: flow.time, kind: .deposit, amount: quantity.raw)
        case let .price(_, price): Event(time: flow.time, kind: .price, amount: price.raw)
        case let .transfer(_, _, _, quantity): Event(time: flow.time, kind: .transfer, amount: quantity.raw)
        default: Event(time: flow.time, kind: .deposit, amount: 0)
        }
    }

    /// The ordering key of the next event.
    package var key: Key? {
        guard let k = nextDataset() else { return nil }
        if k == cursors.count { return Key(time: flows[nextFlow].time, dataset: k, position: UInt64(nextFlow)) }
        if k == cursors.count + 1 { return Key(time: pathEvents[nextPath].time, dataset: k, position: UInt64(nextPath)) }
        guard let t = cursors[k].currentTime else { return nil }
        return Key(time: t, dataset: k, position: cursors[k].sequence)
    }

    /// The model input for `head`, or nil when its event is not about the scenario.
    @inline(__always)
    package func input(for head: Head) throws -> Input? {
        if head.dataset == cursors.count { return flows[nextFlow].input }
        if head.dataset == cursors.count + 1 { return pathEvents[nextPath].input }
        if head.event.kind == .price && head.event.time >= windowFrom {
            let table = priceAsset[head.dataset]
            let a = head.event.asset == 0 ? -1 : table[Int(head.event.asset)]
            return a >= 0 ? .price(asset: AssetID(a), price: Price(head.event.amount)) : nil
        }
        do { return try mappers[head.dataset].input(head.event, scenario: scenario) } catch let e as FlowError {
            let c = cursors[head.dataset]
            throw LogError(.badReference, "event \(c.sequence) at \(UTCTime.format(head.event.time)): \(e.message)",
                           file: c.reader.path, offset: c.blockOffset, block: c.blockIndex)
        }
    }

    /// Moves past `head` (which must be the current head).
    package mutating func consume(_ head: Head) throws {
        if head.dataset == cursors.count { nextFlow += 1 }
        else if head.dataset == cursors.count + 1 { nextPath += 1 }
        else { try cursors[head.dataset].advance() }
        position += 1
    }

    /// Skips events up to the input position `target` (a checkpoint's), without applying them.
    package mutating func skip(to target: UInt64) throws {
        while position < target {
            guard let k = nextDataset() else { break }
            if k == cursors.count { nextFlow += 1 }
            else if k == cursors.count + 1 { nextPath += 1 }
            else { try cursors[k].advance() }
            position += 1
        }
    }

    // MARK: The fast path: a run of price ticks from the decoded columns

    /// Applies the price ticks that come next in the current block of the next dataset, up to
    /// (not including) the first event that is not a price, that is at or after `limit`, or
    /// that another dataset's next event precedes or ties with: for each, what the slow path
    /// and `RunRecorder.apply` would do (map, apply, value the outcomes, count), without
    /// building an `Event` and an `Input` for every tick. Returns the last event applied (nil
    /// if none).
    package mutating func applyPriceRun(before limit: Int64, to model: inout Model, recording recorder: inout RunRecorder) throws -> Event? {
        guard let k = nextDataset(), k < cursors.count else { return nil }
        var limit = limit
        for j in cursors.indices where j != k {
            if let t = cursors[j].currentTime { limit = min(limit, t) }
        }
        if let t = nextExtra?.time { limit = min(limit, t) } // the flow or path event and any tick at its time: by `step`
        // The columns are a copy (it shares the cursor's buffers): it must be gone before the
        // cursor reads its next block into them, or that read copies every column first.
        let (n, last) = applyPrices(cursor: k, below: limit, to: &model, recording: &recorder)
        guard n > 0 else { return nil }
        position += UInt64(n)
        try cursors[k].advance(by: n)
        return last
    }

    /// The loop of `applyPriceRun`: how many events it consumed and the last of them.
    private func applyPrices(cursor k: Int, below limit: Int64, to model: inout Model, recording recorder: inout RunRecorder) -> (Int, Event?) {
        let (columns, range) = cursors[k].pending
        let assets = mappers[k].asset, windowAssets = priceAsset[k], windowFrom = windowFrom
        let priceKind = Int64(EventKind.price.rawValue)
        var i = range.lowerBound
        var emitted: [Outcome] = []
        swap(&emitted, &recorder.outcomes)
        let faults = Fixed.faults.load(ordering: .relaxed) // a tick past the representable range ends the run here
        while i < range.upperBound {
            let t = columns.time[i]
            guard t < limit, columns.kind[i] == priceKind else { break }
            let id = Int(UInt32(truncatingIfNeeded: columns.asset[i]))
            let a = id == 0 ? -1 : (t >= windowFrom ? windowAssets[id] : assets[id])
            if a >= 0 {
                model.apply(.price(asset: AssetID(a), price: Price(columns.amount[i])), at: max(t, model.state.time), emit: { emitted.append($0) })
                recorder.inputsApplied += 1
            } else {
                recorder.eventsIgnored += 1
            }
            i += 1
            if Fixed.faults.load(ordering: .relaxed) != faults { break }
        }
        swap(&emitted, &recorder.outcomes)
        return (i - range.lowerBound, i > range.lowerBound ? columns[i - 1] : nil)
    }
}
