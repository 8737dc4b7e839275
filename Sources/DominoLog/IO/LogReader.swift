/// Reads a log: header, index and footer on open (a few small reads), then one block at a time.
///
/// Memory is bounded by one block, whatever the file's length: the reader holds the header, the
/// index (48 bytes a block) and two reusable buffers, the compressed frame and the decoded
/// columns. Every size taken from the file is checked against the file's length and the
/// format's limits before anything is allocated for it.
public final class LogReader {
    public let path: String
    package let file: ReadableFile
    public let header: LogHeader
    public let version: UInt16
    public let blocks: [BlockInfo]
    public let eventCount: UInt64
    /// Where the first block starts (the header frame's length).
    public let headerSize: UInt64
    /// Where the index frame starts.
    public let indexOffset: UInt64
    /// Skip events of kinds this build does not know (and count them) instead of failing.
    /// Also: deliver events that break `EventValidator`'s rules (and count them) instead of
    /// failing. Without it every block read is checked against those rules (except the order
    /// across files), so no reader hands out an event `domino log check` would reject.
    public var lenient: Bool
    public private(set) var skippedUnknown = 0
    /// Events delivered although invalid (only when `lenient`).
    public private(set) var invalidEvents = 0
    private let validator: EventValidator
    private let assetKnown: [Bool]
    /// Entity ids listed in the header, by id (ids up to 2^20; a larger one goes to `validator`).
    private let entityKnown: [Bool]

    private var frameBuffer: [UInt8] = []
    private var rawBuffer: [UInt8] = []
    private var prices: PriceTable
    private let decompressor: ZstdDecompressor
    private let assetLimit: Int

    public var fileSize: UInt64 { file.size }

