import ArgumentParser
import DominoImport
import DominoLog
import Foundation

struct LogOptions: ParsableArguments {
    @Flag(help: "Skip (and count) events of kinds this build does not know instead of failing.")
    var lenient = false
}

/// Parses `--from`/`--to` values.
func parseTime(_ text: String?, option: String) throws -> Int64? {
    guard let text else { return nil }
    guard let ms = UTCTime.parse(text) else {
        throw ValidationError("\(option) '\(text)' is not an ISO 8601 UTC time (e.g. 2022-06-12 or 2022-06-12T22:00:00Z)")
    }
    return ms
}

// MARK: - log info

struct LogInfo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show a log's header, event counts per kind and asset, time range and compression.")

    @Argument(help: "Log file (.zst).") var file: String
    @Flag(help: "Print one JSON object (sorted keys) instead of text.") var json = false
    @OptionGroup var options: LogOptions

    func run() throws {
        let reader = try LogReader(path: file, lenient: options.lenient)
        let info = try LogSummary(reader: reader)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            Output.line(String(decoding: try encoder.encode(info), as: UTF8.self))
        } else {
            Output.write(info.text())
        }
        if reader.skippedUnknown > 0 {
            CLI.printError("domino: \(file): skipped \(reader.skippedUnknown) events of unknown kinds (--lenient)")
        }
    }
}

/// Everything `log info` reports, gathered in one pass over the blocks.
struct LogSummary: Encodable {
    struct Range: Encodable { var start: String; var end: String }
    struct AssetRow: Encodable { var id: UInt32; var symbol: String; var decimals: Int; var events: Int }
    struct EntityRow: Encodable { var id: UInt32; var name: String; var kind: String; var events: Int }
    struct SeriesRow: Encodable {
        var label: String; var asset: String?; var kinds: [String]; var resolution: String
        var from: String; var to: String; var origin: String; var source: String; var method: String
    }

    var file: String
    var name: String
    var description: String
    var formatVersion: Int
    var declaredRange: Range
    var dataRange: Range?
    var events: UInt64
    var blocks: Int
    var fileBytes: UInt64
    var blockBytes: UInt64
    var decodedBlockBytes: UInt64
    var bytesPerEvent: Double
    /// Fixed-width record size (time 8, kind 1, entity 4, counterparty 4, asset 4, amount 8, aux 8).
    var fixedRecordBytes: Int
    var compressionRatio: Double
    var kinds: [String: Int]
    var assets: [AssetRow]
    var entities: [EntityRow]
    var series: [SeriesRow]
    var skippedUnknownKinds: Int

    init(reader: LogReader) throws {
        let header = reader.header
        var kindCounts = [Int](repeating: 0, count: 256)
        var assetCounts = [Int](repeating: 0, count: Int(header.largestAssetID) + 1)
        var entityCounts: [UInt32: Int] = [:] // lookups only; rows come from the header's order
        var columns = EventColumns()
        for i in reader.blocks.indices {
            try reader.readBlock(i, into: &columns)
            for j in 0..<columns.count {
                kindCounts[Int(columns.kind[j])] += 1
                assetCounts[Int(columns.asset[j])] += 1
                for id in [columns.entity[j], columns.counterparty[j]] where id != 0 {
                    entityCounts[UInt32(id), default: 0] += 1
                }
            }
        }
        file = reader.path
        name = header.name
        description = header.description
        formatVersion = Int(reader.version)
        declaredRange = Range(start: UTCTime.format(header.timeRange.start), end: UTCTime.format(header.timeRange.end))
        if let first = reader.blocks.first, let last = reader.blocks.last {
            dataRange = Range(start: UTCTime.format(first.firstTime), end: UTCTime.format(last.lastTime))
        }
        events = reader.eventCount
        blocks = reader.blocks.count
        fileBytes = reader.fileSize
        blockBytes = reader.blocks.reduce(0) { $0 + UInt64($1.frameSize) }
        decodedBlockBytes = reader.blocks.reduce(0) { $0 + UInt64($1.rawSize) }
        fixedRecordBytes = 37
        bytesPerEvent = events == 0 ? 0 : (Double(fileBytes) / Double(events) * 100).rounded() / 100
        compressionRatio = fileBytes == 0 ? 0 : (Double(events) * 37 / Double(fileBytes) * 100).rounded() / 100
        var kinds: [String: Int] = [:]
        for code in 0..<256 where kindCounts[code] > 0 { kinds[header.kindName(EventKind(rawValue: UInt8(code)))] = kindCounts[code] }
        self.kinds = kinds
        assets = header.assets.map { AssetRow(id: $0.id, symbol: $0.symbol, decimals: $0.decimals, events: assetCounts[Int($0.id)]) }
        entities = header.entities.map { EntityRow(id: $0.id, name: $0.name, kind: $0.kind, events: entityCounts[$0.id] ?? 0) }
        series = header.series.map {
            SeriesRow(label: $0.label, asset: $0.asset, kinds: $0.kinds, resolution: $0.resolution,
                      from: UTCTime.format($0.from), to: UTCTime.format($0.to), origin: $0.origin.rawValue,
                      source: $0.source, method: $0.method)
        }
        skippedUnknownKinds = reader.skippedUnknown
    }

