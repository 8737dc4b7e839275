import DominoLog
import DominoModel
import DominoReplay
import DominoTestFixtures
import Foundation
import Testing

@Suite struct ReplayTests {
    let dir = TempDir()

    /// Worked by hand: 300 paid on 1 June (reserves 100 left); on 2 June 100 paid and 100
    /// queued, the loan recalled with 72 h notice — beyond the 48 h horizon, so L halts at once
    /// with 100 pending. ETH halves on 3 June: F holds 400 against 600 owed (insolvent at market by 200, which
    /// only its managers see).
    /// The recall falls due on 5 June 12:00; F sells its ETH for 400, repays it and defaults on
    /// the other 200 (found insolvent now, by the 200 unpaid); L recovers 400, loses 200 and is insolvent by 200. Depositors keep 600 of claims on 400 of assets:
    /// they lose 200.
    @Test func outcomesEmergeAsWorkedOut() throws {
        let path = try SmallEpisode.make(in: dir)
        let run = try Replay.run(try Replay.loadSpec(path: path))
        let lines = run.outcomes.map { "\(UTCTime.format($0.time)) \($0.kind.rawValue) \(run.scenario.partyName($0.party)) \(run.scenario.partyName($0.counterparty)) \(FixedPoint.format($0.usd.raw, decimals: 8))" }
        #expect(lines == [
            "2022-06-02T12:00:00Z recall L F 600",
            "2022-06-02T12:00:00Z halt L  100",
            "2022-06-05T12:00:00Z default F  200", // it repays 400 of the 600 recalled, defaults on 200
            "2022-06-05T12:00:00Z loss L F 200",
            "2022-06-05T12:00:00Z insolvency L  200",
            "2022-06-05T12:00:00Z insolvency F  200", // found insolvent as it defaults
        ])
        let summary = Summary(run: run)
        #expect(summary.depositorLosses == 200 * one)
        #expect(summary.cohorts[0].withdrawn == 400 * one)
        #expect(summary.entities.map(\.status) == ["halted", "defaulted"])
        // Daily samples from 1 to 10 June, both agents and both assets each time.
        #expect(run.entityMetrics.count == 10 * 2)
        #expect(run.priceMetrics.count == 10 * 2)
        #expect(run.priceMetrics.last!.price == Price(1000 * one))
        #expect(run.initialHash.count == 64 && run.finalHash.count == 64 && run.initialHash != run.finalHash)
    }

    /// With no rehypothecation the 600 are never lent: F hands them back (selling 0.3 ETH), L
    /// pays every withdrawal, and nothing fails.
    @Test func noRehypothecationCounterfactual() throws {
        let path = try SmallEpisode.make(in: dir)
        let (run, baseline) = try Replay.run(path: path, overrides: [.init(path: "entities.L.policy.rehypothecationCap", value: "0")])
        #expect(baseline != nil)
        #expect(baseline!.outcomes.count == 6)
        #expect(run.outcomes.isEmpty)
        #expect(Summary(run: run).depositorLosses == 0)
        #expect(run.model.state.agents[1].liquid[1] == Quantity(10_000_000)) // 0.1 ETH left with F
    }

    /// An override that sets what the spec already says (issue 13 §4) is no counterfactual: no
    /// baseline is run and the state hashes are those of the spec as written. One that changes a
    /// value is (and its hash differs).
    @Test func aNoOpOverrideKeepsTheStateHash() throws {
        let path = try SmallEpisode.make(in: dir)
        let plain = try Replay.run(try Replay.loadSpec(path: path))
        for set in [Overrides.Assignment(path: "entities.L.policy.proofOfReserves", value: "false"),
                    .init(path: "loans[0].amount", value: "600"), .init(path: "entities.L.liquid.USDC", value: "400.0")] {
            let (run, baseline) = try Replay.run(path: path, overrides: [set])
            #expect(baseline == nil, "\(set.path)")
            #expect(run.initialHash == plain.initialHash && run.finalHash == plain.finalHash, "\(set.path)")
        }
        let (changed, baseline) = try Replay.run(path: path, overrides: [.init(path: "entities.L.liquid.USDC", value: "401")])
        #expect(baseline != nil)
        #expect(changed.initialHash != plain.initialHash)
    }

    @Test func sharedOverridesDoNotMakeACounterfactual() throws {
        let path = try SmallEpisode.make(in: dir)
        let (run, baseline) = try Replay.run(path: path, overrides: [.init(path: "model.halt.horizon", value: "96h")])
        #expect(baseline == nil)
        // With a 96 h horizon the recall due in 72 h covers the queue: no halt on 2 June.
        #expect(!run.outcomes.contains { $0.kind == .halt && $0.time == t("2022-06-02T12:00:00Z") })
    }

    /// A run resumed from a checkpoint ends in the same state, outcomes and metrics as a full run.
    @Test func resumeFromCheckpointGivesTheSameRun() throws {
        let path = try SmallEpisode.make(in: dir)
        let spec = try Replay.loadSpec(path: path)
        let full = try Replay.run(spec)
        var options = RunOptions()
        options.checkpointEvery = 2 * 24 * hour
        options.checkpointDirectory = dir.file("cp")
        let checkpointed = try Replay.run(spec, options: options)
        #expect(checkpointed.finalHash == full.finalHash)
        #expect(checkpointed.checkpoints.count == 4) // 3, 5, 7, 9 June
        for cp in checkpointed.checkpoints {
            var resume = RunOptions()
            resume.resume = try Checkpoint.load(cp.path)
            let resumed = try Replay.run(spec, options: resume)
            #expect(resumed.finalHash == full.finalHash)
            #expect(resumed.outcomes == full.outcomes)
            #expect(resumed.inputsApplied == full.inputsApplied && resumed.eventsIgnored == full.eventsIgnored)
            #expect(resumed.entityMetrics == full.entityMetrics)
            #expect(resumed.priceMetrics == full.priceMetrics)
            #expect(resumed.initialHash == full.initialHash)
        }
    }

    /// A checkpoint of the first format (before the run recorder) is refused with its format.
    @Test func checkpointOfAnOlderFormatIsRefused() throws {
        let path = dir.file("old.json")
        try Data(#"{"format": 1, "spec": "small", "eventsConsumed": 3}"#.utf8).write(to: URL(fileURLWithPath: path))
        do { _ = try Checkpoint.load(path); Issue.record("loaded") } catch let e as LogError {
            #expect("\(e)".contains("checkpoint format 1 is not supported"))
        }
    }

    @Test func sameSeedSameHashOtherSeedSameOutcomesHere() throws {
        let path = try SmallEpisode.make(in: dir)
        let a = try Replay.run(try Replay.loadSpec(path: path)), b = try Replay.run(try Replay.loadSpec(path: path))
        #expect(a.finalHash == b.finalHash)
        #expect(a.outcomes == b.outcomes)
    }

    @Test func outputDirectoryHoldsTheFourFiles() throws {
        let path = try SmallEpisode.make(in: dir)
        let run = try Replay.run(try Replay.loadSpec(path: path))
        let out = dir.file("out")
        try RunOutput.write(run, summary: Summary(run: run), to: out)
        let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(files == ["metrics.csv", "network.csv", "outcomes.zst", "spec.resolved", "summary.json"])
        // The outcome log reads back as the run's outcomes.
        let reader = try LogReader(path: out + "/outcomes.zst")
        #expect(try reader.readAll() == run.outcomes.map { RunOutput.event($0, scenario: run.scenario) })
        #expect(reader.header.entities.map(\.name) == ["L", "F", "retail"])
        // The resolved spec parses and replays to the same state.
        let again = try Replay.run(try Replay.loadSpec(path: dir.write("resolved.yaml",
            String(contentsOfFile: out + "/spec.resolved", encoding: .utf8).replacingOccurrences(of: "\"data.zst\"", with: "\"\(dir.file("data.zst"))\""))))
        #expect(again.finalHash == run.finalHash)
        let summary = try String(contentsOfFile: out + "/summary.json", encoding: .utf8)
        #expect(summary.contains("\"stateHash\": \"\(run.finalHash)\""))
        #expect(summary.contains("\"depositorLosses\": 200"))
        // Writing again replaces the directory whole.
        try RunOutput.write(run, summary: Summary(run: run), to: out)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix("out") } == ["out"])
    }
}
