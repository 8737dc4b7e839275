/// What the model emits: the outcomes of its rules. The replay turns them into log events.
public struct Outcome: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case liquidation, marginCall = "margin-call", `default`, halt, insolvency, loss, recall
    }
    public var time: Int64
    public var kind: Kind
    public var party: Party
    public var counterparty: Party
    /// The asset of a liquidation (the collateral sold) or a recall (the loan's); nil otherwise.
    public var asset: Int?
    /// Token quantity (× 10^8) for liquidations and recalls; USD (× 10^8) otherwise.
    public var amount: Int64
    /// Its USD value (× 10^8): a liquidation's sale proceeds, a recall's principal at the prices
    /// after the input that made it, else `amount`.
    public var usd: Int64
    /// When a margin call expires or a recalled loan falls due.
    public var due: Int64?
    /// What a defaulting borrower owed in all (USD × 10^8).
    public var owed: Int64?

    public init(time: Int64, kind: Kind, party: Party, counterparty: Party = .none, asset: Int? = nil, amount: Int64,
                usd: Int64? = nil, due: Int64? = nil, owed: Int64? = nil) {
        self.time = time; self.kind = kind; self.party = party; self.counterparty = counterparty; self.asset = asset
        self.amount = amount; self.usd = usd ?? amount; self.due = due; self.owed = owed
    }
}

/// Who an outcome concerns: an agent, a depositor cohort, or no one.
public enum Party: Hashable, Codable, Sendable {
    case none
    case agent(Int)
    case cohort(Int)

    /// The agent, if it is one.
    public var agent: Int? { if case let .agent(i) = self { i } else { nil } }
}
