import DominoLog
import DominoModel
import DominoReplay
import Foundation

/// `domino bench replay`: writes the `ReplayWorkload` into a directory, then, `repeats` times,
/// decodes every event of its log (the decode-only baseline) and replays it: the spec built in
/// memory (`ReplayWorkload.buildSpec`, validated like a parsed one) + `Replay.run` (opening the
/// log, the scenario, generated positions, the initial state hash, every event decoded and
/// applied through every rule, the final state hash). It reports both throughputs, their ratio,
/// memory and what the model did. The YAML spec written next to the log is loaded too
/// (`Replay.loadSpec`, timed separately, outside the replay figure), and replayed once to check
/// that it ends on the same state hash and outcomes as the spec built in memory.
///
/// Nothing here prints: progress goes to `progress`, and the figures come back as a
/// `ReplayBenchReport` for the caller to render.
package struct ReplayBenchmark {
    package struct Options: Sendable {
        package var workload: ReplayWorkload
        /// Where to write the files; nil makes a temporary directory and removes it afterwards.
        package var directory: String?
        package var repeats: Int
        package init(workload: ReplayWorkload = ReplayWorkload(), directory: String? = nil, repeats: Int = 3) {
            self.workload = workload
            self.directory = directory
            self.repeats = repeats
        }
    }

    /// `(phase label, share done)`.
    package typealias Progress = (String, Double) -> Void

    package let options: Options
    private let progress: Progress

    package init(options: Options, progress: @escaping Progress = { _, _ in }) {
        self.options = options
        self.progress = progress
    }

    package func run() throws -> ReplayBenchReport {
        precondition(options.repeats >= 1)
        let fm = FileManager.default
        let dir: String
        if let d = options.directory {
            try fm.createDirectory(atPath: d, withIntermediateDirectories: true)
            dir = d
        } else {
            dir = fm.temporaryDirectory.appendingPathComponent("domino-bench-replay-\(getpid())-\(UInt64.random(in: 0 ... .max))").path
            try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
        defer { if options.directory == nil { try? fm.removeItem(atPath: dir) } }

        let w = options.workload
        let (writeSeconds, files) = try Measure.seconds { try w.write(into: dir, progress: { progress("write", $0) }) }
        let rssAfterWrite = Memory.maxResidentBytes()

        var decode: [Double] = [], openDecode: [Double] = []
        var loadSpec: [Double] = [], buildSpec: [Double] = [], replay: [Double] = [], total: [Double] = []
        var yamlMatches = true
        var setup: [Double] = [], loop: [Double] = [], final: [Double] = [], hash: [Double] = []
        var digest = EventDigest()
        var runs: [ReplayRunFigures] = []
        var replayPeak: UInt64 = 0, rssBeforeReplay: UInt64 = 0
        let reader = try LogReader(path: files.log)
        var columns = EventColumns()
        digest = try Self.decodeAll(reader, into: &columns) // warm-up
        let decodeMaxRSS = Memory.maxResidentBytes()
        for r in 0..<options.repeats {
            let label = "run \(r + 1)/\(options.repeats)"
            progress("decode " + label, 0)
            let (d, check) = try Measure.seconds { try Self.decodeAll(reader, into: &columns) }
            decode.append(d)
            guard check == digest else { throw LogError(.corruptBlock, "two decodes of \(files.log) differ") }
            let (o, _) = try Measure.seconds { () throws -> EventDigest in
                let fresh = try LogReader(path: files.log)
                var c = EventColumns()
                return try Self.decodeAll(fresh, into: &c)
            }
            openDecode.append(o)

            if r == 0 { rssBeforeReplay = Memory.residentBytes() ?? 0 }
            let sampler = RSSSampler()
            sampler.start()
            let clock = ContinuousClock()
            let t0 = clock.now
            let spec = try w.buildSpec(in: dir)
            let t1 = clock.now
            // `Replay.run` reports progress first after the book is settled (initial state hash
            // included) and last, with share 1, before the final state hash: the event loop lies
            // in between.
            var firstProgress: ContinuousClock.Instant? = nil, lastProgress = t1
            let result = try Replay.run(spec) { share in
                let now = clock.now
                if firstProgress == nil { firstProgress = now }
                if share >= 1 { lastProgress = now }
                progress("replay " + label, share)
            }
            let t2 = clock.now
            replayPeak = max(replayPeak, sampler.stop())
            buildSpec.append(Measure.seconds(t1 - t0))
            replay.append(Measure.seconds(t2 - t1))
            total.append(Measure.seconds(t2 - t0))
            setup.append(Measure.seconds((firstProgress ?? t1) - t1))
            loop.append(Measure.seconds(lastProgress - (firstProgress ?? t1)))
            final.append(Measure.seconds(t2 - lastProgress))
            let (h, _) = Measure.seconds { Replay.stateHash(result.model.state) }
            hash.append(h)
            runs.append(ReplayRunFigures(result))
            // The spec as a user's file: YAML, composed and parsed (outside the replay figure).
            let (y, yamlSpec) = try Measure.seconds { try Replay.loadSpec(path: files.spec) }
            loadSpec.append(y)
            if r == 0 {
                progress("replay of the YAML spec (check)", 0)
                let check = try Replay.run(yamlSpec)
                yamlMatches = check.finalHash == result.finalHash && check.initialHash == result.initialHash
                    && check.outcomes == result.outcomes && check.inputsApplied == result.inputsApplied
            }
        }
        let events = Int(files.events)
        return ReplayBenchReport(
            workload: .init(ticks: w.ticks, positions: w.positions, cohorts: w.cohorts, lenders: ReplayWorkload.lenders,
                            funds: ReplayWorkload.funds, seed: w.seed, events: files.events, deposits: files.deposits,
                            withdrawals: files.withdrawals, logBytes: files.logBytes, blocks: files.blocks, specBytes: files.specBytes,
                            days: Int(ReplayWorkload.span / ReplayWorkload.day)),
            repeats: options.repeats,
            write: Timing(samples: [writeSeconds], events: events),
            decode: Timing(samples: decode, events: events),
            openDecode: Timing(samples: openDecode, events: events),
            loadSpec: Timing(samples: loadSpec, events: events),
            buildSpec: Timing(samples: buildSpec, events: events),
            yamlSpecReplaysIdentically: yamlMatches,
            run: Timing(samples: replay, events: events),
            replay: Timing(samples: total, events: events),
            runSetup: Timing(samples: setup, events: events),
            eventLoop: Timing(samples: loop, events: events),
            runFinal: Timing(samples: final, events: events),
            stateHash: Timing(samples: hash, events: events),
            memory: .init(maxRSSAfterWrite: rssAfterWrite, maxRSSAfterDecode: decodeMaxRSS, rssBeforeReplay: rssBeforeReplay,
                          peakRSSDuringReplay: replayPeak, processMaxRSS: Memory.maxResidentBytes()),
            outcomes: runs.last!,
            deterministic: Set(runs.map(\.finalHash)).count == 1,
            digest: String(digest.value, radix: 16))
    }

    /// `LogReader.readBlock` over every block, folding every field of every event.
    static func decodeAll(_ reader: LogReader, into columns: inout EventColumns) throws -> EventDigest {
        var digest = EventDigest()
        for i in reader.blocks.indices {
            try reader.readBlock(i, into: &columns)
            digest.add(columns)
        }
        return digest
    }
}
