import DominoLog
import DominoTestFixtures
import Foundation
import Testing

/// End-to-end: the real `domino` binary, exact stdout, stderr and exit codes.
@Suite struct LogCommandTests {
    let dir = TempDir()

    func small() throws -> String {
        let path = dir.file("small.zst")
        try SmallLog.write(to: path)
        return path
    }

    @Test func catPrintsJSONL() throws {
        let r = try Domino.run(["log", "cat", try small()])
        #expect(r.status == 0)
        #expect(r.stderr == "")
        #expect(r.stdout == """
        {"time":"2022-06-12T00:00:00Z","kind":"price","asset":"BTC","amount":"26574.53"}
        {"time":"2022-06-12T00:00:00Z","kind":"deposit","entity":"retail","counterparty":"Celsius","asset":"USDC","amount":"2"}
        {"time":"2022-06-12T01:00:00Z","kind":"price","asset":"BTC","amount":"26580"}
        {"time":"2022-06-12T01:00:01.500Z","kind":"withdrawal-request","entity":"retail","counterparty":"Celsius","asset":"USDC","amount":"1.5"}
        {"time":"2022-06-12T02:00:00Z","kind":"price","asset":"BTC","amount":"25000"}
        {"time":"2022-06-12T02:00:00Z","kind":"signal","entity":"Celsius","amount":"0.75","aux":1}

        """)
    }

    @Test func catFiltersByWindowKindAndAsset() throws {
        let path = try small()
        let window = try Domino.run(["log", "cat", path, "--from", "2022-06-12T01:00:00Z", "--to", "2022-06-12T02:00:00Z", "--kind", "price"])
        #expect(window.status == 0)
        #expect(window.stdout == """
        {"time":"2022-06-12T01:00:00Z","kind":"price","asset":"BTC","amount":"26580"}
        {"time":"2022-06-12T02:00:00Z","kind":"price","asset":"BTC","amount":"25000"}

        """)
        let usdc = try Domino.run(["log", "cat", path, "--asset", "USDC", "--format", "csv"])
        #expect(usdc.status == 0)
        #expect(usdc.stdout == """
        time,kind,entity,counterparty,asset,amount,aux
        2022-06-12T00:00:00Z,deposit,retail,Celsius,USDC,2,
        2022-06-12T01:00:01.500Z,withdrawal-request,retail,Celsius,USDC,1.5,

        """)
        let empty = try Domino.run(["log", "cat", path, "--from", "2022-06-13"])
        #expect(empty.status == 0)
        #expect(empty.stdout == "")
    }

    @Test func catRejectsBadArgumentsWithExitTwo() throws {
        let path = try small()
        let badKind = try Domino.run(["log", "cat", path, "--kind", "pricez"])
        #expect(badKind.status == 2)
        #expect(badKind.stdout == "")
        #expect(badKind.stderr.hasPrefix("domino: unknown kind 'pricez'; kinds: price, deposit,"))
        let badTime = try Domino.run(["log", "cat", path, "--from", "June 12"])
        #expect(badTime.status == 2)
        #expect(badTime.stderr == "domino: --from 'June 12' is not an ISO 8601 UTC time (e.g. 2022-06-12 or 2022-06-12T22:00:00Z)\n")
        let badAsset = try Domino.run(["log", "cat", path, "--asset", "ETH"])
        #expect(badAsset.status == 2)
        #expect(badAsset.stderr == "domino: \(path) has no asset 'ETH'; assets: BTC, USDC\n")
        let unknownOption = try Domino.run(["log", "cat", path, "--colour"])
        #expect(unknownOption.status == 2)
        #expect(unknownOption.stderr.contains("Unknown option '--colour'"))
    }

    @Test func infoPrintsTheSummary() throws {
        let path = try small()
        let r = try Domino.run(["log", "info", path])
        #expect(r.status == 0)
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "file          \(path)")
        #expect(lines[1] == "dataset       small — hand-made fixture")
        #expect(lines[2] == "format        Domino log v1: 3 zstd block frames + header, index and footer")
        #expect(lines[3] == "declared      2022-06-12T00:00:00Z … 2022-06-13T00:00:00Z")
        #expect(lines[4] == "events        6, 2022-06-12T00:00:00Z … 2022-06-12T02:00:00Z")
        #expect(lines[5] == "size          \(grouped(size)) bytes, \(String(format: "%.2f", Double(size) / 6)) bytes/event")
        #expect(r.stdout.contains("""
        kinds
          price                          3  (code 1)
          deposit                        1  (code 2)
          withdrawal-request             1  (code 3)
          signal                         1  (code 9)

        assets
          id    symbol  decimals      events
          1     BTC     8                  3
          2     USDC    6                  2

        entities
          id    name                kind            events
          1     Celsius             lender               3
          2     retail              depositors           2

        series
          BTC 1h: price 1h, 2022-06-12T00:00:00Z … 2022-06-12T02:00:00Z, recorded
              source: fixture
              method: typed in

        """))
    }

    @Test func infoJSONHasSortedKeysAndCounts() throws {
        let r = try Domino.run(["log", "info", try small(), "--json"])
        #expect(r.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect(object["events"] as? Int == 6)
        #expect(object["blocks"] as? Int == 3)
        #expect(object["kinds"] as? [String: Int] == ["price": 3, "deposit": 1, "withdrawal-request": 1, "signal": 1])
        let keys = r.stdout.split(separator: "\n").filter { $0.hasPrefix("  \"") }.map { $0.split(separator: "\"")[1] }
        #expect(keys == keys.sorted())
    }

    @Test func checkReportsOkAndCorruption() throws {
        let path = try small()
        let ok = try Domino.run(["log", "check", path])
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        #expect(ok.status == 0)
        #expect(ok.stdout == "\(path): ok (6 events, 3 blocks, \(grouped(size)) bytes)\n")

        // Flip the last byte of block 1's frame (inside its XXH64 checksum).
        let reader = try LogReader(path: path)
        let block = reader.blocks[1]
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[Int(block.offset) + block.frameSize - 1] ^= 0xFF
        let broken = dir.file("broken.zst")
        try Data(bytes).write(to: URL(fileURLWithPath: broken))

        let r = try Domino.run(["log", "check", path, broken])
        #expect(r.status == 1)
        #expect(r.stdout == "\(path): ok (6 events, 3 blocks, \(grouped(size)) bytes)\n")
        #expect(r.stderr == "domino: \(broken): offset \(block.offset) (block 1): zstd: Restored data doesn't match checksum: the block is corrupt\n")
    }

    @Test func missingAndEmptyFilesFailWithOneLine() throws {
        let missing = dir.file("missing.zst")
        let r = try Domino.run(["log", "info", missing])
        #expect(r.status == 1)
        #expect(r.stdout == "")
        #expect(r.stderr == "domino: \(missing): cannot open: No such file or directory\n")
        let empty = try dir.write("empty.zst", "")
        let e = try Domino.run(["log", "check", empty])
        #expect(e.status == 1)
        #expect(e.stderr == "domino: \(empty): empty file (0 bytes): not a Domino log\n")
    }

    @Test func bundledDatasetsPassCheck() throws {
        let datasets = Domino.root + "/datasets"
        let files = try FileManager.default.contentsOfDirectory(atPath: datasets).filter { $0.hasSuffix(".zst") }.sorted()
        #expect(!files.isEmpty)
        let r = try Domino.run(["log", "check"] + files.map { "\(datasets)/\($0)" })
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.split(separator: "\n").count == files.count)
    }
}
