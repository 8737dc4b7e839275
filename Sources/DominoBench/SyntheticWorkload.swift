import DominoLog

/// A deterministic stream of realistic synthetic events, for benchmarks.
///
/// Same kind, count and seed give the same events on every machine: the only randomness is our
/// own `SplitMix64`, and every value is computed in integers. The events are produced one at a
/// time (a minute's worth is buffered), so memory does not grow with `count`, and the first `k`
/// events of a workload are the same whatever its `count`.
///
/// - `mixed`: like the real datasets. Minute price ticks for 8 assets and hourly ticks for 12 more
///   (random walks with 2–8 decimal prices; stablecoins revert to $1; a few gaps), plus about 3
///   flows a minute at whole seconds — deposits, withdrawal requests, transfers, borrows, repays,
///   collateral moves — among 312 entities (12 platforms, 300 cohorts and funds, skewed towards a
///   few), with round-ish amounts, and occasional signals. About 11 events a minute, so 5 million
///   events span about 10 months.
/// - `hourlyPrices`: hourly ticks for 10 assets with 2-decimal prices, no gaps, `count` events
///   (87,600 is one year).
package struct SyntheticWorkload: Sequence, Sendable {
    package enum Kind: String, Sendable, Codable, CaseIterable {
        case mixed
        case hourlyPrices = "hourly-prices"
    }

    package let kind: Kind
    package let count: Int
    package let seed: UInt64
    /// Time of the first minute: 2022-01-01T00:00:00Z.
    package static let start: Int64 = 1_640_995_200_000
    /// Events in one year of the hourly-prices workload (10 assets × 8,760 hours).
    package static let hourlyYear = 87_600

    package init(kind: Kind, count: Int, seed: UInt64) {
        precondition(count >= 0)
        self.kind = kind
        self.count = count
        self.seed = seed
    }

    var assets: [AssetSpec] { kind == .mixed ? AssetSpec.mixed : AssetSpec.hourly }

    package func makeIterator() -> Generator { Generator(self) }

    /// The header of a log holding this workload, whose last event is at `lastTime`.
    package func header(lastTime: Int64) -> LogHeader {
        let end = Swift.max(lastTime, SyntheticWorkload.start)
        let source = "synthetic: domino bench, workload \(kind.rawValue), seed \(seed)"
        let method = "random walk in whole price ticks (integer arithmetic, SplitMix64)"
        var series: [LogHeader.Series] = assets.map { a in
            LogHeader.Series(label: "\(a.symbol) \(a.resolution.label)", asset: a.symbol, kinds: ["price"],
                             from: SyntheticWorkload.start, to: end, resolution: a.resolution.label,
                             origin: .reconstructed, source: source, method: method)
        }
        var entities: [LogHeader.Entity] = []
        var signals: [LogHeader.Signal] = []
        if kind == .mixed {
            series.append(LogHeader.Series(label: "flows", kinds: FlowKind.all.map(\.kind.name),
                                           from: SyntheticWorkload.start, to: end, resolution: "events",
                                           origin: .reconstructed, source: source,
                                           method: "Poisson-like arrivals at whole seconds, skewed entity choice"))
            for (i, name) in Population.platformNames.enumerated() {
                entities.append(LogHeader.Entity(id: UInt32(i + 1), name: name, kind: "lender"))
            }
            for i in 0..<Population.others {
                let id = UInt32(Population.platformNames.count + 1 + i)
                let kind = i % 10 == 0 ? "fund" : "depositors"
                entities.append(LogHeader.Entity(id: id, name: "\(kind)-\(i + 1)", kind: kind))
            }
            signals = Population.signalNames.enumerated().map { LogHeader.Signal(code: Int64($0.offset + 1), name: $0.element) }
        }
        return LogHeader(
            name: "bench-\(kind.rawValue)",
            description: "Synthetic benchmark workload (\(kind.rawValue), \(count) events, seed \(seed)); not real data.",
            timeRange: LogHeader.TimeRange(start: SyntheticWorkload.start, end: end),
            assets: assets.map { LogHeader.Asset(id: $0.id, symbol: $0.symbol, decimals: $0.decimals) },
            entities: entities, series: series, signals: signals)
    }

    // MARK: Generator

    /// Produces the workload's events in time order, one minute (or hour) at a time.
    package struct Generator: IteratorProtocol, Sendable {
        private let kind: Kind
        private let assets: [AssetSpec]
        private var remaining: Int
        private var prices: [Int64]
        private var priceRandom: SplitMix64
        private var flowRandom: SplitMix64
        private var step: Int64 = 0
        private var batch: [Event] = []
        private var cursor = 0
        private var seconds: [Int64] = []

        init(_ workload: SyntheticWorkload) {
            kind = workload.kind
            assets = workload.assets
            remaining = workload.count
            prices = assets.map(\.startTicks)
            priceRandom = SplitMix64(seed: workload.seed, stream: 1)
            flowRandom = SplitMix64(seed: workload.seed, stream: 2)
            batch.reserveCapacity(64)
            seconds.reserveCapacity(16)
        }

        package mutating func next() -> Event? {
            guard remaining > 0 else { return nil }
            while cursor == batch.count { fillBatch() }
            remaining -= 1
            defer { cursor += 1 }
            return batch[cursor]
        }

        private mutating func fillBatch() {
            batch.removeAll(keepingCapacity: true)
            cursor = 0
            switch kind {
            case .mixed:
                let minute = step
                let t = SyntheticWorkload.start + minute * 60_000
                for i in assets.indices {
                    let a = assets[i]
                    let due = a.resolution == .minute || minute % 60 == 0
                    // Walk every due step (a gap hides the tick, the price still moves).
                    if due {
                        walk(i)
                        if !priceRandom.chance(4, in: 1000) { batch.append(tick(i, at: t)) }
                    }
                }
                addFlows(minuteStart: t)
            case .hourlyPrices:
                let t = SyntheticWorkload.start + step * 3_600_000
                for i in assets.indices {
                    walk(i)
                    batch.append(tick(i, at: t))
                }
            }
            step += 1
        }

        private func tick(_ i: Int, at t: Int64) -> Event {
            Event(time: t, kind: .price, asset: assets[i].id, amount: prices[i] * assets[i].tickValue)
        }

        /// One step of asset `i`'s random walk: a near-normal move of `volatility` ppm of the price,
        /// rounded half away from zero to whole ticks, plus a pull towards the start price.
        private mutating func walk(_ i: Int) {
            let a = assets[i]
            let p = prices[i]
            let z = priceRandom.gaussianish()  // standard deviation 2^16
            let (high, low) = (p * a.volatilityPPM).multipliedFullWidth(by: z)
            let x = Int128(high) << 64 | Int128(low)
            let d = Int128(65_536 * 1_000_000)
            var q = x / d
            let r = x % d
            if 2 * (r < 0 ? -r : r) >= d { q += x < 0 ? -1 : 1 }
            var delta = Int64(q)
            delta += (a.startTicks - p) / a.reversionSteps
            prices[i] = Swift.max(1, p + delta)
        }

        private mutating func addFlows(minuteStart t: Int64) {
            let n = Int(flowRandom.below(7)) // 0 … 6, mean 3
            guard n > 0 else { return }
            seconds.removeAll(keepingCapacity: true)
            for _ in 0..<n { seconds.append(Int64(1 + flowRandom.below(59))) }
            seconds.sort()
            for s in seconds { batch.append(flow(at: t + s * 1000)) }
        }

        private mutating func flow(at t: Int64) -> Event {
            let f = FlowKind.draw(&flowRandom)
            switch f.kind {
            case .signal:
                let intensity = Int64(flowRandom.int(in: -100...100)) * 1_000_000 // ±1.00
                return Event(time: t, kind: .signal, entity: platform(), amount: intensity,
                             aux: Int64(1 + flowRandom.below(UInt64(Population.signalNames.count))))
            case .deposit, .withdrawalRequest:
                let asset = flowAsset()
                return Event(time: t, kind: f.kind, entity: other(), counterparty: platform(),
                             asset: asset, amount: quantity(asset))
            case .transfer:
                let asset = flowAsset()
                let from = flowRandom.chance(1, in: 2) ? platform() : other()
                return Event(time: t, kind: .transfer, entity: from, counterparty: platform(),
                             asset: asset, amount: quantity(asset))
            case .collateralPosted, .collateralReleased:
                let asset: UInt32 = flowRandom.chance(1, in: 2) ? 1 : 2 // BTC or ETH
                return Event(time: t, kind: f.kind, entity: borrower(), counterparty: platform(),
                             asset: asset, amount: quantity(asset))
            default: // borrow, repay
                let asset = flowAsset()
                return Event(time: t, kind: f.kind, entity: borrower(), counterparty: platform(),
                             asset: asset, amount: quantity(asset))
            }
        }

        /// A platform id, skewed towards the first few.
        private mutating func platform() -> UInt32 {
            let n = UInt64(Population.platformNames.count)
            return UInt32(1 + Swift.min(flowRandom.below(n), flowRandom.below(n)))
        }

        /// A cohort or fund id, skewed towards the low ids.
        private mutating func other() -> UInt32 {
            let n = UInt64(Population.others)
            let skewed = flowRandom.below(n) * flowRandom.below(n) / n
            return UInt32(Population.platformNames.count + 1) + UInt32(skewed)
        }

        /// A borrower: a platform or one of the funds.
        private mutating func borrower() -> UInt32 {
            if flowRandom.chance(1, in: 2) { return platform() }
            let fund = flowRandom.below(UInt64(Population.others / 10)) * 10
            return UInt32(Population.platformNames.count + 1) + UInt32(fund)
        }

        /// 0 (USD) a quarter of the time, mostly majors and stablecoins otherwise.
        private mutating func flowAsset() -> UInt32 {
            switch flowRandom.below(100) {
            case 0..<25: return 0
            case 25..<45: return 1   // BTC
            case 45..<65: return 2   // ETH
            case 65..<80: return 4   // USDC
            case 80..<95: return 3   // USDT
            default: return UInt32(1 + flowRandom.below(UInt64(assets.count)))
            }
        }

        /// A round-ish quantity: 1–5 significant digits, 10^-2 … 10^6 units (USD 10 … 10^8).
        private mutating func quantity(_ asset: UInt32) -> Int64 {
            let decimals = asset == 0 ? 8 : assets[Int(asset) - 1].decimals
            let digits = 1 + Int(Swift.min(flowRandom.below(5), flowRandom.below(5)))
            let low = FixedPoint.powersOf10[digits - 1]
            let mantissa = low + Int64(flowRandom.below(UInt64(FixedPoint.powersOf10[digits] - low)))
            let units = asset == 0 ? flowRandom.int(in: 1...7) : flowRandom.int(in: -2...5)
            let exponent = decimals + units - (digits - 1)
            if exponent >= 0 { return mantissa * FixedPoint.powersOf10[exponent] }
            return Swift.max(1, mantissa / FixedPoint.powersOf10[-exponent])
        }
    }
}

