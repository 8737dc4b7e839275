import DominoLog
import DominoModel

/// A spec made concrete: model indices for its assets, entities and cohorts, and the initial
/// model state (before prices). Built without reading any event.
public struct Scenario: Sendable {
    public let spec: Spec
    public let assetIndex: [String: Int]  // lookups only
    public let agentIndex: [String: Int]
    public let cohortIndex: [String: Int]
    public let cash: Int
    package var state: ModelState

    public init(spec: Spec) throws {
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
        func vector(_ pairs: [(String, Int64)]) -> [Int64] {
            var v = [Int64](repeating: 0, count: n)
            for (s, q) in pairs { v[assetIndex[s]!] += q }
            return v
        }
        var market = Market(assets: spec.assets.map { Market.AssetState(symbol: $0.symbol, depth: $0.depth) })
        // Keep the longest price window any policy looks back over.
        market.historyWindow = spec.entities.reduce(Int64(0)) { m, e in
            max(m, e.policy.circuitBreaker?.window ?? 0, e.policy.dynamicCollateral?.window ?? 0)
        }
        let agents: [Agent] = spec.entities.map { e in
            var a = Agent(name: e.name, role: e.role, policy: e.policy, assetCount: n)
            a.liquid = vector(e.liquid)
            a.ownToken = e.ownToken.map { assetIndex[$0]! }
            a.creditLimit = e.creditLine
            a.deployments = e.deployments.map {
                Deployment(label: $0.label, asset: assetIndex[$0.asset]!, quantity: $0.quantity, venue: $0.venue.map { agentIndex[$0]! },
                           unwindDelay: $0.unwind, haircut: $0.haircut, customerFunded: $0.customerFunded)
            }
            return a
        }
        let cohorts = spec.cohorts.map { Cohort(name: $0.name, platform: agentIndex[$0.platform]!, members: $0.members, claims: vector($0.claims)) }
        let loans = spec.loans.map {
            Loan(lender: agentIndex[$0.lender]!, borrower: agentIndex[$0.borrower]!, asset: assetIndex[$0.asset]!, principal: $0.amount,
                 collateral: vector($0.collateral), maintenance: $0.maintenance, initial: $0.initial, seniority: $0.seniority,
                 notice: $0.notice ?? spec.parameters.recallNotice, customerFunded: $0.customerFunded)
        }
        let pools = spec.pools.map { p -> Pool in
            var pool = Pool(agent: agentIndex[p.entity]!, threshold: p.threshold, bonus: p.bonus, closeFactor: p.closeFactor, assetCount: n)
            for x in p.positions {
                pool.add(.init(owner: x.owner.map { agentIndex[$0]! }, collateralAsset: assetIndex[x.collateralAsset]!, collateral: x.collateral,
                               debtAsset: assetIndex[x.debtAsset]!, debt: x.debt))
            }
            return pool
        }
        state = ModelState(time: spec.window.from, parameters: spec.parameters, market: market, agents: agents, cohorts: cohorts,
                           loans: loans, pools: pools, cashAsset: cash, seed: spec.seed)
    }

