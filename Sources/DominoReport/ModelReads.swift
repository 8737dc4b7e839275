import DominoModel
import DominoReplay

/// Every read of model state the report makes, in one place (the model's types change under
/// other branches; adapting the report means adapting these functions).
package enum ModelReads {
    /// An outcome's party as one flat index (agents 0..<A, then cohorts A..<A+C; nil for none),
    /// so the report can key and sort parties as numbers.
    package static func index(_ p: Party, agents: Int) -> Int? {
        switch p {
        case .none: nil
        case let .agent(i): i.index
        case let .cohort(c): agents + c.index
        }
    }

    /// The party a flat index stands for (the inverse of `index`).
    package static func party(_ i: Int, agents: Int) -> Party {
        i < agents ? .agent(AgentID(i)) : .cohort(CohortID(i - agents))
    }

    /// Status of an agent now: 0 running, 1 halted, 2 insolvent, 3 defaulted (the worst so far).
    package static func status(_ model: Model, _ i: Int) -> Int {
        let a = model.state.agents[i]
        if a.defaultedAt != nil { return 3 }
        if a.insolventAt != nil { return 2 }
        if a.haltedAt != nil { return 1 }
        return 0
    }

    package static func sheet(_ model: Model, _ i: Int) -> Snapshot.Sheet {
        let s = model.balanceSheet(i)
        return .init(assets: s.assets.raw, liabilities: s.liabilities.raw, liquid: model.liquidValue(i).raw, equity: s.equity.raw, status: status(model, i))
    }

    /// Loans (lender → borrower), deployments (holder → venue) and pool positions (owner → pool)
    /// between agents, in USD at the prices now, summed per (from, to, kind), in a fixed order.
    package static func edges(_ model: Model) -> [Snapshot.Edge] {
        let agents = model.state.agents.count
        var sums: [Snapshot.EdgeKey: Int64] = [:] // lookups only; sorted below
        for e in model.exposureEdges() {
            guard let to = e.to, e.from < agents, to < agents, e.from != to else { continue }
            let kind: Int
            switch e.kind {
            case .loan: kind = 0
            case .deployment: kind = 1
            case .position: kind = 2
            case .deposit, .collateral: continue
            }
            let usd = model.state.market.value(e.asset, e.quantity)
            sums[.init(from: e.from, to: to, kind: kind), default: 0] += usd.raw
        }
        return sums.keys.sorted().map { Snapshot.Edge(key: $0, usd: sums[$0]!) }
    }

    package static func snapshot(_ model: Model, at time: Int64) -> Snapshot {
        let n = model.state.agents.count
        var withdrawn = [Int64](repeating: 0, count: n)
        for c in model.state.cohorts { withdrawn[c.platform.index] += c.withdrawn.raw }
        return Snapshot(time: time, sheets: (0..<n).map { sheet(model, $0) }, edges: edges(model), withdrawn: withdrawn)
    }

    /// Halt, default and insolvency times per agent at the end of a run.
    package static func failures(_ model: Model) -> [(halt: Int64?, defaulted: Int64?, insolvent: Int64?)] {
        model.state.agents.map { ($0.haltedAt, $0.defaultedAt, $0.insolventAt) }
    }

    /// Per cohort: platform, name, claims valued at the first prices, paid out, loss at the end.
    package static func cohorts(_ model: Model) -> [(name: String, platform: Int, initial: Int64, withdrawn: Int64, loss: Int64)] {
        model.state.cohorts.indices.map { c in
            let x = model.state.cohorts[c]
            return (x.name, x.platform.index, x.initialClaims.raw, x.withdrawn.raw, model.cohortLoss(c).raw)
        }
    }

    package static func agentNames(_ model: Model) -> [String] { model.state.agents.map(\.name) }
    package static func roles(_ model: Model) -> [String] { model.state.agents.map(\.role.rawValue) }
    package static func assetSymbols(_ model: Model) -> [String] { model.state.market.assets.map(\.symbol) }
}
