import Testing
@testable import DominoModel

/// `Model+Invariants.swift`: the laws hold through the rules, a change that breaks one is
/// reported, and a bound kept past a change made behind the mutators' back is caught.
@Suite struct ModelInvariantsTests {
    /// Lender L (USDC 100, X 10) owes cohort C USDC 50; fund F borrowed USDC 40 from L against
    /// 1 ETH (maintenance 150%, initial 200%).
    static func book() -> (Scenario, lender: Int, fund: Int) {
        var s = Scenario()
        let l = s.agent("L", .lender, liquid: [0: units(100), 1: units(10)])
        let f = s.agent("F", .fund, liquid: [0: units(10)])
        s.cohort("C", platform: l, claims: [0: units(50)])
        s.loan(l, f, asset: 0, units(40), collateral: [2: units(1)], maintenance: Ratio(150_000_000), initial: Ratio(200_000_000))
        return (s, l, f)
    }

    @Test func lawsHoldThroughTheRules() {
        let (s, l, f) = Self.book()
        var r = Recorder(model: s.model())
        r.model.startInvariantLedger()
        #expect(r.model.invariantViolations(recount: true) == [])
        r.run(hour, .deposit(cohort: CohortID(0), asset: AssetID(0), quantity: units(20)))
        r.run(2 * hour, .withdrawal(cohort: CohortID(0), asset: AssetID(0), quantity: units(30)))
        r.run(3 * hour, .transfer(from: AgentID(f), to: nil, asset: AssetID(0), quantity: units(5)))
        r.run(4 * hour, .transfer(from: nil, to: AgentID(l), asset: AssetID(1), quantity: units(3)))
        // ETH falls to 30: a margin call the fund cannot meet (30 + its last 5 < the 40 owed, so
        // it cannot deleverage either), then its default at the deadline.
        r.run(5 * hour, .price(asset: AssetID(2), price: Price(30 * one)))
        r.finish(at: 10 * 24 * hour)
        #expect(r.outcomes.contains { $0.kind == .marginCall })
        #expect(r.outcomes.contains { $0.kind == .default })
        #expect(r.model.invariantViolations(recount: true) == [])
        // X: L's 10 and the 3 bought from outside (outside -3), 10 in all. One more unit
        // outside, with nothing held less, is reported.
        var broken = r.model
        broken.state.outside[1] += Quantity(1)
        #expect(r.model.conservedTotals()[1] == Int128(units(10).raw))
        #expect(broken.invariantViolations() == ["asset 1: \(units(10) + Quantity(1)) tokens in and out of the model, \(units(10)) at the start"])
        // A cohort's claims changed without its platform's: the sums no longer match.
        broken = r.model
        broken[cohort: 0].claims[0] += Quantity(7)
        let claims = r.model.state.cohorts[0].claims[0]
        #expect(broken.invariantViolations() == ["agent \(l): claims \(claims) of asset 0, its cohorts' \(claims + Quantity(7))"])
    }

    @Test func mutatorsForgetTheBoundsOfWhatTheyChange() {
        var (s, l, f) = Self.book()
        // A borrower whose solvency is watched (a fund's is not: it is found insolvent only when
        // it defaults), so that it has a bound to forget.
        s.agents[f].role = .other
        var m = s.model()
        m.incrementalChecks = true
        m.apply(.price(asset: AssetID(2), price: Price(2000 * one)), at: hour, emit: { _ in }) // checks run and record bounds
        #expect(m.certainlySolvent(l) && m.certainlySolvent(f))
        #expect(m.certainlyCovered(0))
        // A change to the lender's record forgets its bound only.
        var n = m
        n[agent: l].liquid[0] -= Quantity(1)
        #expect(!n.certainlySolvent(l) && n.certainlySolvent(f) && n.certainlyCovered(0))
        // A change to the loan forgets its margin bound and both parties' solvency.
        n = m
        n[loan: 0].collateral[2] -= Quantity(1)
        #expect(!n.certainlyCovered(0) && !n.certainlySolvent(l) && !n.certainlySolvent(f))
        // A cohort's claims are its platform's liabilities.
        n = m
        n[cohort: 0].claims[0] += Quantity(1)
        #expect(!n.certainlySolvent(l) && n.certainlySolvent(f))
    }

    /// The assertion a skip runs in the internal-checks build: a state replaced behind the
    /// mutators' back keeps stale bounds, and the skipped checks would have missed an insolvency
    /// and a margin call.
    @Test func staleBoundsAreCaught() {
        let (s, l, _) = Self.book()
        var m = s.model()
        m.incrementalChecks = true
        m.apply(.price(asset: AssetID(2), price: Price(2000 * one)), at: hour, emit: { _ in })
        #expect(m.certainlySolvent(l) && m.certainlyCovered(0))
        #expect(m.skippedSolvencyViolation(l) == nil && m.skippedMarginViolation(0) == nil)
        var worse = s
        worse.cohorts[0].claims[0] = units(500)       // L's equity: 100 + 10 + 40 - 500 = -350
        worse.loans[0].collateral[2] = units(1) / 100 // 0.01 ETH against USDC 40
        m.state = worse.model().state
        #expect(m.certainlySolvent(l) && m.certainlyCovered(0)) // the bounds do not know
        #expect(m.skippedSolvencyViolation(l) == "agent \(l): insolvency check skipped at equity \(usd(-350))")
        #expect(m.skippedMarginViolation(0) == "loan 0: margin check skipped at ratio \(usd(20).ratio(to: usd(40))) < 150000000")
    }
}
