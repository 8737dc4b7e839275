import DominoLog
import Foundation
import Testing
@testable import DominoImport

/// The committed datasets (`datasets/*.zst`, built by `datasets/rebuild.sh`): their headers and
/// per-series counts are what `datasets/README.md` states. Skipped when the files are absent.
@Suite struct DatasetTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static func path(_ name: String) -> String { "\(root)/datasets/\(name)" }
    static func present(_ name: String) -> Bool { FileManager.default.fileExists(atPath: path(name)) }

    /// Events per asset symbol, and first/last time per asset.
    static func census(_ reader: LogReader) throws -> [String: (count: Int, first: Int64, last: Int64)] {
        var out: [String: (count: Int, first: Int64, last: Int64)] = [:]
        try reader.forEachEvent { e in
            #expect(e.kind == .price)
            let symbol = reader.header.asset(id: e.asset)!.symbol
            let c = out[symbol] ?? (0, e.time, e.time)
            out[symbol] = (c.count + 1, c.first, e.time)
        }
        return out
    }

    @Test(.enabled(if: present("prices-2022.zst"))) func prices2022() throws {
        let reader = try LogReader(path: Self.path("prices-2022.zst"))
        let h = reader.header
        #expect(h.name == "prices-2022")
        #expect(h.timeRange == .init(start: T.oct1_2021, end: 19_389 * 86_400_000 - 1)) // 2023-02-01 is day 19 389
        #expect(h.assets.map(\.symbol) == ["BTC", "ETH", "SOL", "LUNA", "FTT", "stETH", "UST", "USDC", "USDT", "CEL", "GBTC", "ETHE"])
        #expect(h.series.map(\.label) == ["BTC 1h", "ETH 1h", "SOL 1h", "LUNA 1h (classic)", "FTT 1h", "FTT 1d",
                                          "stETH ~1h", "UST ~1h", "USDC ~1h", "USDT ~1h", "CEL 1d (FTX perp)", "GBTC 1d", "ETHE 1d"])
        #expect(h.series.map(\.resolution) == ["1h", "1h", "1h", "1h", "1h", "1d", "~1h", "~1h", "~1h", "~1h", "1d", "1d", "1d"])
        for s in h.series {
            #expect(s.origin == .recorded && s.kinds == ["price"])
            #expect(s.source.contains(" @ ") && s.source.contains("data-raw/"), "\(s.label)")
            #expect(s.method.contains("price = column"), "\(s.label)")
        }
        #expect(reader.eventCount == 96_009 + 2 * 335) // GBTC and ETHE: 335 US trading days each
        let c = try Self.census(reader)
        #expect(c["BTC"]!.count == 11_712 && c["ETH"]!.count == 11_712 && c["SOL"]!.count == 11_712)
        #expect(c["LUNA"]!.count == 5_377 && c["LUNA"]!.last == T.may13_2022) // classic LUNA only
        #expect(c["FTT"]!.count == 9_845 + 30)
        #expect(c["stETH"]!.count == 11_689 && c["UST"]!.count == 10_206 && c["USDC"]!.count == 11_713 && c["USDT"]!.count == 11_713)
        #expect(c["CEL"]!.count == 300 && c["CEL"]!.last == 19_200 * 86_400_000) // 2022-07-27
        #expect(c["GBTC"]!.count == 335 && c["ETHE"]!.count == 335) // US trading days 2021-10-01 … 2023-01-31
        // FTT: hourly to 2022-11-15 04:00, daily from 2022-11-16; no overlap.
        let ftt = h.series.filter { $0.asset == "FTT" }
        #expect(ftt.count == 2 && ftt[0].to == 19_311 * 86_400_000 + 4 * T.hour && ftt[1].from == 19_312 * 86_400_000)
    }

    @Test(.enabled(if: present("ftx-2022-11-08-1min.zst"))) func ftxMinutes() throws {
        let reader = try LogReader(path: Self.path("ftx-2022-11-08-1min.zst"))
        let h = reader.header
        #expect(h.name == "ftx-2022-11-08-1min")
        #expect(h.series.map(\.label) == ["FTT 1m", "BTC 1m", "ETH 1m", "SOL 1m"])
        #expect(h.series.allSatisfy { $0.resolution == "1m" && $0.source.contains("provenance uncertain") })
        #expect(h.timeRange == .init(start: 1_667_946_660_000, end: 1_668_006_720_000)) // 22:31 … 15:12
        let c = try Self.census(reader)
        #expect(["FTT", "BTC", "ETH", "SOL"].allSatisfy { c[$0]!.count == 1_000 })

        // log → JSONL with header → log gives the same header, events and bytes.
        try withTempDir { dir in
            let events = try reader.readAll()
            let r = EventTextRenderer(header: h, format: .jsonl)
            let text = ([try HeaderLine.render(h)] + events.map(r.render)).joined(separator: "\n") + "\n"
            let jsonl = try dir.write("cat.jsonl", text)
            _ = try Importer.run(ImportPlan(inputs: [ImportInput(path: jsonl, content: .events(format: nil))]), to: dir.file("rt.zst"))
            let again = try LogReader(path: dir.file("rt.zst"))
            #expect(again.header == h)
            #expect(try again.readAll() == events)
            #expect(try dir.bytes("rt.zst") == Data(contentsOf: URL(fileURLWithPath: Self.path("ftx-2022-11-08-1min.zst"))))
        }
    }
}
