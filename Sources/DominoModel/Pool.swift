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
        assetCount = try c.decode(Int.self, forKey: .assetCount)
        slots = [Int32](repeating: -1, count: assetCount * assetCount)
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
        try c.encode(assetCount, forKey: .assetCount)
    }

    public static func == (a: Pool, b: Pool) -> Bool {
        a.agent == b.agent && a.threshold == b.threshold && a.bonus == b.bonus && a.closeFactor == b.closeFactor
            && a.positions == b.positions && a.owned == b.owned && a.assetCount == b.assetCount
    }

    public var agent: Int
    public var threshold: Int64
    public var bonus: Int64
    public var closeFactor: Int64
    public var positions: [Position] = []
    /// Indices of positions that belong to an agent (their owner's balance sheet includes them).
    public var owned: [Int] = []
    /// Assets of the model (the pairs below are indexed by asset index).
    public let assetCount: Int
    /// One liquidation index per (collateral, debt) pair that has had positions with debt,
    /// in order of first use; `slots[collateral × assetCount + debt]` is its place in
    /// `index`, or -1. Which slot a pair has does not matter: `Model.liquidatePools` visits the
    /// pairs of a collateral asset in debt-asset order.
    public internal(set) var index: [LiquidationIndex] = []
    var slots: [Int32]

    /// One position. Stored in 32 bytes (agent and asset indices in 32 and 16 bits): the
    /// liquidation of a large pool reads positions at random, and two now share a cache line
    /// where one straddled two. Checkpoints and the state hash see the same fields as ever.
    public struct Position: Codable, Equatable, Sendable {
        var ownerIndex: Int32 // −1: none
        var collateralAssetIndex: UInt16
        var debtAssetIndex: UInt16
        public var version: UInt32 = 0
        public var collateral: Int64
        public var debt: Int64

        /// The agent that owns it, or nil for the anonymous crowd of a pool.
        public var owner: Int? {
            get { ownerIndex < 0 ? nil : Int(ownerIndex) }
            set { ownerIndex = newValue.map { Int32($0) } ?? -1 }
        }
        public var collateralAsset: Int {
            get { Int(collateralAssetIndex) }
            set { collateralAssetIndex = UInt16(newValue) }
        }
        public var debtAsset: Int {
            get { Int(debtAssetIndex) }
            set { debtAssetIndex = UInt16(newValue) }
        }

        /// Agent indices must fit in 31 bits and asset indices in 16 (a log has at most 65,535
        /// assets); anything else traps.
        public init(owner: Int?, collateralAsset: Int, collateral: Int64, debtAsset: Int, debt: Int64) {
            ownerIndex = owner.map { Int32($0) } ?? -1
            collateralAssetIndex = UInt16(collateralAsset)
            debtAssetIndex = UInt16(debtAsset)
            self.collateral = collateral
            self.debt = debt
        }

        enum CodingKeys: String, CodingKey { case owner, collateralAsset, collateral, debtAsset, debt, version }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(owner: try c.decodeIfPresent(Int.self, forKey: .owner), collateralAsset: try c.decode(Int.self, forKey: .collateralAsset),
                      collateral: try c.decode(Int64.self, forKey: .collateral), debtAsset: try c.decode(Int.self, forKey: .debtAsset),
                      debt: try c.decode(Int64.self, forKey: .debt))
            version = try c.decode(UInt32.self, forKey: .version)
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encodeIfPresent(owner, forKey: .owner)
            try c.encode(collateralAsset, forKey: .collateralAsset)
            try c.encode(collateral, forKey: .collateral)
            try c.encode(debtAsset, forKey: .debtAsset)
            try c.encode(debt, forKey: .debt)
            try c.encode(version, forKey: .version)
        }
    }

    public init(agent: Int, threshold: Int64, bonus: Int64, closeFactor: Int64, assetCount: Int) {
        self.agent = agent; self.threshold = threshold; self.bonus = bonus; self.closeFactor = closeFactor
        self.assetCount = assetCount
        slots = [Int32](repeating: -1, count: assetCount * assetCount)
    }

    /// The index of positions with this collateral and this debt asset, if any has had debt.
    @inline(__always)
    public func slot(collateral: Int, debt: Int) -> Int? {
        let s = slots[collateral * assetCount + debt]
        return s < 0 ? nil : Int(s)
    }

    /// Liquidation price key: debt × 10^16 / (collateral × threshold), in debt units per whole
    /// collateral token × 10^8. Int64.max when there is no collateral left.
    public func key(_ p: Position) -> Int64 {
        guard p.collateral > 0, threshold > 0 else { return .max }
        // Usually the divisor fits in 64 bits and the quotient too: one 128-by-64-bit division
        // instead of a 128-by-128-bit one, with the same (truncated) result.
        if p.debt >= 0 {
            let n = UInt64(p.debt).multipliedFullWidth(by: UInt64(Fixed.one) * UInt64(Fixed.one))
            let (d, overflow) = UInt64(p.collateral).multipliedReportingOverflow(by: UInt64(threshold))
            if !overflow {
                if n.high < d {
                    let q = d.dividingFullWidth(n).quotient
                    return q > UInt64(Int64.max) ? .max : Int64(q)
                }
            } else {
                // collateral × threshold ≥ 2^64 (thousands of tokens of collateral): divide by
                // one, then by the other — ⌊⌊n / t⌋ / c⌋ = ⌊n / (t × c)⌋ — in three hardware
                // divisions rather than a software 128-by-128-bit one.
                let t = UInt64(threshold), c = UInt64(p.collateral)
                let (high, rest) = n.high.quotientAndRemainder(dividingBy: t)
                let low = t.dividingFullWidth((rest, n.low)).quotient
                guard high < c else { return .max } // the key is ≥ 2^64
                let q = c.dividingFullWidth((high, low)).quotient
                return q > UInt64(Int64.max) ? .max : Int64(q)
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

    /// (Re)indexes position `i` after a change. When stale entries (left behind by earlier
    /// changes) outnumber the positions, the pair's index is rebuilt from the live positions.
    public mutating func reindex(_ i: Int) {
        positions[i].version &+= 1
        let p = positions[i]
        guard p.debt > 0 else { return }
        let s = slotCreating(collateral: p.collateralAsset, debt: p.debtAsset)
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
        for (i, p) in positions.enumerated() where p.debt > 0 {
            let s = slotCreating(collateral: p.collateralAsset, debt: p.debtAsset)
            guard slot == nil || slot == s else { continue }
            index[s].insert(.init(key: key(p), position: Int32(i), version: p.version))
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

/// The positions of one (collateral, debt) pair of a pool, by liquidation key, for
/// `Model.liquidatePools`: it hands out every entry whose key is above a bound — the positions a
/// price ratio makes liquidatable — at O(1) cost per entry, and answers "none" in O(1).
///
/// Entries sit in buckets of a log-linear scale of the key (as in an HDR histogram): keys below
/// 2^10 each have a bucket, and each octave above has 2^10 buckets, about 0.1% of the key wide,
/// so `bucket(key)` never decreases as the key grows. Only the highest occupied bucket's largest
/// key is tracked. For a bound K, every entry of a bucket above K's bucket has a key above K;
/// K's own bucket is split entry by entry. As prices fall in a crash the bound moves down a few
/// buckets at a time, so extracting touches the entries it returns plus one bucket of about
/// 100k / (number of buckets in use) entries, all of them contiguous in memory.
///
/// This replaced a 4-ary max-heap (O(log n) per liquidation, about eight dependent cache
/// misses in a heap of 10^5 positions). `extract` hands entries out in `Entry.before` order, the
/// same total order the heap popped in, and `Model.liquidatePools` keeps to it, so runs are
/// unchanged — except in a pool lending
/// several debt assets against one collateral, which the single heap, keyed in mixed units, could
/// stop short on (`eachDebtAssetIsCheckedAgainstItsOwnPrice`); no spec here has one.
public struct LiquidationIndex: Sendable {
    public struct Entry: Equatable, Sendable {
        public var key: Int64
        public var position: Int32
        public var version: UInt32
        public init(key: Int64, position: Int32, version: UInt32) { self.key = key; self.position = position; self.version = version }
        /// True when `self` is liquidated before `other`: key descending, then position
        /// ascending — a total order on live entries.
        @inline(__always)
        public func before(_ other: Entry) -> Bool {
            key != other.key ? key > other.key : position < other.position
        }
    }

    static let subBits = 10
    /// Buckets for keys 0 ..< 2^63.
    public static let bucketCount = (63 - subBits + 1) << subBits

    /// The bucket of `key` (negative keys share bucket 0): non-decreasing in the key.
    @inline(__always)
    public static func bucket(_ key: Int64) -> Int {
        let k = UInt64(max(0, key))
        if k < 1 << subBits { return Int(k) }
        let e = 63 - k.leadingZeroBitCount // ≥ subBits
        return ((e - subBits + 1) << subBits) | Int((k >> UInt64(e - subBits)) & ((1 << subBits) - 1))
    }

    /// Allocated at the first insertion.
    var buckets: [[Entry]] = []
    /// Bit b of word b / 64 is set when bucket b holds entries.
    var occupied: [UInt64] = []
    /// The highest occupied bucket (-1: none) and the largest key in it.
    var top = -1
    var topMax: Int64 = .min
    /// Entries held, live or stale.
    public private(set) var count = 0

    public init() {}

    public mutating func insert(_ e: Entry) {
        if buckets.isEmpty {
            buckets = [[Entry]](repeating: [], count: Self.bucketCount)
            occupied = [UInt64](repeating: 0, count: Self.bucketCount / 64)
        }
        let b = Self.bucket(e.key)
        if buckets[b].isEmpty { occupied[b >> 6] |= 1 << UInt64(b & 63) }
        buckets[b].append(e)
        count += 1
        if b > top {
            top = b
            topMax = e.key
        } else if b == top && e.key > topMax {
            topMax = e.key
        }
    }

    /// True when some entry has a key above `bound`.
    @inline(__always)
    public func hasAbove(_ bound: Int64) -> Bool {
        top >= 0 && topMax > bound
    }

    /// Moves every entry whose key is above `bound` to the end of `out`, in `Entry.before`
    /// order: the buckets go from the highest down and each bucket's entries are sorted as they
    /// are appended (buckets hold disjoint key ranges, so that orders them all). Sorting a few
    /// dozen entries per bucket costs less than ordering them one by one in a heap.
    public mutating func extract(above bound: Int64, into out: inout [Entry]) {
        guard hasAbove(bound) else { return }
        let edge = Self.bucket(bound)
        var b = top
        while b > edge {
            let start = out.count
            out.append(contentsOf: buckets[b])
            Self.sort(&out, from: start)
            count -= buckets[b].count
            buckets[b] = [] // above the price: rarely refilled, so its memory goes
            occupied[b >> 6] &= ~(1 << UInt64(b & 63))
            b = highestOccupied(atMost: b - 1)
        }
        var keptMax = Int64.min
        if b == edge {
            // The bound's own bucket: keep what is at or below it, in place.
            let start = out.count
            defer { Self.sort(&out, from: start) }
            var kept = 0
            buckets[b].withUnsafeMutableBufferPointer { entries in
                for k in entries.indices {
                    let e = entries[k]
                    if e.key > bound {
                        out.append(e)
                    } else {
                        entries[kept] = e
                        kept += 1
                        keptMax = max(keptMax, e.key)
                    }
                }
            }
            count -= buckets[b].count - kept
            buckets[b].removeLast(buckets[b].count - kept)
            if kept == 0 {
                occupied[b >> 6] &= ~(1 << UInt64(b & 63))
                b = highestOccupied(atMost: b - 1)
            }
        }
        top = b
        if b < 0 {
            topMax = .min
        } else if b == edge {
            topMax = keptMax
        } else {
            topMax = buckets[b].reduce(Int64.min) { max($0, $1.key) }
        }
    }

    /// Sorts `out[start...]` in `Entry.before` order: insertion sort for the usual few dozen
    /// entries, the standard library's sort beyond.
    static func sort(_ out: inout [Entry], from start: Int) {
        let n = out.count - start
        guard n > 1 else { return }
        out.withUnsafeMutableBufferPointer { all in
            var e = UnsafeMutableBufferPointer(rebasing: all[start...])
            if n > 64 { e.sort { $0.before($1) }; return }
            for i in 1..<n {
                let x = e[i]
                var j = i
                while j > 0 && x.before(e[j - 1]) { e[j] = e[j - 1]; j -= 1 }
                e[j] = x
            }
        }
    }

    /// The highest occupied bucket at or below `b`, or -1.
    func highestOccupied(atMost b: Int) -> Int {
        guard b >= 0 else { return -1 }
        var word = b >> 6
        var bits = occupied[word] & (b & 63 == 63 ? ~0 : (UInt64(1) << UInt64((b & 63) + 1)) - 1)
        while bits == 0 {
            word -= 1
            guard word >= 0 else { return -1 }
            bits = occupied[word]
        }
        return word << 6 | (63 - bits.leadingZeroBitCount)
    }
}

/// The entries `Model.liquidatePools` has found liquidatable and not yet handled, handed out in
/// `LiquidationIndex.Entry.before` order. Most arrive in one sorted batch (`LiquidationIndex.extract`
/// sorts), which is read in order (`run` from `next`); the few that arrive while a batch is being
/// handled (a liquidated position still due, or a price a forced sale moved) go to a binary
/// max-heap, and `pop` takes the first of the two. Small (the liquidations of one price tick),
/// so it lives in cache.
struct DueEntries: Sendable {
    var run: [LiquidationIndex.Entry] = []
    var next = 0
    var heap: [LiquidationIndex.Entry] = []

    var isEmpty: Bool { next == run.count && heap.isEmpty }

    /// Takes `sorted` (in `before` order) as the run, returning the spent one's buffer in its
    /// place. Only when empty.
    mutating func takeRun(_ sorted: inout [LiquidationIndex.Entry]) {
        precondition(isEmpty)
        swap(&run, &sorted)
        next = 0
        sorted.removeAll(keepingCapacity: true)
    }

    /// Empties it, keeping the buffers.
    mutating func clear() {
        run.removeAll(keepingCapacity: true)
        heap.removeAll(keepingCapacity: true)
        next = 0
    }

    mutating func push(_ e: LiquidationIndex.Entry) {
        heap.append(e)
        heap.withUnsafeMutableBufferPointer { h in
            var i = h.count - 1
            while i > 0 {
                let parent = (i - 1) / 2
                guard e.before(h[parent]) else { break }
                h[i] = h[parent]
                i = parent
            }
            h[i] = e
        }
    }

    mutating func pop() -> LiquidationIndex.Entry? {
        if next < run.count, heap.isEmpty || run[next].before(heap[0]) {
            next += 1
            return run[next - 1]
        }
        return popHeap()
    }

    mutating func popHeap() -> LiquidationIndex.Entry? {
        guard let last = heap.popLast() else { return nil }
        guard !heap.isEmpty else { return last }
        let top = heap[0]
        heap.withUnsafeMutableBufferPointer { h in
            let n = h.count
            var i = 0
            while true {
                var best = 2 * i + 1
                guard best < n else { break }
                if best + 1 < n && h[best + 1].before(h[best]) { best += 1 }
                guard h[best].before(last) else { break }
                h[i] = h[best]
                i = best
            }
            h[i] = last
        }
        return top
    }
}
