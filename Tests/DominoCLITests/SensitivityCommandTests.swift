import DominoTestFixtures
import Foundation
import Testing

/// Issue 17 §4: `domino sensitivity` on the small episode with two assumptions.
@Suite struct SensitivityCommandTests {
    static func episode(_ dir: TempDir) throws -> String {
        try SmallEpisodeFixture.writeData(to: dir.file("data.zst"), name: "small-data")
        return try dir.write("small.yaml", "# sensitivity\nname: small\n" + SmallEpisodeFixture.body + """
        assumptions:
          - {name: l-cash, path: entities.L.liquid, scale: [1, 1.5], why: w}
          - {name: f-eth, path: entities.F.liquid.ETH, scale: [0.5, 1.5], why: w}
        outcomes:
          - {id: l-halt, metric: halt, entity: L, date: 2022-06-02, class: held-out, why: w, source: s}

        """)
    }

    @Test func jobsDoNotChangeTheTableAndTheHTMLNeverOverwrites() throws {
        let dir = TempDir(prefix: "domino-cli-sens")
        let spec = try Self.episode(dir)
        let one = try Domino.run(["sensitivity", spec, "--trajectories", "3", "--json", "--jobs", "1", "-q"])
        let two = try Domino.run(["sensitivity", spec, "--trajectories", "3", "--json", "--jobs", "2", "-q"])
        #expect(one.status == 0, "\(one.stderr)")
        #expect(one.stdout == two.stdout && one.stderr.isEmpty)
        #expect(one.stdout.contains("\"assumption\": \"l-cash\"") && one.stdout.contains("\"runs\": 9"))
        let table = try Domino.run(["sensitivity", spec, "--trajectories", "3", "--outcome", "l-halt", "-q", "--html", dir.file("t.html")])
        #expect(table.status == 0 && table.stdout.contains("l-halt (days)") && !table.stdout.contains("losses (USD)"))
        let page = try String(contentsOfFile: dir.file("t.html"), encoding: .utf8)
        #expect(page.contains("tornado") && page.contains("l-cash"))
        _ = try dir.write("mine.html", "my notes")
        let refused = try Domino.run(["sensitivity", spec, "--trajectories", "3", "-q", "--html", dir.file("mine.html")])
        #expect(refused.status == 2 && refused.stderr.contains("not a domino report"))
        #expect(try String(contentsOfFile: dir.file("mine.html"), encoding: .utf8) == "my notes")
    }

    @Test func anUnknownOutcomeIsOneLineExitTwo() throws {
        let dir = TempDir(prefix: "domino-cli-sens")
        let spec = try Self.episode(dir)
        let r = try Domino.run(["sensitivity", spec, "--outcome", "l-default", "-q"])
        #expect(r.status == 2 && r.stdout.isEmpty)
        #expect(r.stderr == "domino: --outcome l-default: 'l-default' is not a known outcome of small (choose from: l-halt, losses, liquidations)\n")
        let levels = try Domino.run(["sensitivity", spec, "--levels", "3", "-q"])
        #expect(levels.status == 2 && levels.stderr.hasPrefix("domino: ") && levels.stderr.contains("even"))
    }
}
