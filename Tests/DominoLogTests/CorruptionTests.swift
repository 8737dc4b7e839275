import DominoTestFixtures
import Foundation
import Testing
@testable import DominoLog

/// Every documented way a file can be broken gives its own clear `LogError`, never a crash, a
/// trap or a large allocation. Each test writes a good log, breaks it one way, and checks both
/// opening/reading and `LogChecker`.
@Suite struct CorruptionTests {
    let dir = TempDir()

    func goodLog(_ name: String = "good.zst", events: Int = 5000, block: Int = 1000) throws -> String {
        let path = dir.file(name)
        try Fixtures.write(Fixtures.randomEvents(events, seed: 42), to: path, options: WriterOptions(blockEvents: block, level: 3))
        return path
    }

    /// Open and read everything; return the error thrown.
    func failure(_ path: String) -> LogError? {
        do {
            let reader = try LogReader(path: path)
            _ = try reader.readAll()
            return nil
        } catch {
            return error as? LogError
        }
    }

    func checkFailure(_ path: String) -> LogError? {
        do { _ = try LogChecker.check(path: path); return nil } catch { return error as? LogError }
    }

    @Test func emptyFile() throws {
        let path = dir.file("empty.zst")
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        let error = try #require(failure(path))
        #expect(error.code == .empty)
        #expect(error.description == "\(path): empty file (0 bytes): not a Domino log")
    }

    @Test func missingFile() throws {
        let error = try #require(failure(dir.file("nope.zst")))
        #expect(error.code == .io)
        #expect(error.description.hasPrefix("\(dir.file("nope.zst")): cannot open: No such file"))
    }

    @Test func truncatedAtEveryRegion() throws {
        let path = try goodLog()
        let bytes = try fileBytes(path)
        let reader = try LogReader(path: path)
        // Cut inside the header, inside a block, inside the index, inside the footer.
        let cuts = [3, 8 + 10, Int(reader.headerSize) + 100, Int(reader.indexOffset) + 20, bytes.count - 1]
        for cut in cuts {
            let cutPath = dir.file("cut-\(cut).zst")
            try Data(bytes[0..<cut]).write(to: URL(fileURLWithPath: cutPath))
            let error = try #require(failure(cutPath), "cut at \(cut)")
            #expect([.truncated, .badFooter, .notALog].contains(error.code), "cut at \(cut): \(error)")
            #expect(error.file == cutPath)
        }
    }

    @Test func truncatedFileSaysTruncated() throws {
        let path = try goodLog()
        let bytes = try fileBytes(path)
        let cutPath = dir.file("cut.zst")
        try Data(bytes[0..<(bytes.count / 2)]).write(to: URL(fileURLWithPath: cutPath))
        let error = try #require(failure(cutPath))
        #expect(error.code == .badFooter)
        #expect(error.description.contains("truncated"))
        #expect(error.offset == UInt64(bytes.count / 2 - 40))
    }

    /// A byte flipped inside a block's compressed data: zstd's checksum (or its decoder) catches
    /// it, and the error names the block and its offset. A flip that lands in bits the decoder
    /// never reads (bit-stream padding) leaves the content intact; then the events must read
    /// back unchanged — what may never happen is silently different data.
    @Test func flippedByteInsideBlock() throws {
        let path = try goodLog()
        let original = try LogReader(path: path).readAll()
        let block = try LogReader(path: path).blocks[2]
        var detected = 0
        for delta in stride(from: 12, to: block.frameSize - 4, by: max(1, block.frameSize / 29)) {
            let copy = dir.file("flip-\(delta).zst")
            try FileManager.default.copyItem(atPath: path, toPath: copy)
            let at = Int(block.offset) + delta
            try patch(copy, at: at, with: [try fileBytes(copy)[at] ^ 0x40])
            if let error = failure(copy) {
                #expect(error.code == .corruptBlock || error.code == .badBlock, "\(error)")
                #expect(error.block == 2)
                #expect(error.offset == block.offset)
                #expect(try #require(checkFailure(copy)).block == 2)
                detected += 1
            } else {
                #expect(try LogReader(path: copy).readAll() == original, "flip at +\(delta) changed data silently")
            }
        }
        #expect(detected >= 20)
    }

