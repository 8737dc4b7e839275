import Testing
@testable import DominoModel

@Suite struct CreditRulesTests {
    /// Loan of 100 USDC against 150 X (ratio 1.5, maintenance 1.2); the fund has 10 USDC free.
    func scenario() -> Scenario {
        var s = Scenario()
        let lender = s.agent("L", .lender, liquid: [0: units(150)]) // equity 150 + 100 - 200 = 50
        let fund = s.agent("F", .fund, liquid: [0: units(10)])
        s.cohort("retail", platform: lender, claims: [0: units(200)])
        s.loan(lender, fund, units(100), collateral: [1: units(150)], maintenance: Ratio(120_000_000), initial: Ratio(150_000_000))
        return s
    }

    @Test func marginCallPartlyMetThenDeleveragedAtTheDeadline() {
        var r = Recorder(model: scenario().model())
        r.run(hour, .price(asset: AssetID(1), price: Price(70_000_000))) // collateral 105 < 120
        // Call to restore 150: 45; the fund posts its 10 USDC at once (115 < 150), deadline in 24 h.
        #expect(r.outcomes == [Outcome(time: hour, kind: .marginCall, party: .agent(AgentID(1)), counterparty: .agent(AgentID(0)), usd: usd(45), due: 25 * hour)])
        #expect(r.model.state.loans[0].collateral == [units(10), units(150), .zero])
        // At the deadline the ratio is 115/100 < 120% and the fund has nothing free; the loan is
        // covered, so it sells pledged collateral and repays x = (150.1 − 115) / 0.501 = 70.06
        // (rounded up at 8 places: 70.05988024) instead of defaulting.
        r.finish(at: 25 * hour)
        #expect(r.outcomes.count == 1)
        #expect(r.model.state.agents[0].liquid[0] == units(150) + Quantity(7_005_988_024))
        #expect(r.model.state.loans[0].state == .active && r.model.state.loans[0].principal == units(100) - Quantity(7_005_988_024))
    }

