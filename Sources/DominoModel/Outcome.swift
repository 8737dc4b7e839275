/// What the model emits: the outcomes of its rules. The replay turns them into log events.
package struct Outcome: Codable, Equatable, Sendable {
    package enum Kind: String, Codable, Sendable, CaseIterable {
        case liquidation, marginCall = "margin-call", `default`, halt, insolvency, loss, recall
    }
    package var time: Int64
    package var kind: Kind
    package var party: Party
    package var counterparty: Party
    /// The asset of a liquidation (the collateral sold) or a recall (the loan's); nil otherwise.
    package var asset: Int?
    /// Token quantity (× 10^8) for liquidations and recalls; USD (× 10^8) otherwise.
    package var amount: Int64
    /// Its USD value (× 10^8): a liquidation's sale proceeds, a recall's principal at the prices
    /// after the input that made it, else `amount`.
    package var usd: Int64
    /// When a margin call expires or a recalled loan falls due.
    package var due: Int64?
    /// What a defaulting borrower owed in all (USD × 10^8).
    package var owed: Int64?

    package init(time: Int64, kind: Kind, party: Party, counterparty: Party = .none, asset: Int? = nil, amount: Int64,
                usd: Int64? = nil, due: Int64? = nil, owed: Int64? = nil) {
        self.time = time; self.kind = kind; self.party = party; self.counterparty = counterparty; self.asset = asset
        self.amount = amount; self.usd = usd ?? amount; self.due = due; self.owed = owed
    }
}

/// Who an outcome concerns: an agent, a depositor cohort, or no one.
package enum Party: Hashable, Codable, Sendable {
    case none
    case agent(Int)
    case cohort(Int)

    /// The agent, if it is one.
    package var agent: Int? { if case let .agent(i) = self { i } else { nil } }
}
