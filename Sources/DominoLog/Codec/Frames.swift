/// The fixed structures of a log file (see `datasets/FORMAT.md`, "File layout"):
///
///     header frame   skippable, magic 0x184D2A5A   "DOMINOLG", version, CRC, header JSON
///     block frame 0  a regular zstd frame with content size and XXH64 checksum
///     …
///     block frame n-1
///     index frame    skippable, magic 0x184D2A5B   one 48-byte entry per block
///     footer frame   skippable, magic 0x184D2A5C   32 bytes: index offset, counts, CRC, "DOMINOFT"
public enum LogFormat {
    /// The format version this build writes and reads.
    public static let version: UInt16 = 1
    static let headerMagic: UInt32 = 0x184D_2A5A
    static let indexMagic: UInt32 = 0x184D_2A5B
    static let footerMagic: UInt32 = 0x184D_2A5C
    static let headerSignature = Array("DOMINOLG".utf8)
    static let footerSignature = Array("DOMINOFT".utf8)
    /// Bytes of a skippable frame's own header (magic + payload size).
    static let frameHeaderSize = 8
    static let footerPayloadSize = 32
    static let footerFrameSize = frameHeaderSize + footerPayloadSize
    static let indexEntrySize = 48
    /// Largest header JSON a reader accepts (bounds the allocation for a corrupt size field).
    static let maxHeaderPayload = 16 << 20
    /// Largest number of events in one block.
    public static let maxBlockEvents = 1 << 20
    /// Largest decompressed block: the block preamble, a full anchor table and seven 8-byte
    /// columns of `maxBlockEvents` values.
    static let maxRawBlockSize = 14 + 12 * (Int(LogHeader.maxAssetID) + 1) + 7 * (17 + 8 * maxBlockEvents)

    // MARK: Header frame

    static func headerFrame(_ header: LogHeader) throws -> [UInt8] {
        let json = try header.canonicalJSON()
        var w = ByteWriter()
        w.u32(headerMagic)
        w.u32(UInt32(16 + json.count))
        w.raw(headerSignature)
        w.u16(version)
        w.u16(0)
        w.u32(CRC32.checksum(json))
        w.raw(json)
        return w.bytes
    }

    /// Parses a header frame's payload (the bytes after magic and size).
    static func parseHeaderPayload(_ payload: UnsafeRawBufferPointer) throws -> (version: UInt16, header: LogHeader) {
        var r = ByteReader(payload, code: .badHeader)
        let signature = try r.slice(8, "header signature")
        guard Array(signature) == headerSignature else {
            throw LogError(.badHeader, "header frame does not start with DOMINOLG")
        }
        let version = try r.u16("format version")
        guard version == LogFormat.version else {
            throw LogError(.unsupportedVersion,
                           "format version \(version) is not supported (this reader reads version \(LogFormat.version))")
        }
        _ = try r.u16("header flags")
        let crc = try r.u32("header checksum")
        let json = try r.slice(r.remaining, "header JSON")
        let actual = CRC32.checksum(json)
        guard crc == actual else {
            throw LogError(.badHeader, "header checksum mismatch (stored \(hex(crc)), computed \(hex(actual))): the header is corrupt")
        }
        let header = try LogHeader.fromJSON(Array(json))
        try header.validate()
        return (version, header)
    }

    // MARK: Index frame

    static func indexFrame(_ blocks: [BlockInfo]) -> [UInt8] {
        var entries = ByteWriter()
        for b in blocks {
            entries.i64(b.firstTime)
            entries.i64(b.lastTime)
            entries.u64(b.offset)
            entries.u64(b.firstSequence)
            entries.u32(UInt32(b.count))
            entries.u32(UInt32(b.frameSize))
            entries.u32(UInt32(b.rawSize))
            entries.u32(0)
        }
        var w = ByteWriter()
        w.u32(indexMagic)
        w.u32(UInt32(8 + entries.bytes.count))
        w.u32(UInt32(blocks.count))
        w.u32(CRC32.checksum(entries.bytes))
        w.raw(entries.bytes)
        return w.bytes
    }

