import Testing
@testable import DominoModel

@Suite struct PlatformRulesTests {
    /// An exchange that cannot meet withdrawals halts; what a lender holds on it freezes (it can
    /// no longer be unwound); once the exchange is insolvent the holding is written down to the
    /// recovery rate and the lender recognises the loss.
    @Test func exchangeHaltFreezesAssetsHeldOnIt() {
        var s = Scenario()
        s.parameters.recoveryRate = Ratio(40_000_000)
        let exchange = s.agent("FTX", .exchange, liquid: [0: units(20)])
        let affiliate = s.agent("Alameda", .fund, liquid: [1: units(80)])
        let lender = s.agent("BlockFi", .lender, liquid: [0: units(50)])
        s.agents[lender].deployments = [Deployment(label: "on FTX", asset: AssetID(0), quantity: units(50), venue: AgentID(exchange),
                                                   unwindDelay: 24 * hour, haircut: Ratio(0), customerFunded: true)]
        s.cohort("ftx-users", platform: exchange, claims: [0: units(100)])
        s.cohort("blockfi-users", platform: lender, claims: [0: units(100)])
        s.loan(exchange, affiliate, units(80), notice: 0, customerFunded: true) // customer assets lent to the affiliate
        // With X at 1 the affiliate can repay: 20 paid at once, the loan recalled (no notice),
        // repaid at the next input, and the rest paid.
        var r = Recorder(model: s.model())
        r.run(hour, .withdrawal(cohort: CohortID(0), asset: AssetID(0), quantity: units(60)))
        #expect(r.outcomes.map(\.kind) == [.recall])
        #expect(r.model.state.cohorts[0].withdrawn == usd(20))
        r.run(2 * hour, .price(asset: AssetID(1), price: Price(one)))
        #expect(r.model.state.cohorts[0].withdrawn == usd(60))
        #expect(!r.model.state.agents[exchange].isHalted)

        // With X at 0.10 the affiliate (8 of X against 80 owed) defaults when the recall falls
        // due; FTX recovers 8 × 0.4 = 3.2, is insolvent, halts; BlockFi's 50 on FTX freeze and
        // are written down to 40%: it loses 30.
        var r2 = Recorder(model: s.model())
        r2.run(hour, .price(asset: AssetID(1), price: Price(10_000_000)))
        r2.run(2 * hour, .withdrawal(cohort: CohortID(0), asset: AssetID(0), quantity: units(60)))
        r2.run(3 * hour, .price(asset: AssetID(1), price: Price(10_000_000)))
        #expect(r2.model.state.agents[affiliate].hasDefaulted)
        #expect(r2.model.state.agents[exchange].isHalted)
        #expect(r2.outcomes.contains { $0.kind == .insolvency && $0.party == .agent(AgentID(exchange)) })
        #expect(r2.outcomes.contains(Outcome(time: 2 * hour, kind: .loss, party: .agent(AgentID(lender)), counterparty: .agent(AgentID(exchange)), usd: usd(30))))
        #expect(r2.model.state.agents[lender].deployments[0].frozen)
        #expect(r2.model.state.agents[lender].deployments[0].quantity == units(20))
    }

    /// Dynamic collateral: the requirement 1.2 rises with realised volatility (mean absolute
    /// tick change). Ticks of ±10% give vol 0.1; with k = Ratio(2) the requirement is 1.2 × 1.2 = 1.44,
    /// so a loan at 1.3 is called although it is above its static 1.2.
    @Test func dynamicCollateralCallsEarlierWhenVolatile() {
        func run(dynamic: Bool) -> [Outcome.Kind] {
            var s = Scenario()
            let l = s.agent("L", .lender, liquid: [0: units(500)],
                            policy: Policy(dynamicCollateral: dynamic ? .init(k: Ratio(2 * one), window: 10 * hour) : nil))
            let f = s.agent("F", .fund)
            s.cohort("retail", platform: l, claims: [0: units(500)])
            s.loan(l, f, units(100), collateral: [1: units(130)], maintenance: Ratio(120_000_000), initial: Ratio(150_000_000))
            var r = Recorder(model: s.model())
            for (i, p) in [110, 100, 110, 100].enumerated() { r.run(Int64(i + 1) * hour, .price(asset: AssetID(1), price: Price(Int64(p) * 1_000_000))) }
            return r.outcomes.map(\.kind)
        }
        #expect(run(dynamic: false).isEmpty)
        #expect(run(dynamic: true).first == .marginCall)
    }

    /// A credit line pays withdrawals before the platform recalls or halts.
    @Test func creditLineIsDrawnFirst() {
        var s = Scenario()
        let l = s.agent("L", .lender, liquid: [0: units(50)])
        s.agents[l].creditLimit = usd(30)
        s.cohort("retail", platform: l, claims: [0: units(100)])
        var r = Recorder(model: s.model())
        r.run(hour, .withdrawal(cohort: CohortID(0), asset: AssetID(0), quantity: units(70)))
        #expect(r.model.state.cohorts[0].withdrawn == usd(70))
        #expect(r.model.state.agents[l].creditDrawn == usd(20))
        r.run(2 * hour, .withdrawal(cohort: CohortID(0), asset: AssetID(0), quantity: units(20)))
        // 10 more from credit, then nothing left: halt with 10 pending.
        #expect(r.outcomes.map(\.kind) == [.halt])
        #expect(r.outcomes[0].usd == usd(10))
    }
}

/// The liquidity buffer recalls a loan when reserves fall below it, and says so.
@Test func liquidityBufferRecallIsAnOutcome() {
    var s = Scenario()
    let l = s.agent("L", .lender, liquid: [0: units(60)], policy: Policy(liquidityBuffer: Ratio(50_000_000)))
    let f = s.agent("F", .fund, liquid: [0: units(100)])
    s.cohort("retail", platform: l, claims: [0: units(100)])
    s.loan(l, f, units(40), notice: 24 * hour)
    var r = Recorder(model: s.model())
    // Reserves 60 of claims 100; after paying 20, 40 of 80 is exactly the 50% buffer; after
    // another 5, 35 < 37.5: the loan is recalled.
    r.run(hour, .withdrawal(cohort: CohortID(0), asset: AssetID(0), quantity: units(20)))
    #expect(r.outcomes.isEmpty)
    r.run(2 * hour, .withdrawal(cohort: CohortID(0), asset: AssetID(0), quantity: units(5)))
    #expect(r.outcomes == [Outcome(time: 2 * hour, kind: .recall, party: .agent(AgentID(l)), counterparty: .agent(AgentID(f)), asset: AssetID(0), quantity: units(40), usd: usd(40), due: 26 * hour)])
}
