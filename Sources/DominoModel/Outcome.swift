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
    package var asset: AssetID?
    /// The tokens of a liquidation (sold) or a recall (the principal); nil otherwise.
    package var quantity: Quantity?
    /// Its USD value: a liquidation's sale proceeds, a recall's principal at the prices after
    /// the input that made it; a margin call's amount, a default's shortfall, a loss, a halt's
    /// unpaid queue, an insolvency's hole.
    package var usd: USD
    /// When a margin call expires or a recalled loan falls due.
    package var due: Int64?
    /// What a defaulting borrower owed in all.
    package var owed: USD?

    package init(time: Int64, kind: Kind, party: Party, counterparty: Party = .none, asset: AssetID? = nil,
                 quantity: Quantity? = nil, usd: USD, due: Int64? = nil, owed: USD? = nil) {
        self.time = time; self.kind = kind; self.party = party; self.counterparty = counterparty; self.asset = asset
        self.quantity = quantity; self.usd = usd; self.due = due; self.owed = owed
    }
}

/// Who an outcome concerns: an agent, a depositor cohort, or no one.
package enum Party: Hashable, Codable, Sendable {
    case none
    case agent(AgentID)
    case cohort(CohortID)

    /// The agent, if it is one.
    package var agent: AgentID? { if case let .agent(i) = self { i } else { nil } }
}
