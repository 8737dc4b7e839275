import DominoLog
import Testing
@testable import DominoImport

/// Event files (JSONL and CSV): parsing, exact amounts, the header line, rejections.
@Suite struct EventImportTests {
    /// Assets USDC (id 1, 6 decimals) and ZERO (id 2, 0 decimals); entities Celsius (1), Tether (2).
    static func plan(_ paths: [String]) -> ImportPlan {
        ImportPlan(name: "events",
                   assets: [AssetDeclaration(symbol: "USDC", decimals: 6), AssetDeclaration(symbol: "ZERO", decimals: 0)],
                   entities: [EntityDeclaration(name: "Celsius", kind: "lender"), EntityDeclaration(name: "Tether", kind: "issuer")],
                   inputs: paths.map { ImportInput(path: $0, content: .events(format: nil)) })
    }

    @Test func jsonlFieldsAndExactNumbers() throws {
        try withTempDir { dir in
            let p = try dir.write("e.jsonl", """
                {"time":"2022-01-01T00:00:00Z","kind":"deposit","entity":"Celsius","amount":0.1}

                {"time":1640995200001,"kind":"transfer","asset":"ZERO","amount":9007199254740993}
                {"time":"2022-01-01T00:00:00.002Z","kind":"signal","amount":-0.333333335,"aux":-7}
                {"time":"2022-01-01T00:00:00.002Z","kind":"repay","entity":null,"amount":"1.0031987236670998","aux":null}
                { "kind" : "withdrawal-request", "time":"2022-01-01 00:00:00.5","entity":"Celsius","counterparty":"Tether","asset":"USDC","amount":"1e-5"}
                """)
            let prepared = try Importer.prepare(Self.plan([p]))
            #expect(prepared.events == [
                Event(time: T.jan1_2022, kind: .deposit, entity: 1, amount: 10_000_000),               // 0.1 USD, exact
                Event(time: T.jan1_2022 + 1, kind: .transfer, asset: 2, amount: 9_007_199_254_740_993), // a Double gives …992
                Event(time: T.jan1_2022 + 2, kind: .signal, amount: -33_333_334, aux: -7),              // tie → even
                Event(time: T.jan1_2022 + 2, kind: .repay, amount: 100_319_872),                        // rounded at 8
                Event(time: T.jan1_2022 + 500, kind: .withdrawalRequest, entity: 1, counterparty: 2, asset: 1, amount: 10), // 1e-5 USDC
            ])
            #expect(prepared.origins.map(\.line) == [1, 3, 4, 5, 6])
            let series = prepared.header.series[0]
            #expect(series.label == "e.jsonl" && series.asset == nil && series.resolution == "events")
            #expect(series.kinds == ["deposit", "withdrawal-request", "repay", "transfer", "signal"])
        }
    }

    @Test func csvEvents() throws {
        try withTempDir { dir in
            let p = try dir.write("e.csv", """
                time,kind,entity,counterparty,asset,amount,aux
                2022-01-01T00:00:00Z,deposit,Celsius,,,0.1,
                2022-01-01T00:00:00Z,borrow,Celsius,Tether,USDC,1000000,5
                """)
            #expect(try events(Self.plan([p])) == [
                Event(time: T.jan1_2022, kind: .deposit, entity: 1, amount: 10_000_000),
                Event(time: T.jan1_2022, kind: .borrow, entity: 1, counterparty: 2, asset: 1, amount: 1_000_000_000_000, aux: 5),
            ])
            // Columns in another order, optional ones left out, a quoted name.
            var plan = Self.plan([try dir.write("f.csv", "amount,kind,time,entity\n2,deposit,2022-01-01,\"Celsius\"\n")])
            #expect(try events(plan) == [Event(time: T.jan1_2022, kind: .deposit, entity: 1, amount: 200_000_000)])
            plan.inputs[0].content = .events(format: .csv)
            #expect(try events(plan).count == 1)
        }
    }

    @Test func formatSniffing() throws {
        let jsonl = TextFile(path: "x.txt", bytes: Array("  \n{\"time\":1}".utf8))
        let csv = TextFile(path: "x.txt", bytes: Array("time,kind,amount".utf8))
        #expect(EventFileReader.format(of: jsonl, declared: nil) == .jsonl)
        #expect(EventFileReader.format(of: csv, declared: nil) == .csv)
        #expect(EventFileReader.format(of: TextFile(path: "a.NDJSON", bytes: []), declared: nil) == .jsonl)
        #expect(EventFileReader.format(of: TextFile(path: "a.jsonl", bytes: []), declared: .csv) == .csv)
    }

    // MARK: Rejections

    @Test(arguments: [
        (#"{"time":"2022-01-01","kind":"deposit","amount":"-1"}"#, LogError.Code.invalidEvent, "deposit amount must not be negative"),
        (#"{"time":"2022-01-01","kind":"transfer","asset":"BTC","amount":"1"}"#, .badReference, "unknown asset 'BTC'"),
        (#"{"time":"2022-01-01","kind":"deposit","entity":"FTX","amount":"1"}"#, .badReference, "unknown entity 'FTX'"),
        (#"{"time":"2022-01-01","kind":"borrow","counterparty":"FTX","amount":"1"}"#, .badReference, "unknown counterparty 'FTX'"),
        (#"{"time":"2022-01-01","kind":"price","amount":"1"}"#, .invalidEvent, "a price event must name an asset"),
        (#"{"time":"2022-01-01","kind":"price","asset":"USDC","amount":"0"}"#, .invalidEvent, "price must be positive"),
        (#"{"time":"2022-01-01","kind":"explode","amount":"1"}"#, .invalidInput, "unknown event kind 'explode'"),
        (#"{"time":"2022-01-01","kind":"deposit","amount":"NaN"}"#, .invalidInput, "unparsable amount 'NaN'"),
        (#"{"time":"2022-01-01","kind":"deposit","amount":"inf"}"#, .invalidInput, "unparsable amount 'inf'"),
        (#"{"time":"2022-01-01","kind":"deposit","amount":NaN}"#, .invalidInput, "invalid JSON at column 48"),
        (#"{"time":"2022-01-01","kind":"deposit","amount":"1e20"}"#, .invalidInput, "out of range at 8 decimal places"),
        (#"{"time":"2022-01-01","kind":"deposit","amount":"1","aux":1.5}"#, .invalidInput, "aux must be an integer"),
        (#"{"time":"2022-01-01","kind":"deposit","amount":"1","aux":"1"}"#, .invalidInput, "'aux' must be a number, got a string"),
        (#"{"time":"2022-01-01","kind":"deposit","amount":"1","note":"x"}"#, .invalidInput, "unknown field 'note'"),
        (#"{"time":"2022-01-01","kind":"deposit"}"#, .invalidInput, "missing 'amount'"),
        (#"{"kind":"deposit","amount":"1"}"#, .invalidInput, "missing 'time'"),
        (#"{"time":"yesterday","kind":"deposit","amount":"1"}"#, .invalidInput, "unparsable time 'yesterday'"),
        (#"{"time":"2022-01-01","kind":"deposit","entity":1,"amount":"1"}"#, .invalidInput, "'entity' must be a string, got a number"),
        (#"["time"]"#, .invalidInput, "expected a JSON object, got an array"),
        (#"{"time":"2022-01-01","kind":"deposit","amount":"1"} {}"#, .invalidInput, "unexpected text after the JSON value"),
        (#"{"header":{"name":"x"}}"#, .invalidInput, "a header line must be the file's first line"),
        (#"{"time":"2021-12-31T23:59:59Z","kind":"deposit","amount":"1"}"#, .order, "before the previous event's"),
    ])
    func jsonlRejections(line: String, code: LogError.Code, text: String) throws {
        try withTempDir { dir in
            // Line 1 is valid; line 2 is blank; the bad line is line 3.
            let p = try dir.write("e.jsonl", "{\"time\":\"2022-01-01\",\"kind\":\"deposit\",\"amount\":\"1\"}\n\n" + line + "\n")
            expectError(code, file: p, line: 3, containing: text) { _ = try Importer.prepare(Self.plan([p])) }
        }
    }

    @Test(arguments: [
        ("2022-01-01,deposit,Celsius,,,1\n", LogError.Code.invalidInput, 3, "row has 6 cells, the header has 7"),
        ("2022-01-01,deposit,Celsius,,,-1,\n", .invalidEvent, 3, "must not be negative"),
        ("2022-01-01,deposit,Nobody,,,1,\n", .badReference, 3, "unknown entity 'Nobody'"),
        ("2022-01-01,deposit,,,,,\n", .invalidInput, 3, "missing 'amount'"),
        ("2022-01-01,deposit,,,,1,x\n", .invalidInput, 3, "aux must be an integer"),
        ("\"2022-01-01,deposit,,,,1,\n", .invalidInput, 3, "unterminated quoted cell"),
    ])
    func csvRejections(row: String, code: LogError.Code, line: Int, text: String) throws {
        try withTempDir { dir in
            let p = try dir.write("e.csv", "time,kind,entity,counterparty,asset,amount,aux\n2022-01-01,deposit,,,,1,\n" + row)
            expectError(code, file: p, line: line, containing: text) { _ = try Importer.prepare(Self.plan([p])) }
        }
    }

    @Test func csvHeaderRejections() throws {
        try withTempDir { dir in
            let a = try dir.write("a.csv", "time,kind,amount,colour\n")
            expectError(.invalidInput, file: a, line: 1, containing: "unknown column 'colour'") { _ = try Importer.prepare(Self.plan([a])) }
            let b = try dir.write("b.csv", "time,kind,entity\n")
            expectError(.invalidInput, file: b, line: 1, containing: "missing column 'amount'") { _ = try Importer.prepare(Self.plan([b])) }
            let c = try dir.write("c.csv", "time,kind,amount,time\n")
            expectError(.invalidInput, file: c, line: 1, containing: "column 'time' appears twice") { _ = try Importer.prepare(Self.plan([c])) }
        }
    }

    // MARK: Header lines

    static let header = LogHeader(name: "h", description: "from a header line",
                                  timeRange: .init(start: T.jan1_2022, end: T.jan1_2022 + T.hour),
                                  assets: [.init(id: 3, symbol: "ETH", decimals: 18)],
                                  entities: [.init(id: 9, name: "Celsius", kind: "lender")],
                                  series: [.init(label: "x", kinds: ["deposit"], from: T.jan1_2022, to: T.jan1_2022,
                                                 resolution: "events", origin: .reconstructed, source: "s", method: "m")],
                                  signals: [.init(code: 4, name: "rumour")])

    @Test func headerLineSuppliesTheHeader() throws {
        try withTempDir { dir in
            let p = try dir.write("h.jsonl", try HeaderLine.render(Self.header) + "\n" + #"""
                {"time":"2022-01-01T00:30:00Z","kind":"transfer","entity":"Celsius","asset":"ETH","amount":"0.000000000000000001"}
                """#)
            let prepared = try Importer.prepare(ImportPlan(inputs: [ImportInput(path: p, content: .events(format: nil))]))
            #expect(prepared.header == Self.header)   // ids, series, kinds table: all as given
            #expect(prepared.events == [Event(time: T.jan1_2022 + 1_800_000, kind: .transfer, entity: 9, asset: 3, amount: 1)])
            #expect(prepared.inputs[0].carriesHeader && prepared.origins[0].line == 2)
            // Flags may rename and widen, not add tables.
            var plan = ImportPlan(name: "renamed", to: T.jan1_2022 + 2 * T.hour, inputs: [ImportInput(path: p, content: .events(format: nil))])
            let renamed = try Importer.prepare(plan).header
            #expect(renamed.name == "renamed" && renamed.timeRange.end == T.jan1_2022 + 2 * T.hour && renamed.series == Self.header.series)
            plan.assets = [AssetDeclaration(symbol: "BTC")]
            expectError(.usage, file: nil, line: nil, containing: "carries its own header") { _ = try Importer.prepare(plan) }
        }
    }

    @Test func headerLineRejections() throws {
        try withTempDir { dir in
            var dup = Self.header
            dup.assets.append(.init(id: 4, symbol: "ETH", decimals: 8))
            let a = try dir.write("a.jsonl", "\n" + (try HeaderLine.render(dup)) + "\n")
            expectError(.badHeader, file: a, line: 2, containing: "duplicate asset symbol ETH") {
                _ = try Importer.prepare(ImportPlan(inputs: [ImportInput(path: a, content: .events(format: nil))]))
            }
            var dupID = Self.header
            dupID.entities.append(.init(id: 9, name: "Other", kind: "fund"))
            let b = try dir.write("b.jsonl", try HeaderLine.render(dupID) + "\n")
            expectError(.badHeader, file: b, line: 1, containing: "duplicate entity id 9") {
                _ = try Importer.prepare(ImportPlan(inputs: [ImportInput(path: b, content: .events(format: nil))]))
            }
            let c = try dir.write("c.jsonl", #"{"header":{"name":"x"}}"# + "\n")
            expectError(.badHeader, file: c, line: 1, containing: "missing key") {
                _ = try Importer.prepare(ImportPlan(inputs: [ImportInput(path: c, content: .events(format: nil))]))
            }
            // Event outside the header line's range.
            let d = try dir.write("d.jsonl", try HeaderLine.render(Self.header) + "\n" + #"{"time":"2022-01-01T02:00:00Z","kind":"deposit","amount":"1"}"# + "\n")
            expectError(.invalidEvent, file: d, line: 2, containing: "outside the dataset's range") {
                _ = try Importer.prepare(ImportPlan(inputs: [ImportInput(path: d, content: .events(format: nil))]))
            }
            // Two header lines.
            let e = try dir.write("e.jsonl", try HeaderLine.render(Self.header) + "\n")
            expectError(.invalidInput, file: e, line: 1, containing: "only one input may carry the header") {
                _ = try Importer.prepare(ImportPlan(inputs: [ImportInput(path: d, content: .events(format: nil)),
                                                             ImportInput(path: e, content: .events(format: nil))]))
            }
        }
    }

    @Test func declarationRejections() throws {
        try withTempDir { dir in
            let p = try dir.write("e.jsonl", #"{"time":"2022-01-01","kind":"deposit","amount":"1"}"# + "\n")
            var plan = Self.plan([p])
            plan.assets.append(AssetDeclaration(symbol: "USDC"))
            expectError(.usage, file: nil, line: nil, containing: "duplicate asset symbol 'USDC'") { _ = try Importer.prepare(plan) }
            plan = Self.plan([p])
            plan.entities.append(EntityDeclaration(name: "Tether", kind: "fund", location: ManifestLocation(file: "m.json", line: 12)))
            expectError(.badHeader, file: "m.json", line: 12, containing: "duplicate entity name 'Tether'") { _ = try Importer.prepare(plan) }
            plan = Self.plan([p])
            plan.signals = [SignalDeclaration(code: 1, name: "a"), SignalDeclaration(code: 1, name: "b")]
            expectError(.usage, file: nil, line: nil, containing: "duplicate signal code 1") { _ = try Importer.prepare(plan) }
            plan = Self.plan([p])
            plan.name = nil
            expectError(.usage, file: nil, line: nil, containing: "no name") { _ = try Importer.prepare(plan) }
            plan = Self.plan([p])
            plan.inputs.append(ImportInput(path: p, content: .prices(asset: "BTC"), location: ManifestLocation(file: "m.json", line: 30)))
            expectError(.badReference, file: "m.json", line: 30, containing: "names asset 'BTC', which is not declared") { _ = try Importer.prepare(plan) }
            plan = Self.plan([p, p])
            expectError(.usage, file: nil, line: nil, containing: "series label 'e.jsonl' is already used") { _ = try Importer.prepare(plan) }
        }
    }
}
