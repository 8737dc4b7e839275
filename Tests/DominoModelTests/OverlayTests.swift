import Testing
@testable import DominoModel

@Suite struct OverlayTests {
    func poolScenario(debt: Int64) -> Scenario {
        var s = Scenario()
        let p = s.agent("Aave", .pool)
        var pool = Pool(agent: p, threshold: 80_000_000, bonus: 105_000_000, closeFactor: 50_000_000, assetCount: 3)
        pool.add(.init(owner: nil, collateralAsset: 2, collateral: units(10), debtAsset: 0, debt: usd(debt)))
        pool.add(.init(owner: nil, collateralAsset: 2, collateral: units(3), debtAsset: 0, debt: usd(3000)))
        s.pools = [pool]
        return s
    }

    func run(_ s: Scenario, reference: BaselineTrace?, depth: Int64) -> (Model, [Outcome]) {
        var r = Recorder(model: s.model(reference: reference, depth: [0, 0, depth]))
        for (t, p) in [(1, 1800), (2, 1400), (3, 1300), (4, 1350)] { r.run(Int64(t) * hour, .price(asset: AssetID(2), price: Price(Int64(p) * one))) }
        return (r.model, r.outcomes)
    }

    /// The same policy against its own baseline: every forced sale is matched, the overlay stays
    /// at zero and the run is identical to the baseline — recorded prices replay exactly.
    @Test func baselinePolicyReplaysRecordedPricesExactly() {
        let s = poolScenario(debt: 12_000)
        let (baseline, baseOutcomes) = run(s, reference: nil, depth: usd(63_000))
        #expect(!baseline.trace.sales.isEmpty)
        let (counterfactual, outcomes) = run(s, reference: baseline.trace, depth: usd(63_000))
        #expect(outcomes == baseOutcomes)
        #expect(counterfactual.state.market.assets[2].price == 1350 * one)
        #expect(counterfactual.state.market.assets[2].excess == 0)
    }

    /// A counterfactual that sells 6,300 USD more than the baseline into a market 63,000 USD
    /// deep moves the price by 10%: 1,400 → 1,260 right after the sale; further liquidations it
    /// triggers push it lower, always by the formula.
    @Test func extraForcedSalesMoveThePrice() {
        let (baseline, baseOutcomes) = run(poolScenario(debt: 10_000), reference: nil, depth: usd(63_000))
        #expect(baseOutcomes.filter { $0.time == 2 * hour }.isEmpty)
        var r = Recorder(model: poolScenario(debt: 12_000).model(reference: baseline.trace, depth: [0, 0, usd(63_000)]))
        r.run(hour, .price(asset: AssetID(2), price: Price(1800 * one)))
        r.run(2 * hour, .price(asset: AssetID(2), price: Price(1400 * one)))
        #expect(r.outcomes.first == Outcome(time: 2 * hour, kind: .liquidation, party: .agent(AgentID(0)), counterparty: .agent(AgentID(0)), asset: AssetID(2), quantity: Quantity(450_000_000), usd: USD(usd(6300))))
        let sold = r.outcomes.reduce(Int64(0)) { $0 + $1.usd.raw }
        #expect(r.outcomes.count > 1) // the 10% drop liquidated more
        let market = r.model.state.market.assets[2]
        #expect(market.excess == sold)
        #expect(market.price == Fixed.scale(1400 * one, by: one - Fixed.mulDiv(one, sold, usd(63_000))))
        #expect(market.recorded == 1400 * one)
    }

    @Test func excessDecaysWithItsHalfLife() {
        var market = Market(assets: [Market.AssetState(symbol: "ETH", depth: usd(1000))])
        var p = Parameters()
        p.impactHalfLife = 100 * hour
        market.tick(0, recorded: 100 * one, at: 0, parameters: p)
        market.addExcess(0, usd: usd(100), at: 0, parameters: p)
        #expect(market.price(0) == 90 * one)
        // After 72.13 h (half of tau = 144.27 h), the first-order decay keeps half.
        market.tick(0, recorded: 100 * one, at: 259_685_107, parameters: p)
        #expect(market.assets[0].excess == usd(50))
        #expect(market.price(0) == 95 * one)
    }
}

extension ModelBasicsTests {
    @Test func ratiosSaturateInsteadOfOverflowing() {
        #expect(Fixed.ratio(usd(1_000_000_000), 1) == .max)
        #expect(Fixed.ratio(-usd(1_000_000_000), 1) == .min)
        #expect(Fixed.ratio(1, 0, ifZero: 7) == 7)
        #expect(Fixed.ratio(1, 4) == 25_000_000)
    }
}

extension ModelBasicsTests {
    @Test func quantitiesAtNearZeroPricesSaturate() {
        #expect(Fixed.quantityUp(usd(1_000_000_000), at: 5000) == .max)
        #expect(Fixed.quantity(usd(1_000_000_000), at: 5000) == .max)
        #expect(Fixed.quantityUp(usd(3), at: 2 * one) == 150_000_000)
        #expect(Fixed.quantityUp(1, at: 3 * one) == 1)
    }
}
