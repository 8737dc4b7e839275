import DominoLog

/// What one input contributed.
public struct InputReport: Sendable, Equatable {
    public var path: String
    /// The series label (for a file that carries a header line: its base name).
    public var label: String
    public var events: Int
    public var skippedNull: Int
    public var outsideWindow: Int
    /// Time of its first and last imported event.
    public var first: Int64?
    public var last: Int64?
    /// Whether the file supplied the header (a JSONL header line).
    public var carriesHeader: Bool
}

/// Where a merged event came from: an input's index in the plan and a 1-based line of it.
public struct EventOrigin: Sendable, Equatable {
    public var input: Int
    public var line: Int
    public init(input: Int, line: Int) { self.input = input; self.line = line }
}

/// An import parsed, checked and merged, ready to write.
public struct PreparedImport: Sendable {
    public var header: LogHeader
    /// All events in merge order: time, then input order, then line.
    public var events: [Event]
    /// `origins[i]` is where `events[i]` came from.
    public var origins: [EventOrigin]
    public var inputs: [InputReport]
}

/// A finished import.
public struct ImportResult: Sendable {
    public var path: String
    public var header: LogHeader
    public var summary: WriteSummary
    public var inputs: [InputReport]
}

/// Builds a log from price CSVs and event files (see `ImportPlan`).
///
/// Steps: read every file; take the header from a JSONL header line when one input has it,
/// else build it from the plan (ids in declaration order); read each input (checking every
/// event against `EventValidator`'s rules as soon as it is read, so errors name the first bad
/// line of a file); add one `LogHeader.Series` per input; merge; write through `LogWriter`.
///
/// Errors are `LogError`s: problems in a file name `file:line`; problems in a manifest name the
/// manifest and line; problems in command-line flags (no location) have code `.usage`.
public enum Importer {
    /// Reads, checks and merges; writes nothing.
    public static func prepare(_ plan: ImportPlan) throws -> PreparedImport {
        // 1. Read the files; find a header line.
        var files: [TextFile] = []
        var formats: [TextFormat?] = []
        var base: (header: LogHeader, input: Int)? = nil
        for (k, input) in plan.inputs.enumerated() {
            let file: TextFile
            do { file = try TextFile.read(input.path) } catch let error as LogError {
                throw error.at(file: input.location?.file, line: input.location?.line)
            }
            files.append(file)
            guard case .events(let declared) = input.content else { formats.append(nil); continue }
            let format = EventFileReader.format(of: file, declared: declared)
            formats.append(format)
            if format == .jsonl, let (header, line) = try EventFileReader.peekHeader(file) {
                if let base {
                    throw LogError(.invalidInput, "a second header line (the first is in \(plan.inputs[base.input].path)); only one input may carry the header", file: file.path, line: line)
                }
                base = (header, k)
            }
        }

        // 2. The header's tables.
        var header: LogHeader
        if let base {
            if let d = plan.assets.first?.location ?? plan.entities.first?.location ?? plan.signals.first?.location {
                throw LogError(.badHeader, "\(plan.inputs[base.input].path) carries its own header; the manifest cannot declare assets, entities or signals too", file: d.file, line: d.line)
            }
            guard plan.assets.isEmpty && plan.entities.isEmpty && plan.signals.isEmpty else {
                throw LogError(.usage, "\(plan.inputs[base.input].path) carries its own header; --asset, --entity and --signal cannot add to it")
            }
            header = base.header
            if let name = plan.name { header.name = name }
            if let description = plan.description { header.description = description }
            if let from = plan.from { header.timeRange.start = from }
            if let to = plan.to { header.timeRange.end = to }
        } else {
            guard let name = plan.name, !name.isEmpty else {
                throw LogError(.usage, "the dataset has no name: give --name or a manifest 'name'")
            }
            header = LogHeader(name: name, description: plan.description ?? "", timeRange: .init(start: 0, end: 0))
            header.assets = try declareAssets(plan)
            header.entities = try declareEntities(plan.entities)
            header.signals = try declareSignals(plan.signals)
        }
        if let from = plan.from, let to = plan.to, from > to {
            throw LogError(.usage, "the time range starts (\(UTCTime.format(from))) after it ends (\(UTCTime.format(to)))")
        }

        // 3. Read every input, checking events against the declared range (open where undeclared).
        let checker = base == nil ? EventChecker(header: header, from: plan.from, to: plan.to)
                                  : EventChecker(header: header, from: header.timeRange.start, to: header.timeRange.end)
        let resolver = EventResolver(header: header)
        var parsed: [ParsedInput] = []
        for (k, input) in plan.inputs.enumerated() {
            switch input.content {
            case .prices(let symbol):
                guard let asset = header.asset(symbol: symbol) else {
                    throw inputError(.badReference, "price input \(input.path) names asset '\(symbol)', which is not declared", input)
                }
                parsed.append(try PriceSeriesReader.read(files[k], input: input, assetID: asset.id, checker: checker))
            case .events:
                parsed.append(try EventFileReader.read(files[k], format: formats[k]!, resolver: resolver, checker: checker))
            }
        }

        // 4. Time range and series. An input that yields nothing is a mistake (a window that
        // misses the data, a wrong file) unless it is the header-carrying file.
        for (k, input) in plan.inputs.enumerated() where parsed[k].events.isEmpty && base?.input != k {
            let p = parsed[k]
            throw inputError(.invalidInput, "no events imported from \(input.path) (\(PriceSeriesReader.count(p.outsideWindow, "row")) outside the window, \(PriceSeriesReader.count(p.skippedNull, "null row")) skipped)", input, file: files[k].path)
        }
        if base == nil {
            let firsts = parsed.compactMap { $0.events.first?.time }, lasts = parsed.compactMap { $0.events.last?.time }
            guard let start = plan.from ?? firsts.min(), let end = plan.to ?? lasts.max() else {
                throw LogError(.usage, "no events were imported and no time range was given (--from/--to or the manifest's from/to)")
            }
            guard start <= end else {
                throw LogError(.usage, "the time range starts (\(UTCTime.format(start))) after it ends (\(UTCTime.format(end)))")
            }
            header.timeRange = .init(start: start, end: end)
        }
        var reports: [InputReport] = []
        var labels = Set(header.series.map(\.label)) // membership only
        for (k, input) in plan.inputs.enumerated() {
            let p = parsed[k]
            let carries = base?.input == k
            var label = files[k].baseName
            if !carries {
                let first = p.events.first!, last = p.events.last!
                let resolution = input.resolution ?? p.resolution
                var asset: String? = nil
                if case .prices(let symbol) = input.content {
                    asset = symbol
                    label = input.label ?? "\(symbol) \(resolution)"
                } else {
                    label = input.label ?? label
                }
                guard labels.insert(label).inserted else {
                    throw inputError(.badHeader, "series label '\(label)' is already used; give this input a distinct label", input)
                }
                var method = p.method
                if case .events(let declared) = input.content {
                    method = "events read from \(EventFileReader.format(of: files[k], declared: declared).rawValue.uppercased()) as given"
                }
                if let note = input.method, !note.isEmpty { method += ". " + note }
                let kinds = Set(p.events.map(\.kind)).sorted().map(\.name)
                header.series.append(LogHeader.Series(label: label, asset: asset, kinds: kinds, from: first.time, to: last.time,
                                                      resolution: resolution, origin: input.origin,
                                                      source: input.source ?? input.path, method: method))
            }
            reports.append(InputReport(path: files[k].path, label: label, events: p.events.count, skippedNull: p.skippedNull,
                                       outsideWindow: p.outsideWindow, first: p.events.first?.time, last: p.events.last?.time,
                                       carriesHeader: carries))
        }
        do { try header.validate() } catch let error as LogError {
            if let base { throw error.at(file: plan.inputs[base.input].path) }
            throw error
        }

        // 5. Merge on the total key (time, input, line): no reliance on sort stability.
        struct Key { var time: Int64; var input: Int; var line: Int; var index: Int }
        var keys: [Key] = []
        keys.reserveCapacity(parsed.reduce(0) { $0 + $1.events.count })
        for (k, p) in parsed.enumerated() {
            for (j, e) in p.events.enumerated() { keys.append(Key(time: e.time, input: k, line: p.lines[j], index: j)) }
        }
        keys.sort { a, b in (a.time, a.input, a.line) < (b.time, b.input, b.line) }
        var events: [Event] = [], origins: [EventOrigin] = []
        events.reserveCapacity(keys.count)
        origins.reserveCapacity(keys.count)
        for key in keys {
            events.append(parsed[key.input].events[key.index])
            origins.append(EventOrigin(input: key.input, line: key.line))
        }
        return PreparedImport(header: header, events: events, origins: origins, inputs: reports)
    }

