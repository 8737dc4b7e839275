import ArgumentParser
import DominoImport
import DominoLog
import Foundation

struct LogOptions: ParsableArguments {
    @Flag(help: "Skip (and count) events of kinds this build does not know, and print invalid events (counted on stderr), instead of failing.")
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
        if reader.invalidEvents > 0 {
            CLI.printError("domino: \(file): the file is invalid: \(reader.invalidEvents) events break the log's rules (counted anyway with --lenient; see `domino log check`)")
        }
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
        if reader.invalidEvents > 0 {
            Output.flush()
            CLI.printError("domino: \(file): the file is invalid: \(reader.invalidEvents) events break the log's rules (printed anyway with --lenient; see `domino log check`)")
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
                try CLI.requireRegularFile(file)
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
