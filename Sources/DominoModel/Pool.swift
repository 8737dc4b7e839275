/// An over-collateralised lending pool (Aave, Compound, Anchor's borrow side).
///
/// Each position has collateral in one asset and debt in another. Its health factor is
/// `collateral × price_c × threshold / (debt × price_d)`; below 1 it is liquidated: a liquidator
/// repays `closeFactor` of the debt and seizes collateral worth the repayment × `bonus`, which it
/// sells (a forced sale for the impact overlay).
///
/// Checking every position on every tick would cost O(positions). Instead each collateral asset
/// has a max-heap of positions keyed by their *liquidation price* in debt units,
/// `key = debt / (collateral × threshold)`, which does not change while the position is
/// untouched. A tick pops only the positions whose key is above the current price ratio:
/// O(k log n) for k liquidations. Entries carry a version, so a position changed since it was
/// pushed is skipped (lazy deletion).
public struct Pool: Codable, Equatable, Sendable {
    // The index is derived from the positions: it is neither encoded (checkpoints, state hashes)
    // nor compared; decoding rebuilds it.
    enum CodingKeys: String, CodingKey { case agent, threshold, bonus, closeFactor, positions, owned, assetCount }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        agent = try c.decode(Int.self, forKey: .agent)
        threshold = try c.decode(Int64.self, forKey: .threshold)
        bonus = try c.decode(Int64.self, forKey: .bonus)
        closeFactor = try c.decode(Int64.self, forKey: .closeFactor)
        positions = try c.decode([Position].self, forKey: .positions)
        owned = try c.decode([Int].self, forKey: .owned)
        index = [LiquidationHeap](repeating: LiquidationHeap(), count: try c.decode(Int.self, forKey: .assetCount))
        rebuildIndex()
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(agent, forKey: .agent)
        try c.encode(threshold, forKey: .threshold)
        try c.encode(bonus, forKey: .bonus)
        try c.encode(closeFactor, forKey: .closeFactor)
        try c.encode(positions, forKey: .positions)
        try c.encode(owned, forKey: .owned)
        try c.encode(index.count, forKey: .assetCount)
    }

    public static func == (a: Pool, b: Pool) -> Bool {
        a.agent == b.agent && a.threshold == b.threshold && a.bonus == b.bonus && a.closeFactor == b.closeFactor
            && a.positions == b.positions && a.owned == b.owned
    }

    public var agent: Int
    public var threshold: Int64
    public var bonus: Int64
    public var closeFactor: Int64
    public var positions: [Position] = []
    /// Indices of positions that belong to an agent (their owner's balance sheet includes them).
    public var owned: [Int] = []
    /// One heap per collateral asset index (dense, so encoding order is fixed).
    public var index: [LiquidationHeap]

    public struct Position: Codable, Equatable, Sendable {
        /// The agent that owns it, or nil for the anonymous crowd of a pool.
        public var owner: Int?
        public var collateralAsset: Int
        public var collateral: Int64
        public var debtAsset: Int
        public var debt: Int64
        public var version: UInt32 = 0
        public init(owner: Int?, collateralAsset: Int, collateral: Int64, debtAsset: Int, debt: Int64) {
            self.owner = owner; self.collateralAsset = collateralAsset; self.collateral = collateral
            self.debtAsset = debtAsset; self.debt = debt
        }
    }

    public init(agent: Int, threshold: Int64, bonus: Int64, closeFactor: Int64, assetCount: Int) {
        self.agent = agent; self.threshold = threshold; self.bonus = bonus; self.closeFactor = closeFactor
        index = [LiquidationHeap](repeating: LiquidationHeap(), count: assetCount)
    }

    /// Liquidation price key: debt × 10^16 / (collateral × threshold), in debt units per whole
    /// collateral token × 10^8. Int64.max when there is no collateral left.
    public func key(_ p: Position) -> Int64 {
        guard p.collateral > 0, threshold > 0 else { return .max }
        // Usually the divisor fits in 64 bits and the quotient too: one 128-by-64-bit division
        // instead of a 128-by-128-bit one, with the same (truncated) result.
        if p.debt >= 0 {
            let (d, overflow) = UInt64(p.collateral).multipliedReportingOverflow(by: UInt64(threshold))
            if !overflow {
                let n = UInt64(p.debt).multipliedFullWidth(by: UInt64(Fixed.one) * UInt64(Fixed.one))
                if n.high < d {
                    let q = d.dividingFullWidth(n).quotient
                    return q > UInt64(Int64.max) ? .max : Int64(q)
                }
            }
        }
        let k = Int128(p.debt) * Int128(Fixed.one) * Int128(Fixed.one) / (Int128(p.collateral) * Int128(threshold))
        return k > Int128(Int64.max) ? .max : Int64(k)
    }

    public mutating func add(_ position: Position) {
        positions.append(position)
        if position.owner != nil { owned.append(positions.count - 1) }
        reindex(positions.count - 1)
    }

    /// (Re)inserts position `i` after a change. When stale entries (left behind by earlier
    /// changes) outnumber the positions, the asset's heap is rebuilt from the live positions.
    public mutating func reindex(_ i: Int) {
        positions[i].version &+= 1
        let p = positions[i]
        guard p.debt > 0 else { return }
        index[p.collateralAsset].push(.init(key: key(p), position: Int32(i), version: p.version))
        if index[p.collateralAsset].count > 2 * positions.count + 1024 { rebuildIndex(asset: p.collateralAsset) }
    }

    /// The heaps hold only live entries again. Pops come in the same order as before — the order
    /// is a total order on (key, position) and stale entries are skipped — so this changes
    /// nothing a run does.
    mutating func rebuildIndex(asset: Int? = nil) {
        for a in index.indices where asset == nil || asset == a { index[a] = LiquidationHeap() }
        for (i, p) in positions.enumerated() where p.debt > 0 && (asset == nil || asset == p.collateralAsset) {
            index[p.collateralAsset].push(.init(key: key(p), position: Int32(i), version: p.version))
        }
    }

    /// Health factor × 10^8 at the given prices (Int64.max with no debt).
    public func health(_ p: Position, collateralPrice: Int64, debtPrice: Int64) -> Int64 {
        let debtValue = Int128(p.debt) * Int128(debtPrice)
        guard debtValue > 0 else { return .max }
        let h = Int128(p.collateral) * Int128(collateralPrice) * Int128(threshold) / debtValue
        return h > Int128(Int64.max) ? .max : Int64(h)
    }
}

