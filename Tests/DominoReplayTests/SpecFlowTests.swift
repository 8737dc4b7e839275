import DominoLog
import DominoModel
import DominoReplay
import DominoTestFixtures
import Foundation
import Testing

/// Withdrawals and deposits written in the spec (`flows:`), on the hand-computed small episode:
/// a lender L with 1,000 USDC of claims keeps 400 and has lent 600 to a fund F (0.4 ETH at
/// $2,000, $1,000 from 3 June). Here the log holds only the prices; the withdrawals are in the
/// spec.
@Suite struct SpecFlowTests {
    let dir = TempDir()

    /// The small episode's prices, without its two withdrawal requests.
    func writePrices() throws {
        let start = t("2022-05-25T00:00:00Z"), end = t("2022-06-10T00:00:00Z")
        let header = LogHeader(name: "prices", timeRange: .init(start: start, end: end),
                               assets: [.init(id: 1, symbol: "USDC", decimals: 6), .init(id: 2, symbol: "ETH", decimals: 8)],
                               entities: [.init(id: 1, name: "L", kind: "lender"), .init(id: 2, name: "retail", kind: "depositors")])
        let w = try LogWriter(path: dir.file("data.zst"), header: header, options: WriterOptions(blockEvents: 64))
        var time = start
        while time <= end {
            try w.append(Event(time: time, kind: .price, asset: 1, amount: one))
            try w.append(Event(time: time, kind: .price, asset: 2, amount: (time >= t("2022-06-03T00:00:00Z") ? 1000 : 2000) * one))
            time += hour
        }
        try w.finish()
    }

    func spec(flows: String) throws -> Spec {
        try writePrices()
        return try Replay.loadSpec(path: try dir.write("flows.yaml", SmallEpisode.spec + "flows:\n" + flows))
    }

    func lines(_ run: ReplayResult) -> [String] {
        run.outcomes.map { "\(UTCTime.format($0.time)) \($0.kind.rawValue) \(run.scenario.partyName($0.party)) \(run.scenario.partyName($0.counterparty)) \(FixedPoint.format($0.usd.raw, decimals: 8))" }
    }

