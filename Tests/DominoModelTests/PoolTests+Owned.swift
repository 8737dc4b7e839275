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
