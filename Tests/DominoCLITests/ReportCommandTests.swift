import DominoTestFixtures
import Foundation
import Testing

/// `domino report` and `domino trace` as a user runs them, on the hand-computed episode.
@Suite struct ReportCommandTests {
    func episode() throws -> TempDir {
        let dir = TempDir(prefix: "domino-cli-report")
        try dir.write("small.yaml", "name: small\n" + SmallEpisodeFixture.body)
        try SmallEpisodeFixture.writeData(to: dir.file("data.zst"), name: "small-data")
        return dir
    }

    @Test func reportWritesOneFileAndPrintsItsPath() throws {
        let dir = try episode()
        let r = try Domino.run(["report", dir.file("small.yaml"), "--quiet", "--out", dir.file("r.html")])
        #expect(r.status == 0)
        #expect(r.stdout == dir.file("r.html") + "\n")
        let html = try String(contentsOfFile: dir.file("r.html"), encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("id=\"scrub-data\"") && !html.contains("http"))
        // A second process writes the same bytes; a counterfactual pair draws two networks.
        _ = try Domino.run(["report", dir.file("small.yaml"), "--quiet", "--out", dir.file("again.html")])
        #expect(FileManager.default.contents(atPath: dir.file("again.html")) == FileManager.default.contents(atPath: dir.file("r.html")))
        let pair = try Domino.run(["report", dir.file("small.yaml"), "--b-set", "entities.L.liquid.USDC=1000", "--quiet", "--out", dir.file("pair.html")])
        #expect(pair.status == 0)
        #expect(try String(contentsOfFile: dir.file("pair.html"), encoding: .utf8).contains("id=\"net1\""))
    }

    @Test func reportOfASweepHasItsFourViews() throws {
        let dir = try episode()
        let sweep = try Domino.run(["sweep", dir.file("small.yaml"), "--grid", "model.recoveryRate=0.5,1", "--grid", "entities.L.liquid.USDC=400,1000",
                                    "--seeds", "2", "--jobs", "1", "--quiet", "--out", dir.file("sweep")])
        #expect(sweep.status == 0)
        let r = try Domino.run(["report", dir.file("sweep"), "--out", dir.file("s.html")])
        #expect(r.status == 0)
        let html = try String(contentsOfFile: dir.file("s.html"), encoding: .utf8)
        for id in ["pareto", "heatmap", "seeds", "failed"] { #expect(html.contains("<section id=\"\(id)\">"), "\(id)") }
        // 2 × 2 grid cells, 4 points × 2 seeds as dots.
        #expect(html.components(separatedBy: "<rect x=").count - 1 >= 4)
        #expect(html.components(separatedBy: "class=\"dot c0 faint\"").count - 1 == 8)
    }

    @Test func reportUsageErrorsExitTwo() throws {
        let dir = try episode()
        let bad = try Domino.run(["report", dir.file("small.yaml"), "--out", dir.file("r.txt")])
        #expect(bad.status == 2 && bad.stderr.contains("--out must name an .html file"))
        let three = try Domino.run(["report", "a", "b", "c", "--out", dir.file("r.html")])
        #expect(three.status == 2)
        #expect(!FileManager.default.fileExists(atPath: dir.file("r.html")))
    }

    @Test func traceFollowsTheDepositInTextAndJSON() throws {
        let dir = try episode()
        let text = try Domino.run(["trace", dir.file("small.yaml"), "--cohort", "retail", "--asset", "USDC", "--amount", "100"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("L → F [lent] 60 USDC"))
        #expect(text.stdout.contains("Claims outstanding per dollar deposited: 1.6"))
        let json = try Domino.run(["trace", dir.file("small.yaml"), "--cohort", "retail", "--asset", "USDC", "--amount", "100", "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        #expect(object["allocation"] as? String == "pro-rata")
        #expect((object["end"] as! [String: Any])["lost"] as? Double == 33.33333333)
        let unknown = try Domino.run(["trace", dir.file("small.yaml"), "--cohort", "nobody", "--asset", "USDC", "--amount", "1"])
        #expect(unknown.status == 2 && unknown.stderr.hasPrefix("domino: no cohort 'nobody'"))
    }
}