    /// The episode's two withdrawals written as flows give the run worked out by hand in
    /// `ReplayTests.outcomesEmergeAsWorkedOut`: 300 paid on 1 June (100 left); on 2 June 100
    /// paid and 100 queued, the loan recalled with 72 h notice, beyond the 48 h horizon, so L
    /// halts with 100 pending; F insolvent at market on 3 June, defaults on 5 June (found insolvent
    /// then); L loses 200.
    /// And the same state as the log's withdrawal events.
    @Test func withdrawalsInTheSpecReplayAsTheLogsDo() throws {
        let run = try Replay.run(try spec(flows: """
              - {cohort: retail, kind: withdraw, asset: USDC, amount: 300, at: 2022-06-01T12:00}
              - {cohort: retail, kind: withdraw, asset: USDC, amount: 200, at: 2022-06-02T12:00}
            """))
        #expect(lines(run) == [
            "2022-06-02T12:00:00Z recall L F 600",
            "2022-06-02T12:00:00Z halt L  100",
            "2022-06-05T12:00:00Z default F  200",
            "2022-06-05T12:00:00Z loss L F 200",
            "2022-06-05T12:00:00Z insolvency L  200",
            "2022-06-05T12:00:00Z insolvency F  200", // found insolvent as it defaults
        ])
        let summary = Summary(run: run)
        #expect(summary.cohorts[0].withdrawn == 400 * one) // 300 + 100 before the halt
        #expect(summary.depositorLosses == 200 * one)
        #expect(run.model.state.agents[0].liquid[0] == Quantity(400 * one)) // the 400 recovered from F

        let logDir = TempDir()
        let fromLog = try Replay.run(try Replay.loadSpec(path: try SmallEpisode.make(in: logDir)))
        #expect(run.outcomes == fromLog.outcomes)
        #expect(run.entityMetrics == fromLog.entityMetrics)
        #expect(run.model.state.agents == fromLog.model.state.agents)
        #expect(run.model.state.cohorts == fromLog.model.state.cohorts)
        #expect(run.inputsApplied == fromLog.inputsApplied)
    }

    /// A recurring withdrawal of 150 a day from 1 June 12:00 to 3 June 12:00: 150 paid on 1 and
    /// 2 June (100 left); F insolvent at market by 200 from 3 June at midnight (no outcome: a
    /// fund is found insolvent when it defaults); on 3 June at noon 100 paid, 50 queued, the loan
    /// recalled, and L halts with 50 pending.
    @Test func recurringFlowOccursEveryPeriodThroughItsLastDay() throws {
        let run = try Replay.run(try spec(flows: """
              - {cohort: retail, kind: withdraw, asset: USDC, amount: 150, every: 1d, from: 2022-06-01T12:00, to: 2022-06-03T12:00}
            """))
        #expect(Array(lines(run).prefix(2)) == [
            "2022-06-03T12:00:00Z recall L F 600",
            "2022-06-03T12:00:00Z halt L  50",
        ])
        #expect(Summary(run: run).cohorts[0].withdrawn == 400 * one)
    }

    /// Ties: at the same millisecond the logs' events come first. The log asks for 300 on
    /// 1 June and 200 on 2 June at 12:00. A deposit of 100 at 11:59 lets L pay the 200 in full
    /// (nothing halts, nothing is recalled: F, insolvent at market from 3 June, is never found
    /// so, as a fund is only when it defaults); the same deposit at 12:00 comes
    /// after the withdrawal, so L halts with 100 pending as without it.
    @Test func atTheSameTimeTheLogsComeFirst() throws {
        _ = try SmallEpisode.make(in: dir) // the log with both withdrawals
        func run(_ at: String) throws -> ReplayResult {
            let text = SmallEpisode.spec + "flows:\n  - {cohort: retail, kind: deposit, asset: USDC, amount: 100, at: \(at)}\n"
            return try Replay.run(try Replay.loadSpec(path: try dir.write("tie.yaml", text)))
        }
        let before = try run("2022-06-02T11:59")
        #expect(lines(before) == [])
        #expect(Summary(run: before).cohorts[0].withdrawn == 500 * one)
        let tie = try run("2022-06-02T12:00")
        #expect(Array(lines(tie).prefix(2)) == ["2022-06-02T12:00:00Z recall L F 600", "2022-06-02T12:00:00Z halt L  100"])
    }

    /// The spec's flows are in `spec.resolved`, which parses back to the same flows.
    @Test func resolvedSpecKeepsTheFlows() throws {
        let s = try spec(flows: """
              - {cohort: retail, kind: withdraw, asset: USDC, amount: 0.5, at: 2022-06-01T12:00}
              - {cohort: retail, kind: deposit, asset: ETH, amount: 2, every: 36h}
            """)
        #expect(s.flows[1].from == s.window.from && s.flows[1].to == s.window.to && s.flows[1].every == 36 * hour)
        #expect(s.flows[1].occurrences == 7) // 1 June 00:00, then every 36 h through 10 June 00:00
        let resolved = SpecRenderer.render(s)
        #expect(resolved.contains("flows:\n  - {cohort: \"retail\", kind: withdraw, asset: \"USDC\", amount: 0.5, at: 2022-06-01T12:00:00Z}\n"))
        let back = try Replay.loadSpec(path: try dir.write("resolved.yaml", resolved))
        func written(_ f: Spec.FlowSpec) -> String { "\(f.cohort) \(f.kind) \(f.asset) \(f.amount) \(f.from) \(f.to) \(f.every ?? -1)" }
        #expect(back.flows.map(written) == s.flows.map(written))
        #expect(back.scheduledFlows().map(\.time) == s.scheduledFlows().map(\.time))
    }

    /// A checkpoint counts the spec's flows among the inputs consumed: a resumed run ends as the
    /// full run.
    @Test func resumeFromCheckpointWithFlows() throws {
        let s = try spec(flows: """
              - {cohort: retail, kind: withdraw, asset: USDC, amount: 60, every: 1d, from: 2022-06-01T06:00, to: 2022-06-08T06:00}
            """)
        let full = try Replay.run(s)
        var options = RunOptions()
        options.checkpointEvery = 2 * 24 * hour
        options.checkpointDirectory = dir.file("cp")
        let checkpointed = try Replay.run(s, options: options)
        #expect(checkpointed.finalHash == full.finalHash)
        #expect(!checkpointed.checkpoints.isEmpty)
        for cp in checkpointed.checkpoints {
            var resume = RunOptions()
            resume.resume = try Checkpoint.load(cp.path)
            let resumed = try Replay.run(s, options: resume)
            #expect(resumed.finalHash == full.finalHash)
            #expect(resumed.outcomes == full.outcomes)
        }
    }

    @Test(arguments: [
        ("{cohort: retial, kind: withdraw, asset: USDC, amount: 1, at: 2022-06-01}", 31, "a flow names unknown cohort 'retial'; did you mean 'retail'?"),
        ("{cohort: retail, kind: withdraw, asset: USDT, amount: 1, at: 2022-06-01}", 31, "a flow names asset 'USDT', which is not under 'assets'"),
        ("{cohort: retail, kind: withdraw, asset: USDC, amount: -5, at: 2022-06-01}", 31, "a flow's 'amount' must be positive (tokens), got '-5'"),
        ("{cohort: retail, kind: withdraw, asset: USDC, amount: 0, at: 2022-06-01}", 31, "a flow's 'amount' must be positive"),
        ("{cohort: retail, kind: withdraw, asset: USDC, amount: 1, at: 2022-05-31T23:59}", 31,
         "a flow at 2022-05-31T23:59:00Z is outside the window (2022-06-01T00:00:00Z to "),
        ("{cohort: retail, kind: deposit, asset: USDC, amount: 1, every: 1d, to: 2022-07-01}", 31, "is outside the window"),
        ("{cohort: retail, kind: withdrawl, asset: USDC, amount: 1, at: 2022-06-01}", 31, "unknown flow kind 'withdrawl'; did you mean 'withdraw'? (kinds: withdraw, deposit)"),
        ("{cohort: retail, kind: withdraw, asset: USDC, amount: 1, at: 2022-06-01, every: 1d}", 31, "either 'at' (once) or 'every'"),
        ("{cohort: retail, kind: withdraw, asset: USDC, amount: 1}", 31, "a flow needs 'at' (once) or 'every'"),
        ("{cohort: retail, kind: withdraw, asset: USDC, amount: 1, every: 0s}", 31, "'every' must be a positive duration"),
        // 9 days every second, twice: 1,555,202 occurrences; the second flow (line 31) passes the limit.
        ("{cohort: retail, kind: withdraw, asset: USDC, amount: 1, every: 1s}\n  - {cohort: retail, kind: deposit, asset: USDC, amount: 1, every: 1s}",
         32, "more than 1000000 times in all (limit)"),
        ("{cohort: retail, kind: withdraw, asset: USDC, amount: 1, at: 2022-06-01, platform: L}", 31, "unknown key 'platform'"),
    ])
    func invalidFlowsAreRefusedWithTheirLine(flow: String, line: Int, message: String) throws {
        try writePrices()
        let path = try dir.write("bad.yaml", SmallEpisode.spec + "flows:\n  - " + flow + "\n")
        do {
            _ = try Replay.loadSpec(path: path)
            Issue.record("accepted: \(flow)")
        } catch let error as SpecError {
            #expect(error.line == line, "\(error)")
            #expect(error.message.contains(message), "\(error)")
        }
    }
}