    @Test func collateralShortfallIsALoss() {
        var r = Recorder(model: scenario().model())
        r.run(hour, .price(asset: AssetID(1), price: Price(70_000_000)))
        r.run(2 * hour, .price(asset: AssetID(1), price: Price(50_000_000))) // collateral 10 + 75 = 85
        r.finish(at: 25 * hour)
        // The fund owes 100 against 85 from 2 h (insolvent at market), but nobody sees a fund's
        // book: it is found insolvent when it defaults at the deadline, its hole the 15 lost.
        #expect(Array(r.outcomes.dropFirst()) == [
            Outcome(time: 25 * hour, kind: .default, party: .agent(AgentID(1)), usd: usd(15), owed: usd(100)),
            Outcome(time: 25 * hour, kind: .loss, party: .agent(AgentID(0)), counterparty: .agent(AgentID(1)), usd: usd(15)),
            Outcome(time: 25 * hour, kind: .insolvency, party: .agent(AgentID(1)), usd: usd(15)),
        ])
    }

    @Test func callMetInFullClearsIt() {
        var s = scenario()
        s.agents[1].liquid[0] = units(100)
        var r = Recorder(model: s.model())
        r.run(hour, .price(asset: AssetID(1), price: Price(70_000_000)))
        #expect(r.outcomes.map(\.kind) == [.marginCall])
        #expect(r.model.state.loans[0].callDeadline == nil)
        r.finish(at: 30 * hour)
        #expect(r.outcomes.count == 1)
        #expect(r.model.collateralRatio(0) == Ratio(150_000_000))
    }

    /// Losses by seniority: senior class paid first, pro rata within a class.
    @Test func estateGoesToSeniorClassFirstThenProRata() {
        var s = Scenario()
        let a = s.agent("A", .lender), b = s.agent("B", .lender), c = s.agent("C", .lender)
        let fund = s.agent("F", .fund, liquid: [0: units(50)])
        s.loan(a, fund, units(40), seniority: 0, notice: 0)
        s.loan(b, fund, units(60), seniority: 1, notice: 0)
        s.loan(c, fund, units(20), seniority: 1, notice: 0)
        var r = Recorder(model: s.model())
        r.model.defaultOn(borrower: fund, emit: { r.outcomes.append($0) })
        // Estate 50: A (senior) gets 40 in full; B and C share 10 pro rata to 60:20 → 7.5 and 2.5.
        #expect(r.outcomes == [
            Outcome(time: 0, kind: .default, party: .agent(AgentID(3)), usd: usd(120), owed: usd(120)),
            Outcome(time: 0, kind: .loss, party: .agent(AgentID(1)), counterparty: .agent(AgentID(3)), usd: USD(5_250_000_000)),
            Outcome(time: 0, kind: .loss, party: .agent(AgentID(2)), counterparty: .agent(AgentID(3)), usd: USD(1_750_000_000)),
            // The fund is found insolvent as it defaults: its hole is what B and C lose, 52.5 + 17.5.
            Outcome(time: 0, kind: .insolvency, party: .agent(AgentID(3)), usd: usd(70)),
        ])
        #expect(r.model.state.agents[a].liquid[0] == units(40))
        #expect(r.model.state.agents[b].liquid[0] == Quantity(750_000_000))
    }

    /// A margin call seen by other lenders makes them recall their unsecured loans.
    @Test func marginCallTriggersRecallOfUnsecuredLoans() {
        var s = scenario()
        let other = s.agent("V", .lender, liquid: [0: units(10)])
        s.loan(other, 1, units(30), notice: 24 * hour)
        var r = Recorder(model: s.model())
        r.run(hour, .price(asset: AssetID(1), price: Price(70_000_000)))
        // The fund owes 130 against 115 of collateral: insolvent at market, which only its
        // managers see (no insolvency outcome before a default).
        #expect(r.outcomes.map(\.kind) == [.marginCall, .recall])
        #expect(r.outcomes[1] == Outcome(time: hour, kind: .recall, party: .agent(AgentID(other)), counterparty: .agent(AgentID(1)), asset: AssetID(0), quantity: units(30), usd: usd(30), due: 25 * hour))
    }

    /// A borrower that cannot repay all of a recall repays what it can and defaults on the
    /// rest: 30 of 100 is repaid, the claim is the 70 left, and with nothing left in the estate
    /// the lender loses exactly 70 (before, it lost 100 less a share of the 30).
    @Test func recallRepaidInPartThenDefaultOnTheRest() {
        var s = Scenario()
        let lender = s.agent("L", .lender, liquid: [0: units(10)])
        let fund = s.agent("F", .fund, liquid: [0: units(30)])
        s.loan(lender, fund, units(100), notice: 24 * hour)
        var r = Recorder(model: s.model())
        r.model.recall(loan: 0, emit: { r.outcomes.append($0) })
        r.finish(at: 24 * hour)
        // The fund is found insolvent when it defaults: its hole is the 70 its lender loses.
        #expect(r.outcomes.map(\.kind) == [.recall, .default, .loss, .insolvency])
        #expect(r.outcomes[1] == Outcome(time: 24 * hour, kind: .default, party: .agent(AgentID(fund)), usd: usd(70), owed: usd(70)))
        #expect(r.outcomes[2] == Outcome(time: 24 * hour, kind: .loss, party: .agent(AgentID(lender)), counterparty: .agent(AgentID(fund)), usd: usd(70)))
        #expect(r.outcomes[3] == Outcome(time: 24 * hour, kind: .insolvency, party: .agent(AgentID(fund)), usd: usd(70)))
        #expect(r.model.state.agents[lender].liquid[0] == units(40))
        #expect(r.model.state.agents[fund].liquid[0] == .zero)
    }

    /// A solvent borrower with nothing free meets a call by selling pledged collateral and
    /// repaying part of the loan: 100 owed against 117 (ratio 1.17 < 1.2) after X falls to
    /// 0.78; it sells x = (1.501 × 100 − 117) / 0.501 = 66.07 of collateral to repay 66.07,
    /// leaving 33.93 owed against 50.93 (1.501) — no default, no loss.
    @Test func solventBorrowerDeleveragesInsteadOfDefaulting() {
        var s = scenario()
        s.agents[1].liquid[0] = .zero
        var r = Recorder(model: s.model())
        r.run(hour, .price(asset: AssetID(1), price: Price(78_000_000)))
        #expect(r.outcomes.map(\.kind) == [.marginCall])
        r.finish(at: 25 * hour)
        #expect(r.outcomes.map(\.kind) == [.marginCall])
        let loan = r.model.state.loans[0]
        #expect(loan.isOpen && loan.principal > Quantity(3_393_000_000) && loan.principal < Quantity(3_394_000_000))
        #expect(abs(r.model.collateralRatio(0).raw - 150_100_000) <= 10) // 1.501 up to rounding
        #expect(r.model.state.agents[0].liquid[0] == units(150) + units(100) - loan.principal)
    }
}
