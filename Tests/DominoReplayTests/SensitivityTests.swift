import DominoLog
import DominoModel
@testable import DominoReplay
import DominoTestFixtures
import Testing

/// Issue 17 §4: Morris screening over a spec's assumption ranges.
@Suite struct SensitivityTests {
    /// f = 3·x1 + 0·x2 + x3² on the unit cube.
    func f(_ x: [Double]) -> Double { 3 * x[0] + 0 * x[1] + x[2] * x[2] }

    /// μ*(x1) = 3 with σ = 0 on any grid (a linear effect); μ*(x2) = 0; x3's effect of x² over a
    /// step Δ from a is 2a + Δ (up) or 2b − Δ (down from b): with p = 4 (Δ = 2/3) every step is
    /// from 0 or 1/3 up, or from 1 or 2/3 down, so each effect is 2/3 or 4/3.
    @Test func theEstimatorRecoversAKnownFunction() {
        for (levels, r) in [(4, 10), (6, 7), (2, 3)] {
            let design = MorrisDesign(factors: 3, levels: levels, trajectories: r, seed: 11)
            let values = design.points.map { f($0.map(design.coordinate)) }
            let s = MorrisEffects.estimate(design, values: values)
            #expect(abs(s[0].muStar - 3) < 1e-12 && abs(s[0].mu - 3) < 1e-12 && s[0].sigma < 1e-12)
            #expect(s[1].muStar == 0 && s[1].sigma == 0)
            #expect(s[0].effects.count == r && s[2].effects.count == r)
            if levels == 4 {
                #expect(s[2].effects.allSatisfy { abs($0 - 2.0 / 3) < 1e-12 || abs($0 - 4.0 / 3) < 1e-12 })
            }
        }
        // σ: effects 1 and 3 → mean 2, sample deviation √2; μ* of (−1, 3) is 2, μ is 1.
        let m = MorrisEffects(effects: [-1, 3])
        #expect(m.muStar == 2 && m.mu == 1 && abs(m.sigma - 8.0.squareRoot()) < 1e-12)
    }

    /// Each trajectory has k + 1 grid points; step j moves exactly the factor it names, by ±p/2
    /// levels in its direction, and every factor moves exactly once.
    @Test func eachTrajectoryMovesOneFactorAtATime() {
        let design = MorrisDesign(factors: 5, levels: 4, trajectories: 20, seed: 3)
        #expect(design.pointCount == 120 && design.delta == 2.0 / 3)
        var directions: Set<Int> = []
        for t in design.trajectories {
            #expect(t.points.count == 6)
            #expect(t.points.allSatisfy { $0.allSatisfy { (0..<4).contains($0) } })
            #expect(t.steps.map(\.factor).sorted() == Array(0..<5))
            for (j, step) in t.steps.enumerated() {
                let moved = (0..<5).filter { t.points[j][$0] != t.points[j + 1][$0] }
                #expect(moved == [step.factor])
                #expect(t.points[j + 1][step.factor] - t.points[j][step.factor] == step.direction * 2)
                directions.insert(step.direction)
            }
        }
        #expect(directions == [-1, 1])
        // Shares: level 0 is the low end, the top level the last share below 1.
        #expect(design.share(0) == 0 && design.share(3) == one - 1)
    }

    /// Keyed: the same seed gives the same design; trajectory t does not depend on r; another
    /// seed gives another design.
    @Test func theDesignIsKeyedBySeedAndTrajectory() {
        let a = MorrisDesign(factors: 4, levels: 4, trajectories: 3, seed: 9)
        let b = MorrisDesign(factors: 4, levels: 4, trajectories: 8, seed: 9)
        #expect(a == MorrisDesign(factors: 4, levels: 4, trajectories: 3, seed: 9))
        #expect(Array(b.trajectories.prefix(3)) == a.trajectories)
        #expect(MorrisDesign(factors: 4, levels: 4, trajectories: 3, seed: 10) != a)
    }

    /// The small episode with two assumptions: L's cash (×1 … ×1.5: 400 … 600 USDC) and F's
    /// ETH (×0.5 … ×1.5). L halts on 2 June when it has less than the 500 its depositors ask
    /// for by then (cash below ×1.25), and F's ETH cannot change that. With p = 4 the cash
    /// levels are ×1, ×1.17 (halts) and ×1.33, ×1.5 (does not: counted as the window's end + 1
    /// day, day 10), and a jump of two levels always crosses: every effect of the cash on the
    /// halt is (10 − halt day) / (2/3), so μ* = μ = 1.5 × (10 − halt day), σ = 0; F's is 0.
    static let spec = "# sensitivity\nname: small\n" + SmallEpisodeFixture.body + """
    assumptions:
      - {name: l-cash, path: entities.L.liquid, scale: [1, 1.5], why: w}
      - {name: f-eth, path: entities.F.liquid.ETH, scale: [0.5, 1.5], why: w}
    outcomes:
      - {id: l-halt, metric: halt, entity: L, date: 2022-06-02, class: held-out, why: w, source: s}

    """

    @Test func screeningTheSmallEpisodeFindsTheCashAndNotTheFund() throws {
        let dir = TempDir(prefix: "domino-sens")
        try SmallEpisodeFixture.writeData(to: dir.file("data.zst"), name: "small-data")
        let path = try dir.write("small.yaml", Self.spec)
        let asWritten = try Replay.loadSpec(path: path)
        let halt = try #require(try Replay.run(asWritten).model.state.agents[0].haltedAt)
        #expect(UTCTime.formatDate(halt) == "2022-06-02")
        let haltDay = Double(halt - asWritten.window.from) / 86_400_000
        let end = Double(asWritten.window.to - asWritten.window.from) / 86_400_000 + 1

        let plan = try Sensitivity.Plan(path: path, overrides: [], outcomes: [], trajectories: 3, levels: 4, seeds: 1, designSeed: nil)
        #expect(plan.outcomes.map(\.id) == ["l-halt", "losses", "liquidations"] && plan.runs == 9 && plan.designSeed == 7)
        let one = try Sensitivity.run(plan, jobs: 1)
        let two = try Sensitivity.run(plan, jobs: 2)
        #expect(one.json.render() == two.json.render())
        let table = one.tables[0]
        #expect(table.factors.map(\.name) == ["l-cash", "f-eth"])
        let cash = table.factors[0].effects, fund = table.factors[1].effects
        #expect(abs(cash.muStar - (end - haltDay) * 1.5) < 1e-9 && abs(cash.mu - cash.muStar) < 1e-9 && cash.sigma < 1e-9)
        #expect(fund.muStar == 0)
        #expect(table.happened > 0 && table.happened < 9)
        #expect(one.table().contains("l-halt (days)") && one.table().contains("happened on \(table.happened)/9 runs"))
    }

    @Test func anUnknownOutcomeIsRefusedWithTheChoices() throws {
        let dir = TempDir(prefix: "domino-sens")
        try SmallEpisodeFixture.writeData(to: dir.file("data.zst"), name: "small-data")
        let path = try dir.write("small.yaml", Self.spec)
        #expect(throws: SensitivityError.self) {
            try Sensitivity.Plan(path: path, overrides: [], outcomes: ["l-default"], trajectories: 2, levels: 4, seeds: 1, designSeed: nil)
        }
        do {
            _ = try Sensitivity.Plan(path: path, overrides: [], outcomes: ["nope"], trajectories: 2, levels: 4, seeds: 1, designSeed: nil)
        } catch let e as SensitivityError {
            #expect(e.message == "--outcome nope: 'nope' is not a known outcome of small (choose from: l-halt, losses, liquidations)")
        }
    }
}
