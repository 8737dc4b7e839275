import DominoTestFixtures
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One error contract in every command: a failure is one line on stderr, `domino: WHERE: WHAT`,
/// nothing on stdout, and the exit code says which kind — 2 for a usage error (a bad flag or
/// option value, a bad `--set`, an unknown policy set, a missing spec), 1 for bad data.
@Suite struct ErrorContractTests {
    let dir = TempDir()

    struct Case: Sendable, CustomStringConvertible {
        var arguments: [String]
        var code: Int32
        var description: String { arguments.joined(separator: " ") + " → \(code)" }
    }

    /// Every subcommand with a usage error and (where it reads data) a data error.
    func cases() throws -> [Case] {
        let spec = try ReplayFixture.make(in: dir)
        let bad = try dir.write("bad.yaml", try String(contentsOfFile: spec, encoding: .utf8).replacingOccurrences(of: "notice: 72h", with: "notise: 72h"))
        let none = dir.file("none.yaml")
        let notALog = try dir.write("notalog.zst", "plain text, not a log\n")
        let csv = try dir.write("bad.csv", "time,kind,entity,counterparty,asset,amount,aux\nnot-a-time,price,,,BTC,1,0\n")
        let empty = dir.file("empty")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let html = dir.file("r.html"), out = dir.file("out")
        return [
            Case(arguments: ["frob"], code: 2),
            Case(arguments: ["replay", spec, "--bogus"], code: 2),
            Case(arguments: ["replay"], code: 2),
            Case(arguments: ["replay", none], code: 2),
            Case(arguments: ["replay", spec, "--set", "seed"], code: 2),
            Case(arguments: ["replay", spec, "--policy", "no-such-set"], code: 2),
            Case(arguments: ["replay", spec, "--set", "nosuchkey=1"], code: 2),
            Case(arguments: ["replay", spec, "--set", "seed=abc"], code: 2),
            Case(arguments: ["trace", spec, "--cohort", "retail", "--asset", "USDC", "--amount", "1", "--set", "nosuchkey=1"], code: 2),
            Case(arguments: ["verify", spec, "--set", "nosuchkey=1"], code: 2),
            Case(arguments: ["replay", spec, "--checkpoint-every", "soon"], code: 2),
            Case(arguments: ["replay", bad], code: 1),
            Case(arguments: ["verify", spec, "--bogus"], code: 2),
            Case(arguments: ["verify", none], code: 2),
            Case(arguments: ["verify", bad], code: 1),
            Case(arguments: ["diff", spec, "--series", "many"], code: 2),
            Case(arguments: ["diff", none], code: 2),
            Case(arguments: ["diff", spec, "--b-policy", "no-such-set"], code: 2),
            Case(arguments: ["diff", bad], code: 1),
            Case(arguments: ["report", spec], code: 2),
            Case(arguments: ["report", spec, "--out", dir.file("r.txt")], code: 2),
            Case(arguments: ["report", bad, "--out", html], code: 1),
            Case(arguments: ["trace", spec], code: 2),
            Case(arguments: ["trace", spec, "--cohort", "retail", "--asset", "USDC", "--amount", "-5"], code: 2),
            Case(arguments: ["trace", bad, "--cohort", "retail", "--asset", "USDC", "--amount", "1"], code: 1),
            Case(arguments: ["sweep", spec, "--out", out], code: 2),
            Case(arguments: ["sweep", spec, "--seeds", "0", "--out", out], code: 2),
            Case(arguments: ["sweep", none, "--seeds", "1", "--out", out], code: 2),
            Case(arguments: ["sweep", spec, "--grid", "policy=no-such-set", "--out", out], code: 2),
            Case(arguments: ["sweep", bad, "--seeds", "1", "--out", out], code: 1),
            Case(arguments: ["sweep", "report"], code: 2),
            Case(arguments: ["sweep", "report", empty], code: 1),
            Case(arguments: ["sweep", "plan", spec, "--out", out], code: 2),
            Case(arguments: ["sweep", "plan", bad, "--seeds", "1", "--shard-runs", "1", "--out", out], code: 1),
            Case(arguments: ["sweep", "run-shard", empty], code: 2),
            Case(arguments: ["sweep", "run-shard", empty, "--shard", "0"], code: 1),
            Case(arguments: ["sweep", "merge", empty, "--bogus"], code: 2),
            Case(arguments: ["sweep", "merge", empty], code: 1),
            Case(arguments: ["log", "info"], code: 2),
            Case(arguments: ["log", "info", notALog], code: 1),
            Case(arguments: ["log", "cat", notALog, "--format", "xml"], code: 2),
            Case(arguments: ["log", "cat", notALog], code: 1),
            Case(arguments: ["log", "check", "--bogus"], code: 2),
            Case(arguments: ["import", "--name", "x", csv], code: 2),
            Case(arguments: ["import", "--name", "x", "--out", dir.file("x.zst"), csv], code: 1),
            Case(arguments: ["stress", "calibrate", spec, "--generator", "bootstrap"], code: 2),
            Case(arguments: ["stress", "calibrate", spec, "--generator", "gbm-jump:k=0"], code: 2),
            Case(arguments: ["stress", "calibrate", none], code: 2),
            Case(arguments: ["stress", "calibrate", bad], code: 1),
            Case(arguments: ["bench", "sweep", "--runs", "many"], code: 2),
            Case(arguments: ["bench", "workload", "no-such-workload"], code: 2),
        ]
    }

