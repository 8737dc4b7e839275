/// A decoded block, held column by column so decoding is a few tight loops and a block's buffers
/// are reused for the next one. `subscript` assembles one `Event`.
public struct EventColumns: Sendable {
    public internal(set) var count = 0
    public internal(set) var time: [Int64] = []
    public internal(set) var kind: [Int64] = []
    public internal(set) var entity: [Int64] = []
    public internal(set) var counterparty: [Int64] = []
    public internal(set) var asset: [Int64] = []
    public internal(set) var amount: [Int64] = []
    public internal(set) var aux: [Int64] = []

    public init() {}

    @inlinable
    public subscript(i: Int) -> Event {
        Event(time: time[i], kind: EventKind(rawValue: UInt8(truncatingIfNeeded: kind[i])),
              entity: UInt32(truncatingIfNeeded: entity[i]), counterparty: UInt32(truncatingIfNeeded: counterparty[i]),
              asset: UInt32(truncatingIfNeeded: asset[i]), amount: amount[i], aux: aux[i])
    }

    mutating func resize(_ n: Int) {
        count = n
        func fit(_ a: inout [Int64]) {
            if a.count < n { a.append(contentsOf: repeatElement(0, count: n - a.count)) }
        }
        fit(&time); fit(&kind); fit(&entity); fit(&counterparty); fit(&asset); fit(&amount); fit(&aux)
    }

    /// Removes the events whose index `drop` returns true for, keeping order (lenient reading).
    mutating func remove(where drop: (Int) -> Bool) {
        var j = 0
        for i in 0..<count where !drop(i) {
            time[j] = time[i]; kind[j] = kind[i]; entity[j] = entity[i]; counterparty[j] = counterparty[i]
            asset[j] = asset[i]; amount[j] = amount[i]; aux[j] = aux[i]
            j += 1
        }
        count = j
    }
}

/// Per-asset "last price" table used to delta-code price ticks, indexed by asset id. A
/// generation stamp marks which entries were set by the current block's anchors, so the table
/// is never cleared (it has 65,536 entries).
struct PriceTable {
    var last: [Int64]
    var stamp: [UInt32]
    var generation: UInt32 = 0

    init(size: Int) {
        last = [Int64](repeating: 0, count: size)
        stamp = [UInt32](repeating: 0, count: size)
    }

    mutating func nextBlock() {
        generation &+= 1
        if generation == 0 { // wrapped: clear once every 2^32 blocks
            for i in stamp.indices { stamp[i] = 0 }
            generation = 1
        }
    }
}

/// Columnar block layout, format version 1 (see `datasets/FORMAT.md`, "Block payload"):
///
///     u32 count, i64 firstTime, u16 anchorCount, anchorCount × (u32 asset, i64 price),
///     then seven columns — time, kind, entity, counterparty, asset, amount, aux — each
///     u8 width, i64 base, u64 step, count × width bytes (unsigned little-endian s_i),
///     decoding to x_i = base + step × s_i (mod 2^64).
///
/// `time` holds deltas from the previous event (the first from `firstTime`); `amount` of a price
/// tick holds the delta from the previous price of the same asset in the block, whose first price
/// is its anchor. Other columns hold the values themselves.
enum BlockCodec {
    static let columnCount = 7

    // MARK: Encoding

