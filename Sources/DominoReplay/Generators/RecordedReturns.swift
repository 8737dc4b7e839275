import DominoModel

/// The generators' input: the hourly close of every modelled non-cash asset over a spec's window
/// (the last recorded tick at or before each hour, carried forward; the opening close is the last
/// tick of the warm-up), and the hourly returns between them as exact fixed-point ratios
/// (× 10¹², rounded down). An asset with daily data (GBTC, ETHE) is carried forward between its
/// closes: its hourly returns are 1 except at the daily step. Read once per study; immutable, so
/// cheap to share across threads.
package final class RecordedReturns: Sendable {
    package static let one: Int64 = 1_000_000_000_000
    /// Model asset indices with a close (non-cash assets, in spec order).
    package let assets: [Int]
    /// The window's start; hour h ends at `from + h` hours.
    package let from: Int64
    /// Hours in the window (returns per asset).
    package let hours: Int
    /// closes[i][h], h = 0…hours: the close of `assets[i]` at `from + h` hours (× 10⁸).
    package let closes: [[Int64]]
    /// returns[i][h] = closes[i][h+1] / closes[i][h] × 10¹², h = 0..<hours.
    package let returns: [[Int64]]

    package init(_ spec: Spec, warmup: Int64 = RunOptions().warmup) throws {
        let hour: Int64 = 3_600_000
        let from = spec.window.from, hours = Int(max(1, (spec.window.to - spec.window.from) / hour))
        self.from = from; self.hours = hours
        let count = spec.assets.count
        assets = (0..<count).filter { spec.assets[$0].symbol != spec.cash }
        let scenario = try Scenario(spec: spec)
        var input = try MergedInput(try Replay.openDatasets(spec), scenario: scenario, from: from - warmup, to: from + Int64(hours) * hour)
        var last = [Int64](repeating: 0, count: count)
        var closes = [[Int64]](repeating: [], count: count)
        var h = 0
        func close(through time: Int64) { // the hours that end before `time`
            while h <= hours && from + Int64(h) * hour < time {
                for a in 0..<count { closes[a].append(last[a]) }
                h += 1
            }
        }
        while let head = input.head {
            if head.event.kind == .price, head.dataset < spec.datasets.count, case let .price(asset, price)? = try input.input(for: head) {
                close(through: head.event.time)
                last[asset.index] = price.raw
            }
            try input.consume(head)
        }
        close(through: .max)
        for a in assets where closes[a].first == 0 {
            throw SpecError(file: spec.file, line: nil, "asset \(spec.assets[a].symbol) has no price before the window starts (the generators need its opening price)")
        }
        self.closes = assets.map { a in closes[a].map { max(1, $0) } }
        returns = self.closes.map { c in (0..<(c.count - 1)).map { Int64(Int128(c[$0 + 1]) * Int128(Self.one) / Int128(c[$0])) } }
    }
}
