@testable import DominoSweep
import DominoModel
import GRDB
import Testing

@Suite struct RiskTableTests {
    /// Point 0: four runs (losses 100…400, halts in runs 0 and 3, depths 0, 2, 1, 3); point 1: one
    /// run with nothing. Entity L halts in run 0 only; F defaults and is insolvent in run 1.
    static func store() throws -> SweepStore {
        let store = try SweepStore()
        let one = Fixed.one
        let runs: [(Int, Int, Int64, Int, Int, Int64, Int64)] = [ // run, point, losses, halts, depth, liquidation, efficiency
            (0, 0, 100 * one, 1, 0, 10 * one, one / 2), (1, 0, 200 * one, 0, 2, 20 * one, one / 2),
            (2, 0, 300 * one, 0, 1, 30 * one, one), (3, 0, 400 * one, 1, 3, 40 * one, 0), (4, 1, 0, 0, 0, 0, one)]
        try store.db.write { db in
            for r in runs {
                try db.execute(sql: """
                    INSERT INTO runs VALUES (?, ?, 1, NULL, '{}', 0, '', '', '', NULL, ?, 0, 0, ?, 0, 0, ?, ?, 0, 0, ?, 0, 0, 0, 0, 0) -- the 4th, NULL: path (schema 4)
                    """, arguments: [r.0, r.1, r.2, r.3, r.4, r.6, r.5])
                let lHalt: Int64? = r.0 == 0 ? 5 : nil
                let fFail: Int64? = r.0 == 1 ? 6 : nil
                try db.execute(sql: "INSERT INTO run_entities VALUES (?, 'L', 'lender', '', ?, NULL, NULL, 0, 0, 0, 0, 0)", arguments: [r.0, lHalt])
                try db.execute(sql: "INSERT INTO run_entities VALUES (?, 'F', 'fund', '', NULL, ?, ?, 0, 0, 0, 0, 0)", arguments: [r.0, fFail, fFail])
            }
        }
        return store
    }

    func value(_ rows: [RiskRow], _ point: Int, _ metric: String, _ entity: String = "") -> Int64? {
        rows.first { $0.point == point && $0.metric == metric && $0.entity == entity }?.value
    }

    @Test func metricsPerPointByHand() throws {
        let rows = try RiskTable.compute(store: try Self.store(), resamples: 100)
        let one = Fixed.one
        #expect(value(rows, 0, "losses_mean") == 250 * one)
        #expect(value(rows, 0, "losses_var95") == 400 * one) // ⌈0.95 × 4⌉ = 4th
        #expect(value(rows, 0, "losses_es975") == 400 * one)
        #expect(value(rows, 0, "p_any_halt") == one / 2)
        #expect(value(rows, 0, "p_depth_ge2") == one / 2)
        #expect(value(rows, 0, "p_depth_eq_0") == one / 4)
        #expect(value(rows, 0, "p_depth_eq_3") == one / 4)
        #expect(value(rows, 0, "lar95") == 40 * one)
        #expect(value(rows, 0, "capital_efficiency") == one / 2)
        #expect(value(rows, 0, "p_halt", "L") == one / 4)
        #expect(value(rows, 0, "p_default", "F") == one / 4)
        #expect(value(rows, 0, "p_insolvency", "F") == one / 4)
        #expect(value(rows, 0, "p_halt", "F") == 0)
        #expect(value(rows, 1, "p_depth_eq_3") == 0)
        #expect(value(rows, 1, "capital_efficiency") == one)
        // One path: every resample is that path, the interval is the value.
        #expect(rows.filter { $0.point == 1 }.allSatisfy { $0.ciLow == $0.value && $0.ciHigh == $0.value && $0.n == 1 })
        #expect(rows.filter { $0.point == 0 }.allSatisfy { $0.ciLow <= $0.value && $0.value <= $0.ciHigh && $0.n == 4 })
        #expect(rows == rows.sorted { ($0.point, $0.metric, $0.entity) < ($1.point, $1.metric, $1.entity) })
    }

    @Test func writeReplacesItsRowsAndReadsThemBack() throws {
        let store = try Self.store()
        #expect(try RiskTable.read(store: store) == nil)
        let computed = try RiskTable.compute(store: store, resamples: 50)
        try RiskTable.write(store: store, resamples: 50)
        try RiskTable.write(store: store, resamples: 50)
        #expect(try RiskTable.read(store: store) == computed)
        #expect(try RiskTable.load(store: store) == computed)
        let text = StressReport(rows: computed).text()
        #expect(text.contains("0.0 [0.0, 0.0]")) // point 1's losses in $M
        #expect(text.contains("50.0%")) // point 0's P(any halt)
        #expect(StressReport(rows: computed).json().contains("\"metric\":\"losses_var95\""))
    }
}
