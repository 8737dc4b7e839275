import DominoTestFixtures
import Foundation
import Testing

/// `domino sweep` with a grid point whose replay fails: the other runs are stored, the sweep
/// exits 1 with one line naming the failed runs, `sweep report` lists them, and a rerun does not
/// run them again (it exits 1 again, naming them).
@Suite struct SweepCommandTests {
    let dir = TempDir()

    @Test func failedRunsAreStoredNamedAndReported() throws {
        let spec = try ReplayFixture.make(in: dir)
        let out = dir.file("sweep")
        let args = ["sweep", spec, "--grid", "datasets=[data.zst],[nothere.zst]", "--jobs", "1", "--quiet", "--out", out]
        let r = try Domino.run(args)
        #expect(r.status == 1)
        #expect(r.stdout.hasPrefix("small: 2 runs (2 grid points × 1 seed): 2 run now (1 failed) → "))
        #expect(r.stderr.hasPrefix("domino: \(out)/results.sqlite: 1 run failed and is stored as failed: run 1 (datasets=[nothere.zst] seed=7); the first: "))
        #expect(r.stderr.contains("nothere.zst") && r.stderr.filter { $0 == "\n" }.count == 1)
        let again = try Domino.run(args)
        #expect(again.status == 1)
        #expect(again.stdout.contains("0 run now, 2 already done"))
        let report = try Domino.run(["sweep", "report", out])
        #expect(report.status == 0)
        #expect(report.stdout.contains("2 of 2 runs, 1 failed (listed below; not ranked)"))
        #expect(report.stdout.contains("Failed runs:\n  run 1 (datasets=[nothere.zst] seed=7): "))
    }
}
