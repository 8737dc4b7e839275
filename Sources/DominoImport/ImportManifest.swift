import DominoLog

/// A JSON file describing an import: the dataset's metadata and its inputs with their
/// provenance. Unknown keys are errors (a misspelt key must not be silently ignored), and every
/// error names the manifest and the line.
///
///     {
///       "name": "prices-2022",
///       "description": "…",
///       "from": "2021-10-01T00:00:00Z",            // optional header range (default: the data)
///       "to": "2023-01-31T23:59:59.999Z",
///       "assets": [{"symbol": "BTC", "decimals": 8}, "ETH", "USDC:6"],   // ids 1, 2, 3 …
///       "entities": [{"name": "Celsius", "kind": "lender"}, "3AC:fund"],
///       "signals": [{"code": 1, "name": "withdrawals-paused"}],
///       "inputs": [
///         {"path": "binance_hourly_mark6/LUNAUSDT.csv",  // relative to the data root
///          "asset": "LUNA",                              // present: a price series
///          "label": "LUNA 1h", "resolution": "1h",
///          "source": "…", "origin": "recorded", "method": "…",
///          "from": null, "to": "2022-05-13T00:00:00Z",   // per-series window, inclusive
///          "columns": {"time": "open_time", "price": "close"},
///          "skipNull": false},
///         {"path": "events/celsius.jsonl", "format": "jsonl", "label": "Celsius flows",
///          "origin": "reconstructed", "source": "…", "method": "…"}   // no asset: events
///       ]
///     }
public enum ImportManifest {
    /// Loads a manifest; relative input paths are joined to `dataRoot`, which defaults to the
    /// manifest's directory.
    public static func load(path: String, dataRoot: String? = nil) throws -> ImportPlan {
        let file = try TextFile.read(path)
        return try parse(file.bytes, path: path, dataRoot: dataRoot ?? directory(of: path))
    }

    /// Parses manifest bytes; `path` names the manifest in errors.
    public static func parse(_ bytes: [UInt8], path: String, dataRoot: String) throws -> ImportPlan {
        let root: JSONNode
        do throws(JSONSyntaxError) { root = try JSONParser.parse(bytes[...]) } catch {
            throw LogError(.invalidInput, "invalid JSON at column \(error.column): \(error.message)", file: path, line: error.line)
        }
        let m = ManifestReader(path: path)
        var plan = ImportPlan()
        for member in try m.object(root, allowed: ["name", "description", "from", "to", "assets", "entities", "signals", "inputs"]) {
            let v = member.value
            switch member.key {
            case "name": plan.name = try m.string(v, "name")
            case "description": plan.description = try m.string(v, "description")
            case "from": plan.from = try m.time(v, "from")
            case "to": plan.to = try m.time(v, "to")
            case "assets": plan.assets = try m.array(v, "assets").map { try m.asset($0) }
            case "entities": plan.entities = try m.array(v, "entities").map { try m.entity($0) }
            case "signals": plan.signals = try m.array(v, "signals").map { try m.signal($0) }
            default: plan.inputs = try m.array(v, "inputs").map { try m.input($0, dataRoot: dataRoot) }
            }
        }
        guard plan.name != nil else { throw LogError(.invalidInput, "the manifest has no 'name'", file: path, line: root.line) }
        return plan
    }

    /// `dir` of `dir/file`, `.` for a bare file name.
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func join(_ root: String, _ path: String) -> String {
        if path.hasPrefix("/") || root.isEmpty || root == "." { return path }
        return root.hasSuffix("/") ? root + path : root + "/" + path
    }
}

/// Typed access to manifest values with `file:line` errors.
private struct ManifestReader {
    let path: String

    func fail(_ node: JSONNode, _ message: String) -> LogError {
        LogError(.invalidInput, message, file: path, line: node.line)
    }

    func object(_ node: JSONNode, allowed: [String], what: String = "the manifest") throws -> [JSONNode.Member] {
        guard let members = node.members else { throw fail(node, "\(what) must be a JSON object, got \(node.typeName)") }
        for m in members where !allowed.contains(m.key) {
            throw fail(m.value, "unknown key '\(m.key)' in \(what) (allowed: \(allowed.joined(separator: ", ")))")
        }
        return members
    }

    func array(_ node: JSONNode, _ key: String) throws -> [JSONNode] {
        guard case .array(let items) = node.value else { throw fail(node, "'\(key)' must be an array, got \(node.typeName)") }
        return items
    }

    func string(_ node: JSONNode, _ key: String) throws -> String {
        guard let s = node.string else { throw fail(node, "'\(key)' must be a string, got \(node.typeName)") }
        return s
    }

    func optionalString(_ node: JSONNode, _ key: String) throws -> String? {
        if case .null = node.value { return nil }
        return try string(node, key)
    }

    func integer(_ node: JSONNode, _ key: String) throws -> Int64 {
        guard case .number(let text) = node.value, let v = Int64(text) else {
            throw fail(node, "'\(key)' must be an integer, got \(node.typeName)")
        }
        return v
    }

    func time(_ node: JSONNode, _ key: String) throws -> Int64? {
        if case .null = node.value { return nil }
        let text = try string(node, key)
        guard let t = UTCTime.parse(text) else { throw fail(node, "'\(key)': cannot parse '\(text)' as an ISO 8601 UTC time") }
        return t
    }

