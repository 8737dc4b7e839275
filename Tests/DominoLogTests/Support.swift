import Foundation
@testable import DominoLog

/// SplitMix64: a tiny seeded generator, so property tests are reproducible from their seed.
struct TestRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in 0..<n (n > 0); modulo bias is irrelevant for tests.
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
}

enum Fixtures {
    static let t0 = UTCTime.parse("2022-06-01T00:00:00Z")!
    static let hour: Int64 = 3_600_000

    static func header(start: Int64 = t0, end: Int64 = t0 + 20 * 366 * 24 * hour) -> LogHeader {
        LogHeader(
            name: "test", description: "fixture", timeRange: .init(start: start, end: end),
            assets: [.init(id: 1, symbol: "BTC", decimals: 8), .init(id: 2, symbol: "ETH", decimals: 18),
                     .init(id: 3, symbol: "USDC", decimals: 6), .init(id: 7, symbol: "LUNA", decimals: 6)],
            entities: [.init(id: 1, name: "Celsius", kind: "lender"), .init(id: 2, name: "3AC", kind: "fund"),
                       .init(id: 3, name: "retail", kind: "depositors"), .init(id: 10, name: "FTX", kind: "exchange")],
            series: [.init(label: "BTC 1h", asset: "BTC", kinds: ["price"], from: start, to: end, resolution: "1h",
                           origin: .recorded, source: "fixture", method: "generated")],
            signals: [.init(code: 1, name: "rumour")]
        )
    }

    static let assetIDs: [UInt32] = [1, 2, 3, 7]
    static let entityIDs: [UInt32] = [1, 2, 3, 10]

    /// `count` valid events in time order: mostly price random walks, some flows of every kind,
    /// runs of equal times, and occasional large jumps in time and price.
    static func randomEvents(_ count: Int, seed: UInt64, start: Int64 = t0) -> [Event] {
        var rng = TestRandom(seed: seed)
        var time = start
        var price: [UInt32: Int64] = [1: 3_000_000_000_000, 2: 180_000_000_000, 3: 100_000_000, 7: 8_000_000_000]
        var events: [Event] = []
        events.reserveCapacity(count)
        let inputKinds: [EventKind] = [.deposit, .withdrawalRequest, .borrow, .repay, .collateralPosted,
                                       .collateralReleased, .transfer, .liquidation, .marginCall, .default,
                                       .withdrawalHalt, .insolvency, .lossRecognised, .loanRecalled]
        for _ in 0..<count {
            if !rng.chance(20) { time += rng.chance(2) ? Int64(rng.below(1_000_000_000)) : Int64(rng.below(120_000)) }
            let asset = assetIDs[rng.below(assetIDs.count)]
            switch rng.below(10) {
            case 0..<6:
                var p = price[asset]! + Int64(rng.below(2_000_001)) - 1_000_000
                if rng.chance(1) { p = p / 10 + 1 } // crash
                p = max(p, 1)
                price[asset] = p
                events.append(Event(time: time, kind: .price, asset: asset, amount: p))
            case 6:
                events.append(Event(time: time, kind: .signal, entity: rng.chance(50) ? entityIDs[rng.below(4)] : 0,
                                    amount: Int64(rng.below(200_000_000)) - 100_000_000, aux: 1))
            default:
                let kind = inputKinds[rng.below(inputKinds.count)]
                events.append(Event(time: time, kind: kind, entity: entityIDs[rng.below(4)],
                                    counterparty: rng.chance(70) ? entityIDs[rng.below(4)] : 0,
                                    asset: rng.chance(80) ? asset : 0,
                                    amount: rng.chance(5) ? Int64.max - Int64(rng.below(10)) : Int64(rng.next() >> 20),
                                    aux: rng.chance(50) ? Int64(bitPattern: rng.next()) : 0))
            }
        }
        return events
    }

    @discardableResult
    static func write(_ events: [Event], to path: String, header: LogHeader = header(),
                      options: WriterOptions = WriterOptions()) throws -> WriteSummary {
        let writer = try LogWriter(path: path, header: header, options: options)
        try writer.append(contentsOf: events)
        return try writer.finish()
    }
}

extension LogError {
    /// For `#expect(throws:)` closures: the error must be a LogError with this code.
    static func matches(_ code: Code) -> @Sendable (any Error) -> Bool {
        { ($0 as? LogError)?.code == code }
    }
}

func patch(_ path: String, at offset: Int, with bytes: [UInt8]) throws {
    var data = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
    data.replaceSubrange(offset..<offset + bytes.count, with: bytes)
    try Data(data).write(to: URL(fileURLWithPath: path))
}

func fileBytes(_ path: String) throws -> [UInt8] {
    try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
}

func le32(_ v: UInt32) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
func le64(_ v: UInt64) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