    @Test func flippedChecksumBytesAreCaught() throws {
        let path = try goodLog()
        let block = try LogReader(path: path).blocks[0]
        let at = Int(block.offset) + block.frameSize - 2 // inside the XXH64 checksum
        try patch(path, at: at, with: [try fileBytes(path)[at] ^ 0xFF])
        let error = try #require(failure(path))
        #expect(error.code == .corruptBlock)
        #expect(error.message.contains("checksum"))
        #expect(error.block == 0)
    }

    @Test func badHeaderMagic() throws {
        let path = try goodLog()
        try patch(path, at: 0, with: le32(0x1234_5678))
        let error = try #require(failure(path))
        #expect(error.code == .notALog)
        #expect(error.description == "\(path): offset 0: missing Domino header: the file starts with magic 0x12345678, not the header frame (magic 0x184d2a5a)")
    }

    @Test func plainZstdFileHasNoHeader() throws {
        let path = try goodLog()
        let reader = try LogReader(path: path)
        let block = try fileBytes(path)[Int(reader.blocks[0].offset)..<Int(reader.blocks[0].offset) + reader.blocks[0].frameSize]
        let plain = dir.file("plain.zst")
        try Data(block).write(to: URL(fileURLWithPath: plain))
        let error = try #require(failure(plain))
        #expect(error.code == .notALog)
        #expect(error.message.contains("a plain zstd frame"))
    }

    @Test func corruptHeaderJSONFailsItsChecksum() throws {
        let path = try goodLog()
        try patch(path, at: 30, with: [UInt8(ascii: "#")])
        let error = try #require(failure(path))
        #expect(error.code == .badHeader)
        #expect(error.message.contains("header checksum mismatch"))
    }

    @Test func wrongVersion() throws {
        let path = try goodLog()
        try patch(path, at: 16, with: [9, 0])
        let error = try #require(failure(path))
        #expect(error.code == .unsupportedVersion)
        #expect(error.description == "\(path): format version 9 is not supported (this reader reads version 1)")
    }

    /// A header that declares a payload far beyond the file (or the format's limit) is refused
    /// before anything that size is allocated.
    @Test func headerLengthFarBeyondTheFile() throws {
        let path = try goodLog()
        try patch(path, at: 4, with: le32(0xFFFF_FFF0))
        #expect(try #require(failure(path)).code == .badHeader)
        try patch(path, at: 4, with: le32(1 << 20))
        let error = try #require(failure(path))
        #expect(error.code == .truncated)
        #expect(error.message.contains("header declares 1048576 bytes"))
    }

    /// The footer claims an index of 2^32-1 blocks: refused from arithmetic, no allocation.
    @Test func footerWithHugeBlockCount() throws {
        let path = try goodLog()
        let size = try fileBytes(path).count
        // Rewrite the footer's block count and its CRC so only the count is wrong.
        var body = Array(try fileBytes(path)[(size - 32)..<(size - 12)])
        body.replaceSubrange(16..<20, with: le32(UInt32.max))
        try patch(path, at: size - 32, with: body + le32(CRC32.checksum(body)))
        let error = try #require(failure(path))
        #expect(error.code == .badIndex)
        #expect(error.offset == UInt64(size - 40))
    }

    /// An index entry whose frame size points far past the file, with a valid index CRC.
    @Test func bogusIndexEntry() throws {
        let path = try goodLog()
        let reader = try LogReader(path: path)
        let entriesAt = Int(reader.indexOffset) + 16
        var entries = Array(try fileBytes(path)[entriesAt..<(entriesAt + reader.blocks.count * 48)])
        entries.replaceSubrange((48 + 36)..<(48 + 40), with: le32(0x7FFF_FFFF)) // block 1 frame size
        try patch(path, at: entriesAt, with: entries)
        try patch(path, at: entriesAt - 4, with: le32(CRC32.checksum(entries)))
        let error = try #require(failure(path))
        #expect(error.code == .badIndex)
        #expect(error.block == 1)
        #expect(error.message.contains("runs past the index"))
    }

    @Test func indexEntryWithWrongTimes() throws {
        let path = try goodLog()
        let reader = try LogReader(path: path)
        let entriesAt = Int(reader.indexOffset) + 16
        var entries = Array(try fileBytes(path)[entriesAt..<(entriesAt + reader.blocks.count * 48)])
        let last = reader.blocks[3].lastTime
        entries.replaceSubrange((3 * 48 + 8)..<(3 * 48 + 16), with: le64(UInt64(last + 1)))
        try patch(path, at: entriesAt, with: entries)
        try patch(path, at: entriesAt - 4, with: le32(CRC32.checksum(entries)))
        // Opening passes (the index is self-consistent); reading block 3 disagrees with it.
        let error = try #require(failure(path))
        #expect(error.code == .badIndex)
        #expect(error.block == 3)
    }