    /// Adds the spec's generated crowds to the pools, at the first prices: collateral uniform in
    /// its range, loan-to-value uniform in its range, debt = collateral × price × LTV. Draws come
    /// from a stream per pool, so they do not depend on anything else in the run.
    package func generatePositions(into model: inout Model) {
        for (p, poolSpec) in spec.pools.enumerated() {
            var rng = SeededRandom(seed: spec.seed, stream: 1_000_000 + UInt64(p))
            for g in poolSpec.generate {
                let c = assetIndex[g.collateralAsset]!, d = assetIndex[g.debtAsset]!
                let pc = model.state.market.price(c), pd = max(1, model.state.market.price(d))
                for _ in 0..<g.count {
                    let collateral = g.collateral.0 + Int64(rng.below(UInt64(g.collateral.1 - g.collateral.0) + 1))
                    let ltv = g.ltv.0 + Int64(rng.below(UInt64(g.ltv.1 - g.ltv.0) + 1))
                    let debt = Fixed.quantity(Fixed.scale(Fixed.value(collateral, at: pc), by: ltv), at: pd)
                    model.addPoolPosition(.init(owner: nil, collateralAsset: c, collateral: collateral, debtAsset: d, debt: debt), toPool: p)
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

    public var partyCount: Int { spec.entities.count + spec.cohorts.count }
}

/// Maps one dataset's ids to the scenario's: its assets by symbol, its entities by name.
/// A class of constants: the replay consults it for every event, and a struct's tables would be
/// retained and released at each call.
final class InputMapper {
    let asset: [Int]          // log asset id → model asset index, -1 = not modelled
    let decimals: [Int]
    let party: [UInt32: Int]  // log entity id → party; lookups only
    /// Each cohort's platform, apart from the scenario's cohorts (64 bytes each; once the run
    /// has written to its own copy of them, reading a platform there was a cache miss).
    let cohortPlatform: [Int32]

    init(header: LogHeader, scenario: Scenario) {
        let size = Int(header.largestAssetID) + 1
        var asset = [Int](repeating: -1, count: size)
        var decimals = [Int](repeating: 8, count: size)
        for a in header.assets {
            asset[Int(a.id)] = scenario.assetIndex[a.symbol] ?? -1
            decimals[Int(a.id)] = a.decimals
        }
        var party: [UInt32: Int] = [:]
        for e in header.entities {
            if let i = scenario.agentIndex[e.name] { party[e.id] = i }
            else if let c = scenario.cohortIndex[e.name] { party[e.id] = scenario.spec.entities.count + c }
        }
        self.asset = asset
        self.decimals = decimals
        self.party = party
        cohortPlatform = scenario.state.cohorts.map { Int32($0.platform) }
    }

    /// The model input for a log event, or nil when the event is not about the scenario (an
    /// asset or entity it does not model). Throws for events that contradict the spec.
    func input(_ e: Event, scenario: Scenario) -> Input? {
        let a = e.asset == 0 ? -1 : asset[Int(e.asset)]
        if e.kind == .price { return a >= 0 ? .price(asset: AssetID(a), price: Price(e.amount)) : nil } // most events: first, and nothing else to do
        let agents = scenario.spec.entities.count
        let quantity = Quantity(e.asset == 0 ? e.amount : Fixed.normalise(e.amount, decimals: decimals[Int(e.asset)]))
        let asset = AssetID(a)
        func agent(_ id: UInt32) -> AgentID?? { // nil: not modelled; .some(nil): outside (id 0)
            if id == 0 { return .some(nil) }
            guard let p = party[id], p < agents else { return nil }
            return .some(AgentID(p))
        }
        switch e.kind {
        case .deposit, .withdrawalRequest:
            guard a >= 0, let p = party[e.entity], p >= agents else { return nil }
            let cohort = CohortID(p - agents)
            guard let platform = party[e.counterparty], platform == Int(cohortPlatform[cohort.index]) else { return nil }
            return e.kind == .deposit ? .deposit(cohort: cohort, asset: asset, quantity: quantity)
                                      : .withdrawal(cohort: cohort, asset: asset, quantity: quantity)
        case .transfer:
            guard a >= 0, let from = agent(e.entity), let to = agent(e.counterparty) else { return nil }
            return .transfer(from: from, to: to, asset: asset, quantity: quantity)
        case .borrow, .repay:
            guard a >= 0, let b = party[e.entity], let l = party[e.counterparty], b < agents, l < agents else { return nil }
            return e.kind == .borrow ? .borrow(lender: AgentID(l), borrower: AgentID(b), asset: asset, quantity: quantity)
                                     : .repay(borrower: AgentID(b), lender: AgentID(l), asset: asset, quantity: quantity)
        case .collateralPosted, .collateralReleased:
            guard a >= 0, let b = party[e.entity], let l = party[e.counterparty], b < agents, l < agents else { return nil }
            return .collateral(borrower: AgentID(b), lender: AgentID(l), asset: asset, quantity: quantity, posted: e.kind == .collateralPosted)
        case .signal:
            guard let subject = agent(e.entity) else { return nil }
            return .signal(subject: subject, intensity: Ratio(e.amount))
        default:
            return nil // outcomes in an input log are not inputs
        }
    }
}
