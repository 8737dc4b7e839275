import Testing
@testable import DominoModel

@Suite struct PolicyTests {
    /// Claims 100; loan 60 to F and a 20 deployment, both customer-funded; liquid 20. No
    /// collateral headroom (the initial level is the minimum ratio), except where a test says.
    func scenario(_ policy: Policy) -> Scenario {
        var s = Scenario()
        s.parameters.collateralHeadroom = Ratio(0)
        let lender = s.agent("L", .lender, liquid: [0: units(20)], policy: policy)
        s.agents[lender].deployments = [Deployment(label: "staking", asset: AssetID(0), quantity: units(20), venue: nil,
                                                   unwindDelay: 72 * hour, haircut: Ratio(0), customerFunded: true)]
        let fund = s.agent("F", .fund, liquid: [1: units(60)])
        s.cohort("retail", platform: lender, claims: [0: units(100)])
        s.loan(lender, fund, units(60))
        return s
    }

    @Test func rehypothecationCapScalesLoansAndDeploymentsProRata() {
        let m = scenario(Policy(rehypothecationCap: Ratio(40_000_000))).model(applyPolicies: true)
        // Reused 80 against a cap of 40: everything halves. The fund sells 30 X to hand back 30.
        #expect(m.state.loans[0].principal == units(30))
        #expect(m.state.agents[0].deployments[0].quantity == units(10))
        #expect(m.state.agents[0].liquid[0] == units(60))
        #expect(m.state.agents[1].liquid[1] == units(30))
        #expect(m.reuseShare(0) == Ratio(40_000_000))
    }

    @Test func noRehypothecationKeepsEverythingLiquid() {
        let m = scenario(Policy(rehypothecationCap: Ratio(0))).model(applyPolicies: true)
        #expect(m.state.loans[0].state == .repaid)
        #expect(m.state.agents[0].liquid[0] == units(100))
        #expect(m.reuseShare(0) == .zero)
    }

    /// A platform's own pool positions are reuse: customer assets pledged (Celsius's stETH on
    /// Aave). L owes 1,000 USDC to its depositors and has 1 ETH (2,000) on a pool against 500
    /// USDC of debt: reuse 2,000 / 1,000 = 200%. A 50% cap keeps 500 / 2,000 = 1/4 of the
    /// position: L repays 3/4 of the debt (375 USDC, to the pool) and takes 3/4 of the ETH back,
    /// so the health factor is unchanged and reuse is 0.25 × 2,000 / 1,000 = 50%. With only
    /// 100 USDC and nothing to swap, it repays what it has (100 = 1/5 of the debt) and takes
    /// back 1/5 of the collateral.
    @Test func rehypothecationCapCutsOwnPoolPositions() {
        func model(liquid: Int64) -> Model {
            var s = Scenario()
            let l = s.agent("L", .lender, liquid: [0: units(liquid)], policy: Policy(rehypothecationCap: Ratio(50_000_000)))
            let aave = s.agent("Aave", .pool)
            s.cohort("retail", platform: l, claims: [0: units(1000)])
            var pool = Pool(agent: AgentID(aave), threshold: Ratio(75_000_000), bonus: Ratio(105_000_000), closeFactor: Ratio(50_000_000), assetCount: 3)
            pool.add(.init(owner: AgentID(l), collateralAsset: AssetID(2), collateral: units(1), debtAsset: AssetID(0), debt: units(500)))
            s.pools = [pool]
            #expect(s.model().reuseShare(0) == Ratio(200_000_000))
            return s.model(applyPolicies: true)
        }
        let m = model(liquid: 600)
        #expect(m.state.pools[0].positions[0].collateral == Quantity(25_000_000))
        #expect(m.state.pools[0].positions[0].debt == units(125))
        #expect(m.state.agents[0].liquid[0] == units(225) && m.state.agents[0].liquid[2] == Quantity(75_000_000))
        #expect(m.state.agents[1].liquid[0] == units(375))
        #expect(m.reuseShare(0) == Ratio(50_000_000))

        let short = model(liquid: 100)
        #expect(short.state.pools[0].positions[0].collateral == Quantity(80_000_000))
        #expect(short.state.pools[0].positions[0].debt == units(400))
        #expect(short.state.agents[0].liquid[0] == .zero && short.state.agents[0].liquid[2] == Quantity(20_000_000))
        #expect(short.reuseShare(0) == Ratio(160_000_000))
    }

