import DominoLog
import DominoTestFixtures
import Foundation
import Testing

/// The hand-worked episode of DominoReplayTests, through the real binary.
enum ReplayFixture {
    static let spec = """
    name: small
    datasets: [data.zst]
    window: {from: 2022-06-01, to: 2022-06-10}
    seed: 7
    cash: USDC
    model: {halt: {horizon: 48h}, swapFee: 0, recoveryRate: 1, filingDelay: 0h, metricsInterval: 1d}
    assets: {USDC: {}, ETH: {}}
    entities:
      L: {role: lender, liquid: {USDC: 400}}
      F: {role: fund, liquid: {ETH: 0.4}}
    cohorts:
      - {name: retail, platform: L, members: 1000, claims: {USDC: 1000}}
    loans:
      - {lender: L, borrower: F, asset: USDC, amount: 600, notice: 72h}
    behaviour: {active: false}  # hand-written flows; the behavioural rules: BehaviourTests, EpisodeTests

    """

    static func make(in dir: TempDir) throws -> String {
        let hour: Int64 = 3_600_000
        let start = UTCTime.parse("2022-05-25")!, end = UTCTime.parse("2022-06-10")!, crash = UTCTime.parse("2022-06-03")!
        let header = LogHeader(name: "small-data", timeRange: .init(start: start, end: end),
                               assets: [.init(id: 1, symbol: "USDC", decimals: 6), .init(id: 2, symbol: "ETH", decimals: 8)],
                               entities: [.init(id: 1, name: "L", kind: "lender"), .init(id: 2, name: "retail", kind: "depositors")])
        let w = try LogWriter(path: dir.file("data.zst"), header: header)
        var time = start
        while time <= end {
            if time == UTCTime.parse("2022-06-01T12:00:00Z")! {
                try w.append(Event(time: time, kind: .withdrawalRequest, entity: 2, counterparty: 1, asset: 1, amount: 300_000_000))
            }
            if time == UTCTime.parse("2022-06-02T12:00:00Z")! {
                try w.append(Event(time: time, kind: .withdrawalRequest, entity: 2, counterparty: 1, asset: 1, amount: 200_000_000))
            }
            try w.append(Event(time: time, kind: .price, asset: 1, amount: 100_000_000))
            try w.append(Event(time: time, kind: .price, asset: 2, amount: (time >= crash ? 1000 : 2000) * 100_000_000))
            time += hour
        }
        try w.finish()
        return try dir.write("small.yaml", spec)
    }
}

@Suite struct ReplayCommandTests {
    let dir = TempDir()

