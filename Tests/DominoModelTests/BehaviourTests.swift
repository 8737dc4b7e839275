import Testing
@testable import DominoModel

/// The depositors' hazard rule, the managers' decision rule and dated credit lines
/// (`Rules+Depositors.swift`, `Rules+Management.swift`), on hand-built states with hand-computed
/// expectations.
@Suite struct BehaviourTests {
    /// One lender holding 1,000 USDC liquid for one cohort's 1,000 USDC of claims (1,000 members:
    /// retail), behaviour on.
    static func lender(members: Int64 = 1000, claims: Quantity = units(1000), liquid: Quantity = units(1000), signalWeight: Ratio? = nil, role: Role = .lender) -> Scenario {
        var s = Scenario()
        s.parameters.behaviour.active = true
        if let signalWeight { s.parameters.behaviour.signal = signalWeight }
        let l = s.agent("L", role, liquid: [0: liquid])
        s.cohort("c", platform: l, claims: [0: claims])
        s.cohorts[0].members = members
        return s
    }

    @Test func sigmoidHasCompactSupport() {
        #expect(Model.sigmoid(Ratio(-3 * one)) == .zero)
        #expect(Model.sigmoid(Ratio(-2 * one)) == .zero)
        #expect(Model.sigmoid(.zero) == Ratio(one / 2))
        // t = 0.75: 3 × 0.5625 − 2 × 0.421875 = 0.84375
        #expect(Model.sigmoid(.one) == Ratio(84_375_000))
        #expect(Model.sigmoid(Ratio(2 * one)) == .one)
    }

    /// Nothing observed: S = 0, k (S − θ) ≤ 4 × (0 − 1.0) < −2, so the hazard is the base
    /// exactly: 1,000 USDC × 0.0007% = 0.007 USDC in the first hour.
    @Test func calmCohortsWithdrawOnlyTheBackgroundRate() {
        var r = Recorder(model: Self.lender().model())
        r.finish(at: hour)
        #expect(r.model.state.cohorts[0].withdrawn == USD(700_000))
        #expect(!r.model.state.cohorts[0].large)
    }

    /// A signal of severity 1 about the platform with weight 2: S ≥ 2, k (S − θ) ≥ 4 × (2 − 0.9)
    /// > 2, so the hazard is the retail ceiling, 0.207029% an hour (the fitted default): 2.07029
    /// USDC of 1,000. A large-account cohort (one member with 2M: above the $1M line) reaches twice
    /// the ceiling: 0.414058%, 8,281.16 USDC.
    @Test func alarmedCohortsWithdrawAtTheirCeiling() {
        var m = Self.lender(signalWeight: Ratio(2 * one)).model()
        m.state.signals = [Signal(time: hour, subject: AgentID(0), severity: .one)]
        var r = Recorder(model: m)
        r.finish(at: hour)
        #expect(r.model.state.cohorts[0].withdrawn == USD(207_029_000)) // 2.07029

        var big = Self.lender(members: 1, claims: units(2_000_000), liquid: units(2_000_000), signalWeight: Ratio(2 * one)).model()
        big.state.signals = [Signal(time: hour, subject: AgentID(0), severity: .one)]
        var rb = Recorder(model: big)
        rb.finish(at: hour)
        #expect(rb.model.state.cohorts[0].large)
        #expect(rb.model.state.cohorts[0].withdrawn == USD(828_116_000_000)) // 8,281.16
    }

    /// A platform that pays withdrawals self-served and at once — an exchange (FTX) or an
    /// on-chain pool (Anchor) — gives its alarmed cohorts the ceiling × instantCeiling
    /// (5.27148438, the fitted default): 0.207029% × 5.27148438 = 1.0913501…% an hour, truncated
    /// to 1.091350%: 10.9135 USDC of 1,000. A lender's stay at 2.07029 (the test above); so do
    /// a fund's and an `other`'s, which are not platforms whose withdrawals are instant.
    @Test func exchangesAndPoolsGetTheInstantCeiling() {
        for (role, expected) in [(Role.exchange, USD(1_091_350_000)), (.pool, USD(1_091_350_000)), (.lender, USD(207_029_000))] {
            var m = Self.lender(signalWeight: Ratio(2 * one), role: role).model()
            m.state.signals = [Signal(time: hour, subject: AgentID(0), severity: .one)]
            var r = Recorder(model: m)
            r.finish(at: hour)
            #expect(r.model.state.cohorts[0].withdrawn == expected, "\(role)")
        }
        #expect(!Model.withdrawsInstantly(.fund) && !Model.withdrawsInstantly(.other) && !Model.withdrawsInstantly(.lender))
    }

