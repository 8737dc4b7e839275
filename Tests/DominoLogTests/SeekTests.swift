import DominoTestFixtures
import Testing
@testable import DominoLog

@Suite struct SeekTests {
    /// Property: a windowed read through the index returns exactly what a linear scan filtered by
    /// time returns, for random windows including empty ones, single instants and open ends.
    @Test(arguments: [UInt64(21), 22, 23])
    func seekMatchesLinearScan(seed: UInt64) throws {
        let dir = TempDir()
        let path = dir.file("s.zst")
        let events = Fixtures.randomEvents(40_000, seed: seed)
        try Fixtures.write(events, to: path, options: WriterOptions(blockEvents: 997, level: 1))
        let reader = try LogReader(path: path)
        var rng = TestRandom(seed: seed &* 31)
        let first = events.first!.time, last = events.last!.time
        for trial in 0..<60 {
            var from: Int64? = first + Int64(rng.below(Int(last - first + 1)))
            var to: Int64? = from! + Int64(rng.below(Int(last - first) / 4 + 1))
            switch trial % 6 {
            case 0: from = nil
            case 1: to = nil
            case 2: to = from // a single instant, possibly a run of equal times
            case 3: from = events[rng.below(events.count)].time; to = from
            case 4: (from, to) = (last + 1, last + 100) // after the end
            default: break
            }
            var got: [Event] = []
            try reader.forEachEvent(from: from, to: to) { got.append($0) }
            let expected = events.filter { (from == nil || $0.time >= from!) && (to == nil || $0.time <= to!) }
            #expect(got == expected, "window \(String(describing: from)) … \(String(describing: to))")
        }
    }

    /// A narrow window decodes only the blocks it overlaps.
    @Test func narrowWindowTouchesFewBlocks() throws {
        let dir = TempDir()
        let path = dir.file("n.zst")
        let events = (0..<100_000).map { Event(time: Fixtures.t0 + Int64($0) * 60_000, kind: .price, asset: 1, amount: 100_000 + Int64($0)) }
        try Fixtures.write(events, to: path, options: WriterOptions(blockEvents: 1000, level: 1))
        let reader = try LogReader(path: path)
        let from = Fixtures.t0 + 50_500 * 60_000
        let range = reader.blockRange(from: from, to: from + 10 * 60_000)
        #expect(range == 50..<51)
        #expect(reader.blockRange(from: from - 600 * 60_000, to: from) == 49..<51)
        #expect(reader.blockRange(from: Fixtures.t0 - 1, to: Fixtures.t0 - 1) == 0..<0)
    }
}
