/// What `LogChecker` verified in a file that passed.
public struct CheckReport: Sendable, Equatable {
    public var path: String
    public var events: UInt64
    public var blocks: Int
    public var bytes: UInt64
}

/// Full validation of a log, beyond what reading needs: every frame is a regular zstd frame with
/// a content checksum whose length agrees with the index, every block decompresses with a good
/// checksum and decodes to the events the index promises, and every event obeys
/// `EventValidator` (known kind, references in the header, sane values, global time order).
///
/// Stops at the first problem and throws it as a `LogError` carrying file, byte offset, block
/// number and reason.
public enum LogChecker {
    /// `progress` is called after each block with (blocks done, blocks in all).
    public static func check(path: String, lenient: Bool = false, progress: ((Int, Int) -> Void)? = nil) throws -> CheckReport {
        let reader = try LogReader(path: path, lenient: lenient)
        var validator = EventValidator(header: reader.header)
        var columns = EventColumns()
        var frame: [UInt8] = []
        for (i, block) in reader.blocks.enumerated() {
            // The frame itself, independently of the index's word.
            try reader.file.read(at: block.offset, count: block.frameSize, into: &frame)
            try frame.withUnsafeBytes { raw in
                let magic = UInt32(littleEndian: raw.loadUnaligned(as: UInt32.self))
                guard magic == Zstd.frameMagic else {
                    throw LogError(.corruptBlock, "expected a zstd frame (magic \(hex(Zstd.frameMagic))), found magic \(hex(magic))",
                                   file: path, offset: block.offset, block: i)
                }
                let descriptor = raw[4]
                guard descriptor & 0x04 != 0 else {
                    throw LogError(.corruptBlock, "the zstd frame has no content checksum", file: path, offset: block.offset, block: i)
                }
                switch Zstd.frameLength(raw) {
                case .failure(let failure):
                    throw LogError(.corruptBlock, "zstd: \(failure.message)", file: path, offset: block.offset, block: i)
                case .success(let n) where n != block.frameSize:
                    throw LogError(.badIndex, "the zstd frame is \(n) bytes long, the index says \(block.frameSize)",
                                   file: path, offset: block.offset, block: i)
                case .success:
                    break
                }
            }
            try reader.readBlock(i, into: &columns)
            for j in 0..<columns.count {
                if let problem = validator.check(columns[j]) {
                    let sequence = block.firstSequence + UInt64(j)
                    throw LogError(problem.code, "event \(sequence) (\(j) of the block): \(problem.message)",
                                   file: path, offset: block.offset, block: i)
                }
            }
            progress?(i + 1, reader.blocks.count)
        }
        return CheckReport(path: path, events: reader.eventCount, blocks: reader.blocks.count, bytes: reader.fileSize)
    }
}
