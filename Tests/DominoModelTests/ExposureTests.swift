import Testing
@testable import DominoModel

@Suite struct ExposureTests {
    /// Depositors hold 100 USDC of claims on L, which keeps 40 and lends 60 to F, which pledges
    /// 30 ETH of collateral to G for a loan of 20 USDC.
    func model() -> Model {
        var s = Scenario()
        let l = s.agent("L", .lender, liquid: [0: units(40)])
        let f = s.agent("F", .fund, liquid: [1: units(60)])
        let g = s.agent("G", .lender, liquid: [0: units(80)])
        s.cohort("retail", platform: l, claims: [0: units(100)])
        s.loan(l, f, units(60))
        s.loan(g, f, units(20), collateral: [2: units(30)], maintenance: Ratio(110_000_000))
        return s.model()
    }

    @Test func chainOfReuseBehindADepositor() {
        let m = model()
        let chain = m.reuseChain(holder: 3, asset: 0) // the cohort is party 3 (after 3 agents)
        #expect(chain == [
            ExposureEdge(kind: .deposit, from: 3, to: 0, asset: 0, quantity: units(100)),
            ExposureEdge(kind: .loan, from: 0, to: 1, asset: 0, quantity: units(60)),
        ])
        let eth = m.reuseChain(holder: 1, asset: 2)
        #expect(eth == [ExposureEdge(kind: .collateral, from: 1, to: 2, asset: 2, quantity: units(30))])
    }

    /// USDC: claims 100 (deposit) + 60 + 20 (loans) = 180 on 120 held (40 at L, 80 at G): 1.5.
    @Test func claimMultiplier() {
        let m = model()
        #expect(m.claimMultiplier(asset: 0) == Ratio(150_000_000))
        #expect(m.claimMultiplier(asset: 2) == .zero) // pledged ETH carries no claim denominated in ETH
        // L owes 100 with 40 in custody: 2.5 dollars of claims per dollar held.
        #expect(m.reuseMultiplier(0) == Ratio(250_000_000))
        // G owes nothing: multiplier 0.
        #expect(m.reuseMultiplier(2) == .zero)
    }
}