    @Test func recordedPolicyChangesNothing() {
        let s = scenario(.recorded)
        let before = s.model()
        let after = s.model(applyPolicies: true)
        #expect(before.state == after.state)
    }

    @Test func concentrationLimitCutsTheLargestBorrower() {
        let m = scenario(Policy(concentrationLimit: Ratio(25_000_000))).model(applyPolicies: true)
        #expect(m.state.loans[0].principal == units(25))
        #expect(m.state.agents[0].deployments[0].quantity == units(20))
    }

    /// Minimum collateral 150% with a fund whose only holdings (60 X) were bought with the 60
    /// borrowed: its pot H = 60 cannot back any loan at 150% (L' = (H − L)/(r − 1) = 0), so the
    /// loan is handed back in full out of the pledged X.
    @Test func minimumCollateralCutsALoanTheBorrowerCannotBack() {
        let m = scenario(Policy(minCollateralRatio: Ratio(150_000_000))).model(applyPolicies: true)
        #expect(m.state.loans[0].state == .repaid)
        #expect(m.state.agents[0].liquid[0] == units(80))
    }

    /// With 90 X of its own the fund can back 60 at 150% (pot 90 ≥ 90): it pledges all 90.
    @Test func minimumCollateralIsPledgedWhenTheBorrowerCan() {
        var s = scenario(Policy(minCollateralRatio: Ratio(150_000_000)))
        s.agents[1].liquid[1] = units(90)
        let m = s.model(applyPolicies: true)
        #expect(m.state.loans[0].principal == units(60))
        #expect(m.state.loans[0].collateral[1] == units(90))
        #expect(m.collateralRatio(0) == Ratio(150_000_000))
    }

    /// With 80 X: L' = (80 − 60) / 0.5 = 40; it hands back 20 (selling 20 X) and pledges 60 X.
    @Test func minimumCollateralCutsToWhatThePotBacks() {
        var s = scenario(Policy(minCollateralRatio: Ratio(150_000_000)))
        s.agents[1].liquid[1] = units(80)
        let m = s.model(applyPolicies: true)
        #expect(m.state.loans[0].principal == units(40))
        #expect(m.collateralRatio(0) == Ratio(150_000_000))
    }

    /// With 10% headroom the fund posts 150% × 1.1 = 165%: 99 X for the 60 (pot 99 = R), so a
    /// 1% fall of X leaves 163.35%, above the 150% maintenance level: no call.
    @Test func minimumCollateralWithHeadroom() {
        var s = scenario(Policy(minCollateralRatio: Ratio(150_000_000)))
        s.parameters.collateralHeadroom = Ratio(10_000_000)
        s.agents[1].liquid[1] = units(99)
        var m = s.model(applyPolicies: true)
        #expect(m.state.loans[0].principal == units(60))
        #expect(m.state.loans[0].collateral[1] == units(99))
        #expect(m.state.loans[0].maintenance == Ratio(150_000_000) && m.state.loans[0].initial == Ratio(165_000_000))
        #expect(m.collateralRatio(0) == Ratio(165_000_000))
        var outcomes: [Outcome] = []
        m.apply(.price(asset: AssetID(1), price: Price(99_000_000)), at: hour, emit: { outcomes.append($0) })
        #expect(m.collateralRatio(0) == Ratio(163_350_000))
        #expect(outcomes.isEmpty)
    }

    /// Two loans of 30 each to the same fund share its 80 X: jointly cut to 20 each
    /// (s = (80 − 60) / (90 − 60) = 2/3), handing back 20, with 30 X pledged on each.
    @Test func minimumCollateralIsJointOverABorrowersLoans() {
        var s = scenario(Policy(minCollateralRatio: Ratio(150_000_000)))
        s.agents[1].liquid[1] = units(80)
        s.loans = []
        s.loan(0, 1, units(30))
        s.loan(0, 1, units(30))
        let m = s.model(applyPolicies: true)
        #expect(m.state.loans.map(\.principal) == [units(20), units(20)])
        #expect(m.state.loans.map { $0.collateral[1] } == [units(30), units(30)])
        #expect(m.state.agents[1].liquid[1] == .zero)
    }

    @Test func liquidityBufferRebuildsReserves() {
        let m = scenario(Policy(liquidityBuffer: Ratio(50_000_000))).model(applyPolicies: true)
        #expect(m.liquidValue(0) >= usd(50) - USD(2))
    }
}