/// One asset of a workload: quantity decimals, price tick, start price and walk parameters.
struct AssetSpec: Sendable {
    enum Resolution: Sendable {
        case minute, hour
        var label: String { self == .minute ? "1m" : "1h" }
    }

    let id: UInt32
    let symbol: String
    /// Decimal places of quantities.
    let decimals: Int
    /// Decimal places of the price (2 … 8): one tick is 10^-priceDecimals USD.
    let priceDecimals: Int
    let startTicks: Int64
    /// Standard deviation of one step, in millionths of the price.
    let volatilityPPM: Int64
    /// The walk moves 1/reversionSteps of the way back to the start price each step.
    let reversionSteps: Int64
    let resolution: Resolution

    /// A tick in the log's price scale (USD × 10^8).
    var tickValue: Int64 { FixedPoint.powersOf10[Scale.usdDecimals - priceDecimals] }

    init(_ id: UInt32, _ symbol: String, decimals: Int, price: String, volatilityPPM: Int64,
         reversionSteps: Int64 = 200_000, _ resolution: Resolution) {
        self.id = id
        self.symbol = symbol
        self.decimals = decimals
        let fraction = price.split(separator: ".").dropFirst().first?.count ?? 0
        priceDecimals = fraction
        startTicks = try! FixedPoint.parse(price, decimals: fraction)
        self.volatilityPPM = volatilityPPM
        self.reversionSteps = reversionSteps
        self.resolution = resolution
    }

