import DominoModel

/// `--generator bootstrap[:block=24h]`: a circular moving-block bootstrap of the joint hourly
/// returns of every non-cash asset (`RecordedReturns`). Each block takes the same hours for every
/// asset, which keeps their correlation; block starts are uniform over the window's hours
/// (wrapping at its end), drawn from `PathRandom`'s bootstrap stream of (seed, path). The path
/// starts at the recorded opening prices; each hour's price is the last one × the drawn return
/// (fixed point × 10¹², rounded down, at least 1): exact integers, the same on every platform.
package struct BlockBootstrap: PriceGenerator {
    package let block: Int
    package let recorded: RecordedReturns
    package var description: String { "bootstrap block=\(block)h" }

    package init(_ options: String, spec: Spec) throws {
        var block = 24
        for kv in options.split(separator: ",") {
            let p = kv.split(separator: "=", maxSplits: 1).map(String.init)
            guard p.count == 2, p[0] == "block" else {
                throw SpecError(file: "--generator bootstrap:\(options)", line: nil, "'\(kv)': bootstrap takes block=DURATION (e.g. block=24h, block=3d)")
            }
            guard let ms = SpecNode.parseDuration(p[1]), ms >= 3_600_000, ms % 3_600_000 == 0 else {
                throw SpecError(file: "--generator bootstrap:\(options)", line: nil, "block=\(p[1]) is not a whole number of hours (e.g. 24h, 3d)")
            }
            block = Int(ms / 3_600_000)
        }
        try self.init(block: block, recorded: RecordedReturns(spec))
    }

    package init(block: Int, recorded: RecordedReturns) throws {
        self.block = min(block, recorded.hours)
        self.recorded = recorded
    }

    /// The hours of the record path `path` takes, in order (`hours` of them).
    package func hours(seed: UInt64, path: Int) -> [Int] {
        let n = recorded.hours
        var random = PathRandom.generator(seed: seed, path: path, stream: .bootstrap)
        var order: [Int] = []
        order.reserveCapacity(n)
        while order.count < n {
            let start = Int(UInt64(n).multipliedFullWidth(by: random.next()).high) // uniform in 0..<n
            for i in 0..<min(block, n - order.count) { order.append((start + i) % n) }
        }
        return order
    }

    package func inputs(seed: UInt64, path: Int) throws -> PathInputs {
        let order = hours(seed: seed, path: path)
        let hour: Int64 = 3_600_000
        var prices: [PathInputs.Tick] = []
        prices.reserveCapacity(order.count * recorded.assets.count)
        var level = recorded.closes.map { $0[0] }
        for (h, source) in order.enumerated() {
            let time = recorded.from + Int64(h + 1) * hour
            for i in recorded.assets.indices {
                level[i] = max(1, Int64(Int128(level[i]) * Int128(recorded.returns[i][source]) / Int128(RecordedReturns.one)))
                prices.append(.init(time: time, asset: AssetID(recorded.assets[i]), price: Price(level[i])))
            }
        }
        return PathInputs(replaced: Set(recorded.assets), prices: prices)
    }
}
