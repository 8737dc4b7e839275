import DominoLog
import Testing
@testable import DominoImport

/// Manifests: fields, relative paths under the data root, and errors at the manifest's lines.
@Suite struct ManifestTests {
    static let manifest = """
        {
          "name": "m",
          "description": "manifest test",
          "from": "2022-01-01T00:00:00Z",
          "to": "2022-01-02T00:00:00Z",
          "assets": [{"symbol": "LUNA"}, "USDC:6", {"symbol": "ETH", "decimals": 18}],
          "entities": [{"name": "Celsius", "kind": "lender"}, "3AC:fund"],
          "signals": [{"code": 1, "name": "halt-rumour"}],
          "inputs": [
            {"path": "raw/luna.csv", "asset": "LUNA", "label": "LUNA classic 1h", "resolution": "1h",
             "source": "repo@abc:data/LUNAUSDT.csv", "origin": "recorded", "method": "classic LUNA only",
             "from": null, "to": "2022-01-01T01:00:00Z", "columns": {"time": "t", "price": "p"}, "skipNull": true},
            {"path": "events.jsonl", "format": "jsonl", "origin": "reconstructed", "source": "filing"}
          ]
        }
        """

    @Test func loadsEverything() throws {
        try withTempDir { dir in
            let m = try dir.write("m.json", Self.manifest)
            let plan = try ImportManifest.load(path: m, dataRoot: "/data")
            #expect(plan.name == "m" && plan.description == "manifest test")
            #expect(plan.from == T.jan1_2022 && plan.to == T.jan1_2022 + 24 * T.hour)
            #expect(plan.assets == [AssetDeclaration(symbol: "LUNA", decimals: 8, location: .init(file: m, line: 6)),
                                    AssetDeclaration(symbol: "USDC", decimals: 6, location: .init(file: m, line: 6)),
                                    AssetDeclaration(symbol: "ETH", decimals: 18, location: .init(file: m, line: 6))])
            #expect(plan.entities.map(\.name) == ["Celsius", "3AC"] && plan.entities[1].kind == "fund")
            #expect(plan.signals.map(\.code) == [1])
            #expect(!plan.declareMissingAssets)
            #expect(plan.inputs == [
                ImportInput(path: "/data/raw/luna.csv", content: .prices(asset: "LUNA"), label: "LUNA classic 1h",
                            source: "repo@abc:data/LUNAUSDT.csv", origin: .recorded, method: "classic LUNA only", resolution: "1h",
                            from: nil, to: T.jan1_2022 + T.hour, timeColumn: "t", priceColumn: "p", skipNull: true,
                            location: .init(file: m, line: 10)),
                ImportInput(path: "/data/events.jsonl", content: .events(format: .jsonl), source: "filing", origin: .reconstructed,
                            location: .init(file: m, line: 13)),
            ])
            // Default data root: the manifest's directory.
            #expect(try ImportManifest.load(path: m).inputs[0].path == dir.path + "/raw/luna.csv")
        }
    }

    /// `scale` multiplies every price of a price input exactly (Yahoo's adjusted Grayscale
    /// closes × 1.107 give the traded ones): 13.5357 × 1.107 = 14.98401990; a product half way
    /// between two 10^-8 steps rounds to the even one.
    @Test func scaleMultipliesPricesExactly() throws {
        #expect(PriceSeriesReader.scaled(1_353_570_000, by: 110_700_000) == 1_498_401_990)
        #expect(PriceSeriesReader.scaled(1, by: 50_000_000) == 0 && PriceSeriesReader.scaled(3, by: 50_000_000) == 2)
        try withTempDir { dir in
            try dir.write("g.csv", "date,close\n2022-06-13,13.5357\n2022-06-14,12\n")
            let m = try dir.write("m.json", """
                {"name": "g", "assets": ["GBTC"], "inputs": [{"path": "g.csv", "asset": "GBTC", "columns": {"time": "date", "price": "close"}, "scale": "1.107"}]}
                """)
            let plan = try ImportManifest.load(path: m)
            #expect(plan.inputs[0].scale == 110_700_000)
            let prepared = try Importer.prepare(plan)
            #expect(prepared.events.map(\.amount) == [1_498_401_990, 1_328_400_000])
            #expect(prepared.header.series[0].method.contains("multiplied by 1.107"))
            let bad = try dir.write("b.json", #"{"name": "g", "inputs": [{"path": "g.csv", "asset": "GBTC", "scale": "-1"}]}"#)
            #expect(throws: LogError.self) { try ImportManifest.load(path: bad) }
        }
    }

    @Test func importsFromTheDataRoot() throws {
        try withTempDir { dir in
            try FileManagerHelper.mkdir(dir.file("raw"))
            try dir.write("raw/luna.csv", "t,p\n2022-01-01 00:00:00,80\n2022-01-01 00:30:00,null\n2022-01-01 01:00:00,79.5\n2022-01-01 02:00:00,1\n")
            try dir.write("events.jsonl", #"{"time":"2022-01-01T00:00:00Z","kind":"signal","entity":"3AC","amount":"1","aux":1}"# + "\n")
            let m = try dir.write("m.json", Self.manifest)
            let prepared = try Importer.prepare(try ImportManifest.load(path: m))
            #expect(prepared.events.count == 3)
            #expect(prepared.inputs[0].skippedNull == 1 && prepared.inputs[0].outsideWindow == 1)
            #expect(prepared.header.series.map(\.label) == ["LUNA classic 1h", "events.jsonl"])
            #expect(prepared.header.series[0].method.hasSuffix(". classic LUNA only"))
            #expect(prepared.header.series[1].origin == .reconstructed && prepared.header.series[1].kinds == ["signal"])
            #expect(prepared.header.signals == [.init(code: 1, name: "halt-rumour")])
        }
    }

    @Test(arguments: [
        ("{\"name\":\"m\",\n\"inputz\":[]}", 2, "unknown key 'inputz' in the manifest"),
        ("{\"name\":\"m\",\"inputs\":[\n{\"path\":\"a.csv\",\"asset\":\"X\",\"colour\":1}]}", 2, "unknown key 'colour' in an input"),
        ("{\"name\":\"m\",\"inputs\":[\n{\"asset\":\"X\"}]}", 2, "an input needs a 'path'"),
        ("{\"name\":\"m\",\"inputs\":[{\"path\":\"a\",\n\"origin\":\"guessed\"}]}", 2, "'origin' must be recorded or reconstructed"),
        ("{\"name\":\"m\",\"inputs\":[{\"path\":\"a\",\n\"to\":\"2022-02-30\"}]}", 2, "cannot parse '2022-02-30'"),
        ("{\"name\":\"m\",\"inputs\":[{\"path\":\"a\",\"skipNull\":true}]}", 1, "apply to price inputs"),
        ("{\"name\":\"m\",\n\"assets\":[\"BTC:99\"]}", 2, "SYMBOL or SYMBOL:DECIMALS"),
        ("{\"name\":\"m\",\n\n\"from\":5}", 3, "'from' must be a string, got a number"),
        ("{\"description\":\"no name\"}", 1, "the manifest has no 'name'"),
        ("{\"name\":\"m\",\n\"name\":\"n\"}", 2, "invalid JSON at column 1: duplicate key 'name'"),
        ("[1]", 1, "the manifest must be a JSON object"),
    ])
    func errors(text: String, line: Int, message: String) throws {
        try withTempDir { dir in
            let m = try dir.write("m.json", text)
            expectError(.invalidInput, file: m, line: line, containing: message) { _ = try ImportManifest.load(path: m) }
        }
    }

    @Test func duplicateDeclarationNamesItsLine() throws {
        try withTempDir { dir in
            try dir.write("a.csv", "open_time,close\n2022-01-01,1\n")
            let m = try dir.write("m.json", "{\"name\":\"m\",\"assets\":[\n\"BTC\",\n\"BTC:6\"],\n\"inputs\":[{\"path\":\"a.csv\",\"asset\":\"BTC\"}]}")
            expectError(.badHeader, file: m, line: 3, containing: "duplicate asset symbol 'BTC' (first declared on line 2)") {
                _ = try Importer.prepare(try ImportManifest.load(path: m))
            }
            let n = try dir.write("n.json", "{\"name\":\"m\",\n\"inputs\":[\n{\"path\":\"a.csv\",\"asset\":\"BTC\"}]}")
            expectError(.badReference, file: n, line: 3, containing: "names asset 'BTC', which is not declared") {
                _ = try Importer.prepare(try ImportManifest.load(path: n))
            }
            let o = try dir.write("o.json", "{\"name\":\"m\",\"assets\":[\"BTC\"],\"inputs\":[\n{\"path\":\"missing.csv\",\"asset\":\"BTC\"}]}")
            expectError(.io, file: dir.file("missing.csv"), line: 2, containing: "cannot open") {
                _ = try Importer.prepare(try ImportManifest.load(path: o))
            }
        }
    }
}

import Foundation
enum FileManagerHelper {
    static func mkdir(_ path: String) throws { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
}
