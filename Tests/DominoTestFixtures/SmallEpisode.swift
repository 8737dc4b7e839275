import DominoLog

/// The hand-computed episode the replay and sweep tests share: a lender L with 1,000 USDC of
/// customer claims keeps 400 and lends 600 unsecured to a fund F holding 0.4 ETH; ETH halves on
/// 3 June; depositors withdraw 300 on 1 June and 200 on 2 June. As written: L halts on 2 June
/// (it has 100 left for the 200 asked) and recalls the loan, F is insolvent on 3 June and
/// defaults on 5 June, L recognises a 200 loss and its depositors lose 200.
public enum SmallEpisodeFixture {
    /// The spec after its `name:` line (each suite names its own copy).
    public static let body = """
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
    behaviour: {active: false}  # hand-written flows; the behavioural rules: BehaviourTests, EpisodeTests

    """

    /// The price log (hourly USDC at $1 and ETH at $2,000, $1,000 from 3 June, 25 May to 10
    /// June; the two withdrawal requests come first in their hour), with `name` in its header.
    public static func writeData(to path: String, name: String) throws {
        let hour: Int64 = 3_600_000, one: Int64 = 100_000_000
        func t(_ iso: String) -> Int64 { UTCTime.parse(iso)! }
        let start = t("2022-05-25T00:00:00Z"), end = t("2022-06-10T00:00:00Z")
        let header = LogHeader(name: name, timeRange: .init(start: start, end: end),
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
}
