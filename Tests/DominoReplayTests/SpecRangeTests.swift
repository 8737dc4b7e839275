import DominoLog
import DominoModel
import DominoReplay
import DominoTestFixtures
import Foundation
import Testing

/// Issue 13 §1 and §3: inputs that crashed, hung or ran as plausible numbers are refused with
/// one line, or run within the representable range.
@Suite struct SpecRangeTests {
    let dir = TempDir()

    func replacing(_ a: String, _ b: String) -> String {
        let s = SmallEpisode.spec.replacingOccurrences(of: a, with: b)
        precondition(s != SmallEpisode.spec, "fixture text not found: \(a)")
        return s
    }

    /// The error a spec text gives when loaded and run (nil if it runs).
    func error(_ spec: String) throws -> SpecError? {
        let path = try SmallEpisode.make(in: dir, spec: spec)
        do { _ = try Replay.run(try Replay.loadSpec(path: path)); return nil } catch let e as SpecError { return e }
    }

    /// One lender and one cohort, no loan (the bounds code indexed per-loan lists that a spec
    /// without loans never sized): L holds the 1,000 its depositors are owed, pays the 300 and
    /// the 200 they ask for, and nothing else happens.
    @Test func aSpecWithoutLoansRuns() throws {
        let spec = replacing("""
          F:
            role: fund
            liquid: {ETH: 0.4}
        """, "").replacingOccurrences(of: "loans:\n  - {lender: L, borrower: F, asset: USDC, amount: 600, notice: 72h}\n", with: "")
            .replacingOccurrences(of: "liquid: {USDC: 400}", with: "liquid: {USDC: 1000}")
        let path = try SmallEpisode.make(in: dir, spec: spec)
        let run = try Replay.run(try Replay.loadSpec(path: path))
        #expect(run.scenario.spec.loans.isEmpty && run.scenario.spec.entities.count == 1)
        #expect(run.outcomes.isEmpty)
        #expect(Summary(run: run).cohorts[0].withdrawn == 500 * one)
    }

    /// 48,000,000 ETH at $2,000 is $96 billion: past Int64 at 10⁸ ($92.2 billion). The run stops
    /// with one error naming the entity, the asset and the time, instead of trapping.
    @Test func aHoldingPastTheRangeStopsTheRun() throws {
        let e = try #require(try error(replacing("liquid: {ETH: 0.4}", "liquid: {ETH: 48000000}")))
        #expect(e.message.hasPrefix("overflow: F ETH at 2022-06-01T00:00:00Z: a value beyond the representable range"))
        #expect(e.line == nil)
        // 40,000,000 ETH ($80 billion) is inside it.
        #expect(try error(replacing("liquid: {ETH: 0.4}", "liquid: {ETH: 40000000}")) == nil)
    }

    /// 84,000,000 TOK priced 10, then 50,000 from 3 June: $840 million, then $4.2 trillion.
    @Test func aPriceJumpPastTheRangeStopsTheRunAtTheJump() throws {
        let header = LogHeader(name: "jump", timeRange: .init(start: t("2022-05-25T00:00:00Z"), end: t("2022-06-10T00:00:00Z")),
                               assets: [.init(id: 1, symbol: "USDC", decimals: 6), .init(id: 2, symbol: "TOK", decimals: 8)],
                               entities: [.init(id: 1, name: "L", kind: "lender")])
        let w = try LogWriter(path: dir.file("jump.zst"), header: header, options: WriterOptions(blockEvents: 64))
        var time = t("2022-05-25T00:00:00Z")
        while time <= t("2022-06-10T00:00:00Z") {
            try w.append(Event(time: time, kind: .price, asset: 1, amount: one))
            try w.append(Event(time: time, kind: .price, asset: 2, amount: (time >= t("2022-06-03T00:00:00Z") ? 50_000 : 10) * one))
            time += hour
        }
        try w.finish()
        let path = try dir.write("jump.yaml", """
        name: jump
        datasets: [jump.zst]
        window: {from: 2022-06-01, to: 2022-06-10}
        cash: USDC
        assets: {USDC: {}, TOK: {}}
        entities:
          L: {role: lender, liquid: {TOK: 84000000}}
        """)
        do {
            _ = try Replay.run(try Replay.loadSpec(path: path))
            Issue.record("the run should have stopped")
        } catch let e as SpecError {
            #expect(e.description.hasPrefix("\(path): overflow: L TOK at 2022-06-03T00:00:00Z: "))
        }
    }

