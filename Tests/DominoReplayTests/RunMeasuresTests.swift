import DominoLog
import DominoModel
@testable import DominoReplay
import DominoTestFixtures
import Foundation
import Testing

/// Outcome measures of a run: the small episode's worked example.
@Suite struct RunMeasuresTests {
    let dir = TempDir()

    /// L halts on 2 June 12:00 and recalls its loan from F the same moment; F, insolvent at market
    /// from 3 June (ETH halves), fails when it defaults on the recall on 5 June 12:00: L → F
    /// (recall), depth 2. L had lent 600 of
    /// its 1,000 of claims: capital efficiency 60%. Depositors lose 200.
    @Test func theSmallEpisode() throws {
        let path = try SmallEpisode.make(in: dir)
        let m = RunMeasures(run: try Replay.run(try Replay.loadSpec(path: path)))
        #expect(m.failures == [.init(entity: "L", kind: "halt", time: t("2022-06-02T12:00:00Z")),
                               .init(entity: "F", kind: "default", time: t("2022-06-05T12:00:00Z"))])
        #expect(m.chain == [.init(from: "L", to: "F", time: t("2022-06-05T12:00:00Z"), via: "recall")])
        #expect(m.contagionDepth == 2)
        #expect(m.capitalEfficiency == 60_000_000)
        #expect(m.depositorLosses == 200 * one)
        #expect(m.lossesByEntity == [.init(entity: "L", loss: 200 * one)])
        #expect(m.cohortLosses == [.init(platform: "L", cohort: "retail", loss: 200 * one, withdrawn: 400 * one)])
    }
}
