import Testing
@testable import DominoModel

/// Random scenarios: three lenders with customer claims in USDC, backed by USDC held liquid, lent
/// to two funds (some loans secured by X, some not) or deployed (staked, with an unwind delay and
/// a haircut); the funds hold X, whose price crashes; a pool of ETH positions. The lenders carry
/// no market risk of their own, so what they lose comes from reusing customer assets — the
/// setting in which a tighter rehypothecation cap must never make depositors worse off.
struct RandomScenario {
    var scenario = Scenario()
    var inputs: [(time: Int64, input: Input)] = []

    init(seed: UInt64, cap: Ratio? = nil) {
        var rng = SeededRandom(seed: seed)
        func pick(_ n: Int) -> Int { Int(rng.below(UInt64(n))) }
        var s = Scenario()
        s.parameters.haltHorizon = Int64(pick(96) + 1) * hour
        s.parameters.recoveryRate = Ratio(Int64(pick(60)) * 1_000_000)
        let policy = Policy(rehypothecationCap: cap)
        // Lenders run a matched book: each asset's customer claims are backed by the same asset,
        // liquid, lent or deployed, plus some equity in cash. Funds hold X and ETH.
        let funds = [s.agent("F0", .fund, liquid: [1: units(Int64(pick(3000))), 0: units(Int64(pick(100)))]),
                     s.agent("F1", .fund, liquid: [1: units(Int64(pick(3000))), 2: units(Int64(pick(20)))])]
        for i in 0..<3 {
            let small = units(Int64(pick(500) + 200)), large = units(Int64(pick(800) + 200))
            let claims = small + large
            let staked = claims.scaled(by: Ratio(Int64(pick(40)) * 1_000_000))
            let l = s.agent("L\(i)", .lender, policy: policy)
            s.agents[l].deployments = [Deployment(label: "staked", asset: AssetID(0), quantity: staked, venue: nil,
                                                  unwindDelay: Int64(pick(200)) * hour, haircut: Ratio(Int64(pick(10)) * 1_000_000),
                                                  customerFunded: true)]
            s.cohort("small", platform: l, claims: [0: small])
            s.cohort("large", platform: l, claims: [0: large])
            var lent = Quantity.zero
            for f in funds where pick(3) > 0 {
                let secured = pick(2) == 0
                let principal = claims.scaled(by: Ratio(Int64(pick(30)) * 1_000_000))
                lent += principal
                s.loan(l, f, principal, collateral: secured ? [1: units(Int64(pick(400)))] : [:],
                       maintenance: Ratio(secured ? 110_000_000 : 0), initial: Ratio(secured ? 130_000_000 : 0),
                       seniority: pick(2), notice: Int64(pick(96)) * hour)
            }
            s.agents[l].liquid[0] = claims - lent - staked + units(Int64(pick(100)))
        }
        let poolAgent = s.agent("pool", .pool)
        var pool = Pool(agent: AgentID(poolAgent), threshold: Ratio(80_000_000), bonus: Ratio(105_000_000), closeFactor: Ratio(50_000_000), assetCount: 3)
        for _ in 0..<200 {
            let c = units(Int64(pick(10) + 1))
            pool.add(.init(owner: nil, collateralAsset: AssetID(2), collateral: c, debtAsset: AssetID(0),
                           debt: (c * Price(2000 * one)).scaled(by: Ratio(Int64(pick(70) + 5) * 1_000_000)).quantity(at: .one)))
        }
        s.pools = [pool]
        scenario = s

        var x: Int64 = one, eth: Int64 = 2000 * one
        for t in 1...400 {
            let time = Int64(t) * hour
            let crash = t > 150 && t < 200
            x = max(100_000, x + (Int64(pick(200)) - (crash ? 130 : 98)) * 300_000)
            eth = max(one, eth + (Int64(pick(200)) - (crash ? 125 : 99)) * one)
            inputs.append((time, .price(asset: AssetID(1), price: Price(x))))
            inputs.append((time, .price(asset: AssetID(2), price: Price(eth))))
            if pick(3) == 0 {
                let c = pick(s.cohorts.count)
                inputs.append((time, .withdrawal(cohort: CohortID(c), asset: AssetID(0), quantity: units(Int64(pick(crash ? 120 : 30))))))
            }
            if pick(10) == 0 { inputs.append((time, .deposit(cohort: CohortID(pick(s.cohorts.count)), asset: AssetID(0), quantity: units(Int64(pick(50)))))) }
            if pick(40) == 0 { inputs.append((time, .signal(subject: nil, intensity: Ratio(Int64(pick(100)) * 1_000_000)))) }
        }
    }

    func run(incremental: Bool = false, reference: BaselineTrace? = nil, depth: [Int64] = [0, 0, 0],
             check: (Model) -> Void = { _ in }) -> (model: Model, outcomes: [Outcome]) {
        var model = scenario.model(reference: reference, depth: depth, applyPolicies: true)
        model.incrementalChecks = incremental
        var outcomes: [Outcome] = []
        for (time, input) in inputs {
            model.apply(input, at: time, emit: { outcomes.append($0) })
            check(model)
        }
        model.finish(at: inputs.last!.time + 1000 * hour, emit: { outcomes.append($0) })
        check(model)
        return (model, outcomes)
    }
}

