import Testing
@testable import DominoModel

/// The example, step by step: a lender with 100 of deposits and 40 in reserve lends 60
/// to a fund that defaults with 25% recovery, so it loses 45; it halts once withdrawals exceed
/// its 40 of reserves plus what its recall actually brings in (15).
@Suite struct LenderRulesTests {
    func scenario(horizon: Int64 = 96 * hour) -> Scenario {
        var s = Scenario()
        s.parameters.haltHorizon = horizon
        let lender = s.agent("L", .lender, liquid: [0: units(40)])
        let fund = s.agent("F", .fund, liquid: [1: units(60)]) // spent the 60 USDC on 60 X
        s.cohort("retail", platform: lender, claims: [0: units(100)])
        s.loan(lender, fund, units(60))
        return s
    }

    @Test func defaultLossInsolvencyAndHalt() {
        var r = Recorder(model: scenario().model())
        r.run(1 * hour, .price(asset: AssetID(1), price: Price(25_000_000))) // X falls to 0.25: the fund's 60 X are worth 15
        // The fund owes 60 and holds 15: insolvent at market, but a fund's book is its managers'
        // alone, and nobody has called its loan yet: no outcome.
        #expect(r.outcomes.isEmpty)
        r.run(2 * hour, .withdrawal(cohort: CohortID(0), asset: AssetID(0), quantity: units(30)))
        #expect(r.model.state.cohorts[0].withdrawn == usd(30))
        #expect(r.outcomes.isEmpty)

        r.run(3 * hour, .withdrawal(cohort: CohortID(0), asset: AssetID(0), quantity: units(20)))
        // 10 paid from the last reserves, 10 queued; the loan is recalled with 72 h notice; the
        // 60 due within the 96 h horizon covers the queue, so no halt.
        #expect(r.model.state.cohorts[0].withdrawn == usd(40))
        #expect(r.outcomes == [Outcome(time: 3 * hour, kind: .recall, party: .agent(AgentID(0)), counterparty: .agent(AgentID(1)), asset: AssetID(0), quantity: units(60), usd: usd(60), due: 75 * hour)])
        #expect(r.model.state.agents[0].haltedAt == nil)

        // The recall falls due at 75 h: the fund sells its X for 15, repays those 15 of the 60 and
        // defaults on the other 45.
        r.run(80 * hour, .price(asset: AssetID(1), price: Price(25_000_000)))
        #expect(Array(r.outcomes.dropFirst()) == [
            Outcome(time: 75 * hour, kind: .default, party: .agent(AgentID(1)), usd: usd(45), owed: usd(45)),
            Outcome(time: 75 * hour, kind: .loss, party: .agent(AgentID(0)), counterparty: .agent(AgentID(1)), usd: usd(45)),
            Outcome(time: 75 * hour, kind: .insolvency, party: .agent(AgentID(0)), usd: usd(45)),
            // The fund is found insolvent as it defaults: its hole is the 45 its lender lost.
            Outcome(time: 75 * hour, kind: .insolvency, party: .agent(AgentID(1)), usd: usd(45)),
        ])
        // The 15 recovered paid the queued 10.
        #expect(r.model.state.cohorts[0].withdrawn == usd(50))
        #expect(r.model.state.agents[0].liquid[0] == units(5))
        #expect(r.model.state.agents[0].recognisedLosses == usd(45))

        // Withdrawals have now reached 55 = 40 + 15: the next one cannot be met and it halts.
        r.run(81 * hour, .withdrawal(cohort: CohortID(0), asset: AssetID(0), quantity: units(10)))
        #expect(r.outcomes.last == Outcome(time: 81 * hour, kind: .halt, party: .agent(AgentID(0)), usd: usd(5)))
        #expect(r.model.state.cohorts[0].withdrawn == usd(55))
        // Depositors still hold 45 of claims on a platform with nothing left: they lose 45.
        #expect(r.model.cohortLoss(0) == usd(45))
        // Later requests are refused and counted as frozen.
        r.run(82 * hour, .withdrawal(cohort: CohortID(0), asset: AssetID(0), quantity: units(7)))
        #expect(r.model.state.cohorts[0].frozenRequests == usd(5) + usd(7))
    }

    @Test func haltsAtOnceWhenTheRecallArrivesAfterTheHorizon() {
        var r = Recorder(model: scenario(horizon: 48 * hour).model())
        r.run(1 * hour, .withdrawal(cohort: CohortID(0), asset: AssetID(0), quantity: units(50)))
        // 40 paid; 10 queued; the recall's 60 arrive in 72 h, beyond the 48 h horizon.
        #expect(r.outcomes.map(\.kind) == [.recall, .halt])
        #expect(r.outcomes[1] == Outcome(time: 1 * hour, kind: .halt, party: .agent(AgentID(0)), usd: usd(10)))
    }

    @Test func toleranceDelaysTheHalt() {
        var s = scenario(horizon: 48 * hour)
        s.parameters.haltTolerance = Ratio(10_000_000) // 10% of claims (60 left after paying 40) = 6
        var r = Recorder(model: s.model())
        r.run(1 * hour, .withdrawal(cohort: CohortID(0), asset: AssetID(0), quantity: units(45))) // queue 5 ≤ 6
        #expect(r.outcomes.map(\.kind) == [.recall])
        r.run(2 * hour, .withdrawal(cohort: CohortID(0), asset: AssetID(0), quantity: units(3)))  // queue 8 > 6
        #expect(r.outcomes.map(\.kind) == [.recall, .halt])
    }

    @Test func withdrawalGateSpreadsOutflowsInsteadOfHalting() {
        var s = scenario(horizon: 48 * hour)
        s.agents[0].policy.withdrawalGate = .init(maxShare: Ratio(10_000_000), window: 24 * hour) // 10% a day
        var r = Recorder(model: s.model())
        r.run(1 * hour, .withdrawal(cohort: CohortID(0), asset: AssetID(0), quantity: units(30)))
        #expect(r.model.state.cohorts[0].withdrawn == usd(10))
        #expect(r.outcomes.isEmpty) // nothing recalled, no halt: the rest waits for the window
        r.run(26 * hour, .price(asset: AssetID(1), price: Price(one)))
        // The window reopened at 25 h with claims of 90: 9 more paid.
        #expect(r.model.state.cohorts[0].withdrawn == usd(19))
        #expect(r.model.state.agents[0].haltedAt == nil)
    }

    @Test func depositsAddClaimsAndReserves() {
        var r = Recorder(model: scenario().model())
        r.run(hour, .deposit(cohort: CohortID(0), asset: AssetID(0), quantity: units(25)))
        #expect(r.model.state.cohorts[0].claims[0] == units(125))
        #expect(r.model.state.agents[0].liquid[0] == units(65))
        #expect(r.model.balanceSheet(0).equity == .zero)
    }

    /// The filing rule: a lender files `filingDelay` after it is both halted and below water
    /// (the later of the two starts the clock). This lender holds 40 USDC and 60 X against 100
    /// of claims: X at 0.5 leaves 40 + 30 = 70 against 100, equity −30. `halted` marks it
    /// halted from the start.
    func ownBook(delay: Int64, halted: Bool = true) -> Recorder {
        var s = Scenario()
        s.parameters.filingDelay = delay
        let lender = s.agent("L", .lender, liquid: [0: units(40), 1: units(60)])
        s.cohort("retail", platform: lender, claims: [0: units(100)])
        if halted { s.agents[lender].haltedAt = 0 }
        return Recorder(model: s.model())
    }

    /// An open lender below water does not file, however long: the clock starts when it halts.
    /// Here a withdrawal of 90 at hour 30 is more than its 40 USDC and 60 X (at 0.5) can pay:
    /// it halts, still below water, and files 10 hours later.
    @Test func anOpenLenderBelowWaterDoesNotFileUntilItHalts() {
        var r = ownBook(delay: 10 * hour, halted: false)
        r.run(hour, .price(asset: AssetID(1), price: Price(50_000_000)))
        r.run(25 * hour, .price(asset: AssetID(1), price: Price(50_000_000)))
        #expect(r.outcomes.isEmpty)
        #expect(r.model.state.agents[0].filingClock == nil && r.model.state.agents[0].insolventAt == nil)
        r.run(30 * hour, .withdrawal(cohort: CohortID(0), asset: AssetID(0), quantity: units(90)))
        #expect(r.model.state.agents[0].haltedAt == 30 * hour)
        #expect(r.model.state.agents[0].filingClock == 30 * hour)
        r.run(41 * hour, .price(asset: AssetID(1), price: Price(50_000_000)))
        #expect(r.outcomes.map(\.kind) == [.halt, .insolvency])
        #expect(r.outcomes.map(\.time) == [30 * hour, 40 * hour])
    }

    @Test func aLenderFilesOnlyAfterTheFilingDelay() {
        var r = ownBook(delay: 14 * 24 * hour)
        r.run(hour, .price(asset: AssetID(1), price: Price(50_000_000)))
        #expect(r.outcomes.isEmpty) // equity −30, but the clock has only started
        #expect(r.model.state.agents[0].filingClock == hour && r.model.state.agents[0].insolventAt == nil)
        r.run(14 * 24 * hour, .price(asset: AssetID(1), price: Price(50_000_000)))
        #expect(r.outcomes.isEmpty) // an hour short of the 14 days
        r.run(14 * 24 * hour + 2 * hour, .price(asset: AssetID(1), price: Price(50_000_000)))
        #expect(r.outcomes == [Outcome(time: 14 * 24 * hour + hour, kind: .insolvency, party: .agent(AgentID(0)), usd: usd(30))])
        #expect(r.model.state.agents[0].insolventAt == 14 * 24 * hour + hour && r.model.state.agents[0].filingClock == nil)
    }

    /// X recovers to 1.0 (equity 0) before the delay ends: at the deadline the lender is whole
    /// and does not file; a new fall starts a new clock, which runs out 10 hours later.
    @Test func aLenderBackAboveWaterDoesNotFile() {
        var r = ownBook(delay: 10 * hour)
        r.run(hour, .price(asset: AssetID(1), price: Price(50_000_000)))
        r.run(5 * hour, .price(asset: AssetID(1), price: Price(100_000_000)))
        r.run(12 * hour, .price(asset: AssetID(1), price: Price(100_000_000)))
        #expect(r.outcomes.isEmpty)
        #expect(r.model.state.agents[0].filingClock == nil && r.model.state.agents[0].insolventAt == nil)
        r.run(13 * hour, .price(asset: AssetID(1), price: Price(50_000_000)))
        #expect(r.model.state.agents[0].filingClock == 13 * hour)
        r.run(24 * hour, .price(asset: AssetID(1), price: Price(50_000_000)))
        #expect(r.outcomes.map(\.time) == [23 * hour])
    }

    /// An exchange (or any agent other than a lender, a fund or a pool) is recognised at once,
    /// whatever the delay; a fund is not recognised at market at all, only when it defaults.
    @Test func exchangesAreRecognisedAtOnceFundsAtTheirDefault() {
        var s = scenario()
        s.parameters.filingDelay = 14 * 24 * hour
        var r = Recorder(model: s.model())
        r.run(1 * hour, .price(asset: AssetID(1), price: Price(25_000_000)))
        #expect(r.outcomes.isEmpty) // the fund owes 60, holds 15
        s.agents[1].role = .exchange
        r = Recorder(model: s.model())
        r.run(1 * hour, .price(asset: AssetID(1), price: Price(25_000_000)))
        #expect(r.outcomes == [Outcome(time: hour, kind: .insolvency, party: .agent(AgentID(1)), usd: usd(45))])
    }
}
