import DominoLog

/// Pull-style reading of one log from a time on, one decoded block in memory at a time — what a
/// k-way merge of several logs needs.
struct LogCursor {
    let reader: LogReader
    private var columns = EventColumns()
    private var blocks: Range<Int>
    private var block: Int
    private var index = 0
    private let from: Int64
    private let to: Int64
    /// Position of the current event in the file (for ordering ties).
    private(set) var sequence: UInt64 = 0

    init(reader: LogReader, from: Int64, to: Int64) throws {
        self.reader = reader
        self.from = from
        self.to = to
        blocks = reader.blockRange(from: from, to: to)
        block = blocks.lowerBound
        try load()
    }

    private mutating func load() throws {
        while block < blocks.upperBound {
            try reader.readBlock(block, into: &columns)
            index = 0
            while index < columns.count && columns.time[index] < from { index += 1 }
            if index < columns.count { sequence = reader.blocks[block].firstSequence + UInt64(index); return }
            block += 1
        }
    }

    /// The current block (nil at the end) and where its frame starts in the file.
    var blockIndex: Int? { block < blocks.upperBound ? block : nil }
    var blockOffset: UInt64? { blockIndex.map { reader.blocks[$0].offset } }

    /// Time of the current event, or nil at the end (or past `to`): reads one column only.
    @inline(__always)
    var currentTime: Int64? {
        guard block < blocks.upperBound, index < columns.count else { return nil }
        let t = columns.time[index]
        return t <= to ? t : nil
    }

    /// The current event, or nil at the end (or past `to`).
    var current: Event? {
        guard block < blocks.upperBound, index < columns.count, columns.time[index] <= to else { return nil }
        return columns[index]
    }

    mutating func advance() throws {
        index += 1
        sequence += 1
        if index >= columns.count { block += 1; try load() }
    }

    /// The current block's decoded columns and the indices of its events from the current one
    /// on (empty at the end), for a caller that consumes several at once and then calls
    /// `advance(by:)`. Events past `to` are the caller's to stop at.
    var pending: (columns: EventColumns, range: Range<Int>) {
        guard block < blocks.upperBound, index < columns.count else { return (columns, 0..<0) }
        return (columns, index..<columns.count)
    }

    /// Consumes `n` events of the current block (at most those `pending` listed).
    mutating func advance(by n: Int) throws {
        precondition(n >= 0 && index + n <= columns.count)
        guard n > 0 else { return }
        index += n
        sequence += UInt64(n)
        if index >= columns.count { block += 1; try load() }
    }
}