    @Test func corruptIndexFailsItsChecksum() throws {
        let path = try goodLog()
        let reader = try LogReader(path: path)
        try patch(path, at: Int(reader.indexOffset) + 20, with: [0xEE])
        let error = try #require(failure(path))
        #expect(error.code == .badIndex)
        #expect(error.message.contains("index checksum mismatch"))
        #expect(error.offset == reader.indexOffset)
    }

    @Test func unknownKindFailsUnlessLenient() throws {
        let path = dir.file("future.zst")
        var events = Fixtures.randomEvents(3000, seed: 3)
        var unknown = 0
        for i in stride(from: 5, to: events.count, by: 97) {
            events[i].kind = EventKind(rawValue: 200); events[i].amount = 1; unknown += 1
        }
        let writer = try LogWriter(path: path, header: Fixtures.header(), options: WriterOptions(blockEvents: 512))
        writer.allowUnknownKinds = true
        try writer.append(contentsOf: events)
        try writer.finish()

        let error = try #require(failure(path))
        #expect(error.code == .unknownKind)
        #expect(error.block == 0)
        #expect(error.message == "event 5 of the block has kind code 200, which this reader does not know (use --lenient to skip such events)")
        #expect(try #require(checkFailure(path)).code == .unknownKind)

        let reader = try LogReader(path: path, lenient: true)
        let read = try reader.readAll()
        #expect(read == events.filter { $0.kind.isKnown })
        #expect(reader.skippedUnknown == unknown)
    }

    /// A checker-only rule: a reference to an entity the header does not list.
    @Test func checkerFindsDanglingEntity() throws {
        let path = dir.file("dangling.zst")
        var header = Fixtures.header()
        try Fixtures.write([Event(time: Fixtures.t0, kind: .deposit, entity: 3, counterparty: 10, asset: 1, amount: 5)], to: path, header: header)
        // Rewrite the header without entity 10 (same JSON length is not needed: rebuild the file).
        header.entities.removeAll { $0.id == 10 }
        let original = try fileBytes(path)
        let oldHeaderSize = Int(try LogReader(path: path).headerSize)
        let newHeader = try LogFormat.headerFrame(header)
        let shift = newHeader.count - oldHeaderSize
        var rest = Array(original[oldHeaderSize...])
        // Fix the index entry offsets and footer index offset for the shift.
        let indexAt = Int(try LogReader(path: path).indexOffset) - oldHeaderSize
        var entries = Array(rest[(indexAt + 16)..<(indexAt + 16 + 48)])
        let offset = UInt64(Int(entries[16..<24].withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }) + shift)
        entries.replaceSubrange(16..<24, with: le64(offset))
        rest.replaceSubrange((indexAt + 16)..<(indexAt + 64), with: entries)
        rest.replaceSubrange((indexAt + 12)..<(indexAt + 16), with: le32(CRC32.checksum(entries)))
        let footerAt = rest.count - 32
        var body = Array(rest[footerAt..<(footerAt + 20)])
        body.replaceSubrange(0..<8, with: le64(UInt64(indexAt + newHeader.count)))
        rest.replaceSubrange(footerAt..<(footerAt + 24), with: body + le32(CRC32.checksum(body)))
        try Data(newHeader + rest).write(to: URL(fileURLWithPath: path))

        // Every reader applies the checker's event rules (issue 13): reading refuses the event
        // with the checker's message; a lenient reader delivers it and counts it.
        #expect(throws: LogError.self) { try LogReader(path: path).readAll() }
        do { _ = try LogReader(path: path).readAll() } catch let e as LogError {
            #expect(e.code == .badReference && e.block == 0)
            #expect(e.message == "event 0 (0 of the block): unknown counterparty id 10 (not in the header's entity table)")
        }
        let lenient = try LogReader(path: path, lenient: true)
        #expect(try lenient.readAll().count == 1)
        #expect(lenient.invalidEvents == 1)
        let error = try #require(checkFailure(path))
        #expect(error.code == .badReference)
        #expect(error.message == "event 0 (0 of the block): unknown counterparty id 10 (not in the header's entity table)")
        #expect(error.block == 0)
    }
}
