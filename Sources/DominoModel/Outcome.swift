/// What the model emits: the outcomes of its rules. The replay turns them into log events.
package struct Outcome: Codable, Equatable, Sendable {
    package enum Kind: String, Codable, Sendable, CaseIterable {
        case liquidation, marginCall = "margin-call", `default`, halt, insolvency, loss, recall
    }
    // Stored in 56 bytes (the optionals and parties packed: a replay can record half a million
    // liquidations, and 120-byte outcomes cost it memory traffic and page faults); the fields
    // below read and write them as before, and checkpoints encode the same keys.
    package var time: Int64
    /// Its USD value: a liquidation's sale proceeds, a recall's principal at the prices after
    /// the input that made it; a margin call's amount, a default's shortfall, a loss, a halt's
    /// unpaid queue, an insolvency's hole.
    package var usd: USD
    // `@usableFromInline` so that the accessors below can be inlined in other modules (the
    // replay reads every outcome's parties when it builds its summary).
    @usableFromInline var quantityRaw: Int64 = 0
    @usableFromInline var dueRaw: Int64 = 0
    @usableFromInline var owedRaw: Int64 = 0
    @usableFromInline var partyCode: Int32 = 0
    @usableFromInline var counterpartyCode: Int32 = 0
    @usableFromInline var assetCode: Int32 = -1
    package var kind: Kind
    @usableFromInline var present: UInt8 = 0 // quantity 1, due 2, owed 4

    package var party: Party {
        @inlinable get { Party(code: partyCode) }
        set { partyCode = newValue.code }
    }
    package var counterparty: Party {
        @inlinable get { Party(code: counterpartyCode) }
        set { counterpartyCode = newValue.code }
    }
    /// The asset of a liquidation (the collateral sold) or a recall (the loan's); nil otherwise.
    package var asset: AssetID? {
        @inlinable get { assetCode < 0 ? nil : AssetID(Int(assetCode)) }
        set { assetCode = newValue.map { Int32($0.index) } ?? -1 }
    }
    /// The tokens of a liquidation (sold) or a recall (the principal); nil otherwise.
    package var quantity: Quantity? {
        get { present & 1 == 0 ? nil : Quantity(quantityRaw) }
        set { quantityRaw = newValue?.raw ?? 0; present = newValue == nil ? present & ~1 : present | 1 }
    }
    /// When a margin call expires or a recalled loan falls due.
    package var due: Int64? {
        get { present & 2 == 0 ? nil : dueRaw }
        set { dueRaw = newValue ?? 0; present = newValue == nil ? present & ~2 : present | 2 }
    }
    /// What a defaulting borrower owed in all.
    package var owed: USD? {
        get { present & 4 == 0 ? nil : USD(owedRaw) }
        set { owedRaw = newValue?.raw ?? 0; present = newValue == nil ? present & ~4 : present | 4 }
    }

    package init(time: Int64, kind: Kind, party: Party, counterparty: Party = .none, asset: AssetID? = nil,
                 quantity: Quantity? = nil, usd: USD, due: Int64? = nil, owed: USD? = nil) {
        self.time = time; self.kind = kind; self.usd = usd
        self.party = party; self.counterparty = counterparty; self.asset = asset
        self.quantity = quantity; self.due = due; self.owed = owed
    }

    enum CodingKeys: String, CodingKey { case time, kind, party, counterparty, asset, quantity, usd, due, owed }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(time: try c.decode(Int64.self, forKey: .time), kind: try c.decode(Kind.self, forKey: .kind),
                  party: try c.decode(Party.self, forKey: .party), counterparty: try c.decode(Party.self, forKey: .counterparty),
                  asset: try c.decodeIfPresent(AssetID.self, forKey: .asset), quantity: try c.decodeIfPresent(Quantity.self, forKey: .quantity),
                  usd: try c.decode(USD.self, forKey: .usd), due: try c.decodeIfPresent(Int64.self, forKey: .due),
                  owed: try c.decodeIfPresent(USD.self, forKey: .owed))
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(time, forKey: .time)
        try c.encode(kind, forKey: .kind)
        try c.encode(party, forKey: .party)
        try c.encode(counterparty, forKey: .counterparty)
        try c.encodeIfPresent(asset, forKey: .asset)
        try c.encodeIfPresent(quantity, forKey: .quantity)
        try c.encode(usd, forKey: .usd)
        try c.encodeIfPresent(due, forKey: .due)
        try c.encodeIfPresent(owed, forKey: .owed)
    }
}

/// Who an outcome concerns: an agent, a depositor cohort, or no one.
package enum Party: Hashable, Codable, Sendable {
    case none
    case agent(AgentID)
    case cohort(CohortID)

    /// The agent, if it is one.
    @inlinable package var agent: AgentID? { if case let .agent(i) = self { i } else { nil } }

    /// Packed for `Outcome`: 0 none, an agent as its index + 1, a cohort as −(index + 1).
    /// Indices must fit in 31 bits; anything else traps.
    @inlinable init(code: Int32) {
        self = code == 0 ? .none : code > 0 ? .agent(AgentID(Int(code) - 1)) : .cohort(CohortID(Int(-code) - 1))
    }

    var code: Int32 {
        switch self {
        case .none: 0
        case let .agent(i): Int32(i.index + 1)
        case let .cohort(c): -Int32(c.index + 1)
        }
    }
}
