/// The roles an agent can play. One balance-sheet type serves all of them; the role decides which
/// rules apply (see `Model`).
public enum Role: String, Codable, Sendable, CaseIterable {
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
public struct Agent: Codable, Equatable, Sendable {
    public var name: String
    public var role: Role
    public var policy: Policy
    /// Liquid holdings per asset: reserves a lender can pay from, a fund's free positions.
    public var liquid: [Int64]
    /// An asset the agent issued (CEL for Celsius, FTT for FTX): valued at market on its balance
    /// sheet but never sold to raise liquidity (selling it would crash it).
    public var ownToken: Int?
    /// Positions that take time to turn into cash: staked ETH, Anchor deposits, DeFi collateral,
    /// assets held on another platform.
    public var deployments: [Deployment]
    /// Committed credit line (USD) and what has been drawn on it (a liability).
    public var creditLimit: Int64 = 0
    public var creditDrawn: Int64 = 0
    /// Sum of its cohorts' claims per asset (kept in step with them: valuing a platform never
    /// walks its depositors, however many cohorts there are).
    public var claims: [Int64]
    /// Withdrawals accepted but not yet paid, oldest first.
    public var queue: [Withdrawal] = []
    /// Liquidity on its way (recalls due, unwinds maturing), for the halt rule.
    public var incoming: [Incoming] = []
    public var haltedAt: Int64?
    public var defaultedAt: Int64?
    public var insolventAt: Int64?
    /// A lender whose equity turned negative and that is waiting out `Parameters.filingDelay`
    /// before it files: when that started (nil = no clock running).
    public var filingClock: Int64?
    /// Equity at the start of the run (for the depositors' loss observable).
    public var initialEquity: Int64 = 0
    /// Losses recognised on defaulted borrowers and frozen venues (USD).
    public var recognisedLosses: Int64 = 0
    /// Withdrawal gate: start of the current window and what was paid in it.
    public var gateWindowStart: Int64 = .min
    public var gatePaid: Int64 = 0
    public var gateBase: Int64 = 0
    /// Recent signal intensity about this agent or the market (decays; see `Depositors`).
    public var alarm: Int64 = 0
    public var alarmTime: Int64 = 0

    public init(name: String, role: Role, policy: Policy = .recorded, assetCount: Int) {
        self.name = name
        self.role = role
        self.policy = policy
        liquid = [Int64](repeating: 0, count: assetCount)
        claims = [Int64](repeating: 0, count: assetCount)
        deployments = []
    }

    public var isHalted: Bool { haltedAt != nil }
    public var hasDefaulted: Bool { defaultedAt != nil }
}

/// An illiquid position: it can be unwound, but the proceeds arrive after `unwindDelay` and lose
/// `haircut` on top of the market price. On a halted venue it is frozen.
public struct Deployment: Codable, Equatable, Sendable {
    public var label: String
    public var asset: Int
    public var quantity: Int64
    /// The agent holding it (a pool, an exchange), or nil for a position held directly.
    public var venue: Int?
    public var unwindDelay: Int64
    public var haircut: Int64
    /// Whether it was funded with customer assets (counts toward rehypothecation).
    public var customerFunded: Bool
    public var frozen = false
    /// Written down when its venue was found insolvent.
    public var writtenDown = false

    public init(label: String, asset: Int, quantity: Int64, venue: Int?, unwindDelay: Int64, haircut: Int64, customerFunded: Bool) {
        self.label = label; self.asset = asset; self.quantity = quantity; self.venue = venue
        self.unwindDelay = unwindDelay; self.haircut = haircut; self.customerFunded = customerFunded
    }
}

public struct Withdrawal: Codable, Equatable, Sendable {
    public var cohort: Int
    public var asset: Int
    public var quantity: Int64
    public var time: Int64
}

public struct Incoming: Codable, Equatable, Sendable {
    public var due: Int64
    public var asset: Int
    public var quantity: Int64
    /// Loan id for a recall, or -1 - deployment index for an unwind.
    public var source: Int
}

/// Depositors of one platform, grouped by account size. A cohort can stand for millions of
/// accounts: `members` is reported, never iterated.
public struct Cohort: Codable, Equatable, Sendable {
    public var name: String
    public var platform: Int
    public var members: Int64
    /// Claims on the platform per asset (tokens × 10^8).
    public var claims: [Int64]
    /// USD paid out to this cohort during the run.
    public var withdrawn: Int64 = 0
    /// USD of requests refused because the platform had halted.
    public var frozenRequests: Int64 = 0
    /// Claims at the start, valued at the first prices (USD).
    public var initialClaims: Int64 = 0

