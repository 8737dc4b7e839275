import DominoLog
import DominoModel
@testable import DominoReplay
import DominoTestFixtures
import Foundation
import Testing

/// The 2022 episodes in `replays/`, run as the CLI runs them.
enum Episodes {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static func path(_ name: String) -> String { "\(root)/replays/\(name)" }
    static let flagship = path("3ac-celsius-2022.yaml")
    static let ftx = path("ftx-2022.yaml")

    static func sets(_ texts: [String]) -> [Overrides.Assignment] { texts.map { Overrides.Assignment($0)! } }

    static func run(_ spec: String, _ overrides: [String] = [], policies: [String] = []) throws -> ReplayResult {
        let assignments = try Replay.assignments(specPath: spec, policies: policies, overrides: sets(overrides))
        return try Replay.run(path: spec, overrides: assignments).run
    }

    static func agent(_ run: ReplayResult, _ name: String) -> Agent { run.model.state.agents[run.scenario.agentIndex[name]!] }

    /// Depositor losses of one platform's cohorts.
    static func depositorLoss(_ run: ReplayResult, _ platform: String) -> Int64 {
        RunMeasures(run: run).lossesByEntity.first { $0.entity == platform }?.loss ?? 0
    }

    static func usd(_ v: Int64) -> String { FixedPoint.format(v, decimals: 8) }
}

/// Issue 4 §3: halts, defaults and losses come from the rules acting on balance sheets, prices
/// and flows, so taking away their cause takes them away.
@Suite(.serialized) struct EpisodeCounterChecks {
    @Test func noRehypothecationAndFullCollateralSpareCelsiusAndVoyager() throws {
        let baseline = try Episodes.run(Episodes.flagship)
        #expect(Episodes.agent(baseline, "Celsius").haltedAt != nil)
        #expect(Episodes.agent(baseline, "Voyager").insolventAt != nil)
        let celsiusBefore = Episodes.depositorLoss(baseline, "Celsius"), voyagerBefore = Episodes.depositorLoss(baseline, "Voyager")
        #expect(celsiusBefore > 100_000_000 * Fixed.one) // $837.8M at this commit
        #expect(voyagerBefore > 500_000_000 * Fixed.one) // $519.4M

        let strict = ["Celsius", "Voyager"].flatMap { ["entities.\($0).policy.rehypothecationCap=0", "entities.\($0).policy.minCollateralRatio=1"] }
        let run = try Episodes.run(Episodes.flagship, strict)
        for name in ["Celsius", "Voyager"] {
            #expect(Episodes.agent(run, name).haltedAt == nil, "\(name) halts")
        }
        #expect(Episodes.depositorLoss(run, "Voyager") == 0, "Voyager's depositors lose \(Episodes.usd(Episodes.depositorLoss(run, "Voyager")))")
        // Celsius's opening balance sheet carries its earlier losses ($604M, issue 15): its
        // creditors start $895M short without CEL (book equity −$310M less 290M CEL at 2.0175 on
        // 1 May). Without reuse that hole bounds what they can lose, and they lose less than with it.
        let celsiusAfter = Episodes.depositorLoss(run, "Celsius")
        #expect(celsiusAfter < 895_000_000 * Fixed.one && celsiusAfter < celsiusBefore, "Celsius's depositors lose \(Episodes.usd(celsiusAfter))")
    }

