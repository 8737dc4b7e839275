@testable import DominoSweep
import DominoReport
import DominoModel
import GRDB
import Testing

@Suite struct StressViewTests {
    @Test func frontierAndDistributionOfATinyStore() throws {
        let store = try SweepStore()
        let one = Fixed.one
        // Point 0: losses 100, 300 (VaR 95 = 300), efficiency 50%; point 1: losses 0, 0, efficiency 20%.
        let runs: [(Int, Int, Int64, Int64)] = [(0, 0, 100 * one, one / 2), (1, 0, 300 * one, one / 2), (2, 1, 0, one / 5), (3, 1, 0, one / 5)]
        try store.db.write { db in
            for r in runs {
                try db.execute(sql: "INSERT INTO runs VALUES (?, ?, 1, NULL, ?, 0, '', '', '', NULL, ?, 0, 0, 0, 0, 0, 0, ?, 0, 0, 0, 0, 0, 0, 0, 0)", // the 4th, NULL: path (schema 4)
                               arguments: [r.0, r.1, r.1 == 0 ? "{\"policy\":\"none\"}" : "{\"policy\":\"cap\"}", r.2, r.3])
            }
        }
        let sections = try StressView.sections(store: store)
        #expect(sections.map(\.id) == ["risk-frontier", "risk-losses", "risk-table"])
        let frontier = sections[0].body
        // Both points are on the frontier (one has less VaR, the other more efficiency).
        #expect(frontier.components(separatedBy: "pt front").count - 1 == 2)
        #expect(frontier.contains("VaR 95 $300"))
        let losses = sections[1].body
        #expect(losses.components(separatedBy: "<circle").count - 1 >= 4 + 1)
        #expect(losses.contains("0: {&quot;policy&quot;:&quot;none&quot;}") || losses.contains("0: {\"policy\":\"none\"}"))
        #expect(sections[2].body.contains("VaR95 $M"))
    }
}
