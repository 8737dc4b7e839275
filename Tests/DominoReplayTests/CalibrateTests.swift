import DominoLog
import DominoModel
@testable import DominoReplay
import DominoTestFixtures
import Foundation
import Testing

/// Issue 14 §3 on a tiny spec with a hand-computed optimum: L holds all its cash at home and its
/// depositors withdraw 300 on 1 June and 200 on 2 June (the small episode's flows), so the share
/// of its claims C paid out from 1 to 3 June is 500 / C. The target is 25%: C = 2,000.
@Suite struct CalibrateTests {
    static let body = SmallEpisodeFixture.body
        .replacingOccurrences(of: "liquid: {USDC: 400}", with: "liquid: {USDC: 10000}")
        .replacingOccurrences(of: "amount: 600", with: "amount: 0.00000001")

    static func write(in dir: TempDir, target: String = "class: fitted", plan: String) throws -> String {
        try SmallEpisode.writeData(to: dir.file("data.zst"))
        try dir.write("fit.yaml", "# fit\nname: fit\n" + body + """
        outcomes:
          - {id: l-outflow, metric: outflow, entity: L, from: 2022-06-01, to: 2022-06-03, value: 25%, \(target), why: a target, source: hand}
          - {id: l-halt, metric: halt, entity: L, date: 2022-06-02, class: held-out, why: w, source: hand}

        """)
        try dir.write("out.yaml", "# held out\nname: out\n" + body)
        return try dir.write("calibration.yaml", plan)
    }

    static let plan = """
    fit:
      - {spec: fit.yaml, targets: [l-outflow]}
    holdOut: [out.yaml]
    parameters:
      cohorts[0].claims.USDC: [1000, 3000]
    seeds: 2
    search: {steps: 5, rounds: 2}
    """

    @Test func findsTheHandComputedOptimum() throws {
        let dir = TempDir(prefix: "domino-calibrate-test")
        let plan = try CalibrationPlan.load(path: try Self.write(in: dir, plan: Self.plan))
        let calibrator = Calibrator(plan: plan, jobs: 1)
        // At C = 2,500 the share is 20%: −5 points on each of 2 seeds, 2 × 25 = 50 points².
        let at2500 = try calibrator.evaluate([[2500 * Fixed.one]])[0]
        #expect(at2500.errors == [[-5_000_000, -5_000_000]])
        #expect(at2500.objectivePoints == 50)
        #expect(at2500.modelled == [["20.0%", "20.0%"]])
        // The search starts in the middle (2,000, already the optimum), tries the grid 1,000 …
        // 3,000 step 500, then 1,500 … 2,500 step 250, and keeps 2,000 with objective 0.
        let result = try calibrator.run()
        #expect(result.best.values == [2000 * Fixed.one])
        #expect(result.best.objective == 0)
        #expect(result.evaluations == 7)       // 2,000 (start), 1,000, 1,500, 2,500, 3,000, 1,750, 2,250
        #expect(result.runs == 7 * 2)
        #expect(calibrator.assignments(result.best.values) == [Overrides.Assignment(path: "cohorts[0].claims.USDC", value: "2000")])
        // The same with 3 jobs.
        let parallel = try Calibrator(plan: plan, jobs: 3).run()
        #expect(parallel.best.values == result.best.values && parallel.trace == result.trace)
    }

    /// An off-centre range: [1000, 5000] starts at 3,000 (16.7%); the grid 1,000 … 5,000 step
    /// 1,000 finds 2,000 exactly.
    @Test func movesToTheOptimumFromElsewhere() throws {
        let dir = TempDir(prefix: "domino-calibrate-test")
        let text = Self.plan.replacingOccurrences(of: "[1000, 3000]", with: "[1000, 5000]").replacingOccurrences(of: "seeds: 2", with: "seeds: 1")
        let plan = try CalibrationPlan.load(path: try Self.write(in: dir, plan: text))
        let result = try Calibrator(plan: plan).run()
        #expect(result.start.values == [3000 * Fixed.one])
        // 500 / 3,000 = 16.67%: −8.33 points, 69.4 points².
        #expect(abs(result.start.objectivePoints - 69.4444) < 0.001)
        #expect(result.best.values == [2000 * Fixed.one] && result.best.objective == 0)
    }

    /// The scan: [1000, 5000] with one coarse round (steps 2: 1,000 and 5,000) stays at the middle,
    /// 3,000 (16.7%: 1,000 gives 50%, 5,000 gives 10%); a scan of 5 values (1,000 … 5,000 step
    /// 1,000) finds 2,000 (25%, objective 0) first, and the round keeps it. Five evaluations in
    /// all: the scan's five, the middle and the round's ends among them.
    @Test func aScanFindsWhatOneCoarseRoundMisses() throws {
        let dir = TempDir(prefix: "domino-calibrate-test")
        let base = Self.plan.replacingOccurrences(of: "[1000, 3000]", with: "[1000, 5000]").replacingOccurrences(of: "seeds: 2", with: "seeds: 1")
        let coarse = base.replacingOccurrences(of: "search: {steps: 5, rounds: 2}", with: "search: {steps: 2, rounds: 1}")
        let plain = try Calibrator(plan: try CalibrationPlan.load(path: try Self.write(in: dir, plan: coarse))).run()
        #expect(plain.best.values == [3000 * Fixed.one] && plain.evaluations == 3)
        let scanned = coarse.replacingOccurrences(of: "{steps: 2", with: "{scan: 5, steps: 2")
        let result = try Calibrator(plan: try CalibrationPlan.load(path: try Self.write(in: dir, plan: scanned))).run()
        #expect(result.best.values == [2000 * Fixed.one] && result.best.objective == 0)
        #expect(result.start.values == [3000 * Fixed.one])
        #expect(result.evaluations == 5)
    }

    /// Dates and survivals are never targets; a target must be declared fitted; one episode at
    /// least is held out, with no fitted row.
    @Test func refusesWhatIsNotATarget() throws {
        let dir = TempDir(prefix: "domino-calibrate-test")
        let cases: [(String, String, String)] = [
            ("class: fitted", Self.plan.replacingOccurrences(of: "targets: [l-outflow]", with: "targets: [l-outflow, l-halt]"), "never a calibration target"),
            ("class: held-out", Self.plan, "must be declared 'class: fitted'"),
            ("class: fitted", Self.plan.replacingOccurrences(of: "holdOut: [out.yaml]", with: "holdOut: []"), "at least one whole episode"),
            ("class: fitted", Self.plan.replacingOccurrences(of: "holdOut: [out.yaml]", with: "holdOut: [fit.yaml]"), "has a fitted row"),
            ("class: fitted", Self.plan.replacingOccurrences(of: "targets: [l-outflow]", with: "targets: [l-outfow]"), "did you mean"),
            ("class: fitted", Self.plan.replacingOccurrences(of: "[1000, 3000]", with: "[3000, 1000]"), "low must be below high"),
            ("class: fitted", Self.plan.replacingOccurrences(of: "{steps: 5", with: "{scan: 22, steps: 5"), "'search.scan' must be 1 … 21"),
            ("class: fitted", Self.plan.replacingOccurrences(of: "cohorts[0].claims.USDC", with: "cohorts[0].claimz.USDC"), "claimz"),
        ]
        for (target, plan, message) in cases {
            do {
                _ = try CalibrationPlan.load(path: try Self.write(in: dir, target: target, plan: plan))
                Issue.record("accepted: \(plan)")
            } catch let e as SpecError {
                #expect(e.message.contains(message), "\(e.message)")
            }
        }
    }
}
