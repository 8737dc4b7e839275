import DominoLog
import Testing
@testable import DominoImport

/// Price CSVs: each file layout of data-raw, exact decimals, windows, null rows, rejections.
@Suite struct PriceImportTests {
    func prices(_ csv: String, configure: (inout ImportInput) -> Void = { _ in }) throws -> [Event] {
        try withTempDir { dir in try events(pricePlan(try dir.write("p.csv", csv), configure: configure)) }
    }

    @Test(arguments: [
        // Binance hourly (mark6): "YYYY-MM-DD HH:MM:SS", close.
        ("open_time,close\n2022-05-13 00:00:00,5e-05\n", T.may13_2022, Int64(5_000)),
        // CoinGecko: epoch ms, USD_price with 16 digits (1.00459249|94714848 rounds up).
        ("symbol,timestamp,USD_price\nUST,1638414023130,1.0045924994714848\n", Int64(1_638_414_023_130), Int64(100_459_250)),
        // Yahoo (kaushalparkar): date, close (not adj close).
        ("date,open,high,low,close,adj close,volume\n2021-10-01,43816.74,48436.01,43320.02,48116.94,48116.94,42850641582\n",
         T.oct1_2021, Int64(4_811_694_000_000)),
        // Yahoo (misc): Date, Close picked over Adj Close.
        ("Date,Open,High,Low,Close,Adj Close,Volume\n2021-10-01,22.1,22.2,3.15,5.52,5.51,100\n", T.oct1_2021, Int64(552_000_000)),
        // FTX daily: date in epoch ms.
        ("date,open,high,low,close,volume\n1633046400000,5.0465,6.0115,5.008,5.9185,3072147.26275\n", T.oct1_2021, Int64(591_850_000)),
        // Binance daily klines: open_time (ms) over close_time.
        ("open_time,open,high,low,close,volume,close_time,quote_asset_volume,number_of_trades,taker_buy_base_asset_volume,taker_buy_quote_asset_volume,ignore\n1633046400000,43820.01,48495.0,43283.03,48141.61,66244.87492,1633132799999,3076094886.5924745,1771237,34156.88321,1585411525.337827,0\n",
         T.oct1_2021, Int64(4_814_161_000_000)),
        // Binance 1-minute klines with a quoted header cell.
        ("Kline open time,Open price,High price,Low price,Close price,Volume,Kline Close time,Quote asset volume,Number of trades,Taker buy base asset volume,Taker buy quote asset volume,\"Unused field, ignore\"\n1667946660000,18560.70000000,18582.63000000,18549.56000000,18551.26000000,266.34476000,1667946719999,4945012.13854950,7045,139.31361000,2586631.80740500,0\n",
         Int64(1_667_946_660_000), Int64(1_855_126_000_000)),
        // Epoch seconds (below 10^11).
        ("timestamp,price\n1633046400,1.5\n", T.oct1_2021, Int64(150_000_000)),
        // CRLF line ends and a byte-order mark.
        ("\u{FEFF}open_time,close\r\n2021-10-01 00:00:00,2\r\n", T.oct1_2021, Int64(200_000_000)),
    ])
    func layouts(csv: String, time: Int64, amount: Int64) throws {
        #expect(try prices(csv) == [Event(time: time, kind: .price, asset: 1, amount: amount)])
    }

    @Test func exactDecimals() throws {
        let rows: [(String, Int64)] = [
            ("0.1", 10_000_000),
            ("1e-5", 1_000),
            ("1.0031987236670998", 100_319_872),     // 1.00319872|3667… rounds down
            ("0.000000015", 2),                      // tie → even (2)
            ("0.000000025", 2),                      // tie → even (2)
            ("0.123456785", 12_345_678),             // tie → even (…78)
            ("0.123456795", 12_345_680),             // tie → even (…80)
            ("0.1234567850001", 12_345_679),         // above the tie → up
            ("26574.53", 2_657_453_000_000),
            ("2.5E+3", 250_000_000_000),
            ("90000000000", 9_000_000_000_000_000_000),
        ]
        var csv = "open_time,close\n"
        for (k, row) in rows.enumerated() { csv += "\(T.jan1_2022 + Int64(k) * T.hour),\(row.0)\n" }
        let got = try prices(csv)
        #expect(got.map(\.amount) == rows.map(\.1))
    }

