import DominoLog

/// Where a declaration or input was written (a manifest line); nil for command-line flags.
public struct ManifestLocation: Sendable, Equatable {
    public var file: String
    public var line: Int
    public init(file: String, line: Int) { self.file = file; self.line = line }
}

/// Everything an import needs: the dataset's metadata and its inputs, in order. Built from
/// command-line flags or a manifest (`ImportManifest`); run by `Importer`.
public struct ImportPlan: Sendable {
    public var name: String?
    public var description: String?
    /// The header's time range (inclusive, ms). Where nil, the range ends at the data.
    public var from: Int64?
    public var to: Int64?
    /// Ids are given in declaration order: the first asset is 1, the first entity is 1.
    public var assets: [AssetDeclaration]
    public var entities: [EntityDeclaration]
    public var signals: [SignalDeclaration]
    public var inputs: [ImportInput]
    /// When true (the command line), a price input naming an undeclared symbol declares it with
    /// 8 decimals; when false (a manifest), that is an error.
    public var declareMissingAssets: Bool

    public init(name: String? = nil, description: String? = nil, from: Int64? = nil, to: Int64? = nil,
                assets: [AssetDeclaration] = [], entities: [EntityDeclaration] = [], signals: [SignalDeclaration] = [],
                inputs: [ImportInput] = [], declareMissingAssets: Bool = false) {
        self.name = name; self.description = description; self.from = from; self.to = to
        self.assets = assets; self.entities = entities; self.signals = signals; self.inputs = inputs
        self.declareMissingAssets = declareMissingAssets
    }
}

public struct AssetDeclaration: Sendable, Equatable {
    public static let defaultDecimals = 8
    public var symbol: String
    public var decimals: Int
    public var location: ManifestLocation?
    public init(symbol: String, decimals: Int = AssetDeclaration.defaultDecimals, location: ManifestLocation? = nil) {
        self.symbol = symbol; self.decimals = decimals; self.location = location
    }

    /// `SYMBOL` or `SYMBOL:DECIMALS` (the `--asset` flag); nil when malformed.
    public init?(flag text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2, !parts[0].isEmpty else { return nil }
        var decimals = AssetDeclaration.defaultDecimals
        if parts.count == 2 {
            guard let d = Int(parts[1]), (0...Scale.maxAssetDecimals).contains(d) else { return nil }
            decimals = d
        }
        self.init(symbol: String(parts[0]), decimals: decimals)
    }
}

public struct EntityDeclaration: Sendable, Equatable {
    public var name: String
    public var kind: String
    public var location: ManifestLocation?
    public init(name: String, kind: String, location: ManifestLocation? = nil) {
        self.name = name; self.kind = kind; self.location = location
    }

    /// `NAME:KIND` (the `--entity` flag; split at the last colon, so a name may hold colons).
    public init?(flag text: String) {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        let name = String(text[..<colon]), kind = String(text[text.index(after: colon)...])
        guard !name.isEmpty, !kind.isEmpty else { return nil }
        self.init(name: name, kind: kind)
    }
}

public struct SignalDeclaration: Sendable, Equatable {
    public var code: Int64
    public var name: String
    public var location: ManifestLocation?
    public init(code: Int64, name: String, location: ManifestLocation? = nil) {
        self.code = code; self.name = name; self.location = location
    }

    /// `CODE:NAME` (the `--signal` flag).
    public init?(flag text: String) {
        guard let colon = text.firstIndex(of: ":"), let code = Int64(text[..<colon]) else { return nil }
        let name = String(text[text.index(after: colon)...])
        guard !name.isEmpty else { return nil }
        self.init(code: code, name: name)
    }
}

/// One input file and how to read it. Each input becomes one `LogHeader.Series` (except a JSONL
/// file that carries a header line: its header's series already describe it).
public struct ImportInput: Sendable, Equatable {
    public enum Content: Sendable, Equatable {
        /// A CSV of one asset's prices (time and close/price columns, detected by name).
        case prices(asset: String)
        /// JSONL or CSV in the `EventTextRenderer` format; nil = by extension (`.jsonl`,
        /// `.ndjson`, `.json` → JSONL, `.csv` → CSV) or else by the first byte (`{` → JSONL).
        case events(format: TextFormat?)
    }

    /// The file, as opened and as named in errors.
    public var path: String
    public var content: Content
    /// Series label; default `<SYMBOL> <resolution>` for prices, the file's base name for events.
    public var label: String?
    /// Where the data come from (repository, commit, path…); default: the path.
    public var source: String?
    public var origin: LogHeader.Series.Origin
    /// A note appended to the generated description of what was done (column, trimming…).
    public var method: String?
    /// `1m`, `1h`, `1d`, `~1h`…; default: inferred from the median gap between price rows, or
    /// `events` for an event file.
    public var resolution: String?
    /// Window: rows before `from` or after `to` (inclusive bounds, ms) are dropped and counted.
    public var from: Int64?
    public var to: Int64?
    /// Column overrides for price CSVs (header names).
    public var timeColumn: String?
    public var priceColumn: String?
    /// Skip (and count) rows whose price cell is `null` or empty instead of failing.
    public var skipNull: Bool
    /// Factor × 10^8 every price is multiplied by (exactly, rounded half to even at 8 places);
    /// nil = 1. For sources adjusted after the fact (Yahoo's post-2024 Grayscale adjustment).
    public var scale: Int64? = nil
    public var location: ManifestLocation?

    public init(path: String, content: Content, label: String? = nil, source: String? = nil,
                origin: LogHeader.Series.Origin = .recorded, method: String? = nil, resolution: String? = nil,
                from: Int64? = nil, to: Int64? = nil, timeColumn: String? = nil, priceColumn: String? = nil,
                skipNull: Bool = false, location: ManifestLocation? = nil) {
        self.path = path; self.content = content; self.label = label; self.source = source; self.origin = origin
        self.method = method; self.resolution = resolution; self.from = from; self.to = to
        self.timeColumn = timeColumn; self.priceColumn = priceColumn; self.skipNull = skipNull; self.location = location
    }

    /// The command line's input syntax: `SYMBOL=FILE` is a price series, anything else an event
    /// file. Text before the first `=` that is empty or holds a `/` is not a symbol, so an event
    /// file whose name holds `=` can be given as `./name`.
    public init(argument: String) {
        if let eq = argument.firstIndex(of: "="), eq != argument.startIndex,
           !argument[..<eq].contains("/"), argument.index(after: eq) != argument.endIndex {
            self.init(path: String(argument[argument.index(after: eq)...]), content: .prices(asset: String(argument[..<eq])))
        } else {
            self.init(path: argument, content: .events(format: nil))
        }
    }
}
