import DominoTestFixtures
import Foundation
import Testing
@testable import DominoLog

/// A log is a sequence of standard zstd frames: stock `zstd -t` accepts it, and `zstd -dc`
/// prints exactly the concatenated block payloads that FORMAT.md describes (the skippable
/// header, index and footer frames produce no output).
@Suite(.enabled(if: StockZstd.path != nil, "the zstd command-line tool is not installed"))
struct StockZstdTests {
    @Test func stockZstdTestsAndDecompressesALog() throws {
        let dir = TempDir()
        let path = dir.file("stock.zst")
        let events = Fixtures.randomEvents(10_000, seed: 8)
        let block = 3000
        try Fixtures.write(events, to: path, options: WriterOptions(blockEvents: block, level: 5))

        #expect(try StockZstd.run(["-q", "-t", path]).status == 0)
        let (status, output) = try StockZstd.run(["-q", "-dc", path])
        #expect(status == 0)

        // Re-encode the same blocks independently of the writer and compare byte for byte.
        var expected = ByteWriter()
        var prices = PriceTable(size: 65_536)
        for start in stride(from: 0, to: events.count, by: block) {
            BlockCodec.encode(events[start..<min(events.count, start + block)], prices: &prices, into: &expected)
        }
        #expect(output == expected.bytes)
    }

    @Test func stockZstdRejectsAFlippedByte() throws {
        let dir = TempDir()
        let path = dir.file("flip.zst")
        try Fixtures.write(Fixtures.randomEvents(5000, seed: 9), to: path)
        let block = try LogReader(path: path).blocks[0]
        let at = Int(block.offset) + block.frameSize - 3
        try patch(path, at: at, with: [try fileBytes(path)[at] ^ 0x01])
        #expect(try StockZstd.run(["-q", "-t", path]).status != 0)
    }
}

enum StockZstd {
    static let path: String? = ["/usr/bin/zstd", "/usr/local/bin/zstd", "/opt/homebrew/bin/zstd"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    static func run(_ arguments: [String]) throws -> (status: Int32, output: [UInt8]) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path!)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, [UInt8](data))
    }
}
