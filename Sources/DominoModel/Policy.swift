/// A platform's risk policy. Policies are data: every field has a default that reproduces the
/// recorded behaviour (no cap, the loan book's own collateral terms, no gate, no breaker, no
/// dynamic collateral, no proof of reserves), so a spec without a policy replays history, and a
/// counterfactual changes only the fields it names.
///
/// Shares and ratios are fixed point × 10^8 (`Fixed.one` = 100%). Durations are milliseconds.
public struct Policy: Codable, Equatable, Sendable {
    /// Largest share of customer claims (USD at the start) that may be lent or deployed.
    /// `nil` = uncapped (as recorded). 0 = no rehypothecation at all.
    /// Applied when the initial book is built: loans and deployments above the cap are scaled
    /// down pro rata and the difference stays in liquid reserves.
    public var rehypothecationCap: Int64?
    /// Minimum collateral ratio (collateral value / loan value) on the platform's loans; also the
    /// maintenance level below which it makes margin calls. `nil` = each loan's recorded terms;
    /// 0 = unsecured allowed; 1.5 × 10^8 = 150% over-collateralised.
    public var minCollateralRatio: Int64?
    /// Share of customer claims kept in liquid reserves at the start (0 = as recorded).
    public var liquidityBuffer: Int64
    /// Largest share of customer claims lent to any one counterparty (`nil` = no limit).
    public var concentrationLimit: Int64?
    /// Withdrawal gate: at most `maxShare` of claims paid out per `window`; requests beyond it
    /// wait for the next window instead of draining the platform (`nil` = no gate).
    public var withdrawalGate: Gate?
    /// Pause margin calls and pool liquidations on an asset whose price fell more than
    /// `maxDrop` within `window` (`nil` = never pause).
    public var circuitBreaker: Breaker?
    /// Collateral requirement scaled by realised volatility: required = base × (1 + k × vol),
    /// vol = mean absolute price change per tick over `window` (`nil` = static requirement).
    public var dynamicCollateral: DynamicCollateral?
    /// Depositors see the platform's exposures (its reuse multiplier and unsecured lending).
    public var proofOfReserves: Bool
    /// Per-asset tiers: a tier's cap and collateral ratio replace the platform-wide ones for the
    /// assets it lists (a loan belongs to the tier of the asset lent; a deployment to the tier of
    /// the asset deployed; a tier's cap is a share of the customer claims in its own assets).
    /// Empty = one tier for everything (as recorded).
    public var tiers: [Tier] = []

    public struct Tier: Codable, Equatable, Sendable {
        /// Model asset indices, ascending.
        public var assets: [Int]
        public var rehypothecationCap: Int64?
        public var minCollateralRatio: Int64?
        public init(assets: [Int], rehypothecationCap: Int64? = nil, minCollateralRatio: Int64? = nil) {
            self.assets = assets.sorted(); self.rehypothecationCap = rehypothecationCap; self.minCollateralRatio = minCollateralRatio
        }
    }

    /// The tier that governs `asset`, if any.
    public func tier(of asset: Int) -> Tier? { tiers.first { $0.assets.contains(asset) } }

    /// The minimum collateral ratio on a loan of `asset`: the tier's, else the platform's.
    public func minCollateralRatio(forLoanOf asset: Int) -> Int64? {
        tier(of: asset)?.minCollateralRatio ?? minCollateralRatio
    }

    public struct Gate: Codable, Equatable, Sendable {
        public var maxShare: Int64
        public var window: Int64
        public init(maxShare: Int64, window: Int64) { self.maxShare = maxShare; self.window = window }
    }

    public struct Breaker: Codable, Equatable, Sendable {
        public var maxDrop: Int64
        public var window: Int64
        /// How long the pause lasts once triggered.
        public var pause: Int64
        public init(maxDrop: Int64, window: Int64, pause: Int64) { self.maxDrop = maxDrop; self.window = window; self.pause = pause }
    }

    public struct DynamicCollateral: Codable, Equatable, Sendable {
        public var k: Int64
        public var window: Int64
        public init(k: Int64, window: Int64) { self.k = k; self.window = window }
    }