    /// Encodes `events` (non-empty, time-ordered, valid) as one block payload.
    static func encode(_ events: ArraySlice<Event>, prices: inout PriceTable, into w: inout ByteWriter) {
        let n = events.count
        precondition(n > 0 && n <= LogFormat.maxBlockEvents)
        prices.nextBlock()
        var anchors: [(asset: UInt32, price: Int64)] = []
        var columns = [[Int64]](repeating: [], count: columnCount)
        for c in 0..<columnCount { columns[c].reserveCapacity(n) }
        var previousTime = events.first!.time
        for e in events {
            columns[0].append(e.time &- previousTime)
            previousTime = e.time
            columns[1].append(Int64(e.kind.rawValue))
            columns[2].append(Int64(e.entity))
            columns[3].append(Int64(e.counterparty))
            columns[4].append(Int64(e.asset))
            if e.kind == .price {
                let a = Int(e.asset)
                if prices.stamp[a] != prices.generation {
                    prices.stamp[a] = prices.generation
                    prices.last[a] = e.amount
                    anchors.append((e.asset, e.amount))
                }
                columns[5].append(e.amount &- prices.last[a])
                prices.last[a] = e.amount
            } else {
                columns[5].append(e.amount)
            }
            columns[6].append(e.aux)
        }
        w.u32(UInt32(n))
        w.i64(events.first!.time)
        w.u16(UInt16(anchors.count))
        for anchor in anchors { w.u32(anchor.asset); w.i64(anchor.price) }
        for column in columns { encodeColumn(column, into: &w) }
    }

    /// Frame of reference plus common divisor: s_i = (x_i − min) / gcd, stored in the fewest of
    /// 0, 1, 2, 4 or 8 bytes that hold the largest s_i.
    static func encodeColumn(_ x: [Int64], into w: inout ByteWriter) {
        let minimum = x.min()!
        var step: UInt64 = 0
        var largest: UInt64 = 0
        for v in x {
            let d = UInt64(bitPattern: v &- minimum)
            if d > largest { largest = d }
            if step != 1 { step = gcd(step, d) }
        }
        if step == 0 { step = 1 }
        let width = byteWidth(largest / step)
        w.u8(UInt8(width))
        w.i64(minimum)
        w.u64(step)
        guard width > 0 else { return }
        switch width {
        case 1: appendValues(x, minimum: minimum, step: step, as: UInt8.self, into: &w)
        case 2: appendValues(x, minimum: minimum, step: step, as: UInt16.self, into: &w)
        case 4: appendValues(x, minimum: minimum, step: step, as: UInt32.self, into: &w)
        default: appendValues(x, minimum: minimum, step: step, as: UInt64.self, into: &w)
        }
    }

    /// s_i = (x_i − minimum) / step as `T`-wide little-endian integers (every s_i fits in `T`).
    static func appendValues<T: FixedWidthInteger & UnsignedInteger>(_ x: [Int64], minimum: Int64, step: UInt64, as _: T.Type, into w: inout ByteWriter) {
        let size = MemoryLayout<T>.size, start = w.bytes.count
        w.bytes.append(contentsOf: repeatElement(0, count: x.count * size))
        w.bytes.withUnsafeMutableBytes { out in
            for (i, v) in x.enumerated() {
                out.storeBytes(of: T(UInt64(bitPattern: v &- minimum) / step).littleEndian, toByteOffset: start &+ i &* size, as: T.self)
            }
        }
    }

    static func byteWidth(_ v: UInt64) -> Int {
        switch v {
        case 0: return 0
        case 1...0xFF: return 1
        case 0x100...0xFFFF: return 2
        case 0x1_0000...0xFFFF_FFFF: return 4
        default: return 8
        }
    }

    static func gcd(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var (a, b) = (a, b)
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }

    // MARK: Decoding

    /// Where one column's values are and how to map them: x_i = base + step × s_i (mod 2^64), the
    /// s_i being `width`-byte little-endian unsigned integers at `source`.
    struct ColumnLayout {
        var width = 0
        var base: Int64 = 0
        var step: UInt64 = 0
        var source: UnsafeRawPointer? = nil

        /// Runs `loop` over the s_i at `p` (this column's source) as `width`-byte integers.
        @inline(__always)
        func visit<L: ColumnLoop>(_ p: UnsafeRawPointer, _ loop: L) -> L.Result {
            switch width {
            case 1: return loop.run(p, UInt8.self)
            case 2: return loop.run(p, UInt16.self)
            case 4: return loop.run(p, UInt32.self)
            default: return loop.run(p, UInt64.self)
            }
        }
    }