    /// 3AC unlevered: it holds only its own capital. Each loan to it is taken out of the book
    /// with the lender keeping the cash it would have lent (its liquid reserves grow by the
    /// principal), and 3AC keeps only its free holdings (the collateral it pledged was bought
    /// with the borrowed money).
    @Test func unleveredThreeArrowsDoesNotDefault() throws {
        let baseline = try Episodes.run(Episodes.flagship)
        #expect(Episodes.agent(baseline, "3AC").defaultedAt != nil)

        let spec = try Replay.loadSpec(path: Episodes.flagship)
        var overrides: [String] = []
        var liquid: [String: [(String, Int64)]] = [:] // lookups only
        for e in spec.entities { liquid[e.name] = e.liquid }
        for (i, loan) in spec.loans.enumerated() where loan.borrower == "3AC" {
            overrides += ["loans[\(i)].amount=0", "loans[\(i)].collateral={}"]
            var book = liquid[loan.lender]!
            if let k = book.firstIndex(where: { $0.0 == loan.asset }) { book[k].1 += loan.amount } else { book.append((loan.asset, loan.amount)) }
            liquid[loan.lender] = book
        }
        #expect(overrides.count == 10) // Celsius, Voyager ×2, Genesis, BlockFi
        for lender in Set(spec.loans.filter { $0.borrower == "3AC" }.map(\.lender)).sorted() {
            overrides.append("entities.\(lender).liquid={" + liquid[lender]!.map { "\($0.0): \(Episodes.usd($0.1))" }.joined(separator: ", ") + "}")
        }
        let run = try Episodes.run(Episodes.flagship, overrides)
        let fund = Episodes.agent(run, "3AC")
        #expect(fund.defaultedAt == nil)
        #expect(fund.insolventAt == nil)
        #expect(run.outcomes.filter { $0.kind == .marginCall && $0.party == .agent(AgentID(run.scenario.agentIndex["3AC"]!)) }.isEmpty)
        // Its lenders lose nothing on it.
        for lender in ["Voyager", "Genesis", "BlockFi"] { #expect(Episodes.agent(run, lender).recognisedLosses == 0, "\(lender)") }
    }

    /// replays/notes/ftx-2022.md, counterfactual (a): BlockFi's FTX funds and Alameda loan kept
    /// at home as cash (+$1,026M of liquid reserves).
    @Test func removingTheFTXExposureSparesBlockFisHalt() throws {
        let baseline = try Episodes.run(Episodes.ftx)
        let halt = try #require(Episodes.agent(baseline, "BlockFi").haltedAt)
        #expect(UTCTime.formatDate(halt) == "2022-11-10")
        let spec = try Replay.loadSpec(path: Episodes.ftx)
        let alameda = try #require(spec.loans.firstIndex { $0.lender == "BlockFi" && $0.borrower == "Alameda" })
        let onFTX = try #require(spec.entities.first { $0.name == "BlockFi" }?.deployments.firstIndex { $0.venue == "FTX" })
        let run = try Episodes.run(Episodes.ftx, ["entities.BlockFi.deployments[\(onFTX)].quantity=0", "loans[\(alameda)].amount=0",
                                                  "entities.BlockFi.liquid.USDC=1143000000"])
        #expect(Episodes.agent(run, "BlockFi").haltedAt == nil)
        #expect(Episodes.agent(run, "BlockFi").insolventAt == nil)
        // FTX still fails: the exposure removed is BlockFi's, not the cause of FTX's run.
        #expect(Episodes.agent(run, "FTX").haltedAt != nil)
    }
}

/// Issue 4 §1: how the outcomes move with the assumptions the record is silent on. The full
/// table is `scripts/sensitivity.sh` (replays/README.md); these pin the claims made there.
@Suite(.serialized) struct EpisodeSensitivity {
    static func date(_ run: ReplayResult, _ entity: String, _ pick: (Agent) -> Int64?) -> String {
        pick(Episodes.agent(run, entity)).map(UTCTime.formatDate) ?? "none"
    }

    /// The halt rule's horizon (ASSUMPTION, 48h): Celsius's halt stays within its ±2 days and
    /// 3AC's default within ±14 days from 24h to 72h.
    @Test(arguments: ["24h", "72h"])
    func haltHorizon(_ horizon: String) throws {
        let run = try Episodes.run(Episodes.flagship, ["model.halt.horizon=\(horizon)"])
        let halt = try #require(Episodes.agent(run, "Celsius").haltedAt)
        #expect(abs(halt - UTCTime.parse("2022-06-13")!) <= 2 * 86_400_000)
        let def = try #require(Episodes.agent(run, "3AC").defaultedAt)
        #expect(abs(def - UTCTime.parse("2022-06-27")!) <= 14 * 86_400_000)
    }

