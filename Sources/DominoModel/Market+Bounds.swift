/// Calibrated impact, execution cost and the bounds of the overlay.
///
/// **Depth.** An asset's `depth` is its *2% market depth* in USD: the size of a sale that moves
/// the price by 2%, the figure Kaiko publishes for order books (cited beside each depth in the
/// specs). 0 = no impact and no execution cost for that asset.
///
/// **Square-root law.** Selling `q` USD moves the price by `I(q) = 2% × √(q / depth)` (the
/// square-root impact law of the market-microstructure literature: Torre 1997; Almgren et al.
/// 2005; Tóth et al. 2011), so `depth` itself moves it by exactly 2%, four times `depth` by 4%.
///
/// **Execution cost.** A forced seller (a lender selling seized collateral, an estate selling
/// its holdings) walks the book: on average it receives `I(q) / 2` below the recorded price (the
/// mean of a move that grows from 0 to `I(q)` across the sale), at most `1 − impactFloor`. This
/// applies in the baseline too; the recorded price path is not changed by it (the recorded
/// prices already contain the history's sales).
///
/// **Bounds of the overlay** (counterfactual runs only, `Market.reprice`):
/// - the factor stays within [`impactFloor`, 2 − `impactFloor`] of the record;
/// - an asset that redeems for another (`redeems: {asset: ETH, per: 1}` in the spec: stETH, a
///   trust share) is never priced by the overlay above `per × price(underlying)`, unless the
///   record itself is above it (the overlay never moves the record up past redemption);
/// - the excess decays with `impactHalfLife` (8 days, from the decay of the stETH/ETH discount
///   of June 2022: `Parameters.impactHalfLife`).
extension Market {
    /// The price move defining depth: 2% (× 10^8).
    package static let depthMove = Ratio(2_000_000)

    /// Integer square root, rounded down.
    package static func isqrt(_ n: Int128) -> Int128 {
        guard n > 1 else { return max(0, n) }
        var x = n, y = (n + 1) / 2
        while y < x { x = y; y = (x + n / x) / 2 }
        return x
    }

    /// `2% × √(usd / depth)` as a share × 10^8, at most `cap`; 0 when `depth` is 0.
    package static func impact(usd: USD, depth: USD, cap: Ratio) -> Ratio {
        guard depth > .zero, usd > .zero else { return .zero }
        // √(usd / depth) × 10^8 = √(usd × 10^16 / depth)
        let root = isqrt(Int128(usd.raw) * Int128(Fixed.one) * Int128(Fixed.one) / Int128(depth.raw))
        let move = Int128(depthMove.raw) * root / Int128(Fixed.one)
        return Ratio(Int64(min(Int128(cap.raw), move)))
    }

    /// Share (× 10^8) of a forced sale's value the seller loses to the book: half the impact of
    /// the sale, at most `1 − floor`.
    package func executionCost(_ asset: Int, usd: USD, floor: Ratio) -> Ratio {
        let cap = floor.complement
        return min(cap, Market.impact(usd: usd, depth: assets[asset].depth, cap: 2 * cap) / 2)
    }

    /// What one unit of `asset` redeems for at current prices, if it redeems for another asset.
    package func redemptionPrice(_ asset: Int) -> Price? {
        let a = assets[asset]
        guard a.redeemsPer > .zero, let target = a.redeems, target.index < assets.count else { return nil }
        return assets[target.index].price.scaled(by: a.redeemsPer)
    }

    /// The overlay's factor on the record for a decayed excess of forced sales (USD, negative
    /// when this run sold less than the baseline): `1 ∓ slope × I(|excess|)`, within
    /// [floor, 2 − floor].
    static func overlayFactor(excess: USD, depth: USD, impact: Impact) -> Ratio {
        let cap = 2 * Ratio.one
        let move = Market.impact(usd: excess == .min ? .max : max(excess, -excess), depth: depth, cap: cap).scaled(by: impact.slope)
        let factor = excess > .zero ? Ratio.one - move : Ratio.one + move
        return min(max(factor, impact.floor), 2 * Ratio.one - impact.floor)
    }

    /// Caps an overlaid price at the redemption value (never below the record).
    func boundedByRedemption(_ asset: Int, price: Price) -> Price {
        guard let cap = redemptionPrice(asset) else { return price }
        return min(price, max(assets[asset].recorded, cap))
    }
}