    func text() -> String {
        var out = ""
        func line(_ s: String = "") { out += s + "\n" }
        line("file          \(file)")
        line("dataset       \(name)\(description.isEmpty ? "" : " — \(description)")")
        line("format        Domino log v\(formatVersion): \(blocks) zstd block frames + header, index and footer")
        line("declared      \(declaredRange.start) … \(declaredRange.end)")
        line("events        \(grouped(Int(events)))" + (dataRange.map { ", \($0.start) … \($0.end)" } ?? ""))
        line("size          \(grouped(Int(fileBytes))) bytes, \(String(format: "%.2f", bytesPerEvent)) bytes/event")
        line("compression   \(String(format: "%.1f", compressionRatio))x vs \(fixedRecordBytes)-byte fixed records; zstd \(String(format: "%.2f", blockBytes == 0 ? 0 : Double(decodedBlockBytes) / Double(blockBytes)))x over the column blocks (\(grouped(Int(decodedBlockBytes))) → \(grouped(Int(blockBytes))) bytes)")
        line()
        line("kinds")
        for (code, kindName) in kindsInCodeOrder() { line("  " + pad(kindName, 20) + pad(grouped(kinds[kindName]!), 12, right: true) + "  (code \(code))") }
        line()
        line("assets")
        line("  " + pad("id", 6) + pad("symbol", 8) + pad("decimals", 10) + pad("events", 10, right: true))
        for a in assets { line("  " + pad(String(a.id), 6) + pad(a.symbol, 8) + pad(String(a.decimals), 10) + pad(grouped(a.events), 10, right: true)) }
        if !entities.isEmpty {
            line()
            line("entities")
            line("  " + pad("id", 6) + pad("name", 20) + pad("kind", 12) + pad("events", 10, right: true))
            for e in entities { line("  " + pad(String(e.id), 6) + pad(e.name, 20) + pad(e.kind, 12) + pad(grouped(e.events), 10, right: true)) }
        }
        if !series.isEmpty {
            line()
            line("series")
            for s in series {
                line("  \(s.label): \(s.kinds.joined(separator: ",")) \(s.resolution), \(s.from) … \(s.to), \(s.origin)")
                line("      source: \(s.source)")
                if !s.method.isEmpty { line("      method: \(s.method)") }
            }
        }
        return out
    }

    private func kindsInCodeOrder() -> [(Int, String)] {
        kinds.keys.map { name -> (Int, String) in
            (Int(EventKind(name: name)?.rawValue ?? UInt8(name.dropFirst(5)) ?? 255), name)
        }.sorted { $0 < $1 }
    }
}

func grouped(_ n: Int) -> String { NumberText.grouped(n) }

func pad(_ s: String, _ width: Int, right: Bool = false) -> String { NumberText.padded(s, width, right: right) }

// MARK: - log cat

