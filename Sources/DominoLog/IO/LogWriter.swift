/// Tuning of a `LogWriter`. The defaults are what `datasets/FORMAT.md` ("Choices, measured")
/// justifies.
public struct WriterOptions: Sendable {
    /// Events per block (1 … 2^20). Smaller blocks seek more finely; larger ones compress better.
    public var blockEvents: Int
    /// zstd level. Decompression speed hardly depends on it; writing speed does.
    public var level: Int32

    public static let defaultBlockEvents = 65_536
    public static let defaultLevel: Int32 = 9

    public init(blockEvents: Int = WriterOptions.defaultBlockEvents, level: Int32 = WriterOptions.defaultLevel) {
        self.blockEvents = blockEvents
        self.level = level
    }
}

/// What a finished write produced.
public struct WriteSummary: Sendable, Equatable {
    public var events: UInt64
    public var blocks: Int
    public var bytes: UInt64
    /// Sum of the decompressed block payloads.
    public var rawBytes: UInt64
}

/// Streams events into a new log file: validates each event, packs full blocks into zstd frames
/// as it goes (memory stays at one block), and on `finish()` writes the index and footer and
/// renames the file into place. A writer dropped without `finish()` leaves no file behind and
/// any earlier file at `path` untouched.
public final class LogWriter {
    public let path: String
    public let header: LogHeader
    public let options: WriterOptions
    private let file: AtomicFileWriter
    private let compressor: ZstdCompressor
    private var validator: EventValidator
    private var pending: [Event] = []
    private var blocks: [BlockInfo] = []
    private var prices: PriceTable
    private var payload = ByteWriter()
    private var frame: [UInt8] = []
    private var eventCount: UInt64 = 0
    private var rawBytes: UInt64 = 0
    private var finished = false

    /// Lets a test write kinds this build does not know, as a newer writer would.
    var allowUnknownKinds: Bool {
        get { validator.allowUnknownKinds }
        set { validator.allowUnknownKinds = newValue }
    }

    public init(path: String, header: LogHeader, options: WriterOptions = WriterOptions()) throws {
        guard options.blockEvents >= 1 && options.blockEvents <= LogFormat.maxBlockEvents else {
            throw LogError(.usage, "block size \(options.blockEvents) events is outside 1…\(LogFormat.maxBlockEvents)")
        }
        try header.validate()
        self.path = path
        self.header = header
        self.options = options
        compressor = try ZstdCompressor(level: options.level)
        validator = EventValidator(header: header)
        prices = PriceTable(size: Int(header.largestAssetID) + 1)
        pending.reserveCapacity(options.blockEvents)
        file = try AtomicFileWriter(path: path)
        try file.write(try LogFormat.headerFrame(header))
    }

    /// Validates and buffers one event; throws `LogError` (no location: the caller knows the
    /// input line) when the event breaks a rule of `EventValidator`.
    public func append(_ event: Event) throws {
        precondition(!finished, "append after finish")
        if let problem = validator.check(event) { throw problem }
        pending.append(event)
        if pending.count == options.blockEvents { try flushBlock() }
    }

    public func append(contentsOf events: some Sequence<Event>) throws {
        for e in events { try append(e) }
    }

    private func flushBlock() throws {
        guard !pending.isEmpty else { return }
        payload.bytes.removeAll(keepingCapacity: true)
        BlockCodec.encode(pending[...], prices: &prices, into: &payload)
        frame.removeAll(keepingCapacity: true)
        try payload.bytes.withUnsafeBytes { try compressor.compressFrame($0, appendingTo: &frame) }
        blocks.append(BlockInfo(firstTime: pending.first!.time, lastTime: pending.last!.time, count: pending.count,
                                offset: file.bytesWritten, frameSize: frame.count, rawSize: payload.bytes.count,
                                firstSequence: eventCount))
        try file.write(frame)
        eventCount += UInt64(pending.count)
        rawBytes += UInt64(payload.bytes.count)
        pending.removeAll(keepingCapacity: true)
    }

    /// Writes the last block, the index and the footer, and moves the file into place.
    @discardableResult
    public func finish() throws -> WriteSummary {
        precondition(!finished, "finish called twice")
        try flushBlock()
        let indexOffset = file.bytesWritten
        try file.write(LogFormat.indexFrame(blocks))
        try file.write(LogFormat.footerFrame(indexOffset: indexOffset, eventCount: eventCount, blockCount: blocks.count))
        try file.commit()
        finished = true
        return WriteSummary(events: eventCount, blocks: blocks.count, bytes: file.bytesWritten, rawBytes: rawBytes)
    }
}
