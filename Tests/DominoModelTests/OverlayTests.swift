import Testing
@testable import DominoModel

@Suite struct OverlayTests {
    func poolScenario(debt: Int64) -> Scenario {
        var s = Scenario()
        let p = s.agent("Aave", .pool)
        var pool = Pool(agent: AgentID(p), threshold: Ratio(80_000_000), bonus: Ratio(105_000_000), closeFactor: Ratio(50_000_000), assetCount: 3)
        pool.add(.init(owner: nil, collateralAsset: AssetID(2), collateral: units(10), debtAsset: AssetID(0), debt: units(debt)))
        pool.add(.init(owner: nil, collateralAsset: AssetID(2), collateral: units(3), debtAsset: AssetID(0), debt: units(3000)))
        s.pools = [pool]
        return s
    }

    func run(_ s: Scenario, reference: BaselineTrace?, depth: USD) -> (Model, [Outcome]) {
        var r = Recorder(model: s.model(reference: reference, depth: [0, 0, depth.raw]))
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
        #expect(counterfactual.state.market.assets[2].price == Price(1350 * one))
        #expect(counterfactual.state.market.assets[2].excess == .zero)
    }

    /// A counterfactual that sells 6,300 USD more than the baseline into a market whose 2% depth
    /// is 252 USD moves the price by 2% × √(6,300 / 252) = 2% × 5 = 10%: 1,400 → 1,260 right
    /// after the sale; further liquidations it triggers push it lower, always by the law.
    @Test func extraForcedSalesMoveThePrice() {
        let (baseline, baseOutcomes) = run(poolScenario(debt: 10_000), reference: nil, depth: usd(252))
        #expect(baseOutcomes.filter { $0.time == 2 * hour }.isEmpty)
        var r = Recorder(model: poolScenario(debt: 12_000).model(reference: baseline.trace, depth: [0, 0, usd(252).raw]))
        r.run(hour, .price(asset: AssetID(2), price: Price(1800 * one)))
        r.run(2 * hour, .price(asset: AssetID(2), price: Price(1400 * one)))
        #expect(r.outcomes.first == Outcome(time: 2 * hour, kind: .liquidation, party: .agent(AgentID(0)), counterparty: .agent(AgentID(0)), asset: AssetID(2), quantity: Quantity(450_000_000), usd: usd(6300)))
        // The second liquidation sells at the price the first one left: 1,260.
        #expect(r.outcomes.count > 1) // the 10% drop liquidated more
        #expect(r.outcomes[1].kind == .liquidation && Fixed.mulDiv(r.outcomes[1].usd.raw, one, r.outcomes[1].quantity!.raw) == 1260 * one)
        let sold = r.outcomes.reduce(USD.zero) { $0 + $1.usd }
        let market = r.model.state.market.assets[2]
        #expect(market.excess == sold)
        #expect(market.price == Price(1400 * one).scaled(by: .one - Market.impact(usd: sold, depth: usd(252), cap: Ratio(2 * one))))
        #expect(market.recorded == Price(1400 * one))
    }

    @Test func excessDecaysWithItsHalfLife() {
        var market = Market(assets: [Market.AssetState(symbol: "ETH", depth: usd(100))])
        var p = Parameters()
        p.impactHalfLife = 100 * hour
        market.tick(0, recorded: Price(100 * one), at: 0, parameters: p)
        market.addExcess(0, usd: usd(400), at: 0, parameters: p)
        #expect(market.price(0) == Price(96 * one)) // 2% × √4 = 4%
        // After 72.13 h (half of tau = 144.27 h), the first-order decay keeps half: 2% × √2 =
        // 2.828427% (√2 = 1.41421356 rounded down at 8 places), price 97.171573.
        market.tick(0, recorded: Price(100 * one), at: 259_685_107, parameters: p)
        #expect(market.assets[0].excess == usd(200))
        #expect(market.price(0) == Price(9_717_157_300))
    }