    /// Unbounded work: each is refused at its line with the limit.
    @Test func unboundedWorkIsRefused() throws {
        let cases: [(String, String, String)] = [
            ("metricsInterval: 1d", "metricsInterval: 0h", "'model.metricsInterval' must be at least 1m, got '0h'"),
            ("to: 2022-06-10}", "to: 9999-12-31}", "the window is longer than 3660 days (the longest a run may cover)"),
            ("role: lender\n    liquid: {USDC: 400}", "role: lender\n    liquid: {USDC: 400}\n    policy: {withdrawalGate: {maxShare: 0, window: 0d}}",
             "'entities.L.policy.withdrawalGate.window' must be at least 1h, got '0d'"),
        ]
        for (a, b, message) in cases {
            let e = try #require(try error(replacing(a, b)), "\(b)")
            #expect(e.message == message)
            #expect(e.line != nil)
        }
        let pool = replacing("cohorts:", """
          P: {role: pool}
        pools:
          P:
            threshold: 80%
            bonus: 105%
            closeFactor: 0
        cohorts:
        """)
        #expect(try error(pool)?.message == "'pools.P.closeFactor' must lie between 0.000001% and 100%, got '0'")
        let crowd = pool.replacingOccurrences(of: "closeFactor: 0\n", with: """
        closeFactor: 50%
            generate:
              - {count: 600000, collateralAsset: ETH, debtAsset: USDC, collateral: [1, 2], ltv: [10%, 20%]}
              - {count: 600000, collateralAsset: ETH, debtAsset: USDC, collateral: [1, 2], ltv: [10%, 20%]}

        """)
        #expect(try error(crowd)?.message == "the pools generate 1200000 positions in all; at most 1000000 are allowed")
    }

    /// Bad values are errors, not numbers.
    @Test func badValuesAreRefused() throws {
        let cases: [(String, String, String)] = [
            ("amount: 600,", "amount: -600,", "'loans[0].amount' must not be negative, got '-600'"),
            ("claims: {USDC: 1000}", "claims: {USDC: -1}", "'cohorts[0].claims.USDC' must not be negative, got '-1'"),
            ("liquid: {USDC: 400}", "liquid: {USDC: -400}", "'entities.L.liquid.USDC' must not be negative, got '-400'"),
            ("ETH: {depth: 0}", "ETH: {depth: -5}", "'assets.ETH.depth' must not be negative, got '-5'"),
            ("recoveryRate: 1", "recoveryRate: 200%", "'model.recoveryRate' must lie between 0% and 100%, got '200%'"),
            ("swapFee: 0", "swapFee: 150%", "'model.swapFee' must lie between 0% and 99.999999%, got '150%'"),
            ("tolerance: 0}", "tolerance: -1}", "'model.halt.tolerance' must lie between 0% and 100%, got '-1'"),
            ("liquid: {USDC: 400}", "liquid: {USDC: 400}\n    policy: {rehypothecationCap: 5}",
             "'entities.L.policy.rehypothecationCap' must lie between 0% and 100%, got '5'"),
            ("notice: 72h}", "notice: 72h, seniority: -1}", "'loans[0].seniority' must be a whole number from 0 to 1000, got '-1'"),
            ("members: 1000", "members: -1", "'cohorts[0].members' must be a whole number from 1 to 10000000000, got '-1'"),
            ("members: 1000", "members: 9223372036854775807", "'cohorts[0].members' must be a whole number from 1 to 10000000000, got '9223372036854775807'"),
            ("{name: retail,", "{name: '',", "'cohorts[0].name' must be a name, not empty or null"),
            ("{name: retail,", "{name: ~,", "'cohorts[0].name' must be a name, not empty or null"),
            ("borrower: F,", "borrower: L,", "a loan from L to itself"),
            ("platform: L,", "platform: F,", "cohort retail's platform F is a fund; depositors' platforms are lenders, exchanges or pools"),
            ("liquid: {ETH: 0.4}", "liquid: {ETH: 0.000000001}", "'entities.F.liquid.ETH' is below the smallest amount, 0.00000001: got '0.000000001'"),
            ("liquid: {ETH: 0.4}", "liquid: {ETH: 1e11}",
             "'entities.F.liquid.ETH' is out of range: '1e11' (numbers lie between -92233720368.54775807 and 92233720368.54775807)"),
            ("liquid: {ETH: 0.4}", "liquid: {ETH: [1]}", "'entities.F.liquid.ETH' must be a number (e.g. 1500 or 0.25), got a list"),
        ]
        for (a, b, message) in cases {
            let e = try #require(try error(replacing(a, b)), "\(b)")
            #expect(e.message == message, "\(b)")
        }
    }
}