/// Max-heap of (key, position, version), ordered by key descending then position ascending —
/// a total order, so equal keys pop in the same order in every run (and whatever the heap's
/// shape: pops come out in that order, only the work to find them depends on the shape).
///
/// Four children per node: half the depth of a binary heap, and a node's children are adjacent
/// (64 bytes), so a pop from a heap of 10^5 positions touches about half as many cache lines.
public struct LiquidationHeap: Codable, Equatable, Sendable {
    public struct Entry: Codable, Equatable, Sendable {
        public var key: Int64
        public var position: Int32
        public var version: UInt32
        /// True when `self` should pop before `other`.
        @inline(__always)
        func before(_ other: Entry) -> Bool {
            key != other.key ? key > other.key : position < other.position
        }
    }

    public private(set) var entries: [Entry] = []
    public init() {}

    public var top: Entry? { entries.first }
    public var count: Int { entries.count }

    public mutating func push(_ e: Entry) {
        entries.append(e)
        entries.withUnsafeMutableBufferPointer { h in
            var i = h.count - 1
            while i > 0 {
                let parent = (i - 1) / 4
                guard e.before(h[parent]) else { break }
                h[i] = h[parent]
                i = parent
            }
            h[i] = e
        }
    }

    @discardableResult
    public mutating func pop() -> Entry? {
        guard !entries.isEmpty else { return nil }
        let top = entries[0]
        let last = entries.removeLast()
        guard !entries.isEmpty else { return top }
        entries.withUnsafeMutableBufferPointer { h in
            let n = h.count
            var i = 0
            while true {
                let first = 4 * i + 1
                guard first < n else { break }
                var best = first
                let end = min(first + 4, n)
                var c = first + 1
                while c < end {
                    if h[c].before(h[best]) { best = c }
                    c += 1
                }
                guard h[best].before(last) else { break }
                h[i] = h[best]
                i = best
            }
            h[i] = last
        }
        return top
    }
}