    public init(name: String, platform: Int, members: Int64, claims: [Int64]) {
        self.name = name; self.platform = platform; self.members = members; self.claims = claims
    }
}

/// A loan between two agents. The lender holds the collateral (per asset, × 10^8) while the loan
/// is open and returns it on repayment.
public struct Loan: Codable, Equatable, Sendable {
    public enum State: String, Codable, Sendable { case active, recalled, repaid, defaulted }
    public var lender: Int
    public var borrower: Int
    public var asset: Int
    public var principal: Int64
    public var collateral: [Int64]
    /// Collateral ratio below which the lender calls for more (× 10^8; 0 = never).
    public var maintenance: Int64
    /// Ratio a margin call restores.
    public var initial: Int64
    /// Lower class = more senior in a default.
    public var seniority: Int
    public var notice: Int64
    /// Funded with customer assets (rehypothecation), as opposed to the lender's own capital.
    public var customerFunded: Bool
    public var state: State = .active
    public var due: Int64 = 0
    public var callDeadline: Int64?
    public var callAmount: Int64 = 0

    public init(lender: Int, borrower: Int, asset: Int, principal: Int64, collateral: [Int64], maintenance: Int64,
                initial: Int64, seniority: Int, notice: Int64, customerFunded: Bool) {
        self.lender = lender; self.borrower = borrower; self.asset = asset; self.principal = principal
        self.collateral = collateral; self.maintenance = maintenance; self.initial = initial
        self.seniority = seniority; self.notice = notice; self.customerFunded = customerFunded
    }

    public var isOpen: Bool { state == .active || state == .recalled }
}

/// Scheduled actions, fired in the total order (time, kind, sequence): ties never depend on a
/// heap's internal order.
public struct Action: Codable, Equatable, Sendable, Comparable {
    public enum Kind: Int, Codable, Sendable {
        case arrival = 0      // an unwind or recall matures
        case callDeadline = 1 // a margin call expires
        case gateReopen = 2   // a withdrawal-gate window ends
        case filing = 3       // a lender's filing delay ends
    }
    public var time: Int64
    public var kind: Kind
    public var sequence: UInt64
    /// Agent index (arrival, gate) or loan id (deadline).
    public var subject: Int
    /// For arrivals: index into the agent's `incoming`.
    public var detail: Int = 0

    public static func < (a: Action, b: Action) -> Bool {
        (a.time, a.kind.rawValue, a.sequence) < (b.time, b.kind.rawValue, b.sequence)
    }
}

/// A binary min-heap of actions. The key is a total order, so pops are deterministic.
public struct Schedule: Codable, Equatable, Sendable {
    public private(set) var heap: [Action] = []
    public private(set) var nextSequence: UInt64 = 0

    public init() {}

    public var next: Action? { heap.first }
    public var isEmpty: Bool { heap.isEmpty }

    public mutating func add(time: Int64, kind: Action.Kind, subject: Int, detail: Int = 0) {
        heap.append(Action(time: time, kind: kind, sequence: nextSequence, subject: subject, detail: detail))
        nextSequence += 1
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard heap[i] < heap[parent] else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    public mutating func pop() -> Action? {
        guard !heap.isEmpty else { return nil }
        let top = heap[0]
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count && heap[l] < heap[m] { m = l }
                if r < heap.count && heap[r] < heap[m] { m = r }
                if m == i { break }
                heap.swapAt(i, m)
                i = m
            }
        }
        return top
    }
}