    @Test func printsTimelineAndHeadlines() throws {
        let spec = try ReplayFixture.make(in: dir)
        let r = try Domino.run(["replay", spec])
        #expect(r.status == 0)
        #expect(r.stderr == "")
        let hash = r.stdout.split(separator: "\n").last!.replacingOccurrences(of: "State hash: ", with: "")
        #expect(r.stdout == """
        small: 2022-06-01T00:00:00Z … 2022-06-10T23:59:59.999Z, seed 7

        Timeline (UTC)
          2022-06-02 12:00  L                recall from F                                  $600
          2022-06-02 12:00  L                halt, pending withdrawals                      $100
          2022-06-05 12:00  F                default                                        $200
          2022-06-05 12:00  L                loss on F                                      $200
          2022-06-05 12:00  L                insolvency                                     $200
          2022-06-05 12:00  F                insolvency                                     $200

        Depositor losses: $200
          L                          $200   retail $200 (withdrew $400)
        Liquidations: 0 ($0)
        Distress at its peak (2022-06-04): equity lost $200 at book, $200 with claims marked; amplification 1.00×
        Failed: L (halted 2022-06-02), F (defaulted 2022-06-05)
        State hash: \(hash)

        """)
    }

    /// Two separate processes write byte-identical run directories (the outcome log is compared
    /// decoded, as zstd's bytes may differ between library versions).
    @Test func twoProcessesGiveIdenticalOutputs() throws {
        let spec = try ReplayFixture.make(in: dir)
        let a = try Domino.run(["replay", spec, "--out", dir.file("a"), "--quiet"])
        let b = try Domino.run(["replay", spec, "--out", dir.file("b"), "--quiet", "--json"])
        #expect(a.status == 0 && b.status == 0)
        for name in ["spec.resolved", "metrics.csv", "network.csv", "summary.json"] {
            let x = try Data(contentsOf: URL(fileURLWithPath: dir.file("a/\(name)")))
            let y = try Data(contentsOf: URL(fileURLWithPath: dir.file("b/\(name)")))
            #expect(x == y, "\(name) differs")
            #expect(!x.isEmpty)
        }
        #expect(try LogReader(path: dir.file("a/outcomes.zst")).readAll() == LogReader(path: dir.file("b/outcomes.zst")).readAll())
        #expect(b.stdout == (try String(contentsOfFile: dir.file("a/summary.json"), encoding: .utf8)))
        let check = try Domino.run(["log", "check", dir.file("a/outcomes.zst")])
        #expect(check.status == 0)
        let cat = try Domino.run(["log", "cat", dir.file("a/outcomes.zst"), "--kind", "halt"])
        #expect(cat.stdout == "{\"time\":\"2022-06-02T12:00:00Z\",\"kind\":\"halt\",\"entity\":\"L\",\"amount\":\"100\"}\n")
    }

    @Test func counterfactualFromTheCommandLine() throws {
        let spec = try ReplayFixture.make(in: dir)
        let r = try Domino.run(["replay", spec, "--set", "entities.L.policy.rehypothecationCap=0", "--json"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("\"depositorLosses\": 0,"))
        #expect(r.stdout.contains("\"failed\": []"))
    }

    @Test func badSpecAndBadArguments() throws {
        let spec = try ReplayFixture.make(in: dir)
        let text = try String(contentsOfFile: spec, encoding: .utf8).replacingOccurrences(of: "notice: 72h", with: "notise: 72h")
        let bad = try dir.write("bad.yaml", text)
        let r = try Domino.run(["replay", bad, "--out", dir.file("never")])
        #expect(r.status == 1)
        #expect(r.stdout == "")
        #expect(r.stderr.hasPrefix("domino: \(bad):14: unknown key 'notise' in 'loans[0]'; did you mean 'notice'?"))
        #expect(!FileManager.default.fileExists(atPath: dir.file("never")))
        let set = try Domino.run(["replay", spec, "--set", "seed"])
        #expect(set.status == 2)
        #expect(set.stderr == "domino: --set seed: not path=value\n")
        let missing = try Domino.run(["replay", dir.file("none.yaml")])
        #expect(missing.status == 2)
        #expect(missing.stderr == "domino: \(dir.file("none.yaml")): no such spec file\n")
    }

    @Test func resumeFromACheckpoint() throws {
        let spec = try ReplayFixture.make(in: dir)
        let full = try Domino.run(["replay", spec, "--out", dir.file("full"), "--checkpoint-every", "3d"])
        #expect(full.status == 0)
        #expect(full.stderr.contains("domino: checkpoint \(dir.file("full.checkpoints"))/checkpoint-2022-06-04T000000Z.json"))
        let resumed = try Domino.run(["replay", spec, "--out", dir.file("resumed"), "--resume",
                                      dir.file("full.checkpoints/checkpoint-2022-06-04T000000Z.json")])
        #expect(resumed.status == 0)
        #expect(resumed.stdout == full.stdout)
        for name in ["metrics.csv", "network.csv", "summary.json"] {
            #expect(try Data(contentsOf: URL(fileURLWithPath: dir.file("full/\(name)"))) ==
                    Data(contentsOf: URL(fileURLWithPath: dir.file("resumed/\(name)"))))
        }
    }
}
