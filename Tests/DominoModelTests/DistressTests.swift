import Testing
@testable import DominoModel

/// `Distress.swift`: claims marked to what their debtor could pay now (Eisenberg–Noe clearing
/// at market), worked by hand.
@Suite struct DistressTests {
    /// F holds 30 and owes L 60 (unsecured): it can pay half. L holds 100, is owed 60 by F and
    /// owes its depositors 50 and M 120: with F's claim marked to 30 it has 130 for 170, so it
    /// can pay 13/17 = 0.76470588 (rounded down), and M's claim of 120 on it loses
    /// 120 − 120 × 0.76470588 = 28.2352944. Three rounds: all at par, then F at 0.5 and L at
    /// 160/170, then L at 130/170, which no longer changes.
    @Test func marksFollowTheChainOfClaims() {
        var s = Scenario()
        let l = s.agent("L", .lender, liquid: [0: units(100)])
        let f = s.agent("F", .fund, liquid: [0: units(30)])
        let m = s.agent("M", .lender, liquid: [0: units(10)])
        s.cohort("retail", platform: l, claims: [0: units(50)])
        s.loan(l, f, units(60), notice: 24 * hour)
        s.loan(m, l, units(120), notice: 24 * hour)
        let d = s.model().distress()
        #expect(d.payment[f] == Ratio(50_000_000) && d.payment[l] == Ratio(76_470_588) && d.payment[m] == .one)
        #expect(d.markdown[l] == usd(30) && d.markdown[m] == USD(2_823_529_440) && d.markdown[f] == .zero)
        #expect(d.rounds == 3)
    }

    /// A secured claim counts only its uncovered part: 100 owed against collateral worth 80 is a
    /// claim of 20 on a debtor whose free assets (10) and uncovered debts (20) leave it able to
    /// pay half of it — the lender's claim loses 10; with collateral worth 120 nothing is marked.
    @Test func collateralCoversFirst() {
        for (price, expected) in [(Price(80_000_000), usd(10)), (Price(120_000_000), .zero)] {
            var s = Scenario()
            let l = s.agent("L", .lender, liquid: [0: units(100)])
            let f = s.agent("F", .fund, liquid: [0: units(10)])
            s.loan(l, f, units(100), collateral: [1: units(100)], maintenance: Ratio(0), initial: Ratio(0))
            var model = s.model()
            model.state.market.assets[1].price = price
            let d = model.distress()
            #expect(d.markdown[l] == expected, "at \(price)")
            #expect(d.markdown[f] == .zero)
        }
    }
}
