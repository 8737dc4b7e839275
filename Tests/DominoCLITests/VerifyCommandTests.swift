import DominoLog
import DominoTestFixtures
import Foundation
import Testing

/// `domino verify` and `domino calibrate` as a user runs them, on the small episode (L halts on
/// 2 June; its depositors take out 300 of 1,000 on 1 June).
@Suite struct VerifyCommandTests {
    static func episode(_ dir: TempDir, outcomes: String) throws -> String {
        try SmallEpisodeFixture.writeData(to: dir.file("data.zst"), name: "small-data")
        return try dir.write("small.yaml", "# verify\nname: small\n" + SmallEpisodeFixture.body + "verify: {seeds: 3}\noutcomes:\n" + outcomes)
    }

    @Test func seedsFromTheSpecAndJobsDoNotChangeTheOutput() throws {
        let dir = TempDir(prefix: "domino-cli-verify")
        let spec = try Self.episode(dir, outcomes: """
          - {id: l-halt, metric: halt, entity: L, date: 2022-06-02, class: held-out, why: w, source: s}
          - {id: l-outflow, metric: outflow, entity: L, from: 2022-06-01, to: 2022-06-02, value: 30%, class: fitted, why: w, source: s}

        """)
        let one = try Domino.run(["verify", spec, "--json", "--jobs", "1", "-q"])
        let three = try Domino.run(["verify", spec, "--json", "--jobs", "3", "-q"])
        #expect(one.status == 0 && three.status == 0, "\(one.stderr)")
        #expect(one.stdout == three.stdout)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(one.stdout.utf8)) as? [String: Any])
        #expect((json["heldOut"] as? [String: Int]) == ["passed": 1, "rows": 1])
        #expect((json["fitted"] as? [String: Int]) == ["passed": 1, "rows": 1])
        let specs = try #require(json["specs"] as? [[String: Any]])
        #expect((specs[0]["seeds"] as? [String])?.count == 3)
        let table = try Domino.run(["verify", spec, "--seeds", "2", "-q"])
        #expect(table.stdout.contains("held out: 1 of 1 pass; fitted: 1 of 1 pass") && table.stdout.contains("2/2"))
    }

    /// `--paths`: each path draws the spec's assumptions; the table shows the interval and the
    /// share of paths within tolerance; the output does not depend on --jobs; --seeds excludes it.
    @Test func pathsShowIntervalsAndJobsDoNotChangeThem() throws {
        let dir = TempDir(prefix: "domino-cli-verify")
        let spec = try Self.episode(dir, outcomes: """
          - {id: l-outflow, metric: outflow, entity: L, from: 2022-06-01, to: 2022-06-02, value: 30%, class: fitted, why: w, source: s}
        assumptions:
          - {name: claims, path: "cohorts[0].claims.USDC", range: [900, 1100], why: w}

        """)
        let one = try Domino.run(["verify", spec, "--paths", "3", "--paths-seed", "5", "--json", "--jobs", "1", "-q"])
        let two = try Domino.run(["verify", spec, "--paths", "3", "--paths-seed", "5", "--json", "--jobs", "2", "-q"])
        #expect(one.status == 0 && one.stdout == two.stdout, "\(one.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(one.stdout.utf8)) as? [String: Any])
        let specs = try #require(json["specs"] as? [[String: Any]])
        #expect(specs[0]["paths"] as? Int == 3 && specs[0]["pathsSeed"] as? String == "5")
        let row = try #require((specs[0]["outcomes"] as? [[String: Any]])?.first)
        // 300 of 900 … 1,100: every path within 30% ± 5 points.
        #expect(row["pWithin"] as? String == "100%" && row["withinTolerance"] as? Int == 3 && row["result"] as? String == "pass")
        let table = try Domino.run(["verify", spec, "--paths", "3", "-q"])
        #expect(table.status == 0 && table.stdout.contains("5–95%") && table.stdout.contains("100% (3/3)"))
        #expect(table.stdout.contains("of 3 paths"))
        let both = try Domino.run(["verify", spec, "--paths", "3", "--seeds", "2"])
        #expect(both.status == 2 && both.stderr.contains("--paths and --seeds"))
    }

    @Test func aFailureExitsOneAndAWideToleranceIsAUsageOfTheSpec() throws {
        let dir = TempDir(prefix: "domino-cli-verify")
        let failing = try Self.episode(dir, outcomes: "  - {id: l-halt, metric: halt, entity: L, date: 2022-06-06, class: held-out, why: w, source: s}\n")
        let r = try Domino.run(["verify", failing, "-q"])
        #expect(r.status == 1 && r.stdout.contains("FAIL"))
        let wide = try Self.episode(dir, outcomes: "  - {id: l-halt, metric: halt, entity: L, date: 2022-06-02, tolerance: 14d, class: held-out, why: w, source: s}\n")
        let w = try Domino.run(["verify", wide, "-q"])
        #expect(w.status == 1 && w.stderr.hasPrefix("domino: ") && w.stderr.contains("at most ±2d"))
    }

    @Test func calibrateWritesTheFittedValuesAndNeverOverwrites() throws {
        let dir = TempDir(prefix: "domino-cli-calibrate")
        try SmallEpisodeFixture.writeData(to: dir.file("data.zst"), name: "small-data")
        let body = SmallEpisodeFixture.body.replacingOccurrences(of: "liquid: {USDC: 400}", with: "liquid: {USDC: 10000}")
            .replacingOccurrences(of: "amount: 600", with: "amount: 0.00000001")
        try dir.write("fit.yaml", "# fit\nname: fit\n" + body + """
        outcomes:
          - {id: l-outflow, metric: outflow, entity: L, from: 2022-06-01, to: 2022-06-03, value: 25%, class: fitted, why: w, source: s}

        """)
        try dir.write("out.yaml", "# out\nname: out\n" + body)
        let plan = try dir.write("plan.yaml", """
        fit:
          - {spec: fit.yaml, targets: [l-outflow]}
        holdOut: [out.yaml]
        parameters:
          cohorts[0].claims.USDC: [1000, 3000]
        search: {steps: 5, rounds: 1}
        """)
        let r = try Domino.run(["calibrate", plan, "--out", dir.file("fitted.set"), "-q"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("cohorts[0].claims.USDC = 2000") && r.stdout.contains("→ 0.0000"))
        let written = try String(contentsOfFile: dir.file("fitted.set"), encoding: .utf8)
        #expect(written.hasSuffix("\ncohorts[0].claims.USDC=2000\n"))
        let again = try Domino.run(["calibrate", plan, "--out", dir.file("fitted.set"), "-q"])
        #expect(again.status == 2 && again.stderr.contains("exists"))
        #expect(try String(contentsOfFile: dir.file("fitted.set"), encoding: .utf8) == written)
    }
}
