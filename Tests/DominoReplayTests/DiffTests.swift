import DominoLog
import DominoModel
@testable import DominoReplay
import DominoTestFixtures
import Foundation
import Testing

/// `domino diff` on the small hand-computed episode (Support.swift). Its log has, every hour
/// from 25 May 00:00, a USDC and an ETH price (the withdrawals come first in their hour), so
/// the window opens (1 June 00:00) at event 7 × 24 × 2 = 336 and the first withdrawal (1 June
/// 12:00, 300) is event 336 + 12 × 2 = 360.
@Suite struct DiffTests {
    let dir = TempDir()

    func side(_ path: String, _ sets: [String] = []) -> DiffSide {
        DiffSide(specPath: path, overrides: sets.map { Overrides.Assignment($0)! }, label: path)
    }

    @Test func identicalRunsHaveNoDivergence() throws {
        let path = try SmallEpisode.make(in: dir)
        let diff = try Diff.compare(side(path), side(path))
        #expect(diff.identical)
        #expect(diff.divergence == nil)
        #expect(diff.fates.allSatisfy { $0.change == "unchanged" })
        #expect(diff.series.isEmpty)
        #expect(diff.losses.allSatisfy { $0.a == $0.b })
        #expect(diff.text().hasSuffix("no divergence: \(NumberText.grouped(Int64(diff.events))) events, identical states throughout\n"))
        #expect(diff.events == 16 * 24 * 2 + 2 + 2) // 25 May 00:00 … 10 June 00:00 hourly, two prices each, two withdrawals
    }

    /// A gate of 20% of claims per week first matters at the first withdrawal (300 > 200): L pays
    /// 200 and queues 100. Nothing differs before that event.
    @Test func aGateDivergesAtTheFirstWithdrawal() throws {
        let path = try SmallEpisode.make(in: dir)
        let diff = try Diff.compare(side(path), side(path, ["entities.L.policy.withdrawalGate={maxShare: 0.2, window: 7d}"]))
        let d = try #require(diff.divergence)
        #expect(d.index == 360)
        #expect(d.time == t("2022-06-01T12:00:00Z"))
        #expect(d.event == "withdrawal-request")
        #expect(!d.atSettle)
        #expect(d.entity == "L")
        #expect(!diff.identical)
    }

    /// With no rehypothecation the book is rebuilt as the window opens: F hands the 600 back,
    /// so L's liquid USDC is 1,000 instead of 400 before event 336 is applied. Every failure of
    /// the baseline is avoided; depositors' 200 of losses go.
    @Test func aPolicyOnTheBookDivergesAsTheWindowOpens() throws {
        let path = try SmallEpisode.make(in: dir)
        let diff = try Diff.compare(side(path), side(path, ["entities.L.policy.rehypothecationCap=0"]))
        let d = try #require(diff.divergence)
        #expect(d.index == 336)
        #expect(d.atSettle)
        #expect(d.entity == "L")
        #expect(d.field == "liquid[USDC]")
        #expect(d.a == "400" && d.b == "1000")
        #expect(diff.fates.map { "\($0.entity) \($0.kind) \($0.change)" } == ["L halt avoided", "L insolvency avoided", "F default avoided", "F insolvency avoided"])
        #expect(diff.measuresA.depositorLosses == 200 * one && diff.measuresB.depositorLosses == 0)
        #expect(diff.losses == [RunDiff.LossDelta(entity: "L", cohort: "", a: 200 * one, b: 0)])
        #expect(diff.measuresA.contagionDepth == 2 && diff.measuresB.contagionDepth == 0)
        // Series are listed largest difference first.
        #expect(zip(diff.series, diff.series.dropFirst()).allSatisfy { $0.magnitude >= $1.magnitude })
        let json = diff.json.render()
        #expect(json.contains("\"firstDivergence\":{\"a\":\"400\",\"atWindowStart\":true,\"b\":\"1000\""))
    }

    /// A shorter window reads fewer events: the runs do not share one input log.
    @Test func runsOverDifferentLogsAreRefused() throws {
        let path = try SmallEpisode.make(in: dir)
        let other = TempDir()
        try SmallEpisode.writeData(to: other.file("data.zst"))
        let text = SmallEpisode.spec.replacingOccurrences(of: "window: {from: 2022-06-01, to: 2022-06-10}", with: "window: {from: 2022-06-01, to: 2022-06-09}")
        let path2 = try other.write("small.yaml", text)
        #expect(throws: SpecError.self) { try Diff.compare(side(path), side(path2)) }
    }
}

/// Outcome measures of a run: the small episode's worked example.
@Suite struct RunMeasuresTests {
    let dir = TempDir()

