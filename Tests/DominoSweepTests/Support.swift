import DominoLog
import DominoModel
import DominoReplay
import DominoSweep
import DominoTestFixtures
import Foundation

let hour: Int64 = 3_600_000
let one = Fixed.one
func t(_ iso: String) -> Int64 { UTCTime.parse(iso)! }

/// The hand-computed episode of the replay tests: a lender L with 1,000 USDC of customer claims
/// keeps 400 and lends 600 unsecured to a fund F holding 0.4 ETH; ETH halves on 3 June;
/// depositors withdraw 300 on 1 June and 200 on 2 June. As written: L halts on 2 June (it has
/// 100 left for the 200 asked), recalls the loan, F goes insolvent on 3 June and defaults on
/// 5 June, L recognises a 200 loss and its depositors lose 200. With no rehypothecation nothing
/// happens at all. A policy set `no-rehyp` (cap 0) sits in `policies/` beside the spec.
enum Tiny {
    static let spec = "name: tiny\n" + SmallEpisodeFixture.body

    static let policy = """
    name: no-rehyp
    description: nothing lent
    policy:
      rehypothecationCap: 0

    """

    static func writeData(to path: String) throws { try SmallEpisodeFixture.writeData(to: path, name: "tiny-data") }

    /// Writes the spec, its data and the policy set into `dir`; returns the spec's path.
    static func make(in dir: TempDir) throws -> String {
        try writeData(to: dir.file("data.zst"))
        try dir.write("policies/no-rehyp.yaml", policy)
        return try dir.write("tiny.yaml", spec)
    }

    static func plan(_ dir: TempDir, _ grid: [String], seeds: Int?) throws -> SweepPlan {
        let plan = try SweepPlan(specPath: try make(in: dir), grid: try Grid(axes: grid.map(GridAxis.parse), seeds: seeds))
        try plan.validate()
        return plan
    }

    /// Runs a sweep into a new (or existing) database file.
    @discardableResult
    static func sweep(_ plan: SweepPlan, into path: String, jobs: Int, stopAfter: Int? = nil, only: Set<Int>? = nil) throws -> (SweepStore, Sweep.Result) {
        let store = try SweepStore(path: path)
        try store.claim(plan.meta(metrics: .all))
        var o = Sweep.Options(jobs: jobs)
        o.metrics = .all
        o.stopAfter = stopAfter
        o.only = only
        return (store, try Sweep(plan: plan, options: o).run(store: store))
    }
}