    @Test func overridesPickOtherColumns() throws {
        let csv = "open_time,open,close,close_time\n1633046400000,1,2,1633132799999\n"
        let got = try prices(csv) { $0.timeColumn = "close_time"; $0.priceColumn = "open" }
        #expect(got == [Event(time: 1_633_132_799_999, kind: .price, asset: 1, amount: 100_000_000)])
    }

    @Test func windowIsInclusiveAndCounted() throws {
        try withTempDir { dir in
            let p = try dir.write("luna.csv", """
                open_time,close
                2022-05-12 23:00:00,0.00032
                2022-05-13 00:00:00,5e-05
                2022-05-31 06:00:00,8.5558
                2022-05-31 07:00:00,not-read-outside-the-window
                """)
            let plan = pricePlan(p, asset: "LUNA") { $0.from = T.may13_2022; $0.to = T.may13_2022 }
            let prepared = try Importer.prepare(plan)
            #expect(prepared.events == [Event(time: T.may13_2022, kind: .price, asset: 1, amount: 5_000)])
            #expect(prepared.inputs[0].outsideWindow == 3)
            let series = prepared.header.series[0]
            #expect(series.from == T.may13_2022 && series.to == T.may13_2022)
            #expect(series.method.contains("kept rows from 2022-05-13T00:00:00Z to 2022-05-13T00:00:00Z inclusive (3 rows outside dropped)"))
        }
    }

    @Test func nullRowsFailUnlessSkipped() throws {
        try withTempDir { dir in
            let p = try dir.write("ustc.csv", """
                Date,Open,High,Low,Close,Adj Close,Volume
                2022-11-09,0.02,0.02,0.02,0.0201,0.0201,1
                2022-11-10,null,null,null,null,null,null
                2022-11-11,0.02,0.02,0.02,0.0203,0.0203,1
                """)
            expectError(.invalidInput, file: p, line: 3, containing: "null price in column 'Close'") {
                _ = try Importer.prepare(pricePlan(p))
            }
            let prepared = try Importer.prepare(pricePlan(p) { $0.skipNull = true })
            #expect(prepared.events.map(\.amount) == [2_010_000, 2_030_000])
            #expect(prepared.inputs[0].skippedNull == 1)
            #expect(prepared.header.series[0].method.contains("1 row with a null price skipped"))
        }
    }