    /// s_i at index `i` of a column of `T`-wide little-endian integers at `p`.
    @inline(__always)
    static func element<T: FixedWidthInteger & UnsignedInteger>(_ p: UnsafeRawPointer, _: T.Type, _ i: Int) -> UInt64 {
        UInt64(T(littleEndian: p.loadUnaligned(fromByteOffset: MemoryLayout<T>.size &* i, as: T.self)))
    }

    /// A loop over a column's s_i, written once for every width: `ColumnLayout.visit` runs it
    /// with the integer type of the column's width (the one switch on the width when decoding).
    protocol ColumnLoop {
        associatedtype Result
        func run<T: FixedWidthInteger & UnsignedInteger>(_ p: UnsafeRawPointer, _: T.Type) -> Result
    }

    /// Decodes one block payload into `out`, checking its layout and values: known kinds (unless
    /// lenient, when unknown ones are reported through `unknown`), ids within 32 bits, asset ids
    /// within the header's table, non-decreasing times, price anchors present.
    /// Throws `LogError` with code `.badBlock`, `.unknownKind` or `.badReference` (no location;
    /// the caller adds file, offset and block).
    ///
    /// Performance (the checks are all kept, and fail with the same error on the same event):
    /// the layout of all seven columns is read first; each column is then decoded in one tight
    /// loop that also finds its largest s_i, from which one comparison per column proves that
    /// every value lies in its allowed range, so the per-event range checks are skipped (they run
    /// as before only when the proof fails). Times are decoded straight into prefix sums when
    /// the column's bound proves they cannot go back or overflow. Kinds and prices are resolved
    /// in one branch-free pass; an unknown kind or a missing anchor is located afterwards.
    static func decode(_ payload: UnsafeRawBufferPointer, into out: inout EventColumns, prices: inout PriceTable,
                       assetLimit: Int, lenient: Bool, unknown: inout Int) throws {
        var r = ByteReader(payload, code: .badBlock)
        let n = Int(try r.u32("event count"))
        guard n >= 1 && n <= LogFormat.maxBlockEvents else {
            throw LogError(.badBlock, "block declares \(n) events (allowed 1…\(LogFormat.maxBlockEvents))")
        }
        let firstTime = try r.i64("first time")
        let anchorCount = Int(try r.u16("anchor count"))
        prices.nextBlock()
        for _ in 0..<anchorCount {
            let a = Int(try r.u32("anchor asset"))
            let p = try r.i64("anchor price")
            guard a >= 1 && a < assetLimit && a < prices.last.count else {
                throw LogError(.badReference, "price anchor names asset id \(a), which the header does not list")
            }
            prices.stamp[a] = prices.generation
            prices.last[a] = p
        }
        let timeLayout = try readLayout(&r, n: n, "time")
        let kindLayout = try readLayout(&r, n: n, "kind")
        let entityLayout = try readLayout(&r, n: n, "entity")
        let counterpartyLayout = try readLayout(&r, n: n, "counterparty")
        let assetLayout = try readLayout(&r, n: n, "asset")
        let amountLayout = try readLayout(&r, n: n, "amount")
        let auxLayout = try readLayout(&r, n: n, "aux")
        guard r.remaining == 0 else {
            throw LogError(.badBlock, "block has \(r.remaining) bytes after its last column")
        }
        out.resize(n)

        // Times: prefix sums of non-negative deltas, without overflow.
        try out.time.withUnsafeMutableBufferPointer { t in
            if timesCannotFail(timeLayout, n: n, firstTime: firstTime) {
                decodePrefixSums(timeLayout, n: n, from: firstTime, into: t.baseAddress!)
                return
            }
            _ = decodeValues(timeLayout, n: n, into: t.baseAddress!, largest: false)
            var now = firstTime
            for i in 0..<n {
                let d = t[i]
                let (next, overflow) = now.addingReportingOverflow(d)
                guard d >= 0 && !overflow else {
                    throw LogError(.order, "event \(i) of the block goes back in time (delta \(d) ms)")
                }
                now = next
                t[i] = now
            }
        }
        // The other columns; the largest s_i of those with an allowed range.
        let kindMax = out.kind.withUnsafeMutableBufferPointer { decodeValues(kindLayout, n: n, into: $0.baseAddress!, largest: true) }
        let entityMax = out.entity.withUnsafeMutableBufferPointer { decodeValues(entityLayout, n: n, into: $0.baseAddress!, largest: true) }
        let counterpartyMax = out.counterparty.withUnsafeMutableBufferPointer { decodeValues(counterpartyLayout, n: n, into: $0.baseAddress!, largest: true) }
        let assetMax = out.asset.withUnsafeMutableBufferPointer { decodeValues(assetLayout, n: n, into: $0.baseAddress!, largest: true) }
        out.aux.withUnsafeMutableBufferPointer { _ = decodeValues(auxLayout, n: n, into: $0.baseAddress!, largest: false) }

        // Ids and kinds, then price deltas.
        let rangesHold = within(kindLayout, largest: kindMax, 0...255)
            && within(assetLayout, largest: assetMax, 0...Int64(assetLimit) - 1)
            && within(entityLayout, largest: entityMax, 0...Int64(UInt32.max))
            && within(counterpartyLayout, largest: counterpartyMax, 0...Int64(UInt32.max))
            && assetLimit <= prices.last.count && assetLimit <= prices.stamp.count
        var unknownHere = 0
        if rangesHold {
            // Every kind lies in base … highest: when all of those are known, no event's kind needs
            // looking up.
            let known = EventKind.isKnownTable
            let allKnown = highest(kindLayout, largest: kindMax).map { high in
                (kindLayout.base...high).allSatisfy { known[Int($0)] }
            } ?? false
            unknownHere = try decodeAmounts(amountLayout, out: &out, n: n, prices: &prices, lenient: lenient,
                                            countUnknown: !allKnown)
        } else {
            out.amount.withUnsafeMutableBufferPointer { _ = decodeValues(amountLayout, n: n, into: $0.baseAddress!, largest: false) }
            try out.kind.withUnsafeBufferPointer { kind in
                try out.asset.withUnsafeBufferPointer { asset in
                    try out.entity.withUnsafeBufferPointer { entity in
                        try out.counterparty.withUnsafeBufferPointer { counterparty in
                            try out.amount.withUnsafeMutableBufferPointer { amount in
                                try EventKind.isKnownTable.withUnsafeBufferPointer { known in
                                    try prices.last.withUnsafeMutableBufferPointer { last in
                                        try prices.stamp.withUnsafeBufferPointer { stamp in
                                            let generation = prices.generation
                                            for i in 0..<n {
                                                let k = kind[i], a = asset[i]
                                                guard k >= 0 && k <= 255 else {
                                                    throw LogError(.badBlock, "event \(i) of the block has kind code \(k), outside 0…255")
                                                }
                                                guard a >= 0 && a < assetLimit else {
                                                    throw LogError(.badReference, "event \(i) of the block names asset id \(a), which the header does not list")
                                                }
                                                guard UInt64(bitPattern: entity[i]) <= UInt64(UInt32.max),
                                                      UInt64(bitPattern: counterparty[i]) <= UInt64(UInt32.max) else {
                                                    throw LogError(.badBlock, "event \(i) of the block has an entity id beyond 32 bits")
                                                }
                                                if !known[Int(k)] {
                                                    guard lenient else {
                                                        throw unknownKindError(event: i, kind: k)
                                                    }
                                                    unknownHere += 1
                                                }
                                                if k == 1 { // price: delta from the asset's previous price
                                                    let ai = Int(a)
                                                    guard stamp[ai] == generation else {
                                                        throw missingAnchorError(event: i, asset: a)
                                                    }
                                                    let p = last[ai] &+ amount[i]
                                                    last[ai] = p
                                                    amount[i] = p
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        if unknownHere > 0 {
            unknown += unknownHere
            let kinds = out.kind
            out.remove { !EventKind.isKnownTable[Int(kinds[$0])] }
        }
    }

    static func unknownKindError(event i: Int, kind k: Int64) -> LogError {
        LogError(.unknownKind, "event \(i) of the block has kind code \(k), which this reader does not know (use --lenient to skip such events)")
    }

    static func missingAnchorError(event i: Int, asset a: Int64) -> LogError {
        LogError(.badBlock, "price of asset id \(a) at event \(i) has no anchor in its block")
    }

    /// Decodes the amount column, turning price deltas into prices, and counts unknown kinds (when
    /// `countUnknown`: the caller may know there are none), for a block whose kinds are in 0…255
    /// and asset ids below the price table's size (proven by the caller). One branch-free pass:
    /// every event reads its asset's last price and stores it back, changed only for a price.
    /// When an unknown kind (not lenient) or a price without an anchor turns up, the first such
    /// event, in event order, is found afterwards and its error thrown, as the checking loop would.
    static func decodeAmounts(_ c: ColumnLayout, out: inout EventColumns, n: Int, prices: inout PriceTable,
                              lenient: Bool, countUnknown: Bool) throws -> Int {
        let generation = prices.generation
        var counts = (unknown: 0, missing: 0)
        out.kind.withUnsafeBufferPointer { kind in
            out.asset.withUnsafeBufferPointer { asset in
                out.amount.withUnsafeMutableBufferPointer { amount in
                    EventKind.isKnownTable.withUnsafeBufferPointer { known in
                        prices.last.withUnsafeMutableBufferPointer { last in
                            prices.stamp.withUnsafeBufferPointer { stamp in
                                let table = PriceResolver(kind: kind.baseAddress!, asset: asset.baseAddress!, amount: amount.baseAddress!,
                                                          known: known.baseAddress!, last: last.baseAddress!, stamp: stamp.baseAddress!,
                                                          generation: generation)
                                counts = countUnknown ? table.resolve(c, n, countUnknown: true) : table.resolve(c, n, countUnknown: false)
                            }
                        }
                    }
                }
            }
        }
        if counts.missing > 0 || (counts.unknown > 0 && !lenient) {
            let known = EventKind.isKnownTable
            for i in 0..<n {
                let k = out.kind[i], a = out.asset[i]
                if !known[Int(k)] && !lenient { throw unknownKindError(event: i, kind: k) }
                if k == 1 && prices.stamp[Int(a)] != generation { throw missingAnchorError(event: i, asset: a) }
            }
        }
        return counts.unknown
    }

    /// The pointers `decodeAmounts` works on.
    struct PriceResolver {
        let kind: UnsafePointer<Int64>, asset: UnsafePointer<Int64>, amount: UnsafeMutablePointer<Int64>
        let known: UnsafePointer<Bool>, last: UnsafeMutablePointer<Int64>, stamp: UnsafePointer<UInt32>
        let generation: UInt32

        /// One loop per column width (and whether kinds are looked up).
        @inline(__always)
        func resolve(_ c: ColumnLayout, _ n: Int, countUnknown: Bool) -> (unknown: Int, missing: Int) {
            guard let p = c.source, c.width > 0 else {
                return resolve(n, countUnknown) { _ in c.base }
            }
            return c.visit(p, Loop(resolver: self, c: c, n: n, countUnknown: countUnknown))
        }

        /// `resolve` for one width.
        struct Loop: ColumnLoop {
            let resolver: PriceResolver, c: ColumnLayout, n: Int, countUnknown: Bool
            @inline(__always)
            func run<T: FixedWidthInteger & UnsignedInteger>(_ p: UnsafeRawPointer, _: T.Type) -> (unknown: Int, missing: Int) {
                let base = c.base, step = c.step
                // Two loops, so that `countUnknown` is a constant in each.
                if countUnknown {
                    return resolver.resolve(n, true) { i in base &+ Int64(bitPattern: step &* BlockCodec.element(p, T.self, i)) }
                }
                return resolver.resolve(n, false) { i in base &+ Int64(bitPattern: step &* BlockCodec.element(p, T.self, i)) }
            }
        }

        /// amount[i] = value(i), or for a price the asset's last price plus value(i) (which becomes
        /// the last price); returns how many kinds were unknown and how many prices had no anchor.
        @inline(__always)
        func resolve(_ n: Int, _ countUnknown: Bool, _ value: (Int) -> Int64) -> (unknown: Int, missing: Int) {
            var unknown = 0, missing = 0
            for i in 0..<n {
                let d = value(i)
                let k = Int(truncatingIfNeeded: kind[i])
                let a = Int(truncatingIfNeeded: asset[i])
                let isPrice = k == 1
                if countUnknown { unknown &+= known[k] ? 0 : 1 }
                missing &+= (isPrice ? 1 : 0) & (stamp[a] == generation ? 0 : 1)
                let previous = last[a]
                let p = previous &+ d
                last[a] = isPrice ? p : previous
                amount[i] = isPrice ? p : d
            }
            return (unknown, missing)
        }
    }

    /// Reads a column's width, base and step and takes its bytes, checking them as the format
    /// requires. The common case builds no error text.
    @inline(__always)
    static func readLayout(_ r: inout ByteReader, n: Int, _ name: StaticString) throws -> ColumnLayout {
        let at = r.position
        if r.remaining >= 17, let start = r.bytes.baseAddress {
            let p = start + at
            let width = Int(p.load(as: UInt8.self))
            let base = Int64(littleEndian: p.loadUnaligned(fromByteOffset: 1, as: Int64.self))
            let step = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 9, as: UInt64.self))
            if (width == 0 || width == 1 || width == 2 || width == 4 || width == 8) && r.remaining - 17 >= n * width {
                r.position = at + 17 + n * width
                return ColumnLayout(width: width, base: base, step: step, source: p + 17)
            }
        }
        return try readLayoutChecked(&r, n: n, "\(name)")
    }

    /// The same, one checked read at a time: throws the error that names what is wrong.
    static func readLayoutChecked(_ r: inout ByteReader, n: Int, _ name: String) throws -> ColumnLayout {
        let width = Int(try r.u8("\(name) column width"))
        let base = try r.i64("\(name) column base")
        let step = try r.u64("\(name) column step")
        guard width == 0 || width == 1 || width == 2 || width == 4 || width == 8 else {
            throw LogError(.badBlock, "\(name) column has width \(width) (allowed 0, 1, 2, 4, 8)")
        }
        let src = try r.slice(n * width, "\(name) column")
        return ColumnLayout(width: width, base: base, step: step, source: src.baseAddress)
    }

    /// Whether every x_i of a column whose largest s_i is `largest` lies in `range`: true when
    /// base + step × largest neither wraps nor leaves the range (then no x_i wraps either, and
    /// they all lie between base and that value).
    @inline(__always)
    static func within(_ c: ColumnLayout, largest: UInt64, _ range: ClosedRange<Int64>) -> Bool {
        guard let high = highest(c, largest: largest) else { return false }
        return c.base >= range.lowerBound && high <= range.upperBound
    }

    /// base + step × largest, or nil when it wraps.
    @inline(__always)
    static func highest(_ c: ColumnLayout, largest: UInt64) -> Int64? {
        let (product, o1) = c.step.multipliedReportingOverflow(by: largest)
        guard !o1, product <= UInt64(Int64.max) else { return nil }
        let (high, o2) = c.base.addingReportingOverflow(Int64(product))
        return o2 ? nil : high
    }

    /// Whether the time deltas are all ≥ 0 and firstTime plus n of the largest delta cannot
    /// overflow, so that the prefix sums need no checks. Bounds s_i by the column's width first,
    /// and scans for the real largest s_i only when that is not enough.
    static func timesCannotFail(_ c: ColumnLayout, n: Int, firstTime: Int64) -> Bool {
        func fits(_ largest: UInt64) -> Bool {
            guard c.base >= 0, let high = highest(c, largest: largest) else { return false }
            let (total, o1) = Int64(n).multipliedReportingOverflow(by: high)
            return !o1 && !firstTime.addingReportingOverflow(total).overflow
        }
        if c.width < 8 && fits((1 << UInt64(8 * c.width)) - 1) { return true }
        return fits(largestValue(c, n: n))
    }

    /// The largest s_i of a column.
    static func largestValue(_ c: ColumnLayout, n: Int) -> UInt64 {
        guard let p = c.source, c.width > 0 else { return 0 }
        struct Largest: ColumnLoop {
            let n: Int
            func run<T: FixedWidthInteger & UnsignedInteger>(_ p: UnsafeRawPointer, _: T.Type) -> UInt64 {
                var m: UInt64 = 0
                for i in 0..<n { m = Swift.max(m, BlockCodec.element(p, T.self, i)) }
                return m
            }
        }
        return c.visit(p, Largest(n: n))
    }

    /// Times as prefix sums, for a column `timesCannotFail` accepted.
    static func decodePrefixSums(_ c: ColumnLayout, n: Int, from firstTime: Int64, into out: UnsafeMutablePointer<Int64>) {
        guard let p = c.source, c.width > 0 else {
            var now = firstTime
            for i in 0..<n { now &+= c.base; out[i] = now }
            return
        }
        struct PrefixSums: ColumnLoop {
            let n: Int, firstTime: Int64, base: Int64, step: UInt64, out: UnsafeMutablePointer<Int64>
            @inline(__always)
            func run<T: FixedWidthInteger & UnsignedInteger>(_ p: UnsafeRawPointer, _: T.Type) {
                var now = firstTime
                for i in 0..<n {
                    now &+= base &+ Int64(bitPattern: step &* BlockCodec.element(p, T.self, i))
                    out[i] = now
                }
            }
        }
        c.visit(p, PrefixSums(n: n, firstTime: firstTime, base: c.base, step: c.step, out: out))
    }

    /// x_i = base + step × s_i for i in 0..<n; returns the largest s_i when `largest` (else 0).
    @inline(__always)
    static func decodeValues(_ c: ColumnLayout, n: Int, into out: UnsafeMutablePointer<Int64>, largest: Bool) -> UInt64 {
        let base = c.base, step = c.step
        guard let p = c.source, c.width > 0 else {
            out.update(repeating: base, count: n)
            return 0
        }
        struct Widen: ColumnLoop {
            let n: Int, base: Int64, step: UInt64, out: UnsafeMutablePointer<Int64>, largest: Bool
            @inline(__always)
            func run<T: FixedWidthInteger & UnsignedInteger>(_ p: UnsafeRawPointer, _: T.Type) -> UInt64 {
                largest ? BlockCodec.widen(p, T.self, n, base, step, out, true) : BlockCodec.widen(p, T.self, n, base, step, out, false)
            }
        }
        return c.visit(p, Widen(n: n, base: base, step: step, out: out, largest: largest))
    }

    /// One column's loop for one width, specialised for step 1 (no multiply) and for whether the
    /// largest s_i is wanted.
    @inline(__always)
    static func widen<T: FixedWidthInteger & UnsignedInteger>(_ p: UnsafeRawPointer, _: T.Type, _ n: Int, _ base: Int64, _ step: UInt64,
                                                              _ out: UnsafeMutablePointer<Int64>, _ largest: Bool) -> UInt64 {
        var m: T = 0
        let size = MemoryLayout<T>.size
        if step == 1 {
            for i in 0..<n {
                let s = T(littleEndian: p.loadUnaligned(fromByteOffset: size &* i, as: T.self))
                if largest { m = Swift.max(m, s) }
                out[i] = base &+ Int64(bitPattern: UInt64(s))
            }
        } else {
            for i in 0..<n {
                let s = T(littleEndian: p.loadUnaligned(fromByteOffset: size &* i, as: T.self))
                if largest { m = Swift.max(m, s) }
                out[i] = base &+ Int64(bitPattern: step &* UInt64(s))
            }
        }
        return UInt64(m)
    }
}
