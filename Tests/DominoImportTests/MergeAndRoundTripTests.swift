import DominoLog
import Foundation
import Testing
@testable import DominoImport

/// Merging inputs on (time, input order, line), writing atomically, and the round trip
/// import → render (header line + JSONL) → import giving identical header, events and bytes.
@Suite struct MergeAndRoundTripTests {
    static let t0 = T.jan1_2022

    /// A price CSV (BTC at t0, t0+1h) and a JSONL file (two events at t0, one at t0+1h).
    func files(_ dir: Scratch) throws -> (prices: String, events: String) {
        let prices = try dir.write("btc.csv", "open_time,close\n2022-01-01 00:00:00,100\n2022-01-01 01:00:00,101\n")
        let events = try dir.write("e.jsonl", """
            {"time":"2022-01-01T00:00:00Z","kind":"deposit","entity":"Celsius","amount":"1"}
            {"time":"2022-01-01T00:00:00Z","kind":"deposit","entity":"Celsius","amount":"2"}
            {"time":"2022-01-01T01:00:00Z","kind":"withdrawal-request","entity":"Celsius","amount":"3"}
            """)
        return (prices, events)
    }

    func plan(_ inputs: [ImportInput]) -> ImportPlan {
        ImportPlan(name: "merge", entities: [EntityDeclaration(name: "Celsius", kind: "lender")], inputs: inputs, declareMissingAssets: true)
    }

    @Test func tiesFollowInputOrderThenLine() throws {
        try withTempDir { dir in
            let (p, e) = try files(dir)
            let price = ImportInput(path: p, content: .prices(asset: "BTC")), events = ImportInput(path: e, content: .events(format: nil))
            let btc0 = Event(time: Self.t0, kind: .price, asset: 1, amount: 10_000_000_000)
            let btc1 = Event(time: Self.t0 + T.hour, kind: .price, asset: 1, amount: 10_100_000_000)
            let d1 = Event(time: Self.t0, kind: .deposit, entity: 1, amount: 100_000_000)
            let d2 = Event(time: Self.t0, kind: .deposit, entity: 1, amount: 200_000_000)
            let w = Event(time: Self.t0 + T.hour, kind: .withdrawalRequest, entity: 1, amount: 300_000_000)

            let pricesFirst = try Importer.prepare(plan([price, events]))
            #expect(pricesFirst.events == [btc0, d1, d2, btc1, w])
            #expect(pricesFirst.origins == [EventOrigin(input: 0, line: 2), EventOrigin(input: 1, line: 1), EventOrigin(input: 1, line: 2),
                                            EventOrigin(input: 0, line: 3), EventOrigin(input: 1, line: 3)])

