/// The roles an agent can play. One balance-sheet type serves all of them; the role decides which
/// rules apply (see `Model`).
package enum Role: String, Codable, Sendable, CaseIterable {
    /// Centralised lender (Celsius, Voyager, BlockFi, Genesis): takes customer deposits, lends
    /// them and deploys them, pays withdrawals from liquid reserves, halts when it cannot.
    case lender
    /// Counterparty fund (3AC, Alameda): borrows from lenders against collateral (or none), holds
    /// leveraged positions marked to market, meets margin calls or defaults.
    case fund
    /// Exchange/custodian (FTX): holds customer deposits, some lent to an affiliate; halts when
    /// withdrawals exceed its liquid reserves; assets of others on it freeze when it halts.
    case exchange
    /// Over-collateralised pool (Aave, Compound, Anchor): positions liquidated below health 1.
    case pool
    /// Anything else that holds assets or trades (an issuer's reserve such as LFG, a market maker).
    case other
}

/// An agent's balance sheet and state. Quantities are tokens × 10^8 per model asset index
/// (dense arrays, so iteration order is the asset order); USD is × 10^8.
package struct Agent: Codable, Equatable, Sendable {
    package var name: String
    package var role: Role
    package var policy: Policy
    /// Liquid holdings per asset: reserves a lender can pay from, a fund's free positions.
    package var liquid: [Quantity]
    /// An asset the agent issued (CEL for Celsius, FTT for FTX): valued at market on its balance
    /// sheet but never sold to raise liquidity (selling it would crash it).
    package var ownToken: AssetID?
    /// Positions that take time to turn into cash: staked ETH, Anchor deposits, DeFi collateral,
    /// assets held on another platform.
    package var deployments: [Deployment]
    /// Committed credit line (USD) and what has been drawn on it (a liability).
    package var creditLimit: USD = .zero
    package var creditDrawn: USD = .zero
    /// Sum of its cohorts' claims per asset (kept in step with them: valuing a platform never
    /// walks its depositors, however many cohorts there are).
    package var claims: [Quantity]
    /// Withdrawals accepted but not yet paid, oldest first.
    package var queue: [Withdrawal] = []
    /// Liquidity on its way (recalls due, unwinds maturing), for the halt rule.
    package var incoming: [Incoming] = []
    package var haltedAt: Int64?
    package var defaultedAt: Int64?
    package var insolventAt: Int64?
    /// A lender whose equity turned negative and that is waiting out `Parameters.filingDelay`
    /// before it files: when that started (nil = no clock running).
    package var filingClock: Int64?
    /// Equity at the start of the run (for the depositors' loss observable).
    package var initialEquity: USD = .zero
    /// Losses recognised on defaulted borrowers and frozen venues (USD).
    package var recognisedLosses: USD = .zero
    /// Withdrawal gate: start of the current window and what was paid in it.
    package var gateWindowStart: Int64 = .min
    package var gatePaid: USD = .zero
    package var gateBase: USD = .zero
    /// Recent signal intensity about this agent or the market (decays; see `Depositors`).
    package var alarm: Ratio = .zero
    package var alarmTime: Int64 = 0
    /// Dated credit lines and rescues (`CreditLine`); their draws are in `creditDrawn` too.
    package var creditLines: [CreditLine] = []
    /// Withdrawal requests of the recent past (USD, decaying with `Behaviour.herdingHalfLife`):
    /// what herding depositors see, and what the managers' defence reacts to.
    package var recentOutflow: USD = .zero
    package var recentTime: Int64 = 0
    /// When a suspension condition started to hold (nil: it does not); the managers suspend once
    /// it has held for `Behaviour.decisionLag`.
    package var stressSince: Int64?
    /// When the platform started to defend itself (rates raised, loans recalled: visible).
    package var defendingSince: Int64?

    package init(name: String, role: Role, policy: Policy = .recorded, assetCount: Int) {
        self.name = name
        self.role = role
        self.policy = policy
        liquid = [Quantity](repeating: .zero, count: assetCount)
        claims = [Quantity](repeating: .zero, count: assetCount)
        deployments = []
    }

    package var isHalted: Bool { haltedAt != nil }
    package var hasDefaulted: Bool { defaultedAt != nil }
}

/// An illiquid position: it can be unwound, but the proceeds arrive after `unwindDelay` and lose
/// `haircut` on top of the market price. On a halted venue it is frozen.
package struct Deployment: Codable, Equatable, Sendable {
    package var label: String
    package var asset: AssetID
    package var quantity: Quantity
    /// The agent holding it (a pool, an exchange), or nil for a position held directly.
    package var venue: AgentID?
    package var unwindDelay: Int64
    package var haircut: Ratio
    /// Whether it was funded with customer assets (counts toward rehypothecation).
    package var customerFunded: Bool
    package var frozen = false
    /// Written down when its venue was found insolvent.
    package var writtenDown = false

    package init(label: String, asset: AssetID, quantity: Quantity, venue: AgentID?, unwindDelay: Int64, haircut: Ratio, customerFunded: Bool) {
        self.label = label; self.asset = asset; self.quantity = quantity; self.venue = venue
        self.unwindDelay = unwindDelay; self.haircut = haircut; self.customerFunded = customerFunded
    }
}

package struct Withdrawal: Codable, Equatable, Sendable {
    package var cohort: CohortID
    package var asset: AssetID
    package var quantity: Quantity
    package var time: Int64
}

package struct Incoming: Codable, Equatable, Sendable {
    /// Where the funds come from: a recalled loan, or a deployment being unwound.
    package enum Source: Equatable, Sendable {
        case recall(loan: LoanID)
        case unwind(deployment: Int)

        /// The encoding of checkpoints and the state hash: the loan id, or −1 − the deployment
        /// index.
        package var code: Int {
            switch self {
            case let .recall(loan): loan.index
            case let .unwind(deployment): -1 - deployment
            }
        }

        package init(code: Int) { self = code < 0 ? .unwind(deployment: -1 - code) : .recall(loan: LoanID(code)) }

        /// The deployment an unwind comes from.
        package var deployment: Int? { if case let .unwind(d) = self { d } else { nil } }
    }
    package var due: Int64
    package var asset: AssetID
    package var quantity: Quantity
    package var source: Source

    package init(due: Int64, asset: AssetID, quantity: Quantity, source: Source) {
        self.due = due; self.asset = asset; self.quantity = quantity; self.source = source
    }

    enum CodingKeys: String, CodingKey { case due, asset, quantity, source }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        due = try c.decode(Int64.self, forKey: .due)
        asset = AssetID(try c.decode(Int.self, forKey: .asset))
        quantity = try c.decode(Quantity.self, forKey: .quantity)
        source = Source(code: try c.decode(Int.self, forKey: .source))
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(due, forKey: .due)
        try c.encode(asset.index, forKey: .asset)
        try c.encode(quantity, forKey: .quantity)
        try c.encode(source.code, forKey: .source)
    }
}