    @Test func seriesProvenance() throws {
        try withTempDir { dir in
            let p = try dir.write("btc.csv", "open_time,close\n2022-01-01 00:00:00,1\n2022-01-01 01:00:00,2\n2022-01-01 03:00:00,3\n")
            let prepared = try Importer.prepare(pricePlan(p) { $0.source = "repo@abc:data/BTCUSDT.csv"; $0.method = "Binance spot" })
            #expect(prepared.header.timeRange == .init(start: T.jan1_2022, end: T.jan1_2022 + 3 * T.hour))
            #expect(prepared.header.assets == [.init(id: 1, symbol: "BTC", decimals: 8)])
            #expect(prepared.header.series == [LogHeader.Series(
                label: "BTC 1h", asset: "BTC", kinds: ["price"], from: T.jan1_2022, to: T.jan1_2022 + 3 * T.hour,
                resolution: "1h", origin: .recorded, source: "repo@abc:data/BTCUSDT.csv",
                method: "price = column 'close' read as exact decimal text, rounded half to even at 8 places; time = column 'open_time' (ISO 8601 UTC). Binance spot")])
        }
    }

    // MARK: Rejections: code, file and line.

    @Test(arguments: [
        ("2022-01-01 00:00:00,1\n2022-01-01 00:00:00,2\n", LogError.Code.order, 3, "not after the previous row's"),   // equal times
        ("2022-01-01 01:00:00,1\n2022-01-01 00:00:00,2\n", .order, 3, "not after the previous row's"),                // backwards
        ("2022-01-01 00:00:00,0\n", .invalidEvent, 2, "price must be positive"),
        ("2022-01-01 00:00:00,-1.5\n", .invalidEvent, 2, "price must be positive"),
        ("2022-01-01 00:00:00,0.000000004\n", .invalidEvent, 2, "price must be positive"),   // rounds to 0
        ("2022-01-01 00:00:00,1\n2022-01-01 01:00:00,NaN\n", .invalidInput, 3, "unparsable price 'NaN'"),
        ("2022-01-01 00:00:00,inf\n", .invalidInput, 2, "unparsable price 'inf'"),
        ("2022-01-01 00:00:00,-Infinity\n", .invalidInput, 2, "unparsable price '-Infinity'"),
        ("2022-01-01 00:00:00,1.2.3\n", .invalidInput, 2, "unparsable price '1.2.3'"),
        ("2022-01-01 00:00:00,1e30\n", .invalidInput, 2, "out of range"),
        ("2022-13-01 00:00:00,1\n", .invalidInput, 2, "unparsable time '2022-13-01 00:00:00' in column 'open_time'"),
        ("2022-01-01 00:00:00,1,2\n", .invalidInput, 2, "row has 3 cells, the header has 2"),
        ("2022-01-01 00:00:00\n", .invalidInput, 2, "row has 1 cells, the header has 2"),
        ("2022-01-01 00:00:00,1\n\n\n2022-01-01 00:00:00,1\n", .order, 5, "not after"),          // blank lines keep numbering
        ("\"2022-01-01 00:00:00,1\n", .invalidInput, 2, "unterminated quoted cell"),
    ])
    func rejections(rows: String, code: LogError.Code, line: Int, text: String) throws {
        try withTempDir { dir in
            let p = try dir.write("bad.csv", "open_time,close\n" + rows)
            expectError(code, file: p, line: line, containing: text) { _ = try Importer.prepare(pricePlan(p)) }
        }
    }

    @Test func outsideDeclaredRange() throws {
        try withTempDir { dir in
            let p = try dir.write("p.csv", "open_time,close\n2022-01-01 00:00:00,1\n2022-01-01 01:00:00,1\n2022-01-01 02:00:00,1\n")
            var plan = pricePlan(p)
            plan.from = T.jan1_2022
            plan.to = T.jan1_2022 + T.hour
            expectError(.invalidEvent, file: p, line: 4, containing: "outside the dataset's range") { _ = try Importer.prepare(plan) }
            plan.to = T.jan1_2022 + 2 * T.hour
            #expect(try Importer.prepare(plan).header.timeRange == .init(start: T.jan1_2022, end: T.jan1_2022 + 2 * T.hour))
            // One-sided ranges (only --to, only --from): the open end is the data's.
            plan.from = nil
            plan.to = T.jan1_2022
            expectError(.invalidEvent, file: p, line: 3, containing: "outside the dataset's range (open) … 2022-01-01T00:00:00Z") {
                _ = try Importer.prepare(plan)
            }
            plan.from = T.jan1_2022 + T.hour
            plan.to = nil
            expectError(.invalidEvent, file: p, line: 2, containing: "outside the dataset's range 2022-01-01T01:00:00Z … (open)") {
                _ = try Importer.prepare(plan)
            }
            plan.from = T.jan1_2022 - T.hour
            #expect(try Importer.prepare(plan).header.timeRange == .init(start: T.jan1_2022 - T.hour, end: T.jan1_2022 + 2 * T.hour))
        }
    }

    @Test func missingColumnNamesTheHeaderLine() throws {
        try withTempDir { dir in
            let p = try dir.write("p.csv", "\n\nwhen,close\n2022-01-01,1\n")
            expectError(.invalidInput, file: p, line: 3, containing: "no time column found") { _ = try Importer.prepare(pricePlan(p)) }
        }
    }

    @Test func emptyWindowIsAnError() throws {
        try withTempDir { dir in
            let p = try dir.write("p.csv", "open_time,close\n2022-01-01,1\n")
            expectError(.invalidInput, file: p, line: nil, containing: "no events imported from \(p) (1 row outside the window, 0 null rows skipped)") {
                _ = try Importer.prepare(pricePlan(p) { $0.to = T.oct1_2021 })
            }
        }
    }

    @Test func missingFileIsIO() {
        expectError(.io, file: "/nonexistent/p.csv", line: nil, containing: "cannot open") {
            _ = try Importer.prepare(pricePlan("/nonexistent/p.csv"))
        }
    }
}