    /// A platform's own positions in on-chain pools are public, so their collateral is in the
    /// book whose drawdown its depositors see; its own token is not, wherever it sits. L holds
    /// 1,000 USDC and an Aave-like position of 1 ETH (2,000 at the start) against 500 USDC of
    /// debt, plus 10 X (its own token, 1 at the start) as the collateral of a second position.
    /// ETH halves and X falls to 0.5: the book is 1,000 + 1,000 against 1,000 + 2,000 at the
    /// start prices, a drawdown of 1,000 / 3,000 = 0.33333333 (truncated), and the own-token
    /// term is (1 − 0.5) / 1 = 0.5. Without the positions nothing L holds has fallen.
    @Test func ownPoolPositionsAreInTheBookDepositorsSee() {
        func scenario(positions: Bool) -> Scenario {
            var s = Self.lender()
            s.agents[0].ownToken = AssetID(1)
            let aave = s.agent("Aave", .pool)
            var pool = Pool(agent: AgentID(aave), threshold: Ratio(75_000_000), bonus: Ratio(105_000_000), closeFactor: Ratio(50_000_000), assetCount: 3)
            if positions {
                pool.add(.init(owner: AgentID(0), collateralAsset: AssetID(2), collateral: units(1), debtAsset: AssetID(0), debt: units(500)))
                pool.add(.init(owner: AgentID(0), collateralAsset: AssetID(1), collateral: units(10), debtAsset: AssetID(0), debt: units(1)))
            }
            s.pools = [pool]
            return s
        }
        for positions in [true, false] {
            var r = Recorder(model: scenario(positions: positions).model())
            r.run(30 * 60_000, .price(asset: AssetID(2), price: Price(1000 * one)))
            r.run(30 * 60_000, .price(asset: AssetID(1), price: Price(one / 2)))
            let o = r.model.observed(0)
            #expect(o[0] == (positions ? Ratio(33_333_333) : .zero), "positions: \(positions)")
            #expect(o[1] == Ratio(50_000_000))
        }
    }

    /// Near the threshold the draw on θ decides: different seeds give different paths, each
    /// between the base and the ceiling.
    @Test func seedsGiveDifferentPaths() {
        var seen: Set<USD> = []
        for seed: UInt64 in [1, 2, 3, 7, 99] {
            var m = Self.lender(signalWeight: Ratio(120_000_000)).model(seed: seed)
            m.state.signals = [Signal(time: hour, subject: AgentID(0), severity: .one)]
            var r = Recorder(model: m)
            r.finish(at: 6 * hour)
            let w = r.model.state.cohorts[0].withdrawn
            #expect(w >= USD(6 * 700_000) && w <= usd(1000) - usd(1000).scaled(by: Ratio(one - 6 * 800_000)))
            seen.insert(w)
        }
        #expect(seen.count > 1)
    }

    /// Managers suspend only once the platform has been unable to pay for the decision lag:
    /// 10 USDC liquid, a request of 50 at 0:30; the queue is unpaid from the 1:00 decision on,
    /// so with a 12 h lag it halts at 13:00, not before.
    @Test func suspensionWaitsForTheDecisionLag() {
        var r = Recorder(model: Self.lender(claims: units(100), liquid: units(10)).model())
        r.run(hour / 2, .withdrawal(cohort: CohortID(0), asset: AssetID(0), quantity: units(50)))
        #expect(!r.model.state.agents[0].isHalted)
        r.finish(at: 12 * hour)
        #expect(!r.model.state.agents[0].isHalted)
        r.finish(at: 13 * hour)
        #expect(r.model.state.agents[0].haltedAt == 13 * hour)
        #expect(r.model.state.agents[0].defendingSince == hour)
    }

    /// A dated credit line cannot be drawn before its agreement date, and fails with its
    /// provider. Behaviour off: the old immediate halt rule.
    @Test func creditLinesExistFromTheirDateAndDieWithTheirProvider() {
        func run(at t: Int64, providerDefaulted: Bool) -> Model {
            var s = Scenario()
            let l = s.agent("L", .lender)
            let p = s.agent("P", .fund)
            s.cohort("c", platform: l, claims: [0: units(100)])
            s.agents[l].creditLines = [CreditLine(providerName: "P", provider: AgentID(p), amount: usd(50), from: 2 * hour)]
            if providerDefaulted { s.agents[p].defaultedAt = 0 }
            var r = Recorder(model: s.model())
            r.run(t, .withdrawal(cohort: CohortID(0), asset: AssetID(0), quantity: units(30)))
            return r.model
        }
        let early = run(at: hour, providerDefaulted: false)
        #expect(early.state.cohorts[0].withdrawn == .zero)
        #expect(early.state.agents[0].isHalted)
        let late = run(at: 3 * hour, providerDefaulted: false)
        #expect(late.state.cohorts[0].withdrawn == usd(30))
        #expect(late.state.agents[0].creditLines[0].drawn == usd(30))
        #expect(late.state.agents[0].creditDrawn == usd(30))
        let failed = run(at: 3 * hour, providerDefaulted: true)
        #expect(failed.state.cohorts[0].withdrawn == .zero)
        #expect(failed.state.agents[0].isHalted)
    }
}