    /// The square-root law by hand: the depth moves the price 2%, four depths 4%, a hundredth
    /// of it 0.2%; the cap holds.
    @Test func impactFollowsTheSquareRootLaw() {
        #expect(Market.impact(usd: usd(1000), depth: usd(1000), cap: .one) == Ratio(2_000_000))
        #expect(Market.impact(usd: usd(4000), depth: usd(1000), cap: .one) == Ratio(4_000_000))
        #expect(Market.impact(usd: usd(10), depth: usd(1000), cap: .one) == Ratio(200_000))
        #expect(Market.impact(usd: usd(1000), depth: .zero, cap: .one) == .zero)
        #expect(Market.impact(usd: usd(1_000_000_000), depth: usd(1), cap: Ratio(50_000_000)) == Ratio(50_000_000))
        #expect(Market.isqrt(99) == 9 && Market.isqrt(100) == 10 && Market.isqrt(0) == 0)
    }

    /// A forced seller receives half the impact below the price: selling 4 depths costs 2%.
    @Test func executionCostIsHalfTheImpact() {
        let market = Market(assets: [Market.AssetState(symbol: "BTC", depth: usd(1000))])
        #expect(market.executionCost(0, usd: usd(4000), floor: Ratio(10_000_000)) == Ratio(2_000_000))
        // At most 1 − floor.
        #expect(market.executionCost(0, usd: usd(1_000_000_000), floor: Ratio(60_000_000)) == Ratio(40_000_000))
    }

    /// No staked or wrapped asset above what it redeems for: a counterfactual that sells far
    /// less stETH than the baseline pushes the overlay up, but never past 1 ETH; the record
    /// itself is never cut.
    @Test func overlayNeverLiftsAnAssetAboveItsRedemption() {
        var market = Market(assets: [Market.AssetState(symbol: "ETH"), Market.AssetState(symbol: "stETH", depth: usd(100), redeems: AssetID(0), redeemsPer: .one)])
        let p = Parameters()
        market.tick(0, recorded: Price(2000 * one), at: 0, parameters: p)
        market.tick(1, recorded: Price(1900 * one), at: 0, parameters: p)
        market.addExcess(1, usd: -usd(10_000), at: 0, parameters: p) // +20% without the bound
        #expect(market.price(1) == Price(2000 * one))
        // A record above redemption stays as recorded (the bound constrains the overlay only).
        market.tick(1, recorded: Price(2010 * one), at: 0, parameters: p)
        #expect(market.price(1) == Price(2010 * one))
        // Below the bound the law applies unchanged: a small excess, −2% × √1.
        market.addExcess(1, usd: usd(10_100), at: 0, parameters: p)
        #expect(market.price(1) == Price(2010 * one).scaled(by: Ratio(98_000_000)))
    }

    /// A counterfactual's prices stay within the documented limits: however much more it sells,
    /// the overlay never takes a price below `impactFloor` × the record or above (2 − floor) ×.
    @Test func overlayStaysWithinItsFloorAndCeiling() {
        var market = Market(assets: [Market.AssetState(symbol: "LUNA", depth: usd(1))])
        let p = Parameters()
        market.tick(0, recorded: Price(50 * one), at: 0, parameters: p)
        for excess in [usd(1), usd(1_000), usd(1_000_000), usd(5_000_000_000)] {
            market.addExcess(0, usd: excess, at: 0, parameters: p)
            #expect(market.price(0) >= Price(50 * one).scaled(by: p.impactFloor) && market.price(0) <= Price(50 * one))
        }
        market.addExcess(0, usd: -2 * market.assets[0].excess, at: 0, parameters: p)
        #expect(market.price(0) <= Price(50 * one).scaled(by: 2 * Ratio.one - p.impactFloor) && market.price(0) > Price(50 * one))
    }
}

extension ModelBasicsTests {
    @Test func ratiosSaturateInsteadOfOverflowing() {
        #expect(Fixed.ratio(usd(1_000_000_000).raw, 1) == .max)
        #expect(Fixed.ratio(-usd(1_000_000_000).raw, 1) == .min)
        #expect(Fixed.ratio(1, 0, ifZero: 7) == 7)
        #expect(Fixed.ratio(1, 4) == 25_000_000)
    }
}

extension ModelBasicsTests {
    @Test func quantitiesAtNearZeroPricesSaturate() {
        #expect(usd(1_000_000_000).quantityUp(at: Price(5000)) == .max)
        #expect(usd(1_000_000_000).quantity(at: Price(5000)) == .max)
        #expect(usd(3).quantityUp(at: Price(2 * one)) == Quantity(150_000_000))
        #expect(Fixed.quantityUp(1, at: 3 * one) == 1)
    }
}
