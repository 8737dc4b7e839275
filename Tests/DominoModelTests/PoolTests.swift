import Testing
@testable import DominoModel

@Suite struct PoolTests {
    func pool(breaker: Policy.Breaker? = nil) -> Scenario {
        var s = Scenario()
        let p = s.agent("Aave", .pool, policy: Policy(circuitBreaker: breaker))
        var pool = Pool(agent: AgentID(p), threshold: Ratio(80_000_000), bonus: Ratio(105_000_000), closeFactor: Ratio(50_000_000), assetCount: 3)
        pool.add(.init(owner: nil, collateralAsset: AssetID(2), collateral: units(10), debtAsset: AssetID(0), debt: units(12_000)))
        s.pools = [pool]
        return s
    }

    /// 10 ETH at LT 0.8 against 12,000 USDC: liquidation price 1,500. At 1,400 (health 0.933)
    /// half the debt (6,000) is repaid and 6,000 × 1.05 / 1,400 = 4.5 ETH seized; health is then
    /// 5.5 × 1,400 × 0.8 / 6,000 = 1.027, so it stops.
    @Test func liquidatesBelowHealthOne() {
        var r = Recorder(model: pool().model())
        #expect(r.model.state.pools[0].key(r.model.state.pools[0].positions[0]) == 1500 * one)
        r.run(hour, .price(asset: AssetID(2), price: Price(1600 * one)))
        #expect(r.outcomes.isEmpty)
        r.run(2 * hour, .price(asset: AssetID(2), price: Price(1400 * one)))
        #expect(r.outcomes == [Outcome(time: 2 * hour, kind: .liquidation, party: .agent(AgentID(0)), counterparty: .agent(AgentID(0)), asset: AssetID(2), quantity: Quantity(450_000_000), usd: usd(6300))])
        let position = r.model.state.pools[0].positions[0]
        #expect(position.collateral == Quantity(550_000_000))
        #expect(position.debt == units(6000))
        #expect(r.model.state.liquidationVolume == usd(6300))
    }

    @Test func circuitBreakerPausesThenLiquidates() {
        var r = Recorder(model: pool(breaker: .init(maxDrop: Ratio(20_000_000), window: 2 * hour, pause: 3 * hour)).model())
        r.run(hour, .price(asset: AssetID(2), price: Price(1400 * one))) // -30% within 2 h: paused until 4 h
        #expect(r.outcomes.isEmpty)
        r.run(3 * hour, .price(asset: AssetID(2), price: Price(1400 * one)))
        #expect(r.outcomes.isEmpty)
        r.run(5 * hour, .price(asset: AssetID(2), price: Price(1400 * one))) // pause over, no fresh 20% drop in 2 h
        #expect(r.outcomes.map(\.kind) == [.liquidation])
    }

    /// Property: after every tick, no position with debt is below health 1 — the index finds
    /// every liquidatable position, however many there are.
    @Test(arguments: [UInt64(1), 2, 3])
    func indexFindsEveryUnhealthyPosition(seed: UInt64) {
        var rng = SeededRandom(seed: seed)
        var s = Scenario()
        let p = s.agent("pool", .pool)
        var pool = Pool(agent: AgentID(p), threshold: Ratio(80_000_000), bonus: Ratio(105_000_000), closeFactor: Ratio(50_000_000), assetCount: 3)
        for _ in 0..<5000 {
            let collateral = Quantity(Int64(rng.below(1000) + 1) * 10_000_000)
            let ltv = Ratio(Int64(rng.below(70) + 5) * 1_000_000)
            pool.add(.init(owner: nil, collateralAsset: AssetID(2), collateral: collateral, debtAsset: AssetID(0),
                           debt: (collateral * Price(2000 * one)).scaled(by: ltv).quantity(at: .one)))
        }
        s.pools = [pool]
        var r = Recorder(model: s.model())
        var price: Int64 = 2000 * one
        for t in 1...300 {
            price = max(one, price + (Int64(rng.below(200)) - 110) * one)
            r.run(Int64(t) * hour, .price(asset: AssetID(2), price: Price(price)))
            for position in r.model.state.pools[0].positions where position.debt > .zero {
                #expect(r.model.state.pools[0].health(position, collateralPrice: Price(price), debtPrice: .one) >= .one)
            }
        }
        #expect(r.model.state.liquidations > 100)
    }
}
