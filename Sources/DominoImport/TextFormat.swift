import DominoLog

/// The text forms of events: one JSON object a line, or CSV with a header row. The importer
/// reads exactly what `EventTextRenderer` writes, so `log cat` output imports back unchanged.
public enum TextFormat: String, Sendable, CaseIterable {
    case jsonl, csv
}

/// Renders events as text lines, naming assets by symbol and entities by name from the header.
///
/// JSONL keys come in the fixed order `time, kind, entity, counterparty, asset, amount, aux`;
/// `entity`, `counterparty`, `asset` and `aux` are left out when 0. CSV has the same seven
/// columns, an empty cell for 0 in those four. `amount` is an exact decimal (a JSON string):
/// 8 places for a price, a signal's intensity and USD (asset 0), else the asset's `decimals`.
/// An id the header does not list (possible only in a lenient read) renders as `#<id>`.
public struct EventTextRenderer: Sendable {
    public let header: LogHeader
    public let format: TextFormat
    /// Symbol and decimals by asset id (nil where the header lists no asset).
    private let assetSymbols: [String?]
    private let assetDecimals: [Int]
    /// Lookup only, never iterated.
    private let entityNames: [UInt32: String]

    public init(header: LogHeader, format: TextFormat) {
        self.header = header
        self.format = format
        let size = Int(header.largestAssetID) + 1
        var symbols = [String?](repeating: nil, count: size)
        var decimals = [Int](repeating: Scale.usdDecimals, count: size)
        for asset in header.assets {
            symbols[Int(asset.id)] = asset.symbol
            decimals[Int(asset.id)] = asset.decimals
        }
        assetSymbols = symbols
        assetDecimals = decimals
        var names: [UInt32: String] = [:]
        for entity in header.entities { names[entity.id] = entity.name }
        entityNames = names
    }

    /// `time,kind,entity,counterparty,asset,amount,aux`
    public var csvHeaderLine: String { EventTextRenderer.columns.joined(separator: ",") }

    /// The CSV columns, in order.
    public static let columns = ["time", "kind", "entity", "counterparty", "asset", "amount", "aux"]

    /// Decimal places of `event.amount`.
    public func amountDecimals(_ event: Event) -> Int {
        EventTextRenderer.amountDecimals(kind: event.kind, assetDecimals: event.asset == 0 ? nil : decimals(of: event.asset))
    }

    /// The rule shared with the parser: 8 places for prices, signals and USD; else the asset's.
    static func amountDecimals(kind: EventKind, assetDecimals: Int?) -> Int {
        if kind == .price { return Scale.usdDecimals }
        if kind == .signal { return Scale.intensityDecimals }
        return assetDecimals ?? Scale.usdDecimals
    }

    private func decimals(of asset: UInt32) -> Int {
        Int(asset) < assetDecimals.count ? assetDecimals[Int(asset)] : Scale.usdDecimals
    }

    private func symbol(_ asset: UInt32) -> String {
        (Int(asset) < assetSymbols.count ? assetSymbols[Int(asset)] : nil) ?? "#\(asset)"
    }

    private func entityName(_ id: UInt32) -> String { entityNames[id] ?? "#\(id)" }

    /// One line, without a trailing newline.
    public func render(_ event: Event) -> String {
        let time = UTCTime.format(event.time)
        let kind = header.kindName(event.kind)
        let amount = FixedPoint.format(event.amount, decimals: amountDecimals(event))
        switch format {
        case .jsonl:
            var s = "{\"time\":\"" + time + "\",\"kind\":" + JSONText.quoted(kind)
            if event.entity != 0 { s += ",\"entity\":" + JSONText.quoted(entityName(event.entity)) }
            if event.counterparty != 0 { s += ",\"counterparty\":" + JSONText.quoted(entityName(event.counterparty)) }
            if event.asset != 0 { s += ",\"asset\":" + JSONText.quoted(symbol(event.asset)) }
            s += ",\"amount\":\"" + amount + "\""
            if event.aux != 0 { s += ",\"aux\":" + String(event.aux) }
            return s + "}"
        case .csv:
            var s = time + "," + CSVText.cell(kind) + ","
            if event.entity != 0 { s += CSVText.cell(entityName(event.entity)) }
            s += ","
            if event.counterparty != 0 { s += CSVText.cell(entityName(event.counterparty)) }
            s += ","
            if event.asset != 0 { s += CSVText.cell(symbol(event.asset)) }
            s += "," + amount + ","
            if event.aux != 0 { s += String(event.aux) }
            return s
        }
    }
}

/// The optional first line of a JSONL event file, `{"header":<canonical header JSON>}`, which
/// lets the importer rebuild a log with exactly the original header.
public enum HeaderLine {
    /// `{"header":` + `LogHeader.canonicalJSON()` + `}` (one line: the canonical JSON has no
    /// raw line breaks).
    public static func render(_ header: LogHeader) throws -> String {
        "{\"header\":" + String(decoding: try header.canonicalJSON(), as: UTF8.self) + "}"
    }

    /// The header a header line carries, or nil when `line` is not a header line. Throws
    /// `LogError` (`.invalidInput` for bad JSON, `.badHeader` for a header that does not decode
    /// or validate) without a location.
    public static func parse(_ line: String) throws -> LogHeader? {
        let bytes = Array(line.utf8)
        return try parse(bytes[...], lineNumber: 1)?.header
    }

    /// Parses a header line found at `lineNumber`; nil when the line is a JSON object that is
    /// not `{"header":{…}}`.
    static func parse(_ bytes: ArraySlice<UInt8>, lineNumber: Int) throws -> (header: LogHeader, node: JSONNode)? {
        let node: JSONNode
        do { node = try JSONParser.parse(bytes, firstLine: lineNumber) } catch {
            throw LogError(.invalidInput, "invalid JSON at column \(error.column): \(error.message)")
        }
        return try header(in: node, bytes: bytes)
    }

    /// The header inside an already parsed line, or nil when the object has no `header` key.
    static func header(in node: JSONNode, bytes: ArraySlice<UInt8>) throws -> (header: LogHeader, node: JSONNode)? {
        guard let members = node.members, let first = members.first(where: { $0.key == "header" }) else { return nil }
        guard members.count == 1 else {
            throw LogError(.invalidInput, "a header line holds only the key 'header'")
        }
        guard first.value.members != nil else {
            throw LogError(.invalidInput, "'header' must be an object, got \(first.value.typeName)")
        }
        let header = try LogHeader.fromJSON(Array(bytes[first.value.range]))
        try header.validate()
        return (header, node)
    }
}
