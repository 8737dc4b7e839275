import Foundation
import Testing
@testable import DominoModel

/// A position owned by an agent is on its balance sheet: collateral an asset, debt a liability.
@Test func ownedPositionsAreOnTheOwnersBalanceSheet() {
    var s = Scenario()
    let celsius = s.agent("Celsius", .lender, liquid: [0: units(100)])
    let maker = s.agent("Maker", .pool)
    var pool = Pool(agent: AgentID(maker), threshold: Ratio(69_000_000), bonus: Ratio(113_000_000), closeFactor: Ratio(100_000_000), assetCount: 3)
    pool.add(.init(owner: AgentID(celsius), collateralAsset: AssetID(2), collateral: units(2), debtAsset: AssetID(0), debt: units(1000)))
    pool.add(.init(owner: nil, collateralAsset: AssetID(2), collateral: units(1), debtAsset: AssetID(0), debt: units(100)))
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
    var pool = Pool(agent: AgentID(p), threshold: Ratio(80_000_000), bonus: Ratio(105_000_000), closeFactor: Ratio(50_000_000), assetCount: 3)
    var rng = SeededRandom(seed: 4)
    for _ in 0..<500 {
        let c = Quantity(Int64(rng.below(100) + 1) * one)
        pool.add(.init(owner: nil, collateralAsset: AssetID(2), collateral: c, debtAsset: AssetID(0),
                       debt: (c * Price(2000 * one)).scaled(by: Ratio(Int64(rng.below(70) + 5) * 1_000_000)).quantity(at: .one)))
    }
    s.pools = [pool]
    var a = Recorder(model: s.model())
    for t in 1...20 { a.run(Int64(t) * hour, .price(asset: AssetID(2), price: Price((2000 - 40 * Int64(t)) * one))) }
    let encoded = try JSONEncoder().encode(a.model.state)
    #expect(!String(decoding: encoded, as: UTF8.self).contains("\"index\""))
    let decoded = try JSONDecoder().decode(ModelState.self, from: encoded)
    #expect(decoded == a.model.state)
    var b = Recorder(model: Model(state: decoded))
    for t in 21...40 {
        a.run(Int64(t) * hour, .price(asset: AssetID(2), price: Price((2000 - 40 * Int64(t)) * one)))
        b.run(Int64(t) * hour, .price(asset: AssetID(2), price: Price((2000 - 40 * Int64(t)) * one)))
    }
    #expect(b.outcomes == Array(a.outcomes.suffix(b.outcomes.count)))
    #expect(b.model.state == a.model.state)
    #expect(!b.outcomes.isEmpty)
}

/// Positions are stored in 32 bytes, and still read and write (checkpoints) the same fields:
/// an owner or none, both asset indices, the quantities and the version.
@Test func positionsAreCompactAndKeepTheirFields() throws {
    #expect(MemoryLayout<Pool.Position>.stride == 32)
    var owned = Pool.Position(owner: AgentID(70_000), collateralAsset: AssetID(65_535), collateral: Quantity(-1), debtAsset: AssetID(3), debt: .max)
    owned.version = 7
    let crowd = Pool.Position(owner: nil, collateralAsset: AssetID(0), collateral: Quantity(5), debtAsset: AssetID(1), debt: Quantity(6))
    #expect(owned.owner == AgentID(70_000) && owned.collateralAsset == AssetID(65_535) && owned.debtAsset == AssetID(3) && owned.version == 7)
    #expect(crowd.owner == nil)
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    #expect(String(decoding: try encoder.encode(owned), as: UTF8.self)
        == #"{"collateral":-1,"collateralAsset":65535,"debt":9223372036854775807,"debtAsset":3,"owner":70000,"version":7}"#)
    #expect(String(decoding: try encoder.encode(crowd), as: UTF8.self)
        == #"{"collateral":5,"collateralAsset":0,"debt":6,"debtAsset":1,"version":0}"#)
    for p in [owned, crowd] { #expect(try JSONDecoder().decode(Pool.Position.self, from: encoder.encode(p)) == p) }
}

/// Positions borrowing different debt assets against one collateral are indexed apart, each
/// against its own price ratio: a position that is not due in its debt units does not hold
/// back one that is in another's (as a single index keyed in mixed units did).
@Test func eachDebtAssetIsCheckedAgainstItsOwnPrice() {
    var s = Scenario()
    let p = s.agent("pool", .pool)
    var pool = Pool(agent: AgentID(p), threshold: Ratio(80_000_000), bonus: Ratio(105_000_000), closeFactor: Ratio(50_000_000), assetCount: 3)
    // X owes 1,280 of asset 0 ($1): liquidation price 1,280 / 0.8 = 1,600 asset-0 units per ETH.
    pool.add(.init(owner: nil, collateralAsset: AssetID(2), collateral: units(1), debtAsset: AssetID(0), debt: units(1280)))
    // Y owes 720 of asset 1 ($2): liquidation price 720 / 0.8 = 900 asset-1 units per ETH.
    pool.add(.init(owner: nil, collateralAsset: AssetID(2), collateral: units(1), debtAsset: AssetID(1), debt: units(720)))
    s.pools = [pool]
    var r = Recorder(model: s.model(prices: [one, 2 * one, 2000 * one]))
    // ETH at 1,700: 1,700 asset-0 units (X is safe, 1,700 > 1,600) and 850 asset-1 units (Y is due).
    r.run(hour, .price(asset: AssetID(2), price: Price(1700 * one)))
    let liquidations = r.outcomes.filter { $0.kind == .liquidation }
    #expect(liquidations.count == 1)
    // Y: half its debt repaid (360 asset-1 units = $720), collateral seized worth $720 × 1.05 =
    // $756 at $1,700: 0.44470588 ETH.
    #expect(liquidations.first?.quantity == Quantity(44_470_588))
    #expect(r.model.state.pools[0].positions[1].debt == units(360))
    #expect(r.model.state.pools[0].positions[1].collateral == units(1) - Quantity(44_470_588))
    #expect(r.model.state.pools[0].positions[0].debt == units(1280))
}
