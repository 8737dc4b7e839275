/// A platform's risk policy. Policies are data: every field has a default that reproduces the
/// recorded behaviour (no cap, the loan book's own collateral terms, no gate, no breaker, no
/// dynamic collateral, no proof of reserves), so a spec without a policy replays history, and a
/// counterfactual changes only the fields it names.
///
/// Shares and ratios are fixed point × 10^8 (`Fixed.one` = 100%). Durations are milliseconds.
package struct Policy: Codable, Equatable, Sendable {
    /// Largest share of customer claims (USD at the start) that may be lent, deployed or pledged
    /// on pools. `nil` = uncapped (as recorded). 0 = no rehypothecation at all.
    /// Applied when the initial book is built: loans, deployments and the platform's own pool
    /// positions above the cap are scaled down pro rata and the difference stays in liquid
    /// reserves (`Policy+Apply.swift`).
    package var rehypothecationCap: Ratio?
    /// Minimum collateral ratio (collateral value / loan value) on the platform's loans; also the
    /// maintenance level below which it makes margin calls. `nil` = each loan's recorded terms;
    /// 0 = unsecured allowed; 1.5 × 10^8 = 150% over-collateralised.
    package var minCollateralRatio: Ratio?
    /// Share of customer claims kept in liquid reserves at the start (0 = as recorded).
    package var liquidityBuffer: Ratio
    /// Largest share of customer claims lent to any one counterparty (`nil` = no limit).
    package var concentrationLimit: Ratio?
    /// Withdrawal gate: at most `maxShare` of claims paid out per `window`; requests beyond it
    /// wait for the next window instead of draining the platform (`nil` = no gate).
    package var withdrawalGate: Gate?
    /// Pause margin calls and pool liquidations on an asset whose price fell more than
    /// `maxDrop` within `window` (`nil` = never pause).
    package var circuitBreaker: Breaker?
    /// Collateral requirement scaled by realised volatility: required = base × (1 + k × vol),
    /// vol = mean absolute price change per tick over `window` (`nil` = static requirement).
    package var dynamicCollateral: DynamicCollateral?
    /// Depositors see the platform's exposures (its reuse multiplier and unsecured lending).
    package var proofOfReserves: Bool
    /// Per-asset tiers: a tier's cap and collateral ratio replace the platform-wide ones for the
    /// assets it lists (a loan belongs to the tier of the asset lent; a deployment to the tier of
    /// the asset deployed; a tier's cap is a share of the customer claims in its own assets).
    /// Empty = one tier for everything (as recorded).
    package var tiers: [Tier] = []

    package struct Tier: Codable, Equatable, Sendable {
        /// Model asset indices, ascending.
        package var assets: [Int]
        package var rehypothecationCap: Ratio?
        package var minCollateralRatio: Ratio?
        package init(assets: [Int], rehypothecationCap: Ratio? = nil, minCollateralRatio: Ratio? = nil) {
            self.assets = assets.sorted(); self.rehypothecationCap = rehypothecationCap; self.minCollateralRatio = minCollateralRatio
        }
    }

    /// The tier that governs `asset`, if any.
    package func tier(of asset: Int) -> Tier? { tiers.first { $0.assets.contains(asset) } }

    /// The minimum collateral ratio on a loan of `asset`: the tier's, else the platform's.
    package func minCollateralRatio(forLoanOf asset: Int) -> Ratio? {
        tier(of: asset)?.minCollateralRatio ?? minCollateralRatio
    }

    package struct Gate: Codable, Equatable, Sendable {
        package var maxShare: Ratio
        package var window: Int64
        package init(maxShare: Ratio, window: Int64) { self.maxShare = maxShare; self.window = window }
    }

    package struct Breaker: Codable, Equatable, Sendable {
        package var maxDrop: Ratio
        package var window: Int64
        /// How long the pause lasts once triggered.
        package var pause: Int64
        package init(maxDrop: Ratio, window: Int64, pause: Int64) { self.maxDrop = maxDrop; self.window = window; self.pause = pause }
    }

    package struct DynamicCollateral: Codable, Equatable, Sendable {
        package var k: Ratio
        package var window: Int64
        package init(k: Ratio, window: Int64) { self.k = k; self.window = window }
    }

    package init(rehypothecationCap: Ratio? = nil, minCollateralRatio: Ratio? = nil, liquidityBuffer: Ratio = .zero,
                concentrationLimit: Ratio? = nil, withdrawalGate: Gate? = nil, circuitBreaker: Breaker? = nil,
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
    package static let recorded = Policy()
}