    /// Minute ticks for 8 assets (ids 1–8), hourly for 12 more (9–20).
    static let mixed: [AssetSpec] = [
        AssetSpec(1, "BTC", decimals: 8, price: "46000.00", volatilityPPM: 800, .minute),
        AssetSpec(2, "ETH", decimals: 9, price: "3700.00", volatilityPPM: 1_000, .minute),
        AssetSpec(3, "USDT", decimals: 6, price: "1.0000", volatilityPPM: 40, reversionSteps: 50, .minute),
        AssetSpec(4, "USDC", decimals: 6, price: "1.0000", volatilityPPM: 30, reversionSteps: 50, .minute),
        AssetSpec(5, "SOL", decimals: 9, price: "170.000", volatilityPPM: 1_400, .minute),
        AssetSpec(6, "DOGE", decimals: 8, price: "0.17000", volatilityPPM: 1_200, .minute),
        AssetSpec(7, "LUNA", decimals: 6, price: "85.0000", volatilityPPM: 1_500, .minute),
        AssetSpec(8, "SHIB", decimals: 2, price: "0.00003300", volatilityPPM: 1_500, .minute),
        AssetSpec(9, "AVAX", decimals: 9, price: "109.00", volatilityPPM: 9_000, .hour),
        AssetSpec(10, "MATIC", decimals: 8, price: "2.5300", volatilityPPM: 9_000, .hour),
        AssetSpec(11, "DOT", decimals: 8, price: "26.000", volatilityPPM: 8_000, .hour),
        AssetSpec(12, "LINK", decimals: 8, price: "19.000", volatilityPPM: 8_000, .hour),
        AssetSpec(13, "ADA", decimals: 6, price: "1.3700", volatilityPPM: 8_000, .hour),
        AssetSpec(14, "XRP", decimals: 6, price: "0.8300", volatilityPPM: 7_000, .hour),
        AssetSpec(15, "LTC", decimals: 8, price: "146.00", volatilityPPM: 7_000, .hour),
        AssetSpec(16, "UNI", decimals: 8, price: "17.000", volatilityPPM: 9_000, .hour),
        AssetSpec(17, "CEL", decimals: 4, price: "3.0000", volatilityPPM: 12_000, .hour),
        AssetSpec(18, "FTT", decimals: 8, price: "38.000", volatilityPPM: 8_000, .hour),
        AssetSpec(19, "DAI", decimals: 8, price: "1.0000", volatilityPPM: 200, reversionSteps: 10, .hour),
        AssetSpec(20, "stETH", decimals: 9, price: "3690.00", volatilityPPM: 6_000, .hour),
    ]

