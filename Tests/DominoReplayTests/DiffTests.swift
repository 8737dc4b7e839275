import DominoLog
import DominoModel
@testable import DominoReplay
import DominoTestFixtures
import Foundation
import Testing

/// `domino diff` on the small hand-computed episode (Support.swift). Its log has, every hour
/// from 25 May 00:00, a USDC and an ETH price (the withdrawals come first in their hour), so
/// the window opens (1 June 00:00) at event 7 × 24 × 2 = 336 and the first withdrawal (1 June
/// 12:00, 300) is event 336 + 12 × 2 = 360.
@Suite struct DiffTests {
    let dir = TempDir()

    func side(_ path: String, _ sets: [String] = []) -> DiffSide {
        DiffSide(specPath: path, overrides: sets.map { Overrides.Assignment($0)! }, label: path)
    }

    @Test func identicalRunsHaveNoDivergence() throws {
        let path = try SmallEpisode.make(in: dir)
        let diff = try Diff.compare(side(path), side(path))
        #expect(diff.identical)
        #expect(diff.divergence == nil)
        #expect(diff.fates.allSatisfy { $0.change == "unchanged" })
        #expect(diff.series.isEmpty)
        #expect(diff.losses.allSatisfy { $0.a == $0.b })
        #expect(diff.text().hasSuffix("no divergence: \(NumberText.grouped(Int64(diff.events))) events, identical states throughout\n"))
        #expect(diff.events == 16 * 24 * 2 + 2 + 2) // 25 May 00:00 … 10 June 00:00 hourly, two prices each, two withdrawals
    }

    /// A gate of 20% of claims per week first matters at the first withdrawal (300 > 200): L pays
    /// 200 and queues 100. Nothing differs before that event.
    @Test func aGateDivergesAtTheFirstWithdrawal() throws {
        let path = try SmallEpisode.make(in: dir)
        let diff = try Diff.compare(side(path), side(path, ["entities.L.policy.withdrawalGate={maxShare: 0.2, window: 7d}"]))
        let d = try #require(diff.divergence)
        #expect(d.index == 360)
        #expect(d.time == t("2022-06-01T12:00:00Z"))
        #expect(d.event == "withdrawal-request")
        #expect(!d.atSettle)
        #expect(d.entity == "L")
        #expect(!diff.identical)
    }

    /// With no rehypothecation the book is rebuilt as the window opens: F hands the 600 back,
    /// so L's liquid USDC is 1,000 instead of 400 before event 336 is applied. Every failure of
    /// the baseline is avoided; depositors' 200 of losses go.
    @Test func aPolicyOnTheBookDivergesAsTheWindowOpens() throws {
        let path = try SmallEpisode.make(in: dir)
        let diff = try Diff.compare(side(path), side(path, ["entities.L.policy.rehypothecationCap=0"]))
        let d = try #require(diff.divergence)
        #expect(d.index == 336)
        #expect(d.atSettle)
        #expect(d.entity == "L")
        #expect(d.field == "liquid[USDC]")
        #expect(d.a == "400" && d.b == "1000")
        #expect(diff.fates.map { "\($0.entity) \($0.kind) \($0.change)" } == ["L halt avoided", "L insolvency avoided", "F default avoided", "F insolvency avoided"])
        #expect(diff.measuresA.depositorLosses == 200 * one && diff.measuresB.depositorLosses == 0)
        #expect(diff.losses == [RunDiff.LossDelta(entity: "L", cohort: "", a: 200 * one, b: 0)])
        #expect(diff.measuresA.contagionDepth == 2 && diff.measuresB.contagionDepth == 0)
        // Series are listed largest difference first.
        #expect(zip(diff.series, diff.series.dropFirst()).allSatisfy { $0.magnitude >= $1.magnitude })
        let json = diff.json.render()
        #expect(json.contains("\"firstDivergence\":{\"a\":\"400\",\"atWindowStart\":true,\"b\":\"1000\""))
    }

    /// A shorter window reads fewer events: the runs do not share one input log.
    @Test func runsOverDifferentLogsAreRefused() throws {
        let path = try SmallEpisode.make(in: dir)
        let other = TempDir()
        try SmallEpisode.writeData(to: other.file("data.zst"))
        let text = SmallEpisode.spec.replacingOccurrences(of: "window: {from: 2022-06-01, to: 2022-06-10}", with: "window: {from: 2022-06-01, to: 2022-06-09}")
        let path2 = try other.write("small.yaml", text)
        #expect(throws: SpecError.self) { try Diff.compare(side(path), side(path2)) }
    }
}
