import DominoLog
import DominoTestFixtures
import Foundation
import Testing

/// `domino diff` through the real binary: run directories and specs, exit codes.
@Suite struct DiffCommandTests {
    let dir = TempDir()

    @Test func identicalRunsPrintNoDivergenceAndExitZero() throws {
        let spec = try ReplayFixture.make(in: dir)
        let r = try Domino.run(["diff", spec, "--fail-on-divergence"])
        #expect(r.status == 0)
        #expect(r.stderr == "")
        #expect(r.stdout.hasSuffix("no divergence: 772 events, identical states throughout\n"))
    }

    @Test func aDivergenceFailsOnlyWhenAsked() throws {
        let spec = try ReplayFixture.make(in: dir)
        let plain = try Domino.run(["diff", spec, "--b-set", "entities.L.policy.rehypothecationCap=0", "--json"])
        #expect(plain.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(plain.stdout.utf8)) as! [String: Any]
        let first = json["firstDivergence"] as! [String: Any]
        #expect(first["index"] as? Int == 336 && first["entity"] as? String == "L" && first["field"] as? String == "liquid[USDC]")
        #expect(json["identical"] as? Bool == false)
        let guarded = try Domino.run(["diff", spec, "--b-set", "entities.L.policy.rehypothecationCap=0", "--fail-on-divergence"])
        #expect(guarded.status == 1)
        #expect(guarded.stdout.contains("First divergence: as the window opens"))
        #expect(guarded.stdout.contains("  L liquid[USDC]: 400 → 1000"))
    }

    /// Two run directories written by `replay --out` are replayed from their run.json.
    @Test func runDirectoriesAreReplayedAndCheckedAgainstTheirHash() throws {
        let spec = try ReplayFixture.make(in: dir)
        #expect(try Domino.run(["replay", spec, "--quiet", "--out", dir.file("a")]).status == 0)
        #expect(try Domino.run(["replay", spec, "--quiet", "--set", "entities.L.policy.rehypothecationCap=0", "--out", dir.file("b")]).status == 0)
        let same = try Domino.run(["diff", dir.file("a"), dir.file("a"), "--quiet"])
        #expect(same.status == 0 && same.stdout.contains("no divergence"))
        let r = try Domino.run(["diff", dir.file("a"), dir.file("b"), "--quiet", "--fail-on-divergence"])
        #expect(r.status == 1)
        #expect(r.stdout.contains("L              halt        2022-06-02 12:00  → —                 avoided"))
        // A run directory whose recorded state no longer reproduces is refused.
        let runJSON = dir.file("a/run.json")
        let text = try String(contentsOfFile: runJSON, encoding: .utf8)
        let hashLine = text.split(separator: "\n").first { $0.contains("stateHash") }!
        try text.replacingOccurrences(of: String(hashLine), with: "  \"stateHash\": \"\(String(repeating: "0", count: 64))\",")
            .write(toFile: runJSON, atomically: true, encoding: .utf8)
        let stale = try Domino.run(["diff", dir.file("a"), dir.file("b"), "--quiet"])
        #expect(stale.status == 1)
        #expect(stale.stderr.hasPrefix("domino: \(dir.file("a")): the run directory does not reproduce"))
        // Adding overrides to a run directory is a usage error.
        #expect(try Domino.run(["diff", dir.file("a"), "--b-set", "seed=3"]).status == 2)
        #expect(try Domino.run(["diff", dir.file("nothing")]).status == 2)
    }
}