struct LogCat: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cat",
        abstract: "Print events as JSONL or CSV, optionally a time window, kinds or assets.",
        discussion: "The time window uses the block index, so a narrow window on a large file decodes only the blocks it overlaps.")

    @Argument(help: "Log file (.zst).") var file: String
    @Option(help: "First time to include (ISO 8601 UTC, e.g. 2022-06-12T00:00:00Z).") var from: String?
    @Option(help: "Last time to include (ISO 8601 UTC).") var to: String?
    @Option(help: "Only events of this kind (repeatable): \(EventKind.known.map(\.name).joined(separator: ", ")).") var kind: [String] = []
    @Option(help: "Only events of this asset symbol (repeatable).") var asset: [String] = []
    @Option(help: "jsonl or csv.") var format: TextFormat = .jsonl
    @Flag(help: "JSONL only: start with a {\"header\":…} line, so `domino import` can rebuild the identical log.")
    var withHeader = false
    @OptionGroup var options: LogOptions

    func run() throws {
        let fromMs = try parseTime(from, option: "--from")
        let toMs = try parseTime(to, option: "--to")
        if let fromMs, let toMs, fromMs > toMs { throw ValidationError("--from \(from!) is after --to \(to!)") }
        if withHeader && format != .jsonl { throw ValidationError("--with-header goes with --format jsonl") }
        var kindFilter = [Bool](repeating: kind.isEmpty, count: 256)
        for name in kind {
            guard let k = EventKind(name: name) else {
                throw ValidationError("unknown kind '\(name)'; kinds: \(EventKind.known.map(\.name).joined(separator: ", "))")
            }
            kindFilter[Int(k.rawValue)] = true
        }
        let reader = try LogReader(path: file, lenient: options.lenient)
        var assetFilter = [Bool](repeating: asset.isEmpty, count: Int(reader.header.largestAssetID) + 1)
        for symbol in asset {
            guard let a = reader.header.asset(symbol: symbol) else {
                throw ValidationError("\(file) has no asset '\(symbol)'; assets: \(reader.header.assets.map(\.symbol).joined(separator: ", "))")
            }
            assetFilter[Int(a.id)] = true
        }
        let renderer = EventTextRenderer(header: reader.header, format: format)
        if withHeader { Output.line(try HeaderLine.render(reader.header)) }
        if format == .csv { Output.line(renderer.csvHeaderLine) }
        try reader.forEachEvent(from: fromMs, to: toMs) { event in
            guard kindFilter[Int(event.kind.rawValue)], assetFilter[Int(event.asset)] else { return }
            Output.line(renderer.render(event))
        }
        if reader.skippedUnknown > 0 {
            Output.flush()
            CLI.printError("domino: \(file): skipped \(reader.skippedUnknown) events of unknown kinds (--lenient)")
        }
    }
}

extension TextFormat: ExpressibleByArgument {}

// MARK: - log check

struct LogCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate every frame, checksum, the index and event order.",
        discussion: "Prints one line per file. A broken file is reported on stderr with its byte offset, block number and reason; the exit code is then 1.")

    @Argument(help: "Log files (.zst).") var files: [String]
    @Flag(help: "Print a JSON array of results instead of text.") var json = false
    @Flag(name: .shortAndLong, help: "No progress bar.") var quiet = false
    @OptionGroup var options: LogOptions

    struct Result: Encodable {
        var file: String; var ok: Bool; var events: UInt64?; var blocks: Int?; var bytes: UInt64?
        var error: String?; var code: String?; var offset: UInt64?; var block: Int?
    }

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one log file") }
    }

    func run() throws {
        var results: [Result] = []
        for file in files {
            do {
                let bar = ProgressBar(total: 1, label: "check \(file)", quiet: quiet)
                let report = try LogChecker.check(path: file, lenient: options.lenient) { done, total in bar.update(done, of: total) }
                bar.finish()
                results.append(Result(file: file, ok: true, events: report.events, blocks: report.blocks, bytes: report.bytes))
                if !json { Output.line("\(file): ok (\(grouped(Int(report.events))) events, \(report.blocks) block\(report.blocks == 1 ? "" : "s"), \(grouped(Int(report.bytes))) bytes)") }
            } catch let error as LogError {
                results.append(Result(file: file, ok: false, error: error.message, code: error.code.rawValue,
                                      offset: error.offset, block: error.block))
                if !json {
                    Output.flush()
                    CLI.printError("domino: \(error.at(file: file).description)")
                }
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            Output.line(String(decoding: try encoder.encode(results), as: UTF8.self))
        }
        if results.contains(where: { !$0.ok }) { throw CLIExit(code: 1) }
    }
}
