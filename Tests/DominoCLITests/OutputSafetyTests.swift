import DominoLog
import DominoTestFixtures
import Foundation
import Testing

/// Nothing a user owns is deleted or overwritten: `replay --out` writes only its own files,
/// refuses a directory of other files without `--force`, and cleans only the staging of dead
/// processes; `import --out` never replaces an input; `sweep` and `report` refuse others' files.
@Suite struct OutputSafetyTests {
    let dir = TempDir()

    func names(_ path: String) throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: path).sorted() }

    /// The pid of a process that has exited (and been reaped): no process has it now.
    func deadPID() throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/true")
        try p.run()
        p.waitUntilExit()
        return p.processIdentifier
    }

    @Test func replayIntoTheSpecsOwnDirectoryIsRefusedAndForceTouchesNothingElse() throws {
        let spec = try ReplayFixture.make(in: dir)
        try dir.write("notes.txt", "mine\n")
        let before = try names(dir.path)
        let refused = try Domino.run(["replay", spec, "--out", ".", "--quiet"], cwd: dir.path)
        #expect(refused.status == 2)
        #expect(refused.stderr.hasPrefix("domino: --out .: the directory holds files that are not a run's (data.zst, notes.txt, small.yaml)"))
        #expect(try names(dir.path) == before)

        let forced = try Domino.run(["replay", spec, "--out", ".", "--quiet", "--force"], cwd: dir.path)
        #expect(forced.status == 0)
        #expect(try names(dir.path) == (before + ["metrics.csv", "network.csv", "outcomes.zst", "run.json", "spec.resolved", "summary.json"]).sorted())
        #expect(try String(contentsOfFile: dir.file("notes.txt"), encoding: .utf8) == "mine\n")
        #expect(try String(contentsOfFile: spec, encoding: .utf8) == ReplayFixture.spec)
    }

    @Test func aPreviousRunIsReplacedAndRunJsonWorksFromAnywhere() throws {
        let spec = try ReplayFixture.make(in: dir)
        let first = try Domino.run(["replay", "small.yaml", "--out", "runs/a", "--quiet"], cwd: dir.path)
        #expect(first.status == 0)
        let again = try Domino.run(["replay", "small.yaml", "--out", "runs/a", "--quiet", "--set", "seed=8"], cwd: dir.path)
        #expect(again.status == 0)
        #expect(try names(dir.file("runs/a")) == ["metrics.csv", "network.csv", "outcomes.zst", "run.json", "spec.resolved", "summary.json"])
        #expect(try names(dir.file("runs")) == ["a"])
        let run = try String(contentsOfFile: dir.file("runs/a/run.json"), encoding: .utf8)
        #expect(run.contains("\"spec\": \"\(URL(fileURLWithPath: spec).standardizedFileURL.path)\""))
        // diff finds the spec from another working directory.
        let diff = try Domino.run(["diff", dir.file("runs/a"), "--quiet"], cwd: "/")
        #expect(diff.status == 0, "\(diff.stderr)")
    }

    @Test func staleStagingOfDeadProcessesIsCleanedAndLiveOnesKept() throws {
        let spec = try ReplayFixture.make(in: dir)
        #expect(try Domino.run(["replay", spec, "--out", dir.file("run"), "--quiet"]).status == 0)
        let dead = try deadPID(), live = ProcessInfo.processInfo.processIdentifier
        try dir.write("run/.domino-tmp-\(dead)/metrics.csv", "half\n")
        try dir.write("run/.domino-tmp-\(live)/metrics.csv", "in progress\n")
        try dir.write("run.tmp-\(dead)/summary.json", "{}\n")               // the layout before this one
        try dir.write("cp/.checkpoint-2022-06-04T000000Z.json.tmp-\(dead)", "{")
        let r = try Domino.run(["replay", spec, "--out", dir.file("run"), "--quiet", "--checkpoint-every", "3d", "--checkpoint-dir", dir.file("cp")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try names(dir.file("run")).filter { $0.hasPrefix(".") } == [".domino-tmp-\(live)"])
        #expect(!FileManager.default.fileExists(atPath: dir.file("run.tmp-\(dead)")))
        #expect(try names(dir.file("cp")).allSatisfy { !$0.contains(".tmp-") })
    }

    @Test func importNeverReplacesAnInputOrAForeignFile() throws {
        let csv = try dir.write("prices.csv", "time,price\n2022-06-01T00:00:00Z,1\n")
        let r = try Domino.run(["import", "--name", "p", "--out", csv, "BTC=\(csv)"])
        #expect(r.status == 2)
        #expect(r.stderr == "domino: --out \(csv): is also an input (\(csv)); write the log to another file\n")
        #expect(try String(contentsOfFile: csv, encoding: .utf8) == "time,price\n2022-06-01T00:00:00Z,1\n")
        let notes = try dir.write("notes.zst", "mine\n")
        let foreign = try Domino.run(["import", "--name", "p", "--out", notes, "BTC=\(csv)"])
        #expect(foreign.status == 2)
        #expect(try String(contentsOfFile: notes, encoding: .utf8) == "mine\n")
        // A log is replaced (the import's own kind of file).
        #expect(try Domino.run(["import", "--name", "p", "--out", dir.file("p.zst"), "BTC=\(csv)", "--quiet"]).status == 0)
        #expect(try Domino.run(["import", "--name", "p", "--out", dir.file("p.zst"), "BTC=\(csv)", "--quiet"]).status == 0)
    }

    @Test func sweepAndReportRefuseOthersFiles() throws {
        let spec = try ReplayFixture.make(in: dir)
        try dir.write("mine/notes.txt", "mine\n")
        let sweep = try Domino.run(["sweep", spec, "--seeds", "1", "--out", dir.file("mine"), "--quiet"])
        #expect(sweep.status == 2)
        #expect(sweep.stderr.hasPrefix("domino: --out \(dir.file("mine")): the directory holds files that are not a sweep's (notes.txt)"))
        #expect(try names(dir.file("mine")) == ["notes.txt"])
        let page = try dir.write("page.html", "<p>mine</p>\n")
        let report = try Domino.run(["report", spec, "--out", page, "--quiet"])
        #expect(report.status == 2)
        #expect(try String(contentsOfFile: page, encoding: .utf8) == "<p>mine</p>\n")
    }
}
