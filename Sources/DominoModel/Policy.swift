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