    public init(rehypothecationCap: Int64? = nil, minCollateralRatio: Int64? = nil, liquidityBuffer: Int64 = 0,
                concentrationLimit: Int64? = nil, withdrawalGate: Gate? = nil, circuitBreaker: Breaker? = nil,
                dynamicCollateral: DynamicCollateral? = nil, proofOfReserves: Bool = false, tiers: [Tier] = []) {
        self.rehypothecationCap = rehypothecationCap
        self.minCollateralRatio = minCollateralRatio
        self.liquidityBuffer = liquidityBuffer
        self.concentrationLimit = concentrationLimit
        self.withdrawalGate = withdrawalGate
        self.circuitBreaker = circuitBreaker
        self.dynamicCollateral = dynamicCollateral
        self.proofOfReserves = proofOfReserves
        self.tiers = tiers
    }

    /// The recorded behaviour.
    public static let recorded = Policy()
}

/// Model-wide parameters. Each is documented where it is used (`Sources/DominoModel/README.md`).
public struct Parameters: Codable, Equatable, Sendable {
    /// A platform halts when the withdrawals it has accepted but not paid exceed what it holds
    /// liquid plus what it expects to receive within `haltHorizon`, by more than
    /// `haltTolerance` × its customer claims.
    public var haltHorizon: Int64 = 48 * 3_600_000
    public var haltTolerance: Int64 = 0
    /// Time a borrower has to meet a margin call.
    public var marginCallWindow: Int64 = 24 * 3_600_000
    /// Notice a lender gives when recalling a loan, unless the loan sets its own.
    public var recallNotice: Int64 = 72 * 3_600_000
    /// Cost of swapping one liquid asset into another to pay a withdrawal.
    public var swapFee: Int64 = 300_000 // 0.3%
    /// Share of the recorded depositor-response deviations applied (see `Depositors`).
    public var response = Response()
    /// Sampling interval of metrics.
    public var metricsInterval: Int64 = 6 * 3_600_000
    /// Market depth per asset for the impact overlay, in USD: selling `depth` USD more than the
    /// baseline moves the price down by 100% × `impactSlope` (see `Market`).
    public var impactSlope: Int64 = Fixed.one
    /// Floor of the impact factor: the overlay never takes a price below this share of the record.
    public var impactFloor: Int64 = 10_000_000 // 10%
    /// Half-life of the impact overlay (excess sales are forgotten at this rate).
    public var impactHalfLife: Int64 = 7 * 24 * 3_600_000
    /// Under a minimum collateral ratio r, the level a borrower posts at the start and a margin
    /// call restores: r × (1 + headroom). Lenders ask initial margin above maintenance margin.
    public var collateralHeadroom: Int64 = 10_000_000 // 10%
    /// How long a lender whose equity turned negative keeps going before it files (insolvency
    /// recognised): lenders seek a rescue or a buyer first (Voyager filed 18 days after 3AC's
    /// default sank its equity, BlockFi 17 days after FTX's). If equity is back above zero when
    /// the delay ends, it does not file. Exchanges and funds are recognised at once: a custodian
    /// short of customer assets cannot trade on (FTX filed three days after it halted).
    public var filingDelay: Int64 = 14 * 24 * 3_600_000
    /// A fund's remaining assets reach its unsecured creditors at this share of market value.
    public var recoveryRate: Int64 = 50_000_000

    public struct Response: Codable, Equatable, Sendable {
        /// Extra withdrawal demand per halted peer platform (share).
        public var peerHalt: Int64 = 50_000_000
        /// Extra demand per unit of recognised losses over initial equity.
        public var loss: Int64 = Fixed.one
        /// Extra demand per unit of price drawdown of the platform's book.
        public var drawdown: Int64 = Fixed.one
        /// Extra demand per unit of exposure visible under proof of reserves (reuse multiplier − 1).
        public var proofOfReserves: Int64 = 50_000_000
        /// Amplification of the response by recent announcement intensity.
        public var signal: Int64 = Fixed.one
        /// Bounds of the multiplier on recorded withdrawals.
        public var floor: Int64 = 0
        public var cap: Int64 = 5 * Fixed.one
        public init() {}
    }

    public init() {}
}
