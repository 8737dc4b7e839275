@testable import DominoBench
import DominoLog
import DominoModel
import DominoReplay
import Foundation
import Testing

/// The `domino bench replay` workload: the files it writes, and that they replay deterministically.
@Suite struct ReplayBenchmarkTests {
    /// 2,000 ticks, 300 positions, 30 cohorts: a fraction of a second in a debug build.
    static let tiny = ReplayWorkload(ticks: 2_000, positions: 300, cohorts: 30, seed: 7)

    /// A fresh directory, removed after `body`.
    static func withDirectory<T>(_ body: (String) throws -> T) throws -> T {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("domino-replay-bench-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        return try body(dir)
    }

    @Test func logAndSpecHaveTheRequestedCounts() throws {
        try Self.withDirectory { dir in
            let w = Self.tiny
            let files = try w.write(into: dir)
            let reader = try LogReader(path: files.log)
            let events = try reader.readAll()
            #expect(reader.eventCount == files.events)
            #expect(events.count == w.ticks + files.deposits + files.withdrawals)
            #expect(events.filter { $0.kind == .price }.count == w.ticks)
            #expect(events.filter { $0.kind == .deposit }.count == files.deposits)
            #expect(events.filter { $0.kind == .withdrawalRequest }.count == files.withdrawals)
            #expect(files.deposits > 0 && files.withdrawals > 0)
            // Every asset ticks in turn: 400 prices each.
            for a in 1...5 { #expect(events.filter { $0.kind == .price && $0.asset == UInt32(a) }.count == w.ticks / 5) }
            #expect(reader.header.entities.count == ReplayWorkload.lenders + ReplayWorkload.funds + 1 + w.cohorts)

            let spec = try Replay.loadSpec(path: files.spec)
            #expect(spec.assets.map(\.symbol) == ["USDC", "BTC", "ETH", "SOL", "LINK"])
            #expect(spec.cash == "USDC")
            #expect(spec.entities.filter { $0.role == .lender }.count == 3)
            #expect(spec.entities.filter { $0.role == .fund }.count == 2)
            #expect(spec.cohorts.count == w.cohorts)
            // Spread over the lenders: 10 each of 30.
            #expect(spec.cohorts.filter { $0.platform == "Lender-1" }.count == 10)
            #expect(spec.pools.count == 1)
            #expect(spec.pools[0].generate.reduce(0) { $0 + $1.count } == w.positions)
            #expect(spec.loans.count == 3 * 3 + 1)
            #expect(spec.window.from > ReplayWorkload.start && spec.window.to == reader.header.timeRange.end)
        }
    }

    @Test func sameSeedWritesTheSameFiles() throws {
        let (a, b, c) = try Self.withDirectory { dir -> (String, String, String) in
            for sub in ["a", "b", "c"] { try FileManager.default.createDirectory(atPath: dir + "/" + sub, withIntermediateDirectories: false) }
            func digest(_ files: ReplayWorkload.Files) throws -> String {
                var d = EventDigest()
                try LogReader(path: files.log).forEachEvent { d.add($0) }
                return String(d.value, radix: 16) + " " + (try String(contentsOfFile: files.spec, encoding: .utf8))
            }
            var other = Self.tiny
            other.seed = 8
            return (try digest(Self.tiny.write(into: dir + "/a")), try digest(Self.tiny.write(into: dir + "/b")),
                    try digest(other.write(into: dir + "/c")))
        }
        #expect(a == b)
        #expect(a != c)
    }

    @Test func tinyWorkloadReplaysDeterministically() throws {
        try Self.withDirectory { dir in
            let files = try Self.tiny.write(into: dir)
            let first = try Replay.run(try Replay.loadSpec(path: files.spec))
            let second = try Replay.run(try Replay.loadSpec(path: files.spec))
            #expect(first.finalHash == second.finalHash)
            #expect(first.initialHash == second.initialHash)
            #expect(first.outcomes == second.outcomes)
            #expect(first.inputsApplied + first.eventsIgnored == files.events)
            #expect(first.model.state.pools[0].positions.count == Self.tiny.positions)
            // The crash liquidates pool positions and calls margin.
            #expect(first.outcomes.contains { $0.kind == .liquidation })
            #expect(first.outcomes.contains { $0.kind == .marginCall })
        }
    }

    /// The benchmark replays the spec built in memory; the YAML file it writes must be the same
    /// spec: the same scenario, and the same run to the last hash.
    @Test func specBuiltInMemoryIsTheYAMLSpec() throws {
        try Self.withDirectory { dir in
            let files = try Self.tiny.write(into: dir)
            let yaml = try Replay.loadSpec(path: files.spec)
            let memory = try Self.tiny.buildSpec(in: dir)
            #expect(memory.file == yaml.file && memory.name == yaml.name && memory.description == yaml.description)
            #expect(memory.datasets == yaml.datasets && memory.window == yaml.window && memory.seed == yaml.seed)
            #expect(memory.parameters == yaml.parameters && memory.cash == yaml.cash)
            #expect(memory.assets.map(\.symbol) == yaml.assets.map(\.symbol) && memory.assets.map(\.depth) == yaml.assets.map(\.depth))
            #expect(memory.cohorts.map(\.name) == yaml.cohorts.map(\.name))
            #expect(memory.entities.map(\.policy) == yaml.entities.map(\.policy))
            let generate = { (s: Spec) in s.pools.flatMap { $0.generate.map { "\($0.count) \($0.collateralAsset) \($0.debtAsset) \($0.collateral) \($0.ltv)" } } }
            #expect(generate(memory) == generate(yaml))
            #expect(try Scenario(spec: memory).state == Scenario(spec: yaml).state)
            let a = try Replay.run(memory), b = try Replay.run(yaml)
            #expect(a.initialHash == b.initialHash && a.finalHash == b.finalHash)
            #expect(a.outcomes == b.outcomes)
        }
    }

    /// The replay lets the model skip checks its bounds settle; without them the run is the same.
    @Test func incrementalChecksChangeNothing() throws {
        try Self.withDirectory { dir in
            let files = try Self.tiny.write(into: dir)
            let spec = try Replay.loadSpec(path: files.spec)
            var exactOptions = RunOptions()
            exactOptions.incrementalChecks = false
            let fast = try Replay.run(spec), exact = try Replay.run(spec, options: exactOptions)
            #expect(fast.outcomes == exact.outcomes)
            #expect(fast.entityMetrics == exact.entityMetrics)
            #expect(fast.finalHash == exact.finalHash && fast.initialHash == exact.initialHash)
            #expect(fast.model.state == exact.model.state)
        }
    }

    @Test func benchmarkReportsBothThroughputsAndTheRatio() throws {
        let report = try ReplayBenchmark(options: .init(workload: Self.tiny, repeats: 2)).run()
        #expect(report.deterministic)
        #expect(report.workload.events == report.outcomes.inputsApplied + report.outcomes.eventsIgnored)
        #expect(report.decode.samples.count == 2 && report.replay.samples.count == 2)
        #expect(report.decode.eventsPerSecond > 0 && report.replay.eventsPerSecond > 0)
        #expect(abs(report.ratio - report.replay.eventsPerSecond / report.decode.eventsPerSecond) < 1e-9)
        #expect(report.outcomes.count(.liquidation) > 0)
        #expect(report.text().contains("replay / decode"))
        #expect(report.yamlSpecReplaysIdentically)
        #expect(report.buildSpec.samples.count == 2 && report.loadSpec.samples.count == 2)
        let json = try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any]
        #expect(json?["goal"] as? Double == 0.25)
        #expect((json?["outcomes"] as? [String: Any])?["finalHash"] as? String == report.outcomes.finalHash)
    }
}