    @Test func everyCommandFailsWithOneLineAndTheRightCode() throws {
        for c in try cases() {
            let r = try Domino.run(c.arguments, cwd: dir.path)
            #expect(r.status == c.code, "\(c): exit \(r.status), stderr \(r.stderr)")
            #expect(r.stderr.hasPrefix("domino: "), "\(c): \(r.stderr)")
            #expect(r.stderr.hasSuffix("\n") && r.stderr.filter { $0 == "\n" }.count == 1, "\(c): not one line: \(r.stderr)")
            #expect(!r.stderr.contains("Usage:") && !r.stderr.contains("Error:"), "\(c): \(r.stderr)")
            if c.arguments != ["log", "check", "--bogus"] { #expect(r.stdout == "", "\(c): stdout \(r.stdout)") }
        }
    }

    /// WHERE is the option (or the spec's file:line), before WHAT.
    @Test func whereComesFirst() throws {
        let spec = try ReplayFixture.make(in: dir)
        #expect(try Domino.run(["replay", spec, "--bogus"]).stderr.hasPrefix("domino: --bogus: "))
        #expect(try Domino.run(["sweep", spec, "--jobs", "x", "--seeds", "1", "--out", dir.file("o")]).stderr.hasPrefix("domino: --jobs: "))
        #expect(try Domino.run(["replay", spec, "--set", "seed"]).stderr == "domino: --set seed: not path=value\n")
        // A --set that makes a valid spec invalid is blamed on the --set, not on the spec's line 1.
        let set = try Domino.run(["replay", spec, "--set", "model.swapFee=0", "--set", "nosuchkey=1"])
        #expect(set.status == 2)
        #expect(set.stderr.hasPrefix("domino: --set nosuchkey=1: "), "\(set.stderr)")
        #expect(try Domino.run(["replay", spec, "--policy", "no-rehypothecaton"]).stderr.hasPrefix("domino: --policy no-rehypothecaton: no such policy set"))
        #expect(try Domino.run(["replay", spec, "--policy", "no-rehypothecaton"]).stderr.hasSuffix("did you mean 'no-rehypothecation'?\n"))
    }

    /// A FIFO given where a file is read is refused at once (it would block the open).
    @Test func fifosAreRefusedWithoutBlocking() throws {
        let fifo = dir.file("fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        for (args, code) in [(["replay", fifo], Int32(2)), (["log", "check", fifo], 1), (["import", "--name", "x", "--out", dir.file("f.zst"), "USDC=\(fifo)"], 1),
                             (["import", "--name", "x", "--out", dir.file("f.zst"), fifo], 1), (["import", "--out", dir.file("f.zst"), "--manifest", fifo], 1)] {
            let r = try Domino.run(args)
            #expect(r.status == code, "\(args): \(r.stderr)")
            #expect(r.stderr.hasPrefix("domino: \(fifo): ") && r.stderr.contains("regular file") && r.stderr.filter { $0 == "\n" }.count == 1, "\(args): \(r.stderr)")
        }
    }

    /// `--help` still prints the usage, on stdout, exit 0.
    @Test func helpIsNotAnError() throws {
        let r = try Domino.run(["replay", "--help"])
        #expect(r.status == 0 && r.stderr == "")
        #expect(r.stdout.contains("USAGE: domino replay"))
    }
}
