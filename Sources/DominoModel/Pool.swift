/// An over-collateralised lending pool (Aave, Compound, Anchor's borrow side).
///
/// Each position has collateral in one asset and debt in another. Its health factor is
/// `collateral × price_c × threshold / (debt × price_d)`; below 1 it is liquidated: a liquidator
/// repays `closeFactor` of the debt and seizes collateral worth the repayment × `bonus`, which it
/// sells (a forced sale for the impact overlay).
///
/// Checking every position on every tick would cost O(positions). Instead the positions of each
/// (collateral asset, debt asset) pair are indexed by their *liquidation price* in debt units,
/// `key = debt / (collateral × threshold)`, which does not change while the position is
/// untouched: a `LiquidationIndex`, which hands out the entries whose key is above the current
/// price ratio in O(1) per entry (see there). Entries carry a version, so a position changed
/// since it was indexed is skipped (lazy deletion).
package struct Pool: Codable, Equatable, Sendable {
    // The index is derived from the positions: it is neither encoded (checkpoints, state hashes)
    // nor compared; decoding rebuilds it.
    enum CodingKeys: String, CodingKey { case agent, threshold, bonus, closeFactor, positions, owned, assetCount }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        agent = AgentID(try c.decode(Int.self, forKey: .agent))
        threshold = try c.decode(Ratio.self, forKey: .threshold)
        bonus = try c.decode(Ratio.self, forKey: .bonus)
        closeFactor = try c.decode(Ratio.self, forKey: .closeFactor)
        positions = try c.decode([Position].self, forKey: .positions)
        owned = try c.decode([Int].self, forKey: .owned)
        assetCount = try c.decode(Int.self, forKey: .assetCount)
        slots = [Int32](repeating: -1, count: assetCount * assetCount)
        rebuildIndex()
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(agent.index, forKey: .agent)
        try c.encode(threshold, forKey: .threshold)
        try c.encode(bonus, forKey: .bonus)
        try c.encode(closeFactor, forKey: .closeFactor)
        try c.encode(positions, forKey: .positions)
        try c.encode(owned, forKey: .owned)
        try c.encode(assetCount, forKey: .assetCount)
    }

    package static func == (a: Pool, b: Pool) -> Bool {
        a.agent == b.agent && a.threshold == b.threshold && a.bonus == b.bonus && a.closeFactor == b.closeFactor
            && a.positions == b.positions && a.owned == b.owned && a.assetCount == b.assetCount
    }

    package var agent: AgentID
    package var threshold: Ratio
    package var bonus: Ratio
    package var closeFactor: Ratio
    package var positions: [Position] = []
    /// Indices of positions that belong to an agent (their owner's balance sheet includes them).
    package var owned: [Int] = []
    /// Assets of the model (the pairs below are indexed by asset index).
    package let assetCount: Int
    /// One liquidation index per (collateral, debt) pair that has had positions with debt,
    /// in order of first use; `slots[collateral × assetCount + debt]` is its place in
    /// `index`, or -1. Which slot a pair has does not matter: `Model.liquidatePools` visits the
    /// pairs of a collateral asset in debt-asset order.
    package internal(set) var index: [LiquidationIndex] = []
    var slots: [Int32]

    /// One position. Stored in 32 bytes (agent and asset indices in 32 and 16 bits): the
    /// liquidation of a large pool reads positions at random, and two now share a cache line
    /// where one straddled two. Checkpoints and the state hash see the same fields as ever.
    package struct Position: Codable, Equatable, Sendable {
        var ownerIndex: Int32 // −1: none
        var collateralAssetIndex: UInt16
        var debtAssetIndex: UInt16
        package var version: UInt32 = 0
        package var collateral: Quantity
        package var debt: Quantity

        /// The agent that owns it, or nil for the anonymous crowd of a pool.
        package var owner: AgentID? {
            get { ownerIndex < 0 ? nil : AgentID(Int(ownerIndex)) }
            set { ownerIndex = newValue.map { Int32($0.index) } ?? -1 }
        }
        package var collateralAsset: AssetID {
            get { AssetID(Int(collateralAssetIndex)) }
            set { collateralAssetIndex = UInt16(newValue.index) }
        }
        package var debtAsset: AssetID {
            get { AssetID(Int(debtAssetIndex)) }
            set { debtAssetIndex = UInt16(newValue.index) }
        }

        /// Agent indices must fit in 31 bits and asset indices in 16 (a log has at most 65,535
        /// assets); anything else traps.
        package init(owner: AgentID?, collateralAsset: AssetID, collateral: Quantity, debtAsset: AssetID, debt: Quantity) {
            ownerIndex = owner.map { Int32($0.index) } ?? -1
            collateralAssetIndex = UInt16(collateralAsset.index)
            debtAssetIndex = UInt16(debtAsset.index)
            self.collateral = collateral
            self.debt = debt
        }

        enum CodingKeys: String, CodingKey { case owner, collateralAsset, collateral, debtAsset, debt, version }

        package init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(owner: try c.decodeIfPresent(Int.self, forKey: .owner).map(AgentID.init), collateralAsset: AssetID(try c.decode(Int.self, forKey: .collateralAsset)),
                      collateral: try c.decode(Quantity.self, forKey: .collateral), debtAsset: AssetID(try c.decode(Int.self, forKey: .debtAsset)),
                      debt: try c.decode(Quantity.self, forKey: .debt))
            version = try c.decode(UInt32.self, forKey: .version)
        }

        package func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encodeIfPresent(owner?.index, forKey: .owner)
            try c.encode(collateralAsset.index, forKey: .collateralAsset)
            try c.encode(collateral, forKey: .collateral)
            try c.encode(debtAsset.index, forKey: .debtAsset)
            try c.encode(debt, forKey: .debt)
            try c.encode(version, forKey: .version)
        }
    }

    package init(agent: AgentID, threshold: Ratio, bonus: Ratio, closeFactor: Ratio, assetCount: Int) {
        self.agent = agent; self.threshold = threshold; self.bonus = bonus; self.closeFactor = closeFactor
        self.assetCount = assetCount
        slots = [Int32](repeating: -1, count: assetCount * assetCount)
    }

    /// The index of positions with this collateral and this debt asset, if any has had debt.
    @inline(__always)
    package func slot(collateral: Int, debt: Int) -> Int? {
        let s = slots[collateral * assetCount + debt]
        return s < 0 ? nil : Int(s)
    }

    /// Liquidation price key: debt × 10^16 / (collateral × threshold), in debt units per whole
    /// collateral token × 10^8. Int64.max when there is no collateral left.
    package func key(_ p: Position) -> Int64 {
        guard p.collateral > .zero, threshold > .zero else { return .max }
        let threshold = threshold.raw, debt = p.debt.raw, collateral = p.collateral.raw
        // Usually the divisor fits in 64 bits and the quotient too: one 128-by-64-bit division
        // instead of a 128-by-128-bit one, with the same (truncated) result.
        if debt >= 0 {
            let n = UInt64(debt).multipliedFullWidth(by: UInt64(Fixed.one) * UInt64(Fixed.one))
            let (d, overflow) = UInt64(collateral).multipliedReportingOverflow(by: UInt64(threshold))
            if !overflow {
                if n.high < d {
                    let q = d.dividingFullWidth(n).quotient
                    return q > UInt64(Int64.max) ? .max : Int64(q)
                }
            } else {
                // collateral × threshold ≥ 2^64 (thousands of tokens of collateral): divide by
                // one, then by the other — ⌊⌊n / t⌋ / c⌋ = ⌊n / (t × c)⌋ — in three hardware
                // divisions rather than a software 128-by-128-bit one.
                let t = UInt64(threshold), c = UInt64(collateral)
                let (high, rest) = n.high.quotientAndRemainder(dividingBy: t)
                let low = t.dividingFullWidth((rest, n.low)).quotient
                guard high < c else { return .max } // the key is ≥ 2^64
                let q = c.dividingFullWidth((high, low)).quotient
                return q > UInt64(Int64.max) ? .max : Int64(q)
            }
        }
        let k = Int128(debt) * Int128(Fixed.one) * Int128(Fixed.one) / (Int128(collateral) * Int128(threshold))
        return k > Int128(Int64.max) ? .max : Int64(k)
    }

    package mutating func add(_ position: Position) {
        positions.append(position)
        if position.owner != nil { owned.append(positions.count - 1) }
        reindex(positions.count - 1)
    }

    /// (Re)indexes position `i` after a change. When stale entries (left behind by earlier
    /// changes) outnumber the positions, the pair's index is rebuilt from the live positions.
    package mutating func reindex(_ i: Int) {
        positions[i].version &+= 1
        let p = positions[i]
        guard p.debt > .zero else { return }
        let s = slotCreating(collateral: p.collateralAsset.index, debt: p.debtAsset.index)
        index[s].insert(.init(key: key(p), position: Int32(i), version: p.version))
        if index[s].count > 2 * positions.count + 1024 { rebuildIndex(slot: s) }
    }

    mutating func slotCreating(collateral: Int, debt: Int) -> Int {
        if let s = slot(collateral: collateral, debt: debt) { return s }
        index.append(LiquidationIndex())
        slots[collateral * assetCount + debt] = Int32(index.count - 1)
        return index.count - 1
    }

    /// The indexes hold only live entries again. The liquidations come in the same order as
    /// before — in a total order on (key, position), stale entries skipped — so this changes
    /// nothing a run does.
    mutating func rebuildIndex(slot: Int? = nil) {
        for s in index.indices where slot == nil || slot == s { index[s] = LiquidationIndex() }
        for (i, p) in positions.enumerated() where p.debt > .zero {
            let s = slotCreating(collateral: p.collateralAsset.index, debt: p.debtAsset.index)
            guard slot == nil || slot == s else { continue }
            index[s].insert(.init(key: key(p), position: Int32(i), version: p.version))
        }
    }

    /// Health factor × 10^8 at the given prices (Int64.max with no debt).
    package func health(_ p: Position, collateralPrice: Price, debtPrice: Price) -> Ratio {
        let debtValue = Int128(p.debt.raw) * Int128(debtPrice.raw)
        guard debtValue > 0 else { return .max }
        let h = Int128(p.collateral.raw) * Int128(collateralPrice.raw) * Int128(threshold.raw) / debtValue
        return h > Int128(Int64.max) ? .max : Ratio(Int64(h))
    }
}