    /// L halts on 2 June 12:00 and recalls its loan from F the same moment; F is insolvent on 3
    /// June (ETH halves) and defaults on the recall: L → F (recall), depth 2. L had lent 600 of
    /// its 1,000 of claims: capital efficiency 60%. Depositors lose 200.
    @Test func theSmallEpisode() throws {
        let path = try SmallEpisode.make(in: dir)
        let m = RunMeasures(run: try Replay.run(try Replay.loadSpec(path: path)))
        #expect(m.failures == [.init(entity: "L", kind: "halt", time: t("2022-06-02T12:00:00Z")),
                               .init(entity: "F", kind: "insolvency", time: t("2022-06-03T00:00:00Z"))])
        #expect(m.chain == [.init(from: "L", to: "F", time: t("2022-06-03T00:00:00Z"), via: "recall")])
        #expect(m.contagionDepth == 2)
        #expect(m.capitalEfficiency == 60_000_000)
        #expect(m.depositorLosses == 200 * one)
        #expect(m.lossesByEntity == [.init(entity: "L", loss: 200 * one)])
        #expect(m.cohortLosses == [.init(platform: "L", cohort: "retail", loss: 200 * one, withdrawn: 400 * one)])
    }
}

/// Policy sets (`--policy`) and per-asset tiers.
@Suite struct PolicySetTests {
    let dir = TempDir()

    @Test func aSetBecomesAssignmentsForTheRolesItNames() throws {
        let path = try SmallEpisode.make(in: dir)
        let file = try dir.write("cap.yaml", "name: cap\nappliesTo: [lender]\npolicy:\n  rehypothecationCap: 0.25\n  withdrawalGate: {maxShare: 0.1, window: 7d}\n")
        let set = try PolicySet.load(path: file)
        let a = set.assignments(for: try Replay.loadSpec(path: path))
        #expect(a.map(\.path) == ["entities.L.policy.rehypothecationCap", "entities.L.policy.withdrawalGate"])
        #expect(a[0].value == "0.25")
        let spec = try Replay.loadSpec(path: path, overrides: a)
        #expect(spec.entities[0].policy.rehypothecationCap == 25_000_000)
        #expect(spec.entities[0].policy.withdrawalGate == .init(maxShare: 10_000_000, window: 7 * 86_400_000))
        #expect(spec.entities[1].policy == .recorded) // F is a fund
    }

    @Test func tiersKeepOnlyTheSpecsAssetsAndGovernTheirLoans() throws {
        let path = try SmallEpisode.make(in: dir)
        let file = try dir.write("tiers.yaml", """
        name: tiers
        policy:
          tiers:
            - {assets: [USDC, USDT], rehypothecationCap: 0}
            - {assets: [BTC], minCollateralRatio: 2}
        """)
        let a = try PolicySet.load(path: file).assignments(for: try Replay.loadSpec(path: path))
        #expect(a.map(\.value) == ["[{assets: [\"USDC\"], rehypothecationCap: 0}]"]) // USDT and the BTC tier are not in the spec
        // The USDC tier's 0 cap acts like the platform-wide one on this USDC loan.
        let (run, _) = try Replay.run(path: path, overrides: a)
        #expect(run.outcomes.isEmpty)
        #expect(run.model.state.agents[1].liquid[1] == 10_000_000) // as in noRehypothecationCounterfactual
        // A tier for ETH only leaves the USDC loan alone: same outcomes as the baseline.
        let eth = [Overrides.Assignment(path: "entities.L.policy.tiers", value: "[{assets: [ETH], rehypothecationCap: 0}]")]
        let (same, baseline) = try Replay.run(path: path, overrides: eth)
        #expect(same.outcomes == baseline!.outcomes)
    }

    @Test func badSetsNameTheFileAndLine() throws {
        let bad = try dir.write("bad.yaml", "name: bad\npolicy:\n  rehypothecationCapp: 0\n")
        #expect { try PolicySet.load(path: bad) } throws: { ($0 as? SpecError)?.description == "\(bad):3: unknown key 'rehypothecationCapp' in 'policy'; did you mean 'rehypothecationCap'? (allowed: \(Spec.policyKeys.joined(separator: ", ")))" }
        let role = try dir.write("role.yaml", "name: r\nappliesTo: [lendr]\npolicy: {}\n")
        #expect { try PolicySet.load(path: role) } throws: { ($0 as? SpecError)?.line == 2 }
        #expect { try PolicySet.resolve("no-rehypothecaton", specPath: Episodes.flagship) } throws: {
            ($0 as? SpecError)?.description.hasSuffix("did you mean 'no-rehypothecation'?") == true
        }
        #expect(try PolicySet.resolve("no-rehypothecation", specPath: Episodes.flagship).hasSuffix("replays/policies/no-rehypothecation.yaml"))
    }

    /// Every shipped set loads and applies to every episode.
    @Test func shippedSetsApplyToEveryEpisode() throws {
        let dir = "\(Episodes.root)/replays/policies"
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(names.count == 13)
        for episode in ["3ac-celsius-2022.yaml", "ftx-2022.yaml", "terra-2022.yaml"] {
            let path = Episodes.path(episode)
            for name in names {
                let a = try Replay.assignments(specPath: path, policies: [String(name.dropLast(5))], overrides: [])
                #expect(!a.isEmpty, "\(name) on \(episode)")
                _ = try Replay.loadSpec(path: path, overrides: a)
            }
        }
    }
}
