import DominoLog
import DominoModel
import DominoReplay
import Foundation

final class TempDir {
    let path: String
    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("domino-replay-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
    func file(_ name: String) -> String { "\(path)/\(name)" }
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try text.write(toFile: file(name), atomically: true, encoding: .utf8)
        return file(name)
    }
}

let hour: Int64 = 3_600_000
let one = Fixed.one
func t(_ iso: String) -> Int64 { UTCTime.parse(iso)! }

/// A lender L with 1,000 USDC of customer claims keeps 400 and lends 600 unsecured to a fund F
/// holding 0.4 ETH; ETH halves on 3 June; depositors withdraw 300 on 1 June and 200 on 2 June.
enum SmallEpisode {
    static let spec = """
    # A hand-computed episode for the tests.
    name: small
    description: lender, fund, a run and a crash
    datasets:
      - data.zst
    window: {from: 2022-06-01, to: 2022-06-10}
    seed: 7
    cash: USDC
    model:
      halt: {horizon: 48h, tolerance: 0}
      swapFee: 0
      recoveryRate: 1
      filingDelay: 0h
      metricsInterval: 1d
    assets:
      USDC: {}
      ETH: {depth: 0}
    entities:
      L:
        role: lender
        liquid: {USDC: 400}
      F:
        role: fund
        liquid: {ETH: 0.4}
    cohorts:
      - {name: retail, platform: L, members: 1000, claims: {USDC: 1000}}
    loans:
      - {lender: L, borrower: F, asset: USDC, amount: 600, notice: 72h}

    """

    static func writeData(to path: String) throws {
        let start = t("2022-05-25T00:00:00Z"), end = t("2022-06-10T00:00:00Z")
        let header = LogHeader(name: "small-data", timeRange: .init(start: start, end: end),
                               assets: [.init(id: 1, symbol: "USDC", decimals: 6), .init(id: 2, symbol: "ETH", decimals: 8)],
                               entities: [.init(id: 1, name: "L", kind: "lender"), .init(id: 2, name: "retail", kind: "depositors")])
        let w = try LogWriter(path: path, header: header, options: WriterOptions(blockEvents: 64))
        var time = start
        while time <= end {
            if time == t("2022-06-01T12:00:00Z") {
                try w.append(Event(time: time, kind: .withdrawalRequest, entity: 2, counterparty: 1, asset: 1, amount: 300_000_000))
            }
            if time == t("2022-06-02T12:00:00Z") {
                try w.append(Event(time: time, kind: .withdrawalRequest, entity: 2, counterparty: 1, asset: 1, amount: 200_000_000))
            }
            try w.append(Event(time: time, kind: .price, asset: 1, amount: one))
            try w.append(Event(time: time, kind: .price, asset: 2, amount: (time >= t("2022-06-03T00:00:00Z") ? 1000 : 2000) * one))
            time += hour
        }
        try w.finish()
    }

    static func make(in dir: TempDir, spec text: String = spec) throws -> String {
        try writeData(to: dir.file("data.zst"))
        return try dir.write("small.yaml", text)
    }
}