    /// The fitted figure, Celsius's liquid USDC (2.05B): more reserves, a later halt (or none);
    /// fewer, an earlier one — the halt is driven by the balance sheet, not by a date.
    @Test func celsiusReservesMoveItsHalt() throws {
        func halt(_ usdc: String) throws -> Int64 {
            let run = try Episodes.run(Episodes.flagship, ["entities.Celsius.liquid.USDC=\(usdc)"])
            return Episodes.agent(run, "Celsius").haltedAt ?? .max
        }
        let low = try halt("1500000000"), fitted = try halt("2050000000"), high = try halt("3000000000")
        #expect(low < fitted)
        #expect(fitted <= high)
    }

    /// Creditors' recovery on a defaulted fund's remaining assets (ASSUMPTION, 50%): BlockFi's
    /// FTX-episode loss falls as recovery rises.
    @Test func recoveryRateMovesLosses() throws {
        let lo = try Episodes.run(Episodes.ftx, ["model.recoveryRate=0.25"])
        let hi = try Episodes.run(Episodes.ftx, ["model.recoveryRate=0.75"])
        #expect(Episodes.agent(lo, "BlockFi").recognisedLosses > Episodes.agent(hi, "BlockFi").recognisedLosses)
    }
}

/// Issue 5 §4: the direction of counterfactuals on the episodes, with the numbers observed.
@Suite(.serialized) struct EpisodeCounterfactuals {
    /// Observed at this commit: Celsius's depositors lose $193.9M in the baseline (halted 11 Jun,
    /// the creditors' hole at the end of July cut pro rata) and $0 under no rehypothecation
    /// (Celsius never halts); all platforms' depositors $794.0M → $0.
    @Test func noRehypothecationLowersCelsiusDepositorLosses() throws {
        let baseline = try Episodes.run(Episodes.flagship)
        let run = try Episodes.run(Episodes.flagship, policies: ["no-rehypothecation"])
        let before = Episodes.depositorLoss(baseline, "Celsius"), after = Episodes.depositorLoss(run, "Celsius")
        #expect(before > 0)
        #expect(after < before)
        #expect(RunMeasures(run: run).depositorLosses < RunMeasures(run: baseline).depositorLosses)
        #expect(RunMeasures(run: run).capitalEfficiency == 0)
        #expect(RunMeasures(run: baseline).capitalEfficiency > 0)
    }

    /// A withdrawal gate (10% of claims per 7 days) delays or prevents halts, at the cost of
    /// depositors' access: requests wait in the queue instead of being paid.
    @Test func withdrawalGateDelaysOrPreventsHalts() throws {
        let baseline = try Episodes.run(Episodes.flagship)
        let run = try Episodes.run(Episodes.flagship, policies: ["withdrawal-gate"])
        for name in ["Celsius", "Voyager", "BlockFi"] {
            let before = Episodes.agent(baseline, name).haltedAt ?? .max, after = Episodes.agent(run, name).haltedAt ?? .max
            #expect(after >= before, "\(name): gate halts it earlier")
        }
        #expect(Episodes.agent(baseline, "Celsius").haltedAt != nil)
        #expect(Episodes.agent(run, "Celsius").haltedAt == nil)
        // The cost: Celsius's depositors got less out during the window.
        let paid = { (r: ReplayResult) in r.model.state.cohorts.filter { r.model.state.agents[$0.platform].name == "Celsius" }.reduce(0) { $0 + $1.withdrawn } }
        #expect(paid(run) < paid(baseline))
    }
}