            let eventsFirst = try Importer.prepare(plan([events, price]))
            #expect(eventsFirst.events == [d1, d2, btc0, w, btc1])
            // Input order decides, not the asset id (BTC is asset 1 either way).
            #expect(eventsFirst.header.assets == [.init(id: 1, symbol: "BTC", decimals: 8)])
            #expect(eventsFirst.header.series.map(\.label) == ["e.jsonl", "BTC 1h"])
        }
    }

    @Test func roundTripIsIdentical() throws {
        try withTempDir { dir in
            let (p, e) = try files(dir)
            let extra = try dir.write("x.csv", #"""
                time,kind,entity,counterparty,asset,amount,aux
                2022-01-01T00:00:00.001Z,borrow,"Three Arrows, ""3AC""",Celsius,USDC,1234.567891,1656633600000
                2022-01-01T00:30:00Z,signal,,,,-0.5,2
                2022-01-01T00:30:00Z,halt,Celsius,,,0,
                """#)
            var plan = plan([ImportInput(path: p, content: .prices(asset: "BTC"), source: "repo@c0ffee:BTCUSDT.csv", method: "note"),
                             ImportInput(path: e, content: .events(format: nil), label: "flows", origin: .reconstructed),
                             ImportInput(path: extra, content: .events(format: nil))])
            plan.description = "round trip, with \"quotes\" and é"
            plan.assets = [AssetDeclaration(symbol: "USDC", decimals: 6)]
            plan.entities.append(EntityDeclaration(name: "Three Arrows, \"3AC\"", kind: "fund"))
            plan.signals = [SignalDeclaration(code: 2, name: "rumour")]
            plan.from = Self.t0 - T.hour
            plan.to = Self.t0 + 2 * T.hour
            let first = dir.file("first.zst")
            // Small blocks so the round trip crosses block boundaries.
            let options = WriterOptions(blockEvents: 3)
            let written = try Importer.write(try Importer.prepare(plan), to: first, options: options)
            #expect(written.events == 8 && written.blocks == 3)

            let reader = try LogReader(path: first)
            let events = try reader.readAll()
            #expect(events.count == 8)
            let renderer = EventTextRenderer(header: reader.header, format: .jsonl)
            let text = ([try HeaderLine.render(reader.header)] + events.map(renderer.render)).joined(separator: "\n") + "\n"
            let cat = try dir.write("cat.jsonl", text)

            let second = dir.file("second.zst")
            _ = try Importer.write(try Importer.prepare(ImportPlan(inputs: [ImportInput(path: cat, content: .events(format: nil))])),
                                   to: second, options: options)
            let again = try LogReader(path: second)
            #expect(again.header == reader.header)
            #expect(try again.readAll() == events)
            #expect(try dir.bytes("first.zst") == dir.bytes("second.zst"))

            // The CSV rendering imports back to the same events under the same declarations.
            let csvRenderer = EventTextRenderer(header: reader.header, format: .csv)
            let csv = try dir.write("cat.csv", ([csvRenderer.csvHeaderLine] + events.map(csvRenderer.render)).joined(separator: "\n"))
            var csvPlan = plan
            csvPlan.inputs = [ImportInput(path: csv, content: .events(format: nil))]
            csvPlan.assets.append(AssetDeclaration(symbol: "BTC")) // was declared by the price input (id 2)
            #expect(try Importer.prepare(csvPlan).events == events)
        }
    }

    @Test func failureLeavesNothingAtOut() throws {
        try withTempDir { dir in
            let bad = try dir.write("bad.csv", "open_time,close\n2022-01-01 00:00:00,1\n2022-01-01 01:00:00,oops\n")
            let out = dir.file("out.zst")
            expectError(.invalidInput, file: bad, line: 3) { _ = try Importer.run(pricePlan(bad), to: out) }
            #expect(!dir.exists("out.zst"))
            // An earlier file at --out survives a failed import untouched.
            try dir.write("out.zst", "previous")
            expectError(.invalidInput, file: bad, line: 3) { _ = try Importer.run(pricePlan(bad), to: out) }
            #expect(try dir.bytes("out.zst") == Data("previous".utf8))
            #expect(try dir.listing() == ["bad.csv", "out.zst"]) // no temporary file left behind
        }
    }

    @Test func writerErrorsNameTheInputLine() throws {
        // `write` maps a writer rejection onto the event's input and line. Here the prepared
        // header is narrowed after preparation so the writer (not the reader) rejects line 3.
        try withTempDir { dir in
            let p = try dir.write("p.csv", "open_time,close\n2022-01-01 00:00:00,1\n2022-01-01 01:00:00,2\n")
            var prepared = try Importer.prepare(pricePlan(p))
            prepared.header.timeRange.end = Self.t0
            expectError(.invalidEvent, file: p, line: 3, containing: "outside the dataset's range") {
                _ = try Importer.write(prepared, to: dir.file("o.zst"))
            }
            #expect(!dir.exists("o.zst"))
        }
    }

    @Test func runReportsPerInputCounts() throws {
        try withTempDir { dir in
            let (p, e) = try files(dir)
            let result = try Importer.run(plan([ImportInput(path: p, content: .prices(asset: "BTC")),
                                                ImportInput(path: e, content: .events(format: nil))]), to: dir.file("o.zst"))
            #expect(result.summary.events == 5 && result.summary.blocks == 1)
            #expect(result.inputs.map(\.events) == [2, 3])
            #expect(result.inputs.map(\.label) == ["BTC 1h", "e.jsonl"])
            #expect(result.summary.bytes == UInt64(try dir.bytes("o.zst").count))
        }
    }
}
