@testable import DominoSweep
@testable import DominoReport
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
        // No metrics stored: the fan charts are a one-line note saying how to get them.
        #expect(sections.map(\.id) == ["risk-frontier", "risk-losses", "risk-table", "risk-fan"])
        #expect(sections[3].explanation.contains("--metrics-every 1d") && sections[3].body.isEmpty)
        let frontier = sections[0].body
        // Both points are on the frontier (one has less VaR, the other more efficiency).
        #expect(frontier.components(separatedBy: "pt front").count - 1 == 2)
        #expect(frontier.contains("VaR 95 $300"))
        let losses = sections[1].body
        #expect(losses.components(separatedBy: "<circle").count - 1 >= 4 + 1)
        #expect(losses.contains("0: {&quot;policy&quot;:&quot;none&quot;}") || losses.contains("0: {\"policy\":\"none\"}"))
        #expect(sections[2].body.contains("VaR95 $M"))
    }

    @Test func fanQuantilesAreLowerEmpiricalQuantilesByHand() {
        // Five paths 50, 10, 40, 20, 30: sorted 10…50; the ⌈q·5⌉-th smallest is 10 (5%: ⌈0.25⌉ = 1),
        // 20 (25%: ⌈1.25⌉ = 2), 30 (median: ⌈2.5⌉ = 3), 40 (75%: ⌈3.75⌉ = 4), 50 (95%: ⌈4.75⌉ = 5).
        var fan = EquityFan.Fan(entity: "L")
        fan.add(time: 7, equities: [50, 10, 40, 20, 30])
        #expect(fan.quantiles.map { $0[0] } == [10, 20, 30, 40, 50])
        // Twenty paths 1…20 (reversed): ranks 1, 5, 10, 15, 19.
        fan.add(time: 8, equities: Array((1...20).reversed()))
        #expect(fan.quantiles.map { $0[1] } == [1, 5, 10, 15, 19])
        #expect(fan.times == [7, 8] && fan.paths == [5, 20])
    }

    @Test func fansFromAStoreAndTheirCharts() throws {
        let store = try SweepStore()
        let one = Fixed.one
        try store.db.write { db in
            // Point 0: runs 0…4 (five paths), point 1: runs 5 and 6. Entities: lender L, fund F.
            for run in 0...6 {
                let point = run < 5 ? 0 : 1
                try db.execute(sql: "INSERT INTO runs VALUES (?, ?, 1, ?, ?, 0, '', '', '', NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)",
                               arguments: [run, point, run, point == 0 ? "{\"policy\":\"none\"}" : "{\"policy\":\"cap\"}"])
                for (entity, role) in [("L", "lender"), ("F", "fund")] {
                    try db.execute(sql: "INSERT INTO run_entities VALUES (?, ?, ?, 'survives', NULL, NULL, NULL, 0, 0, 0, 0, 0)", arguments: [run, entity, role])
                    // Equity of path k at t = 1000: (k + 1) × 100 USD; at t = 2000: −(k + 1) × 10 USD.
                    for (t, e) in [(Int64(1000), Int64(run + 1) * 100 * one), (2000, -Int64(run + 1) * 10 * one)] {
                        try db.execute(sql: "INSERT INTO metrics VALUES (?, ?, ?, 0, 0, 0, ?, NULL, 0, 0, 0, 0)", arguments: [run, t, entity, e])
                    }
                }
            }
        }
        let fans = try EquityFan.fans(store: store, point: 0)
        #expect(fans.map(\.entity) == ["L"]) // the fund is not a platform
        #expect(fans[0].times == [1000, 2000] && fans[0].paths == [5, 5])
        // t = 1000: 100…500 USD; t = 2000: −50…−10, so the 5% is −50 and the 95% −10.
        #expect(fans[0].quantiles.map { $0[0] } == [100, 200, 300, 400, 500].map { $0 * one })
        #expect(fans[0].quantiles.map { $0[1] } == [-50, -40, -30, -20, -10].map { $0 * one })
        // Point 1 (runs 5, 6: 600 and 700 USD): its median is the ⌈0.5 × 2⌉ = 1st smallest, 600.
        #expect(try EquityFan.fans(store: store, point: 1)[0].quantiles[2] == [600 * one, -70 * one])
        let sections = try EquityFan.sections(store: store)
        #expect(sections.map(\.id) == ["risk-fan-0"])
        let svg = sections[0].body
        #expect(svg.components(separatedBy: "class=\"gap c0\"").count - 1 == 2) // the 5–95% and 25–75% bands
        #expect(svg.contains("median (policy=cap)") && svg.contains("5% (policy=none)"))
        #expect(sections[0].explanation.contains("over 5 paths of policy=none"))
        #expect(try EquityFan.sections(store: store).map(\.body) == sections.map(\.body)) // the same bytes again
    }

    @Test func pointLabels() {
        #expect(EquityFan.label("{\"policy\":\"none\"}") == "policy=none")
        #expect(EquityFan.label("{\"b\":2,\"a\":\"x\"}") == "a=x, b=2")
        #expect(EquityFan.label("{}") == "the spec as written")
        #expect(EquityFan.label("not json") == "not json")
    }
}
