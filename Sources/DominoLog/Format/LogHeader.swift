import Foundation

/// The metadata at the head of every log: what the data is, which assets and entities the events
/// name, and where each series came from.
///
/// Stored as canonical JSON (sorted keys, no insignificant white space) inside the header frame;
/// see `datasets/FORMAT.md`. Unknown JSON keys are ignored by readers, so fields can be added
/// without a version change.
public struct LogHeader: Codable, Equatable, Sendable {
    public var name: String
    public var description: String
    /// The period the dataset covers, inclusive, in ms since the epoch. Every event lies inside.
    public var timeRange: TimeRange
    public var assets: [Asset]
    public var entities: [Entity]
    public var series: [Series]
    /// Signal codes used by `signal` events (code → name), for display.
    public var signals: [Signal]
    /// The kinds the writer knew (code → name), so a reader can name a code it does not know.
    public var kinds: [KindName]

    public init(name: String, description: String = "", timeRange: TimeRange, assets: [Asset] = [],
                entities: [Entity] = [], series: [Series] = [], signals: [Signal] = [],
                kinds: [KindName] = KindName.current) {
        self.name = name
        self.description = description
        self.timeRange = timeRange
        self.assets = assets
        self.entities = entities
        self.series = series
        self.signals = signals
        self.kinds = kinds
    }

    public struct TimeRange: Codable, Equatable, Sendable {
        public var start: Int64
        public var end: Int64
        public init(start: Int64, end: Int64) { self.start = start; self.end = end }
        public func contains(_ t: Int64) -> Bool { t >= start && t <= end }
    }

    public struct Asset: Codable, Equatable, Sendable {
        /// 1 … 65535; 0 means "no asset / USD" in events.
        public var id: UInt32
        public var symbol: String
        /// Decimal places of quantities of this asset (0 … 18).
        public var decimals: Int
        public init(id: UInt32, symbol: String, decimals: Int) {
            self.id = id; self.symbol = symbol; self.decimals = decimals
        }
    }

    public struct Entity: Codable, Equatable, Sendable {
        /// 1 … 2^32-1; 0 means "none" in events.
        public var id: UInt32
        public var name: String
        /// lender, fund, exchange, pool, depositors, issuer, market, other …
        public var kind: String
        public init(id: UInt32, name: String, kind: String) { self.id = id; self.name = name; self.kind = kind }
    }

    /// Provenance of one series of events: where it came from and whether it is recorded history
    /// or reconstructed from reported totals.
    public struct Series: Codable, Equatable, Sendable {
        public enum Origin: String, Codable, Sendable { case recorded, reconstructed }
        /// A short label, unique in the file, e.g. `BTC 1h` or `Celsius withdrawals`.
        public var label: String
        /// Asset symbol, when the series is about one asset.
        public var asset: String?
        /// Event kind names the series contributes.
        public var kinds: [String]
        /// Time of its first and last event (ms).
        public var from: Int64
        public var to: Int64
        /// `1m`, `1h`, `1d`, `~1h` (irregular, about hourly) or `events`.
        public var resolution: String
        public var origin: Origin
        /// Where the numbers come from (a repository and commit, a filing, an article).
        public var source: String
        /// For reconstructed series: how they were reconstructed. For recorded ones: any
        /// transformation applied (column used, rounding, trimming).
        public var method: String
        public init(label: String, asset: String? = nil, kinds: [String], from: Int64, to: Int64,
                    resolution: String, origin: Origin, source: String, method: String) {
            self.label = label; self.asset = asset; self.kinds = kinds; self.from = from; self.to = to
            self.resolution = resolution; self.origin = origin; self.source = source; self.method = method
        }
    }

    public struct Signal: Codable, Equatable, Sendable {
        public var code: Int64
        public var name: String
        public init(code: Int64, name: String) { self.code = code; self.name = name }
    }

    public struct KindName: Codable, Equatable, Sendable {
        public var code: UInt8
        public var name: String
        public init(code: UInt8, name: String) { self.code = code; self.name = name }
        public static var current: [KindName] {
            EventKind.known.map { KindName(code: $0.kind.rawValue, name: $0.name) }
        }
    }

    /// Largest asset id allowed by format version 1 (decoders keep a table indexed by asset).
    public static let maxAssetID: UInt32 = 65_535

    // MARK: Lookups

    public func asset(id: UInt32) -> Asset? { assets.first { $0.id == id } }
    public func asset(symbol: String) -> Asset? { assets.first { $0.symbol == symbol } }
    public func entity(id: UInt32) -> Entity? { entities.first { $0.id == id } }
    public func entity(name: String) -> Entity? { entities.first { $0.name == name } }
    public func signal(code: Int64) -> Signal? { signals.first { $0.code == code } }
    public func signal(name: String) -> Signal? { signals.first { $0.name == name } }

