@testable import DominoModel

let hour: Int64 = 3_600_000
let one = Fixed.one
func usd(_ x: Int64) -> USD { USD(x * Fixed.one) }
func units(_ x: Int64) -> Quantity { Quantity(x * Fixed.one) }

/// Builds small scenarios: asset 0 is USDC (the cash asset), 1 is X, 2 is ETH.
struct Scenario {
    var parameters = Parameters()
    var agents: [Agent] = []
    var cohorts: [Cohort] = []
    var loans: [Loan] = []
    var pools: [Pool] = []
    let assets = ["USDC", "X", "ETH"]

    init() {
        parameters.swapFee = .zero
        parameters.recoveryRate = .one
        parameters.filingDelay = 0 // insolvency recognised at once, unless a test says otherwise
    }

    @discardableResult
    mutating func agent(_ name: String, _ role: Role, liquid: [Int: Quantity] = [:], policy: Policy = .recorded) -> Int {
        var a = Agent(name: name, role: role, policy: policy, assetCount: assets.count)
        for (asset, q) in liquid { a.liquid[asset] = q }
        agents.append(a)
        return agents.count - 1
    }

    @discardableResult
    mutating func cohort(_ name: String, platform: Int, claims: [Int: Quantity]) -> Int {
        var c = Cohort(name: name, platform: AgentID(platform), members: 1000, claims: [Quantity](repeating: .zero, count: assets.count))
        for (asset, q) in claims { c.claims[asset] = q }
        cohorts.append(c)
        return cohorts.count - 1
    }

    @discardableResult
    mutating func loan(_ lender: Int, _ borrower: Int, asset: Int = 0, _ principal: Quantity, collateral: [Int: Quantity] = [:],
                       maintenance: Ratio = .zero, initial: Ratio = .zero, seniority: Int = 1, notice: Int64 = 72 * hour,
                       customerFunded: Bool = true) -> Int {
        var c = [Quantity](repeating: .zero, count: assets.count)
        for (a, q) in collateral { c[a] = q }
        loans.append(Loan(lender: AgentID(lender), borrower: AgentID(borrower), asset: AssetID(asset), principal: principal, collateral: c,
                          maintenance: maintenance, initial: initial, seniority: seniority, notice: notice,
                          customerFunded: customerFunded))
        return loans.count - 1
    }

    /// A model at time 0 with the given first prices applied and settled.
    func model(prices: [Int64] = [one, one, 2000 * one], reference: BaselineTrace? = nil, seed: UInt64 = 1,
               depth: [Int64] = [0, 0, 0], applyPolicies: Bool = false) -> Model {
        let market = Market(assets: assets.indices.map { Market.AssetState(symbol: assets[$0], depth: USD(depth[$0])) })
        var m = Model(state: ModelState(time: 0, parameters: parameters, market: market, agents: agents, cohorts: cohorts,
                                        loans: loans, pools: pools, cashAsset: AssetID(0), seed: seed), reference: reference)
        m.state.market.historyWindow = 24 * hour
        for (a, p) in prices.enumerated() { m.apply(.price(asset: AssetID(a), price: Price(p)), at: 0, emit: { _ in }) }
        m.settle()
        if applyPolicies { m.applyPolicies() }
        return m
    }
}

/// Runs inputs and collects outcomes.
struct Recorder {
    var model: Model
    var outcomes: [Outcome] = []
    mutating func run(_ time: Int64, _ input: Input) {
        var collected: [Outcome] = []
        model.apply(input, at: time, emit: { collected.append($0) })
        outcomes += collected
    }
    mutating func finish(at time: Int64) {
        var collected: [Outcome] = []
        model.finish(at: time, emit: { collected.append($0) })
        outcomes += collected
    }
}