@Suite struct PropertyTests {
    /// Tokens are conserved (holdings + pledges + pools + in transit + outside is constant), no
    /// balance goes negative, and each balance sheet's parts are non-negative and sum to its
    /// totals (assets = liabilities + equity) at every step.
    @Test(arguments: Array(UInt64(1)...12))
    func conservationAndNoNegativeBalances(seed: UInt64) {
        let random = RandomScenario(seed: seed)
        let initial = random.scenario.model(applyPolicies: true).conservedTotals()
        let result = random.run { m in
            #expect(m.conservedTotals() == initial)
            for agent in m.state.agents {
                #expect(agent.liquid.allSatisfy { $0 >= .zero })
                #expect(agent.deployments.allSatisfy { $0.quantity >= .zero })
                #expect(agent.creditDrawn >= .zero)
            }
            for cohort in m.state.cohorts { #expect(cohort.claims.allSatisfy { $0 >= .zero }) }
            // Each platform's claim totals stay equal to the sum over its cohorts.
            for (i, agent) in m.state.agents.enumerated() {
                var sum = [Quantity](repeating: .zero, count: m.state.assetCount)
                for cohort in m.state.cohorts where cohort.platform.index == i { for a in sum.indices { sum[a] += cohort.claims[a] } }
                #expect(agent.claims == sum)
            }
            for loan in m.state.loans {
                #expect(loan.principal >= .zero)
                #expect(loan.collateral.allSatisfy { $0 >= .zero })
            }
            for i in m.state.agents.indices {
                let sheet = m.balanceSheet(i)
                #expect([sheet.liquid, sheet.deployed, sheet.loansMade, sheet.collateralPosted, sheet.poolCollateral,
                         sheet.customerClaims, sheet.creditDrawn, sheet.loansTaken, sheet.poolDebt].allSatisfy { $0 >= .zero })
                #expect(sheet.assets == sheet.liabilities + sheet.equity)
            }
        }
        #expect(!result.outcomes.isEmpty)
    }

    /// A tighter rehypothecation cap never increases total depositor losses.
    @Test(arguments: Array(UInt64(1)...12))
    func tighterCapNeverIncreasesDepositorLosses(seed: UInt64) {
        var previous = USD.max
        var losses: [USD] = []
        for cap in [nil, 75_000_000, 50_000_000, 25_000_000, 0] as [Int64?] {
            let (model, _) = RandomScenario(seed: seed, cap: cap.map(Ratio.init)).run()
            let total = model.state.cohorts.indices.reduce(USD.zero) { $0 + model.cohortLoss($1) }
            losses.append(total)
            #expect(total <= previous, "seed \(seed): losses by cap (none, 75, 50, 25, 0%): \(losses)")
            previous = total
        }
        #expect(losses.last == .zero)
    }

    /// The bounds that let a price tick skip checks (`Model+Bounds.swift`) change nothing: the
    /// same outcomes, trace and state, bit for bit, with and without them — for the baseline and
    /// for counterfactuals with the impact overlay on (forced sales move prices).
    @Test(arguments: Array(UInt64(1)...16))
    func incrementalChecksChangeNothing(seed: UInt64) {
        for cap in [nil, 50_000_000] as [Int64?] {
            let random = RandomScenario(seed: seed, cap: cap.map(Ratio.init))
            let exact = random.run(), fast = random.run(incremental: true)
            #expect(fast.outcomes == exact.outcomes)
            #expect(fast.model.state == exact.model.state)
            #expect(fast.model.trace == exact.model.trace)
            let baseline = RandomScenario(seed: seed).run().model.trace
            let depth: [Int64] = [0, usd(2_000_000).raw, usd(5_000_000).raw]
            let a = random.run(reference: baseline, depth: depth), b = random.run(incremental: true, reference: baseline, depth: depth)
            #expect(b.outcomes == a.outcomes)
            #expect(b.model.state == a.model.state)
        }
    }

    /// Same inputs, same seed: the same state and outcomes, bit for bit.
    @Test func runsAreDeterministic() {
        let a = RandomScenario(seed: 5).run(), b = RandomScenario(seed: 5).run()
        #expect(a.model.state == b.model.state)
        #expect(a.outcomes == b.outcomes)
    }
}

extension PropertyTests {
    /// The cap property is not vacuous: without a cap, a good share of the scenarios do lose.
    @Test func scenariosIncludeLosses() {
        let losing = (UInt64(1)...12).filter { seed in
            let (m, _) = RandomScenario(seed: seed).run()
            return m.state.cohorts.indices.contains { m.cohortLoss($0) > .zero }
        }
        #expect(losing.count >= 3, "seeds with losses: \(losing)")
    }
}
