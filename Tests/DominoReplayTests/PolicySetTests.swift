import DominoLog
import DominoModel
@testable import DominoReplay
import DominoTestFixtures
import Foundation
import Testing

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
        #expect(spec.entities[0].policy.rehypothecationCap == Ratio(25_000_000))
        #expect(spec.entities[0].policy.withdrawalGate == .init(maxShare: Ratio(10_000_000), window: 7 * 86_400_000))
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
        #expect(run.model.state.agents[1].liquid[1] == Quantity(10_000_000)) // as in noRehypothecationCounterfactual
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