    public init(path: String, lenient: Bool = false) throws {
        self.path = path
        self.lenient = lenient
        do {
            file = try ReadableFile(path: path)
            let size = file.size
            guard size > 0 else { throw LogError(.empty, "empty file (0 bytes): not a Domino log") }
            guard size >= 8 else {
                throw LogError(.notALog, "only \(size) bytes: too short to hold a Domino header", offset: 0)
            }
            // Header frame.
            let head = try file.read(at: 0, count: 8)
            let magic = head.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)) }
            let payloadSize = head.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 4, as: UInt32.self)) }
            guard magic == LogFormat.headerMagic else {
                let what = magic == Zstd.frameMagic ? "a plain zstd frame" : "magic \(hex(magic))"
                throw LogError(.notALog, "missing Domino header: the file starts with \(what), not the header frame (magic \(hex(LogFormat.headerMagic)))", offset: 0)
            }
            guard Int(payloadSize) <= LogFormat.maxHeaderPayload else {
                throw LogError(.badHeader, "header declares \(payloadSize) bytes (limit \(LogFormat.maxHeaderPayload))", offset: 4)
            }
            guard 8 + UInt64(payloadSize) <= size else {
                throw LogError(.truncated, "header declares \(payloadSize) bytes but the file has only \(size - 8) after it", offset: 4)
            }
            let payload = try file.read(at: 8, count: Int(payloadSize))
            (version, header) = try payload.withUnsafeBytes { try LogFormat.parseHeaderPayload($0) }
            headerSize = 8 + UInt64(payloadSize)

            // Footer.
            guard size >= headerSize + UInt64(LogFormat.footerFrameSize) else {
                throw LogError(.truncated, "the file ends \(size - headerSize) bytes after its header, before any footer: truncated", offset: size)
            }
            let footerOffset = size - UInt64(LogFormat.footerFrameSize)
            let footerBytes = try file.read(at: footerOffset, count: LogFormat.footerFrameSize)
            let footer: LogFormat.Footer
            do {
                footer = try footerBytes.withUnsafeBytes { try LogFormat.parseFooterFrame($0) }
            } catch let error as LogError {
                throw error.at(offset: footerOffset)
            }
            eventCount = footer.eventCount
            indexOffset = footer.indexOffset

            // Index frame: it must sit exactly between the last block and the footer.
            let indexSize = UInt64(LogFormat.frameHeaderSize + 8) + UInt64(footer.blockCount) * UInt64(LogFormat.indexEntrySize)
            guard indexOffset >= headerSize, indexOffset <= footerOffset, footerOffset - indexOffset == indexSize else {
                throw LogError(.badIndex, "footer places a \(footer.blockCount)-block index at offset \(indexOffset), which does not end where the footer starts (\(footerOffset))", offset: footerOffset)
            }
            let indexBytes = try file.read(at: indexOffset, count: Int(indexSize))
            do {
                blocks = try indexBytes.withUnsafeBytes { raw in
                    let magic = UInt32(littleEndian: raw.loadUnaligned(as: UInt32.self))
                    let declared = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
                    guard magic == LogFormat.indexMagic else {
                        throw LogError(.badIndex, "no index frame where the footer points (found magic \(hex(magic)))")
                    }
                    guard UInt64(declared) + 8 == indexSize else {
                        throw LogError(.badIndex, "index frame declares \(declared) bytes, expected \(indexSize - 8)")
                    }
                    return try LogFormat.parseIndexPayload(UnsafeRawBufferPointer(rebasing: raw[8...]), expectedBlocks: footer.blockCount)
                }
            } catch let error as LogError {
                throw error.at(offset: indexOffset)
            }
            try LogReader.validate(blocks, from: headerSize, to: indexOffset, total: eventCount)
            assetLimit = Int(header.largestAssetID) + 1
            validator = EventValidator(header: header)
            var assets = [Bool](repeating: false, count: assetLimit)
            for a in header.assets { assets[Int(a.id)] = true }
            assetKnown = assets
            let largestEntity = Int(min(header.entities.map(\.id).max() ?? 0, 1 << 20))
            var entities = [Bool](repeating: false, count: largestEntity + 1)
            for e in header.entities where Int(e.id) <= largestEntity { entities[Int(e.id)] = true }
            entityKnown = entities
            prices = PriceTable(size: assetLimit)
            decompressor = try ZstdDecompressor()
        } catch let error as LogError {
            throw error.at(file: path)
        }
    }

    /// The index must tile the space between header and index exactly, with sane sizes,
    /// contiguous sequence numbers and times in order.
    static func validate(_ blocks: [BlockInfo], from start: UInt64, to end: UInt64, total: UInt64) throws {
        var offset = start, sequence: UInt64 = 0, previousLast = Int64.min
        for (i, b) in blocks.enumerated() {
            func bad(_ m: String) -> LogError { LogError(.badIndex, "index entry \(i): \(m)", block: i) }
            guard b.offset == offset else { throw bad("block offset \(b.offset), expected \(offset) (right after the previous frame)") }
            guard b.count >= 1 && b.count <= LogFormat.maxBlockEvents else { throw bad("\(b.count) events (allowed 1…\(LogFormat.maxBlockEvents))") }
            guard b.frameSize >= 9, UInt64(b.frameSize) <= end - offset else {
                throw bad("frame of \(b.frameSize) bytes at offset \(b.offset) runs past the index at \(end)")
            }
            guard b.rawSize >= 14 && b.rawSize <= LogFormat.maxRawBlockSize else {
                throw bad("decompressed size \(b.rawSize) is outside 14…\(LogFormat.maxRawBlockSize)")
            }
            guard b.firstSequence == sequence else { throw bad("first sequence \(b.firstSequence), expected \(sequence)") }
            guard b.firstTime <= b.lastTime, b.firstTime >= previousLast else {
                throw bad("time range \(UTCTime.format(b.firstTime)) … \(UTCTime.format(b.lastTime)) is out of order")
            }
            offset += UInt64(b.frameSize)
            sequence += UInt64(b.count)
            previousLast = b.lastTime
        }
        guard offset == end else {
            throw LogError(.badIndex, "the index covers bytes up to \(offset) but the index frame starts at \(end)", offset: offset)
        }
        guard sequence == total else {
            throw LogError(.badIndex, "the index counts \(sequence) events but the footer says \(total)")
        }
    }

    /// Indices of the blocks that may hold events with time in `from ... to` (nil = open end),
    /// found by binary search on the index.
    public func blockRange(from: Int64? = nil, to: Int64? = nil) -> Range<Int> {
        var lo = 0, hi = blocks.count
        if let from { // first block whose lastTime >= from
            var a = 0, b = blocks.count
            while a < b { let m = (a + b) / 2; if blocks[m].lastTime < from { a = m + 1 } else { b = m } }
            lo = a
        }
        if let to { // first block whose firstTime > to
            var a = lo, b = blocks.count
            while a < b { let m = (a + b) / 2; if blocks[m].firstTime <= to { a = m + 1 } else { b = m } }
            hi = a
        }
        return lo..<max(lo, hi)
    }

    /// Reads, decompresses (verifying zstd's checksum) and decodes block `i` into `columns`.
    public func readBlock(_ i: Int, into columns: inout EventColumns) throws {
        let b = blocks[i]
        do {
            try file.read(at: b.offset, count: b.frameSize, into: &frameBuffer)
            if rawBuffer.count < b.rawSize { rawBuffer = [UInt8](repeating: 0, count: b.rawSize) }
            try frameBuffer.withUnsafeBytes { frame in
                guard Zstd.frameContentSize(frame) == UInt64(b.rawSize) else {
                    let declared = Zstd.frameContentSize(frame).map(String.init) ?? "no valid size"
                    throw LogError(.corruptBlock, "zstd frame declares \(declared) decompressed bytes, the index \(b.rawSize): the block is corrupt")
                }
                try rawBuffer.withUnsafeMutableBytes { raw in
                    let destination = UnsafeMutableRawBufferPointer(rebasing: raw[0..<b.rawSize])
                    switch decompressor.decompressFrame(frame, into: destination) {
                    case .failure(let failure):
                        throw LogError(.corruptBlock, "zstd: \(failure.message): the block is corrupt")
                    case .success(let n) where n != b.rawSize:
                        throw LogError(.corruptBlock, "decompressed to \(n) bytes, the index says \(b.rawSize)")
                    case .success:
                        break
                    }
                }
            }
            let expected = b.count
            try rawBuffer.withUnsafeBytes { raw in
                try BlockCodec.decode(UnsafeRawBufferPointer(rebasing: raw[0..<b.rawSize]), into: &columns, prices: &prices,
                                      assetLimit: assetLimit, lenient: lenient, unknown: &skippedUnknown)
            }
            let decoded = columns.count
            guard lenient || decoded == expected else {
                throw LogError(.badIndex, "block holds \(decoded) events, the index says \(expected)")
            }
            if decoded > 0 && !lenient {
                guard columns.time[0] == b.firstTime, columns.time[decoded - 1] == b.lastTime else {
                    throw LogError(.badIndex, "block spans \(UTCTime.format(columns.time[0])) … \(UTCTime.format(columns.time[decoded - 1])) but the index says \(UTCTime.format(b.firstTime)) … \(UTCTime.format(b.lastTime))")
                }
            }
            if let (j, problem) = firstInvalid(columns) {
                if lenient {
                    var next = j + 1
                    invalidEvents += 1
                    while let (k, _) = firstInvalid(columns, from: next) { invalidEvents += 1; next = k + 1 }
                } else {
                    throw LogError(problem.code, "event \(b.firstSequence + UInt64(j)) (\(j) of the block): \(problem.message)")
                }
            }
        } catch let error as LogError {
            throw error.at(file: path, offset: b.offset, block: i)
        }
    }

    /// The first event of a decoded block that breaks `EventValidator`'s rules (its content;
    /// the order inside a block is the decoder's, across blocks the index's), and why.
    private func firstInvalid(_ columns: EventColumns, from start: Int = 0) -> (Int, LogError)? {
        let n = columns.count
        guard n > 0 else { return nil }
        let range = header.timeRange
        let timesHold = range.contains(columns.time[0]) && range.contains(columns.time[n - 1])
        let price = Int64(EventKind.price.rawValue), signal = Int64(EventKind.signal.rawValue)
        let known = EventKind.isKnownTable
        for j in start..<max(start, n) {
            let k = columns.kind[j], amount = columns.amount[j], a = columns.asset[j]
            let e = columns.entity[j], c = columns.counterparty[j]
            var ok = timesHold && k >= 0 && k < Int64(known.count) && known[Int(k)]
            ok = ok && (k == price ? amount > 0 && a != 0 : (k == signal || amount >= 0))
            ok = ok && a >= 0 && a < Int64(assetKnown.count) && (a == 0 || assetKnown[Int(a)])
            ok = ok && (e == 0 || (e > 0 && e < Int64(entityKnown.count) && entityKnown[Int(e)]))
            ok = ok && (c == 0 || (c > 0 && c < Int64(entityKnown.count) && entityKnown[Int(c)]))
            if !ok, let problem = validator.checkContent(columns[j]) {
                if lenient && problem.code == .unknownKind { continue } // skipped by the decoder's rule
                return (j, problem)
            }
        }
        return nil
    }

    /// Calls `body` with each event whose time lies in `from ... to`, in file order, decoding only
    /// the blocks the index says may hold such events.
    public func forEachEvent(from: Int64? = nil, to: Int64? = nil, _ body: (Event) throws -> Void) throws {
        var columns = EventColumns()
        for i in blockRange(from: from, to: to) {
            try readBlock(i, into: &columns)
            for j in 0..<columns.count {
                let t = columns.time[j]
                if let from, t < from { continue }
                if let to, t > to { break }
                try body(columns[j])
            }
        }
    }

    /// Every event, in order (convenient for tests and small files).
    public func readAll() throws -> [Event] {
        var events: [Event] = []
        events.reserveCapacity(Int(min(eventCount, 1 << 24)))
        try forEachEvent { events.append($0) }
        return events
    }
}
