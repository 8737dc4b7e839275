import DominoLog
import DominoModel

/// Reading one entry of a spec's `assets:` mapping:
///
///     BTC: {depth: 250000000}                          # 2% market depth, USD
///     stETH: {depth: 77000000, redeems: {asset: ETH, per: 1}}
///     GBTC: {depth: 30000000, redeems: {asset: BTC, per: 0.000923}}
///
/// `redeems` bounds the impact overlay: a counterfactual never prices the asset above `per`
/// units of the named asset (`Market+Bounds.swift`).
extension Spec {
    static func parseAsset(_ symbol: String, _ node: SpecNode) throws -> AssetSpec {
        var asset = AssetSpec(symbol: symbol, depth: 0)
        guard !node.isNull else { return asset }
        let r = try node.record(allowed: ["depth", "redeems"])
        if let depth = r["depth"] {
            asset.depth = try depth.fixed()
            guard asset.depth >= 0 else { throw depth.error("\(depth.describedPath) must not be negative, got '\(FixedPoint.format(asset.depth, decimals: 8))'") }
        }
        if let redeems = r["redeems"] {
            let x = try redeems.record(allowed: ["asset", "per"], required: ["asset", "per"])
            asset.redeems = try x.require("asset").string()
            asset.redeemsPer = try x.require("per").fixed()
            guard asset.redeemsPer > 0 else { throw try x.require("per").error("'\(symbol).redeems.per' must be positive") }
        }
        return asset
    }

    /// Every `redeems.asset` names another of the spec's assets.
    static func checkRedemptions(_ assets: [AssetSpec], _ node: SpecNode) throws {
        let symbols = assets.map(\.symbol)
        for a in assets {
            guard let target = a.redeems else { continue }
            guard target != a.symbol, symbols.contains(target) else {
                throw node.error("'assets.\(a.symbol).redeems.asset' is '\(target)', which is not another of the spec's assets\(Suggestion.didYouMean(target, in: symbols))")
            }
        }
    }
}
