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
        w.bytes.reserveCapacity(w.bytes.count + x.count * width)
        for v in x {
            let s = UInt64(bitPattern: v &- minimum) / step
            switch width {
            case 1: w.u8(UInt8(s))
            case 2: w.u16(UInt16(s))
            case 4: w.u32(UInt32(s))
            default: w.u64(s)
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

    /// Decodes one block payload into `out`, checking its layout and values: known kinds (unless
    /// lenient, when unknown ones are reported through `unknown`), ids within 32 bits, asset ids
    /// within the header's table, non-decreasing times, price anchors present.
    /// Throws `LogError` with code `.badBlock`, `.unknownKind` or `.badReference` (no location;
    /// the caller adds file, offset and block).
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
        out.resize(n)
        try out.time.withUnsafeMutableBufferPointer { try decodeColumn(&r, n: n, into: $0.baseAddress!, "time") }
        try out.kind.withUnsafeMutableBufferPointer { try decodeColumn(&r, n: n, into: $0.baseAddress!, "kind") }
        try out.entity.withUnsafeMutableBufferPointer { try decodeColumn(&r, n: n, into: $0.baseAddress!, "entity") }
        try out.counterparty.withUnsafeMutableBufferPointer { try decodeColumn(&r, n: n, into: $0.baseAddress!, "counterparty") }
        try out.asset.withUnsafeMutableBufferPointer { try decodeColumn(&r, n: n, into: $0.baseAddress!, "asset") }
        try out.amount.withUnsafeMutableBufferPointer { try decodeColumn(&r, n: n, into: $0.baseAddress!, "amount") }
        try out.aux.withUnsafeMutableBufferPointer { try decodeColumn(&r, n: n, into: $0.baseAddress!, "aux") }
        guard r.remaining == 0 else {
            throw LogError(.badBlock, "block has \(r.remaining) bytes after its last column")
        }

        // Times: prefix sums of non-negative deltas, without overflow.
        try out.time.withUnsafeMutableBufferPointer { t in
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
        // Ids and kinds, then price deltas.
        var unknownHere = 0
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
                                                    throw LogError(.unknownKind, "event \(i) of the block has kind code \(k), which this reader does not know (use --lenient to skip such events)")
                                                }
                                                unknownHere += 1
                                            }
                                            if k == 1 { // price: delta from the asset's previous price
                                                let ai = Int(a)
                                                guard stamp[ai] == generation else {
                                                    throw LogError(.badBlock, "price of asset id \(a) at event \(i) has no anchor in its block")
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
        if unknownHere > 0 {
            unknown += unknownHere
            let kinds = out.kind
            out.remove { !EventKind.isKnownTable[Int(kinds[$0])] }
        }
    }

    @inline(__always)
    static func decodeColumn(_ r: inout ByteReader, n: Int, into out: UnsafeMutablePointer<Int64>, _ name: String) throws {
        let width = Int(try r.u8("\(name) column width"))
        let base = try r.i64("\(name) column base")
        let step = try r.u64("\(name) column step")
        guard width == 0 || width == 1 || width == 2 || width == 4 || width == 8 else {
            throw LogError(.badBlock, "\(name) column has width \(width) (allowed 0, 1, 2, 4, 8)")
        }
        let src = try r.slice(n * width, "\(name) column")
        switch width {
        case 0:
            out.update(repeating: base, count: n)
        case 1:
            let p = src.baseAddress!.assumingMemoryBound(to: UInt8.self)
            for i in 0..<n { out[i] = base &+ Int64(bitPattern: step &* UInt64(p[i])) }
        case 2:
            let p = src.baseAddress!
            for i in 0..<n {
                out[i] = base &+ Int64(bitPattern: step &* UInt64(UInt16(littleEndian: p.loadUnaligned(fromByteOffset: 2 &* i, as: UInt16.self))))
            }
        case 4:
            let p = src.baseAddress!
            for i in 0..<n {
                out[i] = base &+ Int64(bitPattern: step &* UInt64(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 4 &* i, as: UInt32.self))))
            }
        default:
            let p = src.baseAddress!
            for i in 0..<n {
                out[i] = base &+ Int64(bitPattern: step &* UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 8 &* i, as: UInt64.self)))
            }
        }
    }
}