    /// Writes a prepared import to `path` (atomically: on any error nothing is left at `path`
    /// and an earlier file there is untouched). A writer error names the event's input and line.
    public static func write(_ prepared: PreparedImport, to path: String, options: WriterOptions = WriterOptions()) throws -> WriteSummary {
        let writer = try LogWriter(path: path, header: prepared.header, options: options)
        for (i, event) in prepared.events.enumerated() {
            do { try writer.append(event) } catch let error as LogError {
                let origin = prepared.origins[i]
                throw error.at(file: prepared.inputs[origin.input].path, line: origin.line)
            }
        }
        return try writer.finish()
    }

    /// `prepare` then `write`.
    public static func run(_ plan: ImportPlan, to path: String, options: WriterOptions = WriterOptions()) throws -> ImportResult {
        let prepared = try prepare(plan)
        let summary = try write(prepared, to: path, options: options)
        return ImportResult(path: path, header: prepared.header, summary: summary, inputs: prepared.inputs)
    }

    // MARK: Declarations

    /// An error about a declaration: at its manifest line, or `.usage` for a flag.
    static func declarationError(_ code: LogError.Code, _ message: String, _ location: ManifestLocation?) -> LogError {
        guard let location else { return LogError(.usage, message) }
        return LogError(code, message, file: location.file, line: location.line)
    }

