import Foundation
import Testing
@testable import DominoLog

/// The original (pre-optimisation) decoder, verbatim, for a differential test.
enum OriginalCodec {
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

/// Random payloads (valid, then mutated) decode identically, or fail with the identical error,
/// under the original and the optimised decoder.
@Suite struct DecoderEquivalenceTests {
    struct Outcome: Equatable {
        var error: LogError?
        var columns: [[Int64]] = []
        var unknown = 0
        var last: [Int64] = []
    }

    static func run(_ payload: [UInt8], assetLimit: Int, tableSize: Int, lenient: Bool, original: Bool) -> Outcome {
        var columns = EventColumns()
        var prices = PriceTable(size: tableSize)
        // Give the table some history, as a reader has after earlier blocks.
        prices.nextBlock()
        for i in 0..<tableSize { prices.last[i] = Int64(i * 7); prices.stamp[i] = prices.generation }
        var unknown = 0
        do {
            try payload.withUnsafeBytes { raw in
                if original {
                    try OriginalCodec.decode(raw, into: &columns, prices: &prices, assetLimit: assetLimit, lenient: lenient, unknown: &unknown)
                } else {
                    try BlockCodec.decode(raw, into: &columns, prices: &prices, assetLimit: assetLimit, lenient: lenient, unknown: &unknown)
                }
            }
        } catch let e as LogError {
            return Outcome(error: e)
        } catch {
            return Outcome(error: LogError(.io, "other \(error)"))
        }
        let n = columns.count
        let cols = [columns.time, columns.kind, columns.entity, columns.counterparty, columns.asset, columns.amount, columns.aux].map { Array($0[0..<n]) }
        let stamped = (0..<tableSize).map { prices.stamp[$0] == prices.generation ? prices.last[$0] : Int64.min }
        return Outcome(error: nil, columns: cols, unknown: unknown, last: stamped)
    }

    static func randomEvents(_ r: inout TestRandom, _ n: Int) -> [Event] {
        let wild = r.chance(30)
        var t: Int64 = wild && r.chance(30) ? Int64.max - Int64(r.below(1000)) * 1000 : 1_654_000_000_000
        if wild && r.chance(10) { t = Int64.min + 5 }
        var events: [Event] = []
        let kinds: [UInt8] = wild ? [1, 1, 1, 2, 3, 8, 9, 32, 40, 200] : [1, 1, 1, 2, 3, 8, 9, 32]
        for _ in 0..<n {
            if r.chance(50) && t < Int64.max - 200_000_000 { t += Int64(r.below(r.chance(50) ? 3 : 100_000)) * (r.chance(30) ? 1000 : 1) }
            let k = EventKind(rawValue: kinds[r.below(kinds.count)])
            let asset = UInt32(!wild || r.chance(80) ? 1 + r.below(7) : r.below(300))
            let big = wild && r.chance(5)
            events.append(Event(time: t, kind: k, entity: UInt32(truncatingIfNeeded: big ? r.next() : UInt64(r.below(400))),
                                counterparty: UInt32(r.below(50)), asset: k == .price ? max(asset, 1) : asset,
                                amount: big ? Int64(bitPattern: r.next()) : Int64(r.below(1_000_000)) * 1000,
                                aux: r.chance(20) ? Int64(r.below(10)) : 0))
        }
        return events
    }

    @Test func optimisedDecoderMatchesTheOriginal() {
        var r = TestRandom(seed: 20261124)
        var compared = 0, failures = 0, successes = 0
        var histogram: [String: Int] = [:]
        for round in 0..<20000 {
            let n = 1 + r.below(r.chance(20) ? 3000 : 40)
            let events = Self.randomEvents(&r, n)
            var w = ByteWriter()
            var table = PriceTable(size: 301)
            BlockCodec.encode(events[...], prices: &table, into: &w)
            var payload = w.bytes
            switch r.below(12) {
            case 1: for _ in 0..<(1 + r.below(4)) { payload[r.below(payload.count)] ^= UInt8(1 << r.below(8)) }
            case 2: payload.removeLast(r.below(min(payload.count, 40)))
            case 3: payload.append(contentsOf: [UInt8](repeating: UInt8(r.below(256)), count: 1 + r.below(5)))
            case 4: payload[r.below(payload.count)] = UInt8(r.below(256))
            case 5: // an extreme 8-byte value somewhere
                let at = r.below(max(1, payload.count - 8))
                let v: UInt64 = [UInt64.max, 1 << 63, (1 << 63) - 1, 0, 1 << 32, UInt64(r.next())][r.below(6)]
                for j in 0..<8 where at + j < payload.count { payload[at + j] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(j))) }
            case 6: payload[r.below(min(payload.count, 20))] = UInt8(r.below(256)) // preamble
            case 7: if payload.count > 13 { payload[12] = 0; payload[13] = 0 } // no anchors
            default: break
            }
            let assetLimit = r.chance(50) ? 301 : [1, 2, 8, 50, 301, 400][r.below(6)]
            let tableSize = r.chance(80) ? assetLimit : [1, 8, 301][r.below(3)]
            // The original indexes past its table when the table is smaller than the limit (never
            // so in LogReader): compare only where the table covers the limit.
            for lenient in [false, true] where tableSize >= assetLimit {
                let a = Self.run(payload, assetLimit: assetLimit, tableSize: tableSize, lenient: lenient, original: true)
                let b = Self.run(payload, assetLimit: assetLimit, tableSize: tableSize, lenient: lenient, original: false)
                #expect(a == b, "round \(round), lenient \(lenient): \(String(describing: a.error)) vs \(String(describing: b.error))")
                compared += 1
                if a.error == nil { successes += 1 } else { failures += 1 }
                let key = a.error.map { "\($0.code) " + String($0.message.prefix(22)).replacingOccurrences(of: "[0-9]", with: "#", options: .regularExpression) }
                    ?? "ok lenient=\(lenient) unknown>0=\(a.unknown > 0)"
                histogram[key, default: 0] += 1
            }
        }
        print("compared \(compared): \(successes) decoded, \(failures) errors")
        for (k, v) in histogram.sorted(by: { $0.key < $1.key }) { print("  \(v)\t\(k)") }
    }
}
