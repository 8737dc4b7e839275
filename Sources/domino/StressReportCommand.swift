import ArgumentParser
import DominoSweep
import Foundation

/// `domino stress report DIR [--json]`: the risk metrics of a stress (or `sweep --seeds N`)
/// directory, from its `risk` table, or computed without writing when it has none.
struct StressReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Print the risk metrics of a stress or sweep directory over its paths (seeds).",
        discussion: """
        One row per grid point: depositor losses (mean, VaR 95, ES 97.5, ES 99), P(any halt),
        P(contagion depth ≥ 2), liquidation volume at the 95th percentile and capital efficiency,
        each with its 90% bootstrap interval; then per entity P(halt), P(default), P(insolvency).
        Reads the `risk` table, or computes it without writing when the database has none (a
        `domino sweep --seeds N` directory). Definitions: docs/stress-metrics.md.
        """)

    @Argument(help: "The stress or sweep --out directory (or its results.sqlite).") var dir: String
    @Flag(help: "Print JSON instead of the table.") var json = false

    func run() throws {
        try SweepCommand.reporting {
            let report = StressReport(rows: try RiskTable.load(store: try SweepCommand.reportStore(dir)))
            Output.write(json ? report.json() : report.text())
        }
    }
}
