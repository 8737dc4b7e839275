import DominoLog

/// What reading one input produced: its events in file order, the line of each, counts of the
/// rows it dropped on purpose, and a description of what was done for the series' `method`.
struct ParsedInput: Sendable {
    var events: [Event] = []
    var lines: [Int] = []
    var skippedNull = 0
    var outsideWindow = 0
    /// A JSONL header line's header, when the file has one.
    var header: LogHeader? = nil
    var method = ""
    var resolution = "events"
}

/// Finds the time and price columns of a price CSV by header name.
///
/// Layouts handled: `open_time,close` (Binance hourly), `symbol,timestamp,USD_price`
/// (CoinGecko), `date`/`Date` + `close`/`Close` (Yahoo, FTX), `open_time` + `close` (Binance
/// daily klines), `Kline open time` + `Close price` (Binance 1-minute klines). Names match
/// without regard to case; the first name of each list present wins.
enum PriceColumns {
    static let timeNames = ["open_time", "kline open time", "timestamp", "date", "datetime", "time"]
    static let priceNames = ["close", "close price", "usd_price", "price"]

    /// Indices of the time and price columns. `timeColumn`/`priceColumn` override detection
    /// (exact name first, else the one name equal without regard to case). The error is a
    /// message; the caller adds the file and line.
    static func detect(header: [String], timeColumn: String? = nil, priceColumn: String? = nil) throws -> (time: Int, price: Int) {
        let folded = header.map { $0.lowercased() }
        func named(_ name: String, role: String) throws -> Int {
            if let i = header.firstIndex(of: name) { return i }
            let matches = folded.indices.filter { folded[$0] == name.lowercased() }
            guard matches.count == 1 else {
                throw LogError(.invalidInput, "no \(role) column named '\(name)' (columns: \(list(header)))")
            }
            return matches[0]
        }
        func detect(_ candidates: [String], role: String, flag: String) throws -> Int {
            for name in candidates { if let i = folded.firstIndex(of: name) { return i } }
            throw LogError(.invalidInput, "no \(role) column found (looked for \(list(candidates)); columns: \(list(header))); name it with \(flag)")
        }
        let time = try timeColumn.map { try named($0, role: "time") } ?? detect(timeNames, role: "time", flag: "--time-column")
        let price = try priceColumn.map { try named($0, role: "price") } ?? detect(priceNames, role: "price", flag: "--price-column")
        guard time != price else {
            throw LogError(.invalidInput, "the time and price columns are the same column '\(header[time])'")
        }
        return (time, price)
    }

    private static func list(_ names: [String]) -> String { names.map { "'\($0)'" }.joined(separator: ", ") }
}

