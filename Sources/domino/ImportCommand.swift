import ArgumentParser
import DominoImport
import DominoLog
import DominoReplay
import Foundation

/// `domino import`: builds a log from price CSVs and JSONL/CSV event files, described by flags
/// or by a manifest. Argument parsing and flag checks live here; the work is `Importer`'s.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Build a log from price CSVs and JSONL/CSV event files.",
        discussion: """
        Each input is SYMBOL=FILE (a price CSV of that asset) or FILE (events in the format \
        `domino log cat` writes: .jsonl, or .csv with a time,kind,entity,counterparty,asset,amount,aux \
        header). Events are merged in time order; equal times keep input order, then line order.

        Price CSVs: the time column is found by name (open_time, Kline open time, timestamp, \
        date, datetime, time) and so is the price column (close, Close price, USD_price, price); \
        names match without regard to case. Times are ISO 8601 UTC or Unix epoch integers: \
        at least 10^11 means milliseconds, below that seconds. Prices are read as exact \
        decimals at 8 places (rounded half to even). A price series must strictly increase in time.

        A JSONL file whose first line is {"header":{...}} (as `domino log cat --with-header` \
        writes) supplies the whole header; importing that output alone rebuilds the same log.

        With --manifest, metadata, inputs and per-series provenance and windows come from a \
        JSON file (see datasets/README.md); its relative paths are under --data-root (default: \
        the manifest's directory), and inputs given here are added after its inputs.

        Any bad row fails the import with FILE:LINE: reason (exit 1) and nothing is written \
        to --out; a bad flag exits 2.
        """
    )

    @Option(name: [.short, .long], help: ArgumentHelp("Log file to write; replaced only when the import succeeds.", valueName: "file"))
    var out: String

    @Option(help: ArgumentHelp("JSON manifest listing metadata and inputs.", valueName: "file"))
    var manifest: String?

    @Option(name: .customLong("data-root"), help: ArgumentHelp("Directory the manifest's input paths are relative to (default: the manifest's directory).", valueName: "dir"))
    var dataRoot: String?

    @Option(help: "Dataset name (overrides the manifest's or the header line's).")
    var name: String?

    @Option(name: .customLong("description"), help: ArgumentHelp("Dataset description.", valueName: "text"))
    var datasetDescription: String?

    @Option(name: .customLong("asset"), help: ArgumentHelp("Declare an asset (repeatable; default 8 decimals). Price inputs declare missing ones when there is no manifest.", valueName: "SYMBOL[:DECIMALS]"))
    var assets: [String] = []

    @Option(name: .customLong("entity"), help: ArgumentHelp("Declare an entity (repeatable), e.g. Celsius:lender.", valueName: "NAME:KIND"))
    var entities: [String] = []

    @Option(name: .customLong("signal"), help: ArgumentHelp("Declare a signal code (repeatable).", valueName: "CODE:NAME"))
    var signals: [String] = []

    @Option(help: ArgumentHelp("Start of the header's time range, ISO 8601 UTC (default: the first event).", valueName: "time"))
    var from: String?

    @Option(help: ArgumentHelp("End of the header's time range, inclusive (default: the last event).", valueName: "time"))
    var to: String?

    @Option(name: .customLong("time-column"), help: ArgumentHelp("Time column of the SYMBOL=FILE inputs (overrides detection).", valueName: "name"))
    var timeColumn: String?

    @Option(name: .customLong("price-column"), help: ArgumentHelp("Price column of the SYMBOL=FILE inputs (overrides detection).", valueName: "name"))
    var priceColumn: String?

    @Flag(name: .customLong("skip-null"), help: "Skip (and count) rows of SYMBOL=FILE inputs whose price is null instead of failing.")
    var skipNull = false

    @Option(help: ArgumentHelp("Resolution recorded for the inputs given here, e.g. 1h, 1d, ~1h (default: inferred).", valueName: "res"))
    var resolution: String?

    @Option(help: ArgumentHelp("Source recorded for the inputs given here (default: the file path).", valueName: "text"))
    var source: String?

    @Option(help: ArgumentHelp("Origin recorded for the inputs given here: recorded or reconstructed.", valueName: "origin"))
    var origin: String = LogHeader.Series.Origin.recorded.rawValue

    @Flag(name: [.short, .long], help: "Print nothing on success.")
    var quiet = false

    @Argument(help: ArgumentHelp("Inputs, in order: SYMBOL=FILE for a price CSV, FILE for an event file.", valueName: "input"))
    var inputs: [String] = []

    // MARK: Flags → plan (pure)

    func validate() throws {
        _ = try makePlan(loadManifest: false)
    }

    private func time(_ text: String?, _ flag: String) throws -> Int64? {
        guard let text else { return nil }
        guard let t = UTCTime.parse(text) else { throw ValidationError("--\(flag): cannot parse '\(text)' as an ISO 8601 UTC time") }
        return t
    }

    /// The plan the flags describe. With `loadManifest` false the manifest is not read (flag
    /// checks only, for `validate()`).
    func makePlan(loadManifest: Bool) throws -> ImportPlan {
        guard manifest != nil || !inputs.isEmpty else {
            throw ValidationError("nothing to import: give inputs (SYMBOL=FILE or FILE) or --manifest")
        }
        if dataRoot != nil && manifest == nil { throw ValidationError("--data-root applies to --manifest only") }
        guard let origin = LogHeader.Series.Origin(rawValue: origin) else {
            throw ValidationError("--origin must be recorded or reconstructed, got '\(self.origin)'")
        }
        var plan = ImportPlan(declareMissingAssets: manifest == nil)
        if loadManifest, let manifest { plan = try ImportManifest.load(path: manifest, dataRoot: dataRoot) }
        if let name { plan.name = name }
        if let datasetDescription { plan.description = datasetDescription }
        if let from = try time(from, "from") { plan.from = from }
        if let to = try time(to, "to") { plan.to = to }
        if let from = plan.from, let to = plan.to, from > to {
            throw ValidationError("the time range starts (\(UTCTime.format(from))) after it ends (\(UTCTime.format(to)))")
        }
        for text in assets {
            guard let d = AssetDeclaration(flag: text) else {
                throw ValidationError("--asset '\(text)': expected SYMBOL or SYMBOL:DECIMALS with decimals 0…\(Scale.maxAssetDecimals)")
            }
            plan.assets.append(d)
        }
        for text in entities {
            guard let d = EntityDeclaration(flag: text) else { throw ValidationError("--entity '\(text)': expected NAME:KIND") }
            plan.entities.append(d)
        }
        for text in signals {
            guard let d = SignalDeclaration(flag: text) else { throw ValidationError("--signal '\(text)': expected CODE:NAME (an integer code)") }
            plan.signals.append(d)
        }
        var hasPrices = false
        for argument in inputs {
            var input = ImportInput(argument: argument)
            if case .prices = input.content {
                hasPrices = true
                input.timeColumn = timeColumn
                input.priceColumn = priceColumn
                input.skipNull = skipNull
            }
            input.resolution = resolution
            input.source = source
            input.origin = origin
            plan.inputs.append(input)
        }
        if !hasPrices && (timeColumn != nil || priceColumn != nil || skipNull) {
            throw ValidationError("--time-column, --price-column and --skip-null apply to SYMBOL=FILE inputs; none was given")
        }
        return plan
    }

    // MARK: Run

    func run() throws {
        if let manifest { try CLI.requireRegularFile(manifest) }
        let plan = try makePlan(loadManifest: true)
        for input in plan.inputs { try CLI.requireRegularFile(input.path) }
        // The output must not be one of the inputs (nor the manifest): the import would replace it.
        let target = CLI.identity(out)
        for path in plan.inputs.map(\.path) + [manifest].compactMap({ $0 }) where target != nil && CLI.identity(path) == target {
            throw UsageError("--out \(out): is also an input (\(path)); write the log to another file")
        }
        if let target, CLI.identity(out) == target, !CLI.isLog(out) {
            throw UsageError("--out \(out): exists and is not a Domino log; not replaced (remove it or choose another name)")
        }
        let parent = (out as NSString).deletingLastPathComponent
        Staging.cleanStale(in: parent.isEmpty ? "." : parent)
        let result = try Importer.run(plan, to: out)
        guard !quiet else { return }
        for line in ImportCommand.summary(result) { Output.line(line) }
    }

    /// The success report: totals, then one line per input.
    static func summary(_ result: ImportResult) -> [String] {
        let s = result.summary
        let perEvent = s.events == 0 ? "" : ", \(hundredths(s.bytes * 100 / s.events)) bytes/event"
        var lines = ["wrote \(result.path): \(plural(Int(s.events), "event")) in \(plural(s.blocks, "block")), \(s.bytes) bytes\(perEvent)"]
        let labelWidth = result.inputs.map(\.label.count).max() ?? 0
        let countWidth = result.inputs.map { String($0.events).count }.max() ?? 0
        for input in result.inputs {
            let count = String(input.events)
            var line = "  " + input.label + String(repeating: " ", count: labelWidth - input.label.count)
            line += "  " + String(repeating: " ", count: countWidth - count.count) + count + (input.events == 1 ? " event " : " events")
            if let first = input.first, let last = input.last {
                line += "  \(UTCTime.format(first)) … \(UTCTime.format(last))"
            }
            var notes: [String] = []
            if input.carriesHeader { notes.append("header from this file") }
            if input.outsideWindow > 0 { notes.append("\(plural(input.outsideWindow, "row")) outside the window") }
            if input.skippedNull > 0 { notes.append("\(plural(input.skippedNull, "null row")) skipped") }
            line += "  " + input.path
            if !notes.isEmpty { line += " (" + notes.joined(separator: ", ") + ")" }
            lines.append(line)
        }
        return lines
    }

    private static func plural(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    /// `1234` → `12.34`.
    private static func hundredths(_ v: UInt64) -> String {
        let frac = v % 100
        return "\(v / 100).\(frac < 10 ? "0" : "")\(frac)"
    }
}
