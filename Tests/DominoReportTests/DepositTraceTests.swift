import DominoModel
import DominoReplay
@testable import DominoReport
import Testing

/// 100 USDC of the retail cohort, at the window's start: L owes its depositors 1,000 USDC and
/// holds 400 liquid and a 600 loan to F, so pro rata 40 stay liquid and 60 go to F; F holds no
/// USDC (it bought ETH), so those 60 are "not held". Claims per dollar: (100 + 60) / 100 = 1.6.
/// At the end the cohort has 600 of claims left (400 paid) on an insolvent L with a 200 hole:
/// it loses a third, so the deposit loses 33.33333333 USDC, all of it on F's default.
@Suite struct DepositTraceTests {
    @Test func followsTheDepositProRata() throws {
        let e = try Episode()
        let t = try DepositTrace.trace(e.spec(), cohort: "retail", asset: "USDC", quantity: 100 * Fixed.one, at: nil)
        #expect(t.legs.map { [$0.from, $0.to, $0.kind] } == [["L", "held liquid", "held"], ["L", "F", "lent"], ["F", "not held", "not-held"]])
        #expect(t.legs.map(\.quantity) == [40 * Fixed.one, 60 * Fixed.one, 60 * Fixed.one])
        #expect(t.legs.map(\.depth) == [1, 1, 2])
        #expect(t.claimsPerDollar == 160_000_000)
        #expect(t.lost == 3_333_333_333)
        #expect(t.returned == 100 * Fixed.one - 3_333_333_333)
        #expect(t.lossBySource.map(\.0) == ["loss on F"])
        #expect(t.platformStatus == "insolvent")
        #expect(t.sankey(id: "s").flows.count == 4)
    }

    @Test func afterTheDefaultNothingIsLentAnyMore() throws {
        let e = try Episode()
        let t = try DepositTrace.trace(e.spec(), cohort: "retail", asset: "USDC", quantity: 100 * Fixed.one, at: Episode.t("2022-06-06T00:00:00Z"))
        #expect(!t.legs.contains { $0.kind == "lent" })
        #expect(t.claimsPerDollar == Fixed.one)
    }

    @Test func anUnknownCohortIsAUsageError() throws {
        let e = try Episode()
        #expect(throws: (any Error).self) { try DepositTrace.trace(e.spec(), cohort: "nobody", asset: "USDC", quantity: Fixed.one, at: nil) }
    }
}
