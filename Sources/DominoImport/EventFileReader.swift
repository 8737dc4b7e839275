import DominoLog

/// Names → ids from a header, for reading event text. Lookups only; never iterated.
struct EventResolver: Sendable {
    private let assets: [String: (id: UInt32, decimals: Int)]
    private let entities: [String: UInt32]

    init(header: LogHeader) {
        var a: [String: (id: UInt32, decimals: Int)] = [:]
        for asset in header.assets { a[asset.symbol] = (asset.id, asset.decimals) }
        assets = a
        var e: [String: UInt32] = [:]
        for entity in header.entities { e[entity.name] = entity.id }
        entities = e
    }

    func asset(_ symbol: String) -> (id: UInt32, decimals: Int)? { assets[symbol] }
    func entity(_ name: String) -> UInt32? { entities[name] }
}

/// One event's fields as text, before names are resolved and numbers parsed.
struct EventFields {
    var time: String?
    var kind: String?
    var entity: String?
    var counterparty: String?
    var asset: String?
    var amount: String?
    var aux: String?
}

/// Reads event files in the format `EventTextRenderer` writes: JSONL (optionally headed by a
/// `{"header":…}` line) or CSV with a `time,kind,entity,counterparty,asset,amount,aux` header
/// row (columns in any order; `entity`, `counterparty`, `asset`, `aux` may be left out).
///
/// Times may also be Unix epoch integers (`TimeText`). Amounts are exact decimals, as a JSON
/// string or a JSON number whose text is parsed digit by digit. Events in one file must not go
/// back in time. Every problem is a `LogError` naming `file:line`.
enum EventFileReader {
    static let fieldNames = EventTextRenderer.columns

    /// The format of `file`: `declared`, else by extension, else `{` first means JSONL.
    static func format(of file: TextFile, declared: TextFormat?) -> TextFormat {
        if let declared { return declared }
        let lower = file.path.lowercased()
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") || lower.hasSuffix(".json") { return .jsonl }
        if lower.hasSuffix(".csv") { return .csv }
        return file.firstSignificantByte == 0x7B ? .jsonl : .csv
    }

    /// The header of a JSONL file's header line (its first non-blank line), if it has one.
    static func peekHeader(_ file: TextFile) throws -> (header: LogHeader, line: Int)? {
        var found: (LogHeader, Int)? = nil
        var done = false
        try file.forEachLine { number, text in
            guard !done, !TextFile.isBlank(text) else { return }
            done = true
            do {
                if let (header, _) = try HeaderLine.parse(text, lineNumber: number) { found = (header, number) }
            } catch let error as LogError {
                throw error.at(file: file.path, line: number)
            }
        }
        return found
    }

    static func read(_ file: TextFile, format: TextFormat, resolver: EventResolver, checker: EventChecker) throws -> ParsedInput {
        var out = ParsedInput()
        var previous: (time: Int64, line: Int)? = nil
        func add(_ fields: EventFields, line: Int) throws {
            do {
                let event = try makeEvent(fields, resolver: resolver)
                if let previous, event.time < previous.time {
                    throw LogError(.order, "time \(UTCTime.format(event.time)) is before the previous event's \(UTCTime.format(previous.time)) (line \(previous.line)): events in a file must be in time order")
                }
                if let problem = checker.problem(event) { throw problem }
                previous = (event.time, line)
                out.events.append(event)
                out.lines.append(line)
            } catch let error as LogError {
                throw error.at(file: file.path, line: line)
            }
        }
        switch format {
        case .jsonl:
            var first = true
            try file.forEachLine { number, text in
                guard !TextFile.isBlank(text) else { return }
                let isFirst = first
                first = false
                let node: JSONNode
                do throws(JSONSyntaxError) { node = try JSONParser.parse(text, firstLine: number) } catch {
                    throw LogError(.invalidInput, "invalid JSON at column \(error.column): \(error.message)", file: file.path, line: number)
                }
                do {
                    if node.members?.contains(where: { $0.key == "header" }) == true {
                        guard isFirst else { throw LogError(.invalidInput, "a header line must be the file's first line") }
                        out.header = try HeaderLine.header(in: node, bytes: text)?.header
                        return
                    }
                    guard let members = node.members else {
                        throw LogError(.invalidInput, "expected a JSON object, got \(node.typeName)")
                    }
                    try add(try fields(of: members), line: number)
                } catch let error as LogError {
                    throw error.at(file: file.path, line: number)
                }
            }
        case .csv:
            var reader = CSVReader(bytes: file.bytes)
            func next() throws -> CSVRecord? {
                do { return try reader.next() } catch {
                    throw LogError(.invalidInput, error.message, file: file.path, line: error.line)
                }
            }
            guard let head = try next() else { break }
            var index = [Int?](repeating: nil, count: fieldNames.count)
            for (i, cell) in head.cells.enumerated() {
                guard let f = fieldNames.firstIndex(of: cell.lowercased()) else {
                    throw LogError(.invalidInput, "unknown column '\(cell)' (expected \(fieldNames.joined(separator: ",")))", file: file.path, line: head.line)
                }
                guard index[f] == nil else {
                    throw LogError(.invalidInput, "column '\(cell)' appears twice", file: file.path, line: head.line)
                }
                index[f] = i
            }
            for required in [0, 1, 5] where index[required] == nil {
                throw LogError(.invalidInput, "missing column '\(fieldNames[required])' (the header row must name time, kind and amount)", file: file.path, line: head.line)
            }
            while let row = try next() {
                guard row.cells.count == head.cells.count else {
                    throw LogError(.invalidInput, "row has \(row.cells.count) cells, the header has \(head.cells.count)", file: file.path, line: row.line)
                }
                func cell(_ f: Int) -> String? {
                    guard let i = index[f] else { return nil }
                    let c = row.cells[i]
                    return c.isEmpty ? nil : c
                }
                try add(EventFields(time: cell(0), kind: cell(1), entity: cell(2), counterparty: cell(3),
                                    asset: cell(4), amount: cell(5), aux: cell(6)), line: row.line)
            }
        }
        return out
    }