    /// Hourly ticks, 2-decimal prices, for 10 assets.
    static let hourly: [AssetSpec] = [
        AssetSpec(1, "BTC", decimals: 8, price: "46000.00", volatilityPPM: 6_000, .hour),
        AssetSpec(2, "ETH", decimals: 9, price: "3700.00", volatilityPPM: 7_500, .hour),
        AssetSpec(3, "BNB", decimals: 8, price: "510.00", volatilityPPM: 7_000, .hour),
        AssetSpec(4, "SOL", decimals: 9, price: "170.00", volatilityPPM: 9_500, .hour),
        AssetSpec(5, "AVAX", decimals: 9, price: "109.00", volatilityPPM: 9_500, .hour),
        AssetSpec(6, "LTC", decimals: 8, price: "146.00", volatilityPPM: 7_500, .hour),
        AssetSpec(7, "DOT", decimals: 8, price: "26.00", volatilityPPM: 8_500, .hour),
        AssetSpec(8, "LINK", decimals: 8, price: "19.00", volatilityPPM: 8_500, .hour),
        AssetSpec(9, "ATOM", decimals: 6, price: "30.00", volatilityPPM: 9_000, .hour),
        AssetSpec(10, "UNI", decimals: 8, price: "17.00", volatilityPPM: 9_000, .hour),
    ]
}

/// The flow kinds of the mixed workload and their shares (per thousand flows).
struct FlowKind: Sendable {
    let kind: EventKind
    let perMille: UInt64

    static let all: [FlowKind] = [
        FlowKind(kind: .deposit, perMille: 300),
        FlowKind(kind: .withdrawalRequest, perMille: 250),
        FlowKind(kind: .transfer, perMille: 150),
        FlowKind(kind: .borrow, perMille: 100),
        FlowKind(kind: .repay, perMille: 80),
        FlowKind(kind: .collateralPosted, perMille: 60),
        FlowKind(kind: .collateralReleased, perMille: 50),
        FlowKind(kind: .signal, perMille: 10),
    ]

    static func draw(_ random: inout SplitMix64) -> FlowKind {
        var x = random.below(1000)
        for f in all {
            if x < f.perMille { return f }
            x -= f.perMille
        }
        return all[0]
    }
}

/// The entities and signal codes of the mixed workload.
enum Population {
    static let platformNames = [
        "Celsius", "BlockFi", "Voyager", "Genesis", "FTX", "Nexo",
        "Three Arrows", "Alameda", "Babel", "Vauld", "Hodlnaut", "Gemini Earn",
    ]
    /// Depositor cohorts and funds after the platforms (every tenth is a fund).
    static let others = 300
    static let signalNames = [
        "withdrawal-rumour", "rating-downgrade", "audit-delay", "bank-run-chatter",
        "regulatory-action", "peg-stress",
    ]
}
