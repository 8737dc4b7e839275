import DominoLog
import DominoModel

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
    /// The log's entity names by id (for errors); lookups only.
    let names: [UInt32: String]

    init(header: LogHeader, scenario: Scenario) {
        let size = Int(header.largestAssetID) + 1
        var asset = [Int](repeating: -1, count: size)
        var decimals = [Int](repeating: 8, count: size)
        for a in header.assets {
            asset[Int(a.id)] = scenario.assetIndex[a.symbol] ?? -1
            decimals[Int(a.id)] = a.decimals
        }
        var party: [UInt32: Int] = [:]
        var names: [UInt32: String] = [:]
        for e in header.entities {
            names[e.id] = e.name
            if let i = scenario.agentIndex[e.name] { party[e.id] = i }
            else if let c = scenario.cohortIndex[e.name] { party[e.id] = scenario.spec.entities.count + c }
        }
        self.asset = asset
        self.decimals = decimals
        self.party = party
        self.names = names
        cohortPlatform = scenario.state.cohorts.map { Int32($0.platform.index) }
    }

    /// The model input for a log event, or nil when the event is not about the scenario: a price
    /// of an asset it does not model, a flow at a platform it does not model, a transfer, loan
    /// or signal of an entity it does not model. Throws for a flow that contradicts the spec: a
    /// deposit or withdrawal at one of its platforms by a party that is not one of that
    /// platform's cohorts (a misspelt or missing cohort), or in an asset it does not model.
    func input(_ e: Event, scenario: Scenario) throws -> Input? {
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
            guard let p = party[e.entity], p >= agents else {
                // Not a cohort of the spec: outside it, unless its platform is one of the spec's.
                guard let platform = party[e.counterparty], platform < agents else { return nil }
                let name = names[e.entity] ?? "entity \(e.entity)"
                let cohorts = scenario.spec.cohorts.filter { $0.platform == scenario.spec.entities[platform].name }.map(\.name)
                throw FlowError("\(e.kind.name) by '\(name)' at \(scenario.spec.entities[platform].name), which is not one of its cohorts in the spec"
                                + (cohorts.isEmpty ? " (it has none)" : " (\(cohorts.joined(separator: ", "))\(Suggestion.didYouMean(name, in: cohorts)))"))
            }
            let cohort = CohortID(p - agents)
            let platformName = scenario.spec.entities[Int(cohortPlatform[cohort.index])].name
            guard let platform = party[e.counterparty], platform == Int(cohortPlatform[cohort.index]) else {
                let name = names[e.counterparty] ?? "entity \(e.counterparty)"
                throw FlowError("\(e.kind.name) by cohort \(scenario.spec.cohorts[cohort.index].name) at '\(name)', but the spec puts it at \(platformName)")
            }
            guard a >= 0 else {
                throw FlowError("\(e.kind.name) by cohort \(scenario.spec.cohorts[cohort.index].name) in asset id \(e.asset), which the spec does not model")
            }
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

/// A flow event that contradicts the spec (`MergedInput` adds the file and offset).
struct FlowError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
