import DominoLog
import Testing
@testable import DominoImport

/// The low-level readers: CSV records, JSON values, time cells, column detection, resolution.
@Suite struct TextParsingTests {
    func records(_ text: String) throws -> [CSVRecord] {
        var reader = CSVReader(bytes: Array(text.utf8))
        var out: [CSVRecord] = []
        while let r = try reader.next() { out.append(r) }
        return out
    }

    @Test func csvQuotingLinesAndBlankLines() throws {
        let text = "a,\"Unused field, ignore\",c\r\n\n1,\"say \"\"hi\"\"\",\r\n  \n\"multi\nline\",x,y\nlast,,"
        #expect(try records(text) == [
            CSVRecord(line: 1, cells: ["a", "Unused field, ignore", "c"]),
            CSVRecord(line: 3, cells: ["1", "say \"hi\"", ""]),
            CSVRecord(line: 5, cells: ["multi\nline", "x", "y"]),
            CSVRecord(line: 7, cells: ["last", "", ""]),
        ])
        #expect(try records("x\r") == [CSVRecord(line: 1, cells: ["x"])])
        #expect(try records("") == [])
    }

    @Test func csvErrors() {
        #expect(throws: CSVSyntaxError(message: "unterminated quoted cell (opened on line 2)", line: 2)) {
            _ = try records("a,b\n\"open,\nx")
        }
        #expect(throws: CSVSyntaxError(message: "unexpected text after a closing quote in cell 1", line: 1)) {
            _ = try records("\"a\"b,c")
        }
    }

    @Test func csvCellQuoting() {
        #expect(CSVText.cell("plain") == "plain")
        #expect(CSVText.cell("a,b") == "\"a,b\"")
        #expect(CSVText.cell("say \"x\"") == "\"say \"\"x\"\"\"")
    }

    @Test func jsonKeepsNumberTextAndLines() throws {
        let text = Array("{\n \"a\": 0.30000000000000004,\n \"b\": [1e-5, -0, true, null],\n \"c\": \"\\u00e9\\ud83d\\ude00\\n\"\n}".utf8)
        let node = try JSONParser.parse(text[...])
        let m = try #require(node.members)
        #expect(m.map(\.key) == ["a", "b", "c"])
        guard case .number(let a) = m[0].value.value else { Issue.record("a"); return }
        #expect(a == "0.30000000000000004")
        #expect(m[0].value.line == 2 && m[1].value.line == 3 && m[2].value.line == 4)
        guard case .array(let b) = m[1].value.value, case .number(let b0) = b[0].value, case .number(let b1) = b[1].value else {
            Issue.record("b"); return
        }
        #expect(b0 == "1e-5" && b1 == "-0")
        #expect(m[2].value.string == "é😀\n")
        #expect(String(decoding: text[m[1].value.range], as: UTF8.self) == "[1e-5, -0, true, null]")
    }

    @Test(arguments: [
        ("{\"a\":1,\"a\":2}", "duplicate key 'a'", 1, 8),
        ("{\"a\":NaN}", "unexpected character 'N', expected a value", 1, 6),
        ("{\"a\":01}", "invalid number: leading zero", 1, 7),
        ("{\"a\":1.}", "invalid number: expected a digit after '.'", 1, 8),
        ("{\"a\":\"x\ny\"}", "control character (code 10) inside a string; it must be escaped", 1, 8),
        ("{\"a\":1} x", "unexpected text after the JSON value", 1, 9),
        ("{\n\"a\":tru}", "invalid literal, expected 'true'", 2, 8),
        ("{\"a\":\"\\ud800\"}", "unpaired surrogate in a \\u escape", 1, 13),
    ])
    func jsonErrors(text: String, message: String, line: Int, column: Int) {
        #expect(throws: JSONSyntaxError(message: message, line: line, column: column)) {
            _ = try JSONParser.parse(Array(text.utf8)[...])
        }
    }

    @Test func jsonQuoting() {
        #expect(JSONText.quoted("plain é") == "\"plain é\"")
        #expect(JSONText.quoted("a\"b\\c\n\u{1F}") == #""a\"b\\c\n\u001f""#)
    }

    @Test func timeCells() {
        #expect(TimeText.parse("2022-05-13 00:00:00")! == (T.may13_2022, .iso))
        #expect(TimeText.parse("2022-05-13")! == (T.may13_2022, .iso))
        #expect(TimeText.parse("2022-05-13T00:00:00Z")! == (T.may13_2022, .iso))
        #expect(TimeText.parse("1652400000000")! == (T.may13_2022, .epochMilliseconds))
        #expect(TimeText.parse("1652400000")! == (T.may13_2022, .epochSeconds))
        // The 10^11 boundary: below it seconds, at it milliseconds.
        #expect(TimeText.parse("99999999999")! == (99_999_999_999_000, .epochSeconds))
        #expect(TimeText.parse("100000000000")! == (100_000_000_000, .epochMilliseconds))
        for bad in ["", "2022-13-01", "2022-02-30", "12:00", "1.5", "-5", "1652400000000000000000", "2022-05-13 25:00"] {
            #expect(TimeText.parse(bad) == nil, "\(bad)")
        }
    }

    @Test(arguments: [
        (["open_time", "close"], 0, 1),                                     // Binance hourly (mark6)
        (["symbol", "timestamp", "USD_price"], 1, 2),                       // CoinGecko
        (["date", "open", "high", "low", "close", "adj close", "volume"], 0, 4), // Yahoo (kaushalparkar)
        (["Date", "Open", "High", "Low", "Close", "Adj Close", "Volume"], 0, 4), // Yahoo (stablecoins, misc)
        (["date", "open", "high", "low", "close", "volume"], 0, 4),         // FTX daily
        (["open_time", "open", "high", "low", "close", "volume", "close_time", "quote_asset_volume",
          "number_of_trades", "taker_buy_base_asset_volume", "taker_buy_quote_asset_volume", "ignore"], 0, 4), // Binance daily
        (["Kline open time", "Open price", "High price", "Low price", "Close price", "Volume", "Kline Close time",
          "Quote asset volume", "Number of trades", "Taker buy base asset volume", "Taker buy quote asset volume",
          "Unused field, ignore"], 0, 4),                                   // Binance 1-minute
    ])
    func columnDetection(header: [String], time: Int, price: Int) throws {
        let c = try PriceColumns.detect(header: header)
        #expect(c.time == time && c.price == price)
    }

    @Test func columnOverrides() throws {
        let h = ["open_time", "open", "close", "close_time"]
        #expect(try PriceColumns.detect(header: h, timeColumn: "close_time", priceColumn: "open") == (3, 1))
        #expect(try PriceColumns.detect(header: h, timeColumn: "CLOSE_TIME") == (3, 2)) // case-insensitive fallback
        expectError(LogError.Code.invalidInput, file: nil, line: nil, containing: "no price column named 'last'") {
            _ = try PriceColumns.detect(header: h, priceColumn: "last")
        }
        expectError(LogError.Code.invalidInput, file: nil, line: nil, containing: "--time-column") {
            _ = try PriceColumns.detect(header: ["when", "close"])
        }
        expectError(LogError.Code.invalidInput, file: nil, line: nil, containing: "the same column") {
            _ = try PriceColumns.detect(header: h, timeColumn: "close")
        }
    }

    @Test func resolutionInference() {
        let h = T.hour
        #expect(PriceSeriesReader.inferResolution([0, h, 2 * h, 4 * h]) == "1h")          // a gap is still 1h
        #expect(PriceSeriesReader.inferResolution([0, h + 5000, 2 * h - 300, 3 * h + 60_000]) == "~1h")
        #expect(PriceSeriesReader.inferResolution([0, 60_000, 120_000]) == "1m")
        #expect(PriceSeriesReader.inferResolution([0, 86_400_000, 2 * 86_400_000]) == "1d")
        #expect(PriceSeriesReader.inferResolution([0, 80_000_000]) == "~1d")
        #expect(PriceSeriesReader.inferResolution([0]) == "irregular")
    }

    @Test func commandLineInputSyntax() {
        #expect(ImportInput(argument: "BTC=data/BTCUSDT.csv").content == .prices(asset: "BTC"))
        #expect(ImportInput(argument: "BTC=data/BTCUSDT.csv").path == "data/BTCUSDT.csv")
        #expect(ImportInput(argument: "events.jsonl").content == .events(format: nil))
        #expect(ImportInput(argument: "./a=b.jsonl").content == .events(format: nil))
        #expect(ImportInput(argument: "=x.csv").content == .events(format: nil))
        #expect(AssetDeclaration(flag: "USDC:6") == AssetDeclaration(symbol: "USDC", decimals: 6))
        #expect(AssetDeclaration(flag: "BTC") == AssetDeclaration(symbol: "BTC", decimals: 8))
        #expect(AssetDeclaration(flag: "BTC:19") == nil)
        #expect(AssetDeclaration(flag: "BTC:x") == nil)
        #expect(EntityDeclaration(flag: "a:b:lender") == EntityDeclaration(name: "a:b", kind: "lender"))
        #expect(EntityDeclaration(flag: "Celsius") == nil)
        #expect(SignalDeclaration(flag: "3:halt-rumour") == SignalDeclaration(code: 3, name: "halt-rumour"))
    }
}
