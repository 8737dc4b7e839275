import DominoLog
import DominoModel
import DominoReplay
import Foundation

/// What one replay produced: outcome counts by kind, inputs, hashes.
package struct ReplayRunFigures: Encodable, Sendable, Equatable {
    /// Outcome kind (its raw name) → count, every kind listed, in `Outcome.Kind.allCases` order.
    package var counts: [Count]
    package var inputsApplied: UInt64
    package var eventsIgnored: UInt64
    package var liquidationVolumeUSD: String
    package var initialHash: String
    package var finalHash: String

    package struct Count: Encodable, Sendable, Equatable {
        package var kind: String
        package var count: Int
    }

    package init(_ run: ReplayResult) {
        counts = Outcome.Kind.allCases.map { k in Count(kind: k.rawValue, count: run.outcomes.reduce(0) { $0 + ($1.kind == k ? 1 : 0) }) }
        inputsApplied = run.inputsApplied
        eventsIgnored = run.eventsIgnored
        liquidationVolumeUSD = FixedPoint.format(run.model.state.liquidationVolume.raw, decimals: 8)
        initialHash = run.initialHash
        finalHash = run.finalHash
    }

    package func count(_ kind: Outcome.Kind) -> Int { counts.first { $0.kind == kind.rawValue }?.count ?? 0 }
}