    static func inputError(_ code: LogError.Code, _ message: String, _ input: ImportInput, file: String? = nil) -> LogError {
        if let location = input.location { return LogError(code, message, file: location.file, line: location.line) }
        if let file { return LogError(code, message, file: file) }
        return LogError(.usage, message)
    }

    static func declareAssets(_ plan: ImportPlan) throws -> [LogHeader.Asset] {
        var assets: [LogHeader.Asset] = []
        var seen: [String: ManifestLocation?] = [:] // lookup only
        for d in plan.assets {
            guard !d.symbol.isEmpty else { throw declarationError(.badHeader, "an asset symbol is empty", d.location) }
            if let earlier = seen[d.symbol] {
                let at = earlier.map { " (first declared on line \($0.line))" } ?? ""
                throw declarationError(.badHeader, "duplicate asset symbol '\(d.symbol)'\(at)", d.location)
            }
            guard (0...Scale.maxAssetDecimals).contains(d.decimals) else {
                throw declarationError(.badHeader, "asset \(d.symbol): decimals \(d.decimals) is outside 0…\(Scale.maxAssetDecimals)", d.location)
            }
            seen[d.symbol] = d.location
            assets.append(LogHeader.Asset(id: UInt32(assets.count + 1), symbol: d.symbol, decimals: d.decimals))
        }
        if plan.declareMissingAssets {
            for input in plan.inputs {
                guard case .prices(let symbol) = input.content, seen[symbol] == nil else { continue }
                seen[symbol] = input.location
                assets.append(LogHeader.Asset(id: UInt32(assets.count + 1), symbol: symbol, decimals: AssetDeclaration.defaultDecimals))
            }
        }
        guard assets.count <= Int(LogHeader.maxAssetID) else {
            throw LogError(.usage, "\(assets.count) assets declared; format version 1 allows \(LogHeader.maxAssetID)")
        }
        return assets
    }

    static func declareEntities(_ declarations: [EntityDeclaration]) throws -> [LogHeader.Entity] {
        var entities: [LogHeader.Entity] = []
        var seen: [String: ManifestLocation?] = [:]
        for d in declarations {
            guard !d.name.isEmpty else { throw declarationError(.badHeader, "an entity name is empty", d.location) }
            guard !d.kind.isEmpty else { throw declarationError(.badHeader, "entity \(d.name) has an empty kind", d.location) }
            if let earlier = seen[d.name] {
                let at = earlier.map { " (first declared on line \($0.line))" } ?? ""
                throw declarationError(.badHeader, "duplicate entity name '\(d.name)'\(at)", d.location)
            }
            seen[d.name] = d.location
            entities.append(LogHeader.Entity(id: UInt32(entities.count + 1), name: d.name, kind: d.kind))
        }
        return entities
    }

    static func declareSignals(_ declarations: [SignalDeclaration]) throws -> [LogHeader.Signal] {
        var codes = Set<Int64>(), names = Set<String>()
        for d in declarations {
            guard codes.insert(d.code).inserted else { throw declarationError(.badHeader, "duplicate signal code \(d.code)", d.location) }
            guard names.insert(d.name).inserted else { throw declarationError(.badHeader, "duplicate signal name '\(d.name)'", d.location) }
        }
        return declarations.map { LogHeader.Signal(code: $0.code, name: $0.name) }
    }
}