    /// Name for a kind code: this build's name, else the writer's, else `kind-<code>`.
    public func kindName(_ kind: EventKind) -> String {
        if kind.isKnown { return kind.name }
        return kinds.first { $0.code == kind.rawValue }?.name ?? kind.name
    }

    public var largestAssetID: UInt32 { assets.map(\.id).max() ?? 0 }

    // MARK: Validation

    /// Checks the tables: ids in range and unique, symbols and names unique and non-empty,
    /// decimals in 0…18, a non-inverted time range.
    public func validate() throws {
        func bad(_ message: String) -> LogError { LogError(.badHeader, message) }
        guard !name.isEmpty else { throw bad("the dataset name is empty") }
        guard timeRange.start <= timeRange.end else {
            throw bad("time range starts (\(UTCTime.format(timeRange.start))) after it ends (\(UTCTime.format(timeRange.end)))")
        }
        var assetIDs = Set<UInt32>(), symbols = Set<String>()
        for asset in assets {
            guard asset.id >= 1 && asset.id <= LogHeader.maxAssetID else {
                throw bad("asset \(asset.symbol): id \(asset.id) is outside 1…\(LogHeader.maxAssetID)")
            }
            guard !asset.symbol.isEmpty else { throw bad("asset \(asset.id) has an empty symbol") }
            guard assetIDs.insert(asset.id).inserted else { throw bad("duplicate asset id \(asset.id)") }
            guard symbols.insert(asset.symbol).inserted else { throw bad("duplicate asset symbol \(asset.symbol)") }
            guard (0...Scale.maxAssetDecimals).contains(asset.decimals) else {
                throw bad("asset \(asset.symbol): decimals \(asset.decimals) is outside 0…\(Scale.maxAssetDecimals)")
            }
        }
        var entityIDs = Set<UInt32>(), names = Set<String>()
        for entity in entities {
            guard entity.id >= 1 else { throw bad("entity \(entity.name): id 0 is reserved for 'none'") }
            guard !entity.name.isEmpty else { throw bad("entity \(entity.id) has an empty name") }
            guard entityIDs.insert(entity.id).inserted else { throw bad("duplicate entity id \(entity.id)") }
            guard names.insert(entity.name).inserted else { throw bad("duplicate entity name \(entity.name)") }
            guard !entity.kind.isEmpty else { throw bad("entity \(entity.name) has an empty kind") }
        }
        var labels = Set<String>()
        for series in series {
            guard labels.insert(series.label).inserted else { throw bad("duplicate series label \(series.label)") }
            if let symbol = series.asset, !symbols.contains(symbol) {
                throw bad("series \(series.label) names unknown asset \(symbol)")
            }
            guard series.from <= series.to else { throw bad("series \(series.label) ends before it starts") }
        }
        var codes = Set<Int64>(), signalNames = Set<String>()
        for signal in signals {
            guard codes.insert(signal.code).inserted else { throw bad("duplicate signal code \(signal.code)") }
            guard signalNames.insert(signal.name).inserted else { throw bad("duplicate signal name \(signal.name)") }
        }
    }

    // MARK: Canonical JSON

    /// Canonical JSON: sorted keys, no white space, `/` unescaped. Same header, same bytes.
    public func canonicalJSON() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self))
    }

    public static func fromJSON(_ bytes: [UInt8]) throws -> LogHeader {
        // The direct reader decodes the usual header in a tenth of the time; whatever it is not
        // sure of, `JSONDecoder` decodes or explains.
        if let header = HeaderJSONReader.decode(bytes) { return header }
        do {
            return try JSONDecoder().decode(LogHeader.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw LogError(.badHeader, "header JSON is invalid: \(describe(error))")
        }
    }
}

/// One-line text for a `DecodingError` (the default description is a multi-line dump).
func describe(_ error: DecodingError) -> String {
    func path(_ context: DecodingError.Context) -> String {
        let p = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        return p.isEmpty ? "" : " at \(p)"
    }
    switch error {
    case .keyNotFound(let key, let context): return "missing key '\(key.stringValue)'\(path(context))"
    case .typeMismatch(_, let context): return "wrong type\(path(context)): \(context.debugDescription)"
    case .valueNotFound(_, let context): return "missing value\(path(context))"
    case .dataCorrupted(let context): return "malformed\(path(context)): \(context.debugDescription)"
    @unknown default: return "\(error)"
    }
}
