import DominoTestFixtures
import Foundation
import Testing

/// `domino stress` through the real binary: a study of paths × points, resumed, and the same
/// study planned, run shard by shard and merged.
@Suite struct StressCommandTests {
    let dir = TempDir()

    @Test func stressRunsResumesAndEqualsItsShardedPlan() throws {
        let spec = try ReplayFixture.make(in: dir)
        let out = dir.file("stress")
        let args = ["stress", spec, "--paths", "3", "--grid", "entities.L.policy.rehypothecationCap=1,0", "--seed", "11",
                    "--jobs", "2", "--quiet", "--out", out]
        let r = try Domino.run(args)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("small: 3 paths × 2 points (recorded, seed 11) = 6 runs: 6 run now in "))
        #expect(r.stdout.hasSuffix(" → \(out)/results.sqlite\n") && r.stderr.isEmpty)
        let again = try Domino.run(args)
        #expect(again.status == 0 && again.stdout.contains("= 6 runs: 0 run now, 6 already done"))
        // Another study seed is another study: refused in the same directory.
        var other = args
        other[other.firstIndex(of: "11")!] = "12"
        let refused = try Domino.run(other)
        #expect(refused.status == 2 && refused.stderr == "domino: \(out)/results.sqlite holds a different sweep (the study --seed differs); use another --out or remove it\n")

        let plan = dir.file("plan")
        let planned = try Domino.run(["sweep", "plan", spec, "--paths", "3", "--grid", "entities.L.policy.rehypothecationCap=1,0", "--seed", "11",
                                      "--shard-runs", "2", "--out", plan])
        #expect(planned.status == 0 && planned.stdout.hasPrefix("small: 6 runs in 3 baseline groups, 3 shards of at most 2 runs"), "\(planned.stderr)")
        for k in 0..<3 { #expect(try Domino.run(["sweep", "run-shard", plan, "--shard", "\(k)", "--quiet"]).status == 0) }
        #expect(try Domino.run(["sweep", "merge", plan]).status == 0)
        // The same results (row for row: StressTests in DominoSweepTests; here through the report).
        let local = try Domino.run(["sweep", "report", out, "--json"]), sharded = try Domino.run(["sweep", "report", plan, "--json"])
        #expect(local.status == 0 && !local.stdout.isEmpty && local.stdout == sharded.stdout)
    }

    @Test func usageErrors() throws {
        let spec = try ReplayFixture.make(in: dir)
        let both = try Domino.run(["sweep", "plan", spec, "--paths", "2", "--seeds", "2", "--out", dir.file("p")])
        #expect(both.status == 2 && both.stderr.contains("--seeds and --paths cannot be combined"))
        let generator = try Domino.run(["stress", spec, "--paths", "2", "--generator", "nope", "--out", dir.file("s")])
        #expect(generator.status == 2 && generator.stderr.contains("unknown generator 'nope'"), "\(generator.stderr)")
        let policies = try Domino.run(["stress", spec, "--paths", "2", "--policy", "a", "--grid", "policy=b", "--out", dir.file("s")])
        #expect(policies.status == 2 && policies.stderr == "domino: give policies with --policy or --grid policy=…, not both\n")
    }

    @Test func calibratePrintsTheGBMJumpCalibration() throws {
        let spec = try ReplayFixture.make(in: dir)
        let text = try Domino.run(["stress", "calibrate", spec])
        #expect(text.status == 0 && text.stderr == "")
        #expect(text.stdout.contains("gbm-jump calibration") && text.stdout.contains("correlation of the diffusion"))
        let json = try Domino.run(["stress", "calibrate", spec, "--json", "--generator", "gbm-jump:k=6"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["k"] as? Double == 6 && (object["assets"] as? [Any])?.isEmpty == false)
        #expect(try Domino.run(["stress", "calibrate", spec]).stdout == text.stdout) // the same bytes again
    }
}