/// Reads one asset's price series from a CSV: one `price` event a row, time from the time
/// column, price from the close/price column parsed exactly at 8 decimal places.
///
/// Rejected, naming `file:line`: a row with the wrong number of cells, an unparsable time, a
/// time not strictly after the previous row's (`.order`), an unparsable, NaN or infinite price,
/// a null price unless `skipNull`, a non-positive price or a time outside the declared range
/// (`.invalidEvent`, `EventValidator`'s rules). Rows outside the input's window are dropped and
/// counted before their price is read (a trimmed tail may hold anything that parses as a time).
enum PriceSeriesReader {
    static func read(_ file: TextFile, input: ImportInput, assetID: UInt32, checker: EventChecker) throws -> ParsedInput {
        var reader = CSVReader(bytes: file.bytes)
        func next() throws -> CSVRecord? {
            do { return try reader.next() } catch {
                throw LogError(.invalidInput, error.message, file: file.path, line: error.line)
            }
        }
        guard let head = try next() else { throw LogError(.invalidInput, "empty file: no header row", file: file.path) }
        let columns: (time: Int, price: Int)
        do {
            columns = try PriceColumns.detect(header: head.cells, timeColumn: input.timeColumn, priceColumn: input.priceColumn)
        } catch let error as LogError {
            throw error.at(file: file.path, line: head.line)
        }
        let timeName = head.cells[columns.time], priceName = head.cells[columns.price]
        var out = ParsedInput()
        var previous: (time: Int64, line: Int)? = nil
        var timeForm: TimeText.Form? = nil
        while let row = try next() {
            func fail(_ message: String, _ code: LogError.Code = .invalidInput) -> LogError {
                LogError(code, message, file: file.path, line: row.line)
            }
            guard row.cells.count == head.cells.count else {
                throw fail("row has \(row.cells.count) cells, the header has \(head.cells.count)")
            }
            let timeText = row.cells[columns.time]
            guard let (time, form) = TimeText.parse(timeText) else {
                throw fail("unparsable time '\(timeText)' in column '\(timeName)' (expected ISO 8601 UTC or Unix epoch seconds/milliseconds)")
            }
            if timeForm == nil { timeForm = form }
            if let previous, time <= previous.time {
                throw fail("time \(UTCTime.format(time)) is not after the previous row's \(UTCTime.format(previous.time)) (line \(previous.line)): a price series must strictly increase", .order)
            }
            previous = (time, row.line)
            if let from = input.from, time < from { out.outsideWindow += 1; continue }
            if let to = input.to, time > to { out.outsideWindow += 1; continue }
            let priceText = row.cells[columns.price]
            if priceText.isEmpty || priceText.lowercased() == "null" {
                guard input.skipNull else {
                    throw fail("null price in column '\(priceName)' (set skipNull / --skip-null to skip such rows)")
                }
                out.skippedNull += 1
                continue
            }
            var price: Int64
            do {
                price = try FixedPoint.parse(priceText, decimals: Scale.usdDecimals)
            } catch {
                switch error {
                case .outOfRange: throw fail("price '\(priceText)' in column '\(priceName)' is out of range at \(Scale.usdDecimals) decimal places")
                case .empty, .notANumber: throw fail("unparsable price '\(priceText)' in column '\(priceName)' (expected a decimal number)")
                }
            }
            if let scale = input.scale { price = scaled(price, by: scale) }
            let event = Event(time: time, kind: .price, asset: assetID, amount: price)
            if let problem = checker.problem(event) { throw problem.at(file: file.path, line: row.line) }
            out.events.append(event)
            out.lines.append(row.line)
        }
        out.resolution = inferResolution(out.events.map(\.time))
        var method = "price = column '\(priceName)' read as exact decimal text, rounded half to even at \(Scale.usdDecimals) places"
        method += "; time = column '\(timeName)' (\((timeForm ?? .iso).rawValue))"
        if input.from != nil || input.to != nil {
            let lo = input.from.map(UTCTime.format) ?? "start", hi = input.to.map(UTCTime.format) ?? "end"
            method += "; kept rows from \(lo) to \(hi) inclusive (\(count(out.outsideWindow, "row")) outside dropped)"
        }
        if input.skipNull { method += "; \(count(out.skippedNull, "row")) with a null price skipped" }
        if let scale = input.scale { method += "; multiplied by \(FixedPoint.format(scale, decimals: Scale.usdDecimals)) (rounded half to even at \(Scale.usdDecimals) places)" }
        out.method = method
        return out
    }

    /// price × scale / 10^8, rounded half to even (both × 10^8).
    static func scaled(_ price: Int64, by scale: Int64) -> Int64 {
        let product = Int128(price) * Int128(scale), one: Int128 = 100_000_000
        var q = product / one
        let r = product % one
        if 2 * r > one || (2 * r == one && q % 2 != 0) { q += 1 }
        return Int64(clamping: q)
    }

    /// `1 row`, `2 rows`.
    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    /// `1m`, `5m`, `15m`, `1h`, `4h`, `1d` or `1w` when the median gap between consecutive
    /// times is exactly that; `~` plus the nearest of them otherwise; `irregular` for fewer
    /// than two times. (The lower median, so the answer is a gap that occurs.)
    static func inferResolution(_ times: [Int64]) -> String {
        guard times.count >= 2 else { return "irregular" }
        var gaps: [Int64] = []
        gaps.reserveCapacity(times.count - 1)
        for k in 1..<times.count { gaps.append(times[k] - times[k - 1]) }
        gaps.sort()
        let median = gaps[(gaps.count - 1) / 2]
        let units: [(ms: Int64, name: String)] = [(60_000, "1m"), (300_000, "5m"), (900_000, "15m"), (3_600_000, "1h"),
                                                  (14_400_000, "4h"), (86_400_000, "1d"), (604_800_000, "1w")]
        if let exact = units.first(where: { $0.ms == median }) { return exact.name }
        // Nearest on a log scale: smallest max(m, u) / min(m, u), compared by cross-multiplying.
        var best = units[0]
        for u in units.dropFirst() {
            let (bn, bd) = (max(median, best.ms), max(1, min(median, best.ms)))
            let (un, ud) = (max(median, u.ms), max(1, min(median, u.ms)))
            if Int128(un) * Int128(bd) < Int128(bn) * Int128(ud) { best = u }
        }
        return "~" + best.name
    }
}
