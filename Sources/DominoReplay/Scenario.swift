import DominoLog
import DominoModel

/// A spec made concrete: model indices for its assets, entities and cohorts, and the initial
/// model state (before prices). Built without reading any event.
package struct Scenario: Sendable {
    package let spec: Spec
    package let assetIndex: [String: Int]  // lookups only
    package let agentIndex: [String: Int]
    package let cohortIndex: [String: Int]
    package let cash: Int
    package var state: ModelState

    package init(spec: Spec) throws {
        self.spec = spec
        var assetIndex: [String: Int] = [:]
        for (i, a) in spec.assets.enumerated() { assetIndex[a.symbol] = i }
        var agentIndex: [String: Int] = [:]
        for (i, e) in spec.entities.enumerated() { agentIndex[e.name] = i }
        var cohortIndex: [String: Int] = [:]
        for (i, c) in spec.cohorts.enumerated() { cohortIndex[c.name] = i }
        self.assetIndex = assetIndex
        self.agentIndex = agentIndex
        self.cohortIndex = cohortIndex
        cash = assetIndex[spec.cash]!
        let n = spec.assets.count
        func vector(_ pairs: [(String, Int64)]) -> [Quantity] {
            var v = [Quantity](repeating: .zero, count: n)
            for (s, q) in pairs { v[assetIndex[s]!] += Quantity(q) }
            return v
        }
        var market = Market(assets: spec.assets.map {
            Market.AssetState(symbol: $0.symbol, depth: USD($0.depth), redeems: $0.redeems.flatMap { assetIndex[$0] }.map(AssetID.init), redeemsPer: Ratio($0.redeemsPer))
        })
        // Keep the longest price window any policy looks back over.
        market.historyWindow = spec.entities.reduce(Int64(0)) { m, e in
            max(m, e.policy.circuitBreaker?.window ?? 0, e.policy.dynamicCollateral?.window ?? 0)
        }
        let agents: [Agent] = spec.entities.map { e in
            var a = Agent(name: e.name, role: e.role, policy: e.policy, assetCount: n)
            a.liquid = vector(e.liquid)
            a.ownToken = e.ownToken.map { AssetID(assetIndex[$0]!) }
            a.creditLimit = USD(e.creditLine)
            a.creditLines = Self.creditLines(spec, of: e.name, agentIndex: agentIndex)
            a.deployments = e.deployments.map {
                Deployment(label: $0.label, asset: AssetID(assetIndex[$0.asset]!), quantity: Quantity($0.quantity), venue: $0.venue.map { AgentID(agentIndex[$0]!) },
                           unwindDelay: $0.unwind, haircut: Ratio($0.haircut), customerFunded: $0.customerFunded)
            }
            return a
        }
        let cohorts = spec.cohorts.map { Cohort(name: $0.name, platform: AgentID(agentIndex[$0.platform]!), members: $0.members, claims: vector($0.claims)) }
        let loans = spec.loans.map {
            Loan(lender: AgentID(agentIndex[$0.lender]!), borrower: AgentID(agentIndex[$0.borrower]!), asset: AssetID(assetIndex[$0.asset]!), principal: Quantity($0.amount),
                 collateral: vector($0.collateral), maintenance: Ratio($0.maintenance), initial: Ratio($0.initial), seniority: $0.seniority,
                 notice: $0.notice ?? spec.parameters.recallNotice, customerFunded: $0.customerFunded)
        }
        let pools = spec.pools.map { p -> Pool in
            var pool = Pool(agent: AgentID(agentIndex[p.entity]!), threshold: Ratio(p.threshold), bonus: Ratio(p.bonus), closeFactor: Ratio(p.closeFactor), assetCount: n)
            for x in p.positions {
                pool.add(.init(owner: x.owner.map { AgentID(agentIndex[$0]!) }, collateralAsset: AssetID(assetIndex[x.collateralAsset]!), collateral: Quantity(x.collateral),
                               debtAsset: AssetID(assetIndex[x.debtAsset]!), debt: Quantity(x.debt)))
            }
            return pool
        }
        state = ModelState(time: spec.window.from, parameters: spec.parameters, market: market, agents: agents, cohorts: cohorts,
                           loans: loans, pools: pools, cashAsset: AssetID(cash), seed: spec.seed)
        Self.behaviourState(spec, agentIndex: agentIndex, into: &state)
    }

    /// Adds the spec's generated crowds to the pools, at the first prices: collateral uniform in
    /// its range, loan-to-value uniform in its range, debt = collateral × price × LTV. Draws come
    /// from a stream per pool, so they do not depend on anything else in the run.
    package func generatePositions(into model: inout Model) {
        for (p, poolSpec) in spec.pools.enumerated() {
            var rng = SeededRandom(seed: spec.seed, stream: 1_000_000 + UInt64(p))
            for g in poolSpec.generate {
                let c = assetIndex[g.collateralAsset]!, d = assetIndex[g.debtAsset]!
                let pc = model.state.market.price(c), pd = max(Price(1), model.state.market.price(d))
                for _ in 0..<g.count {
                    let collateral = Quantity(g.collateral.0 + Int64(rng.below(UInt64(g.collateral.1 - g.collateral.0) + 1)))
                    let ltv = Ratio(g.ltv.0 + Int64(rng.below(UInt64(g.ltv.1 - g.ltv.0) + 1)))
                    let debt = (collateral * pc).scaled(by: ltv).quantity(at: pd)
                    model.addPoolPosition(.init(owner: nil, collateralAsset: AssetID(c), collateral: collateral, debtAsset: AssetID(d), debt: debt), toPool: p)
                }
            }
        }
    }

    /// Display name of a party ("" for none).
    package func partyName(_ party: Party) -> String {
        switch party {
        case .none: ""
        case let .agent(i): spec.entities[i.index].name
        case let .cohort(c): spec.cohorts[c.index].name
        }
    }

    /// Entity id of a party in an outcome log (agents, then cohorts, from 1; 0 for none).
    package func logEntity(_ party: Party) -> UInt32 {
        switch party {
        case .none: 0
        case let .agent(i): UInt32(i.index + 1)
        case let .cohort(c): UInt32(spec.entities.count + c.index + 1)
        }
    }

    package var partyCount: Int { spec.entities.count + spec.cohorts.count }
}