    func asset(_ node: JSONNode) throws -> AssetDeclaration {
        let here = ManifestLocation(file: path, line: node.line)
        if let text = node.string {
            guard var d = AssetDeclaration(flag: text) else {
                throw fail(node, "asset '\(text)' must be SYMBOL or SYMBOL:DECIMALS with decimals 0…\(Scale.maxAssetDecimals)")
            }
            d.location = here
            return d
        }
        var symbol: String? = nil, decimals = AssetDeclaration.defaultDecimals
        for m in try object(node, allowed: ["symbol", "decimals"], what: "an asset") {
            if m.key == "symbol" { symbol = try string(m.value, "symbol") } else { decimals = Int(try integer(m.value, "decimals")) }
        }
        guard let symbol else { throw fail(node, "an asset needs a 'symbol'") }
        return AssetDeclaration(symbol: symbol, decimals: decimals, location: here)
    }

    func entity(_ node: JSONNode) throws -> EntityDeclaration {
        let here = ManifestLocation(file: path, line: node.line)
        if let text = node.string {
            guard var d = EntityDeclaration(flag: text) else { throw fail(node, "entity '\(text)' must be NAME:KIND") }
            d.location = here
            return d
        }
        var name: String? = nil, kind: String? = nil
        for m in try object(node, allowed: ["name", "kind"], what: "an entity") {
            if m.key == "name" { name = try string(m.value, "name") } else { kind = try string(m.value, "kind") }
        }
        guard let name, let kind else { throw fail(node, "an entity needs a 'name' and a 'kind'") }
        return EntityDeclaration(name: name, kind: kind, location: here)
    }

    func signal(_ node: JSONNode) throws -> SignalDeclaration {
        var code: Int64? = nil, name: String? = nil
        for m in try object(node, allowed: ["code", "name"], what: "a signal") {
            if m.key == "code" { code = try integer(m.value, "code") } else { name = try string(m.value, "name") }
        }
        guard let code, let name else { throw fail(node, "a signal needs a 'code' and a 'name'") }
        return SignalDeclaration(code: code, name: name, location: ManifestLocation(file: path, line: node.line))
    }

    func input(_ node: JSONNode, dataRoot: String) throws -> ImportInput {
        let keys = ["path", "asset", "format", "label", "source", "origin", "method", "resolution", "from", "to", "columns", "skipNull", "scale"]
        let members = try object(node, allowed: keys, what: "an input")
        var filePath: String? = nil, asset: String? = nil, format: TextFormat? = nil
        var input = ImportInput(path: "", content: .events(format: nil), location: ManifestLocation(file: path, line: node.line))
        for m in members {
            let v = m.value
            switch m.key {
            case "path": filePath = try string(v, "path")
            case "asset": asset = try string(v, "asset")
            case "format":
                let text = try string(v, "format")
                guard let f = TextFormat(rawValue: text) else { throw fail(v, "'format' must be jsonl or csv, got '\(text)'") }
                format = f
            case "label": input.label = try optionalString(v, "label")
            case "source": input.source = try optionalString(v, "source")
            case "origin":
                let text = try string(v, "origin")
                guard let o = LogHeader.Series.Origin(rawValue: text) else {
                    throw fail(v, "'origin' must be recorded or reconstructed, got '\(text)'")
                }
                input.origin = o
            case "method": input.method = try optionalString(v, "method")
            case "resolution": input.resolution = try optionalString(v, "resolution")
            case "from": input.from = try time(v, "from")
            case "to": input.to = try time(v, "to")
            case "scale":
                let text = try string(v, "scale")
                guard let f = try? FixedPoint.parse(text, decimals: Scale.usdDecimals), f > 0 else {
                    throw fail(v, "'scale' must be a positive decimal number as a string, got '\(text)'")
                }
                input.scale = f
            case "skipNull":
                guard case .bool(let b) = v.value else { throw fail(v, "'skipNull' must be true or false, got \(v.typeName)") }
                input.skipNull = b
            default: // columns
                for c in try object(v, allowed: ["time", "price"], what: "'columns'") {
                    if c.key == "time" { input.timeColumn = try string(c.value, "columns.time") }
                    else { input.priceColumn = try string(c.value, "columns.price") }
                }
            }
        }
        guard let filePath, !filePath.isEmpty else { throw fail(node, "an input needs a 'path'") }
        input.path = ImportManifest.join(dataRoot, filePath)
        if let asset {
            guard format == nil else { throw fail(node, "an input with an 'asset' is a price CSV; 'format' applies to event files only") }
            input.content = .prices(asset: asset)
        } else {
            if input.timeColumn != nil || input.priceColumn != nil || input.skipNull || input.from != nil || input.to != nil || input.scale != nil {
                throw fail(node, "'columns', 'skipNull', 'scale', 'from' and 'to' apply to price inputs (with an 'asset') only")
            }
            input.content = .events(format: format)
        }
        if let from = input.from, let to = input.to, from > to {
            throw fail(node, "the input's window starts (\(UTCTime.format(from))) after it ends (\(UTCTime.format(to)))")
        }
        return input
    }
}