    static func parseIndexPayload(_ payload: UnsafeRawBufferPointer, expectedBlocks: Int) throws -> [BlockInfo] {
        var r = ByteReader(payload, code: .badIndex)
        let count = try r.u32("index block count")
        guard Int(count) == expectedBlocks else {
            throw LogError(.badIndex, "index lists \(count) blocks but the footer says \(expectedBlocks)")
        }
        let crc = try r.u32("index checksum")
        let entries = try r.slice(Int(count) * indexEntrySize, "index entries")
        let actual = CRC32.checksum(entries)
        guard crc == actual else {
            throw LogError(.badIndex, "index checksum mismatch (stored \(hex(crc)), computed \(hex(actual))): the index is corrupt")
        }
        guard r.remaining == 0 else { throw LogError(.badIndex, "index frame has \(r.remaining) trailing bytes") }
        var e = ByteReader(entries, code: .badIndex)
        var blocks: [BlockInfo] = []
        blocks.reserveCapacity(Int(count))
        for _ in 0..<count {
            let firstTime = try e.i64("first time")
            let lastTime = try e.i64("last time")
            let offset = try e.u64("offset")
            let firstSequence = try e.u64("first sequence")
            let n = try e.u32("count")
            let frameSize = try e.u32("frame size")
            let rawSize = try e.u32("raw size")
            _ = try e.u32("reserved")
            blocks.append(BlockInfo(firstTime: firstTime, lastTime: lastTime, count: Int(n), offset: offset,
                                    frameSize: Int(frameSize), rawSize: Int(rawSize), firstSequence: firstSequence))
        }
        return blocks
    }

    // MARK: Footer frame

    static func footerFrame(indexOffset: UInt64, eventCount: UInt64, blockCount: Int) -> [UInt8] {
        var body = ByteWriter()
        body.u64(indexOffset)
        body.u64(eventCount)
        body.u32(UInt32(blockCount))
        var w = ByteWriter()
        w.u32(footerMagic)
        w.u32(UInt32(footerPayloadSize))
        w.raw(body.bytes)
        w.u32(CRC32.checksum(body.bytes))
        w.raw(footerSignature)
        return w.bytes
    }

    struct Footer { var indexOffset: UInt64; var eventCount: UInt64; var blockCount: Int }

    /// Parses the whole 40-byte footer frame.
    static func parseFooterFrame(_ frame: UnsafeRawBufferPointer) throws -> Footer {
        var r = ByteReader(frame, code: .badFooter)
        let magic = try r.u32("footer magic")
        let size = try r.u32("footer size")
        guard magic == footerMagic, size == footerPayloadSize,
              Array(frame[(footerFrameSize - 8)...]) == footerSignature else {
            throw LogError(.badFooter, "no Domino footer at the end of the file: it is truncated or its writer did not finish")
        }
        let body = UnsafeRawBufferPointer(rebasing: frame[8..<28])
        let indexOffset = try r.u64("index offset")
        let eventCount = try r.u64("event count")
        let blockCount = try r.u32("block count")
        let crc = try r.u32("footer checksum")
        let actual = CRC32.checksum(body)
        guard crc == actual else {
            throw LogError(.badFooter, "footer checksum mismatch (stored \(hex(crc)), computed \(hex(actual))): the footer is corrupt")
        }
        return Footer(indexOffset: indexOffset, eventCount: eventCount, blockCount: Int(blockCount))
    }
}

/// One index entry: where a block is and which events it holds.
public struct BlockInfo: Equatable, Sendable {
    public var firstTime: Int64
    public var lastTime: Int64
    public var count: Int
    /// Byte offset of the block's zstd frame from the start of the file.
    public var offset: UInt64
    /// Length of the zstd frame in bytes.
    public var frameSize: Int
    /// Length of the decompressed block payload.
    public var rawSize: Int
    /// Sequence number (0-based ordinal in the file) of the block's first event.
    public var firstSequence: UInt64
}

func hex(_ v: UInt32) -> String {
    let s = String(v, radix: 16)
    return "0x" + String(repeating: "0", count: 8 - s.count) + s
}