package struct ReplayBenchReport: Encodable, Sendable {
    package struct Workload: Encodable, Sendable {
        package var ticks: Int, positions: Int, cohorts: Int, lenders: Int, funds: Int
        package var seed: UInt64
        package var events: UInt64, deposits: Int, withdrawals: Int
        package var logBytes: UInt64, blocks: Int, specBytes: Int
        package var days: Int
    }

    package struct MemoryFigures: Encodable, Sendable {
        /// `getrusage` maximum after writing the files (the generator streams: one block).
        package var maxRSSAfterWrite: UInt64
        /// `getrusage` maximum after the first decode.
        package var maxRSSAfterDecode: UInt64
        /// RSS (`/proc/self/statm`) just before the first replay.
        package var rssBeforeReplay: UInt64
        /// Largest RSS sampled every 5 ms during the replays (buildSpec + run).
        package var peakRSSDuringReplay: UInt64
        /// `getrusage` maximum of the whole process at the end.
        package var processMaxRSS: UInt64
    }

    package var workload: Workload
    package var repeats: Int
    /// Generating and writing the log and the spec (one run).
    package var write: Timing
    /// `LogReader.readBlock` over every block of an open reader, folding every field.
    package var decode: Timing
    /// The same, including opening the file (header with every entity, index, footer).
    package var openDecode: Timing
    /// `Replay.loadSpec` of the YAML spec: composition and parsing (not part of `replay`).
    package var loadSpec: Timing
    /// `ReplayWorkload.buildSpec`: the same spec built in memory and validated.
    package var buildSpec: Timing
    /// The YAML spec, replayed once, ends on the same hashes and outcomes.
    package var yamlSpecReplaysIdentically: Bool
    /// `Replay.run`: scenario, generated positions, merge, mapping, model, metrics, state hashes.
    package var run: Timing
    /// `buildSpec` + `run`: the figure compared with `decode`.
    package var replay: Timing
    /// The parts of `run`, from its progress reports: until the book is settled (scenario,
    /// generated positions, policies, initial state hash); the event loop (merge, mapping, model,
    /// metrics); the rest (final state hash).
    package var runSetup: Timing
    package var eventLoop: Timing
    package var runFinal: Timing
    /// One `Replay.stateHash` of the final state, timed on its own after the run.
    package var stateHash: Timing
    package var memory: MemoryFigures
    /// Outcomes of the last run.
    package var outcomes: ReplayRunFigures
    /// Every run ended on the same state hash.
    package var deterministic: Bool
    /// `EventDigest` of the log's events.
    package var digest: String

    /// Goal: a full replay at least this share of decode-only throughput.
    package static let goal = 0.25

    package var ratio: Double { decode.eventsPerSecond > 0 ? replay.eventsPerSecond / decode.eventsPerSecond : 0 }
    /// The event loop alone against decoding (fixed costs left out).
    package var loopRatio: Double { decode.eventsPerSecond > 0 ? eventLoop.eventsPerSecond / decode.eventsPerSecond : 0 }
    package var goalMet: Bool { ratio >= Self.goal }
    /// The ratio had the replay parsed the YAML spec instead of building it in memory.
    package var yamlRatio: Double {
        let seconds = loadSpec.median + run.median
        return decode.median > 0 && seconds > 0 ? decode.median / seconds : 0
    }

    enum CodingKeys: String, CodingKey {
        case workload, repeats, write, decode, openDecode, loadSpec, buildSpec, yamlSpecReplaysIdentically, run, replay, runSetup, eventLoop, runFinal, stateHash
        case memory, outcomes, deterministic, digest, ratio, loopRatio, yamlRatio, goal, goalMet
    }

    package func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(workload, forKey: .workload)
        try c.encode(repeats, forKey: .repeats)
        try c.encode(write, forKey: .write)
        try c.encode(decode, forKey: .decode)
        try c.encode(openDecode, forKey: .openDecode)
        try c.encode(loadSpec, forKey: .loadSpec)
        try c.encode(buildSpec, forKey: .buildSpec)
        try c.encode(yamlSpecReplaysIdentically, forKey: .yamlSpecReplaysIdentically)
        try c.encode(run, forKey: .run)
        try c.encode(replay, forKey: .replay)
        try c.encode(runSetup, forKey: .runSetup)
        try c.encode(eventLoop, forKey: .eventLoop)
        try c.encode(runFinal, forKey: .runFinal)
        try c.encode(stateHash, forKey: .stateHash)
        try c.encode(memory, forKey: .memory)
        try c.encode(outcomes, forKey: .outcomes)
        try c.encode(deterministic, forKey: .deterministic)
        try c.encode(digest, forKey: .digest)
        try c.encode(rounded(ratio, 4), forKey: .ratio)
        try c.encode(rounded(loopRatio, 4), forKey: .loopRatio)
        try c.encode(rounded(yamlRatio, 4), forKey: .yamlRatio)
        try c.encode(Self.goal, forKey: .goal)
        try c.encode(goalMet, forKey: .goalMet)
    }

    package func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    package func text() -> String {
        let w = workload
        var out = "domino bench replay: \(grouped(w.ticks)) price ticks over 5 assets, \(grouped(w.positions)) pool positions, "
        out += "\(grouped(w.cohorts)) depositor cohorts, \(w.lenders) lenders, \(w.funds) funds, seed \(w.seed); medians of \(repeats)\n"
        out += "log       \(grouped(w.events)) events (\(grouped(w.deposits)) deposits, \(grouped(w.withdrawals)) withdrawal requests) "
        out += "over \(w.days) days, \(megabytes(w.logBytes)) in \(grouped(w.blocks)) blocks; spec \(megabytes(UInt64(w.specBytes)))\n\n"
        var rows: [[String]] = [["phase", "seconds", "events/s"]]
        rows.append(["write log + spec (once)", fixed(write.median, 3), Self.rateCell(write.eventsPerSecond)])
        rows.append(["decode (readBlock every block, fold every field)", fixed(decode.median, 3), Self.rateCell(decode.eventsPerSecond)])
        rows.append(["open + decode", fixed(openDecode.median, 3), Self.rateCell(openDecode.eventsPerSecond)])
        rows.append(["spec built in memory, validated (ReplayWorkload.buildSpec)", fixed(buildSpec.median, 3), ""])
        rows.append(["Replay.run", fixed(run.median, 3), Self.rateCell(run.eventsPerSecond)])
        rows.append(["  until settled (open log, scenario, positions, initial hash)", fixed(runSetup.median, 3), ""])
        rows.append(["  event loop (decode, merge, map, every rule, metrics)", fixed(eventLoop.median, 3), Self.rateCell(eventLoop.eventsPerSecond)])
        rows.append(["  final state hash", fixed(runFinal.median, 3), ""])
        rows.append(["replay (spec in memory + Replay.run)", fixed(replay.median, 3), Self.rateCell(replay.eventsPerSecond)])
        rows.append(["one Replay.stateHash (after the run, untimed above)", fixed(stateHash.median, 3), ""])
        rows.append(["Replay.loadSpec of the YAML spec (not in replay)", fixed(loadSpec.median, 3), ""])
        out += table(rows) + "\n"
        out += "replay / decode      \(fixed(ratio, 3))  (goal ≥ \(fixed(Self.goal, 2)): \(goalMet ? "met" : "MISSED"))\n"
        out += "event loop / decode  \(fixed(loopRatio, 3))\n"
        out += "with the YAML spec   \(fixed(yamlRatio, 3))  (Replay.loadSpec + Replay.run; it replays to the same hashes and outcomes: \(yamlSpecReplaysIdentically ? "yes" : "NO"))\n"
        out += "(replay / decode: events per second of the whole replay — spec, opening and decoding the log, every rule on every\n"
        out += " event, metrics, both state hashes — over events per second of decoding alone, readBlock + fold, measured in this run)\n\n"
        out += "memory    peak RSS during replay \(megabytes(memory.peakRSSDuringReplay)) (sampled every 5 ms; \(megabytes(memory.rssBeforeReplay)) before the first); "
        out += "process max RSS \(megabytes(memory.processMaxRSS)) (after writing \(megabytes(memory.maxRSSAfterWrite)), after decoding \(megabytes(memory.maxRSSAfterDecode)))\n"
        let o = outcomes
        out += "outcomes  " + o.counts.map { "\($0.kind) \(grouped($0.count))" }.joined(separator: ", ") + "\n"
        out += "          liquidated USD \(o.liquidationVolumeUSD); inputs applied \(grouped(o.inputsApplied)), ignored \(grouped(o.eventsIgnored))\n"
        out += "state     initial \(o.initialHash.prefix(16)), final \(o.finalHash) (\(deterministic ? "same in every run" : "DIFFERS between runs"))\n"
        return out
    }

    // MARK: Formatting


    /// Events per second, blank for a phase without events.
    static func rateCell(_ perSecond: Double) -> String { perSecond > 0 ? rate(perSecond) : "" }
}
