/// Prices, and the market-impact overlay of counterfactual runs.
///
/// Prices come from the log. The recorded price already contains the effect of the forced sales
/// that happened in history, which the baseline run reproduces. A counterfactual run that sells
/// *more* (or less) than the baseline under stress moves the price by the overlay:
///
///     price = recorded × clamp(1 − slope × 2% × √(excess / depth), floor, 2 − floor)
///
/// (with the sign of `excess`; capped at the redemption value for an asset that redeems for
/// another), where `excess` is the USD value of forced sales (liquidations, seized collateral,
/// unwinds at a loss) in this run minus those of the baseline at the same point of the input,
/// decaying with a half-life, and `depth` is the asset's 2% market depth in USD (a spec
/// parameter, calibrated from measured figures; 0 = no overlay). In the baseline run `excess` is
/// 0 at every step, so the recorded prices replay exactly. The law, the execution cost forced
/// sellers pay in every run and the bounds are in `Market+Bounds.swift`.
package struct Market: Codable, Equatable, Sendable {
    package var assets: [AssetState]

    package struct AssetState: Codable, Equatable, Sendable {
        package var symbol: String
        /// Last recorded price (USD × 10^8); 0 before the first tick.
        package var recorded: Price = .zero
        /// Price after the overlay; what every valuation uses.
        package var price: Price = .zero
        /// Market depth in USD × 10^8 for the overlay; 0 = the overlay is off for this asset.
        package var depth: USD = .zero
        /// USD value of forced sales of this asset in this run so far.
        package var forcedSales: USD = .zero
        /// Forced sales beyond the baseline's, decayed (USD × 10^8, may be negative).
        package var excess: USD = .zero
        package var excessTime: Int64 = 0
        /// Highest recorded price seen (for drawdowns).
        package var peak: Price = .zero
        /// Recent (time, recorded price) points, oldest first, kept for `historyWindow`.
        package var history: [PricePoint] = []
        /// Liquidations and margin calls on this asset are paused until this time (circuit breaker).
        package var pausedUntil: Int64 = .min
        /// The asset one unit redeems for, if any, and how much of it (× 10^8): the overlay
        /// never prices it above that (`Market+Bounds.swift`).
        package var redeems: AssetID?
        package var redeemsPer: Ratio = .zero

        package init(symbol: String, depth: USD = .zero, redeems: AssetID? = nil, redeemsPer: Ratio = .zero) {
            self.symbol = symbol; self.depth = depth; self.redeems = redeems; self.redeemsPer = redeemsPer
        }

        enum CodingKeys: String, CodingKey {
            case symbol, recorded, price, depth, forcedSales, excess, excessTime, peak, history, pausedUntil, redeems, redeemsPer
        }

        // Checkpoints store "no redemption" as −1, as before the optional.
        package init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            symbol = try c.decode(String.self, forKey: .symbol)
            recorded = try c.decode(Price.self, forKey: .recorded)
            price = try c.decode(Price.self, forKey: .price)
            depth = try c.decode(USD.self, forKey: .depth)
            forcedSales = try c.decode(USD.self, forKey: .forcedSales)
            excess = try c.decode(USD.self, forKey: .excess)
            excessTime = try c.decode(Int64.self, forKey: .excessTime)
            peak = try c.decode(Price.self, forKey: .peak)
            history = try c.decode([PricePoint].self, forKey: .history)
            pausedUntil = try c.decode(Int64.self, forKey: .pausedUntil)
            let r = try c.decode(Int.self, forKey: .redeems)
            redeems = r < 0 ? nil : AssetID(r)
            redeemsPer = try c.decode(Ratio.self, forKey: .redeemsPer)
        }

        package func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(symbol, forKey: .symbol)
            try c.encode(recorded, forKey: .recorded)
            try c.encode(price, forKey: .price)
            try c.encode(depth, forKey: .depth)
            try c.encode(forcedSales, forKey: .forcedSales)
            try c.encode(excess, forKey: .excess)
            try c.encode(excessTime, forKey: .excessTime)
            try c.encode(peak, forKey: .peak)
            try c.encode(history, forKey: .history)
            try c.encode(pausedUntil, forKey: .pausedUntil)
            try c.encode(redeems?.index ?? -1, forKey: .redeems)
            try c.encode(redeemsPer, forKey: .redeemsPer)
        }
    }

    package struct PricePoint: Codable, Equatable, Sendable {
        package var time: Int64
        package var price: Price
    }

    /// How much price history is kept (the longest breaker or volatility window in use).
    package var historyWindow: Int64 = 0

    package init(assets: [AssetState]) { self.assets = assets }

    @inline(__always) package func price(_ asset: Int) -> Price { assets[asset].price }
    @inline(__always) package func price(_ asset: AssetID) -> Price { assets[asset.index].price }

    /// Value of `quantity` of `asset` at its current price.
    @inline(__always) package func value(_ asset: Int, _ quantity: Quantity) -> USD { quantity * assets[asset].price }

    /// Value of `quantity` of `asset` at its current price.
    @inline(__always) package func value(_ asset: AssetID, _ quantity: Quantity) -> USD { value(asset.index, quantity) }

    /// Records a tick; returns the new effective price.
    @discardableResult
    package mutating func tick(_ asset: Int, recorded: Price, at time: Int64, parameters: Parameters) -> Price {
        tick(asset, recorded: recorded, at: time, impact: Impact(parameters))
    }

    /// The three parameters the overlay uses (the model passes these rather than all of
    /// `Parameters`, which it would otherwise copy on every tick).
    struct Impact {
        var halfLife: Int64, slope: Ratio, floor: Ratio
        init(_ p: Parameters) { halfLife = p.impactHalfLife; slope = p.impactSlope; floor = p.impactFloor }
    }

    @discardableResult
    mutating func tick(_ asset: Int, recorded: Price, at time: Int64, impact: Impact) -> Price {
        // In place: a copy of the asset would retain and release its symbol and history.
        assets[asset].recorded = recorded
        assets[asset].peak = max(assets[asset].peak, recorded)
        if historyWindow > 0 {
            assets[asset].history.append(PricePoint(time: time, price: recorded))
            let cutoff = time - historyWindow
            if let keep = assets[asset].history.firstIndex(where: { $0.time >= cutoff }), keep > 0 { assets[asset].history.removeFirst(keep) }
        }
        decay(asset, to: time, impact: impact)
        reprice(asset, impact: impact)
        return assets[asset].price
    }

    /// Adds a forced sale (positive USD) of this run, or subtracts one the baseline made at this
    /// point of the input (negative USD), and reprices.
    package mutating func addExcess(_ asset: Int, usd: USD, at time: Int64, parameters: Parameters) {
        decay(asset, to: time, impact: Impact(parameters))
        assets[asset].excess += usd
        reprice(asset, impact: Impact(parameters))
    }

    package mutating func recordForcedSale(_ asset: Int, usd: USD) {
        assets[asset].forcedSales += usd
    }

    /// First-order exponential decay: excess × (1 − Δt / (halfLife / ln 2)), at least to zero.
    mutating func decay(_ asset: Int, to time: Int64, impact: Impact) {
        let dt = time - assets[asset].excessTime
        assets[asset].excessTime = time
        guard assets[asset].excess != .zero, dt > 0, impact.halfLife > 0 else { return }
        let tau = Fixed.mulDiv(impact.halfLife, 144_269_504, Fixed.one) // halfLife / ln 2
        let kept = dt >= tau ? USD.zero : assets[asset].excess.scaled(tau - dt, over: tau)
        assets[asset].excess = kept
    }

    mutating func reprice(_ asset: Int, impact: Impact) {
        let depth = assets[asset].depth, excess = assets[asset].excess, recorded = assets[asset].recorded
        guard depth > .zero, excess != .zero else { assets[asset].price = recorded; return }
        let factor = Market.overlayFactor(excess: excess, depth: depth, impact: impact)
        assets[asset].price = max(Price(1), boundedByRedemption(asset, price: recorded.scaled(by: factor)))
    }

    /// Fall of the recorded price from the highest price within `window` before `time`, as a
    /// share × 10^8 (0 when the price is at its high).
    package func drop(_ asset: Int, within window: Int64, at time: Int64) -> Ratio {
        let a = assets[asset]
        let high = a.history.reduce(a.recorded) { $1.time >= time - window ? max($0, $1.price) : $0 }
        return (high - a.recorded).ratio(to: high)
    }

    /// Drawdown from the highest recorded price seen in the run.
    package func drawdown(_ asset: Int) -> Ratio {
        let a = assets[asset]
        return (a.peak - a.recorded).ratio(to: a.peak)
    }

    /// Realised volatility over `window`: the mean absolute relative change between consecutive
    /// ticks (× 10^8). A mean of absolute returns needs no square root, so it is exact integer
    /// arithmetic.
    package func volatility(_ asset: Int, within window: Int64, at time: Int64) -> Ratio {
        let points = assets[asset].history.filter { $0.time >= time - window }
        guard points.count >= 2 else { return .zero }
        var sum: Int128 = 0
        for i in 1..<points.count where points[i - 1].price > .zero {
            let change = Price(abs((points[i].price - points[i - 1].price).raw))
            sum += Int128(change.ratio(to: points[i - 1].price).raw)
        }
        return Ratio(Int64(sum / Int128(points.count - 1)))
    }
}