    /// The fields of one JSONL object; rejects unknown keys and values of the wrong type.
    static func fields(of members: [JSONNode.Member]) throws -> EventFields {
        var f = EventFields()
        for m in members {
            func text(numbers: Bool, strings: Bool) throws -> String? {
                switch m.value.value {
                case .string(let s) where strings: return s
                case .number(let n) where numbers: return n
                case .null: return nil
                default:
                    let want = [strings ? "a string" : nil, numbers ? "a number" : nil].compactMap { $0 }.joined(separator: " or ")
                    throw LogError(.invalidInput, "'\(m.key)' must be \(want), got \(m.value.typeName)")
                }
            }
            switch m.key {
            case "time": f.time = try text(numbers: true, strings: true)
            case "kind": f.kind = try text(numbers: false, strings: true)
            case "entity": f.entity = try text(numbers: false, strings: true)
            case "counterparty": f.counterparty = try text(numbers: false, strings: true)
            case "asset": f.asset = try text(numbers: false, strings: true)
            case "amount": f.amount = try text(numbers: true, strings: true)
            case "aux": f.aux = try text(numbers: true, strings: false)
            default:
                throw LogError(.invalidInput, "unknown field '\(m.key)' (expected \(fieldNames.joined(separator: ", ")))")
            }
        }
        return f
    }

    /// Resolves names and parses numbers; errors carry no location.
    static func makeEvent(_ f: EventFields, resolver: EventResolver) throws -> Event {
        guard let timeText = f.time else { throw LogError(.invalidInput, "missing 'time'") }
        guard let (time, _) = TimeText.parse(timeText) else {
            throw LogError(.invalidInput, "unparsable time '\(timeText)' (expected ISO 8601 UTC or Unix epoch seconds/milliseconds)")
        }
        guard let kindName = f.kind else { throw LogError(.invalidInput, "missing 'kind'") }
        guard let kind = EventKind(name: kindName) else {
            throw LogError(.invalidInput, "unknown event kind '\(kindName)' (known: \(EventKind.known.map(\.name).joined(separator: ", ")))")
        }
        var event = Event(time: time, kind: kind)
        var assetDecimals: Int? = nil
        if let symbol = f.asset {
            guard let asset = resolver.asset(symbol) else {
                throw LogError(.badReference, "unknown asset '\(symbol)' (not in the header's asset table)")
            }
            event.asset = asset.id
            assetDecimals = asset.decimals
        }
        if let name = f.entity {
            guard let id = resolver.entity(name) else { throw LogError(.badReference, "unknown entity '\(name)' (not in the header's entity table)") }
            event.entity = id
        }
        if let name = f.counterparty {
            guard let id = resolver.entity(name) else { throw LogError(.badReference, "unknown counterparty '\(name)' (not in the header's entity table)") }
            event.counterparty = id
        }
        guard let amountText = f.amount else { throw LogError(.invalidInput, "missing 'amount'") }
        let decimals = EventTextRenderer.amountDecimals(kind: kind, assetDecimals: assetDecimals)
        do {
            event.amount = try FixedPoint.parse(amountText, decimals: decimals)
        } catch {
            switch error {
            case .outOfRange: throw LogError(.invalidInput, "amount '\(amountText)' is out of range at \(decimals) decimal places")
            case .empty, .notANumber: throw LogError(.invalidInput, "unparsable amount '\(amountText)' (expected a decimal number)")
            }
        }
        if let auxText = f.aux {
            guard let aux = Int64(auxText) else {
                throw LogError(.invalidInput, "aux must be an integer within 64 bits, got '\(auxText)'")
            }
            event.aux = aux
        }
        return event
    }
}
