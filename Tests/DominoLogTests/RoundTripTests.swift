import DominoTestFixtures
import Testing
@testable import DominoLog

@Suite struct RoundTripTests {
    /// Property: for random valid event sequences and block sizes, write → read gives the same
    /// events, the same header, and the index's counts and time ranges agree with the events.
    @Test(arguments: [
        (seed: UInt64(1), count: 1, block: 16_384),
        (seed: 2, count: 1000, block: 1),
        (seed: 3, count: 5000, block: 7),
        (seed: 4, count: 20_000, block: 1024),
        (seed: 5, count: 50_000, block: 16_384),
        (seed: 6, count: 70_000, block: 65_536),
    ])
    func writeThenReadGivesTheSameEvents(seed: UInt64, count: Int, block: Int) throws {
        let dir = TempDir()
        let path = dir.file("r.zst")
        let events = Fixtures.randomEvents(count, seed: seed)
        let summary = try Fixtures.write(events, to: path, options: WriterOptions(blockEvents: block, level: 3))
        #expect(summary.events == UInt64(count))
        #expect(summary.blocks == (count + block - 1) / block)

        let reader = try LogReader(path: path)
        #expect(reader.header == Fixtures.header())
        #expect(reader.version == 1)
        #expect(reader.eventCount == UInt64(count))
        #expect(try reader.readAll() == events)
        for (i, info) in reader.blocks.enumerated() {
            let slice = events[(i * block)..<min(count, (i + 1) * block)]
            #expect(info.count == slice.count)
            #expect(info.firstTime == slice.first!.time)
            #expect(info.lastTime == slice.last!.time)
            #expect(info.firstSequence == UInt64(i * block))
        }
        #expect(try LogChecker.check(path: path).events == UInt64(count))
    }

    @Test func emptyLogHasNoBlocksAndReadsBack() throws {
        let dir = TempDir()
        let path = dir.file("empty.zst")
        let summary = try Fixtures.write([], to: path)
        #expect(summary.blocks == 0)
        let reader = try LogReader(path: path)
        #expect(reader.blocks.isEmpty)
        #expect(try reader.readAll().isEmpty)
        #expect(try LogChecker.check(path: path).events == 0)
    }

    /// Extreme values survive the frame-of-reference coding: full Int64 range in amount and aux,
    /// prices from 1 to Int64.max in one block, largest ids.
    @Test func extremeValuesRoundTrip() throws {
        let dir = TempDir()
        let path = dir.file("x.zst")
        let t = Fixtures.t0
        var header = Fixtures.header()
        header.assets.append(.init(id: 65_535, symbol: "MAX", decimals: 0))
        header.entities.append(.init(id: UInt32.max, name: "last", kind: "other"))
        let events = [
            Event(time: t, kind: .price, asset: 65_535, amount: 1),
            Event(time: t, kind: .price, asset: 65_535, amount: Int64.max),
            Event(time: t, kind: .price, asset: 65_535, amount: 1),
            Event(time: t + 1, kind: .signal, entity: UInt32.max, amount: Int64.min, aux: Int64.min),
            Event(time: t + 1, kind: .transfer, entity: UInt32.max, counterparty: 1, asset: 1, amount: Int64.max, aux: Int64.max),
            Event(time: header.timeRange.end, kind: .deposit, entity: 3, counterparty: 1, amount: 0),
        ]
        try Fixtures.write(events, to: path, header: header)
        #expect(try LogReader(path: path).readAll() == events)
    }

    /// Same input, same bytes: the writer is deterministic (no threads, no time, no randomness).
    @Test func writerOutputIsDeterministic() throws {
        let dir = TempDir()
        let events = Fixtures.randomEvents(30_000, seed: 99)
        try Fixtures.write(events, to: dir.file("a.zst"))
        try Fixtures.write(events, to: dir.file("b.zst"))
        #expect(try fileBytes(dir.file("a.zst")) == fileBytes(dir.file("b.zst")))
    }

    /// An hourly price series compresses far below its 48 bytes of event fields.
    @Test func hourlyPricesCompressWell() throws {
        let dir = TempDir()
        let path = dir.file("h.zst")
        var events: [Event] = []
        var price: [Int64] = [4_369_448_000_000, 302_009_000_000, 14_318_000_000]
        var rng = TestRandom(seed: 5)
        for hour in 0..<8760 {
            for a in 0..<3 {
                price[a] = max(1_000_000, price[a] + (Int64(rng.below(40_001)) - 20_000) * 1_000_000)
                events.append(Event(time: Fixtures.t0 + Int64(hour) * Fixtures.hour, kind: .price, asset: UInt32([1, 2, 7][a]), amount: price[a]))
            }
        }
        let summary = try Fixtures.write(events, to: path)
        let perEvent = Double(summary.bytes) / Double(events.count)
        #expect(perEvent < 4.0, "hourly prices took \(perEvent) bytes/event")
    }
}
