import Foundation
import Testing
@testable import DominoModel

/// A position owned by an agent is on its balance sheet: collateral an asset, debt a liability.
@Test func ownedPositionsAreOnTheOwnersBalanceSheet() {
    var s = Scenario()
    let celsius = s.agent("Celsius", .lender, liquid: [0: usd(100)])
    let maker = s.agent("Maker", .pool)
    var pool = Pool(agent: maker, threshold: 69_000_000, bonus: 113_000_000, closeFactor: 100_000_000, assetCount: 3)
    pool.add(.init(owner: celsius, collateralAsset: 2, collateral: units(2), debtAsset: 0, debt: usd(1000)))
    pool.add(.init(owner: nil, collateralAsset: 2, collateral: units(1), debtAsset: 0, debt: usd(100)))
    s.pools = [pool]
    let m = s.model()
    let sheet = m.balanceSheet(celsius)
    #expect(sheet.poolCollateral == usd(4000))
    #expect(sheet.poolDebt == usd(1000))
    #expect(sheet.equity == usd(3100))
    #expect(m.state.pools[0].owned == [0])
}

/// The liquidation index is derived: a pool survives encoding without it (rebuilt on decode),
/// and a decoded pool liquidates exactly like the original.
@Test func poolIndexIsRebuiltOnDecode() throws {
    var s = Scenario()
    let p = s.agent("pool", .pool)
    var pool = Pool(agent: p, threshold: 80_000_000, bonus: 105_000_000, closeFactor: 50_000_000, assetCount: 3)
    var rng = SeededRandom(seed: 4)
    for _ in 0..<500 {
        let c = Int64(rng.below(100) + 1) * one
        pool.add(.init(owner: nil, collateralAsset: 2, collateral: c, debtAsset: 0,
                       debt: Fixed.scale(Fixed.value(c, at: 2000 * one), by: Int64(rng.below(70) + 5) * 1_000_000)))
    }
    s.pools = [pool]
    var a = Recorder(model: s.model())
    for t in 1...20 { a.run(Int64(t) * hour, .price(asset: 2, price: (2000 - 40 * Int64(t)) * one)) }
    let encoded = try JSONEncoder().encode(a.model.state)
    #expect(!String(decoding: encoded, as: UTF8.self).contains("\"index\""))
    let decoded = try JSONDecoder().decode(ModelState.self, from: encoded)
    #expect(decoded == a.model.state)
    var b = Recorder(model: Model(state: decoded))
    for t in 21...40 {
        a.run(Int64(t) * hour, .price(asset: 2, price: (2000 - 40 * Int64(t)) * one))
        b.run(Int64(t) * hour, .price(asset: 2, price: (2000 - 40 * Int64(t)) * one))
    }
    #expect(b.outcomes == Array(a.outcomes.suffix(b.outcomes.count)))
    #expect(b.model.state == a.model.state)
    #expect(!b.outcomes.isEmpty)
}
