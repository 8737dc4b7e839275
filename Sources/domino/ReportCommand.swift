import ArgumentParser
import DominoLog
import DominoReplay
import DominoReport
import DominoSweep
import Foundation

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML report: charts of a run, a counterfactual pair, a sweep or a spec's scorecard.",
        discussion: """
        INPUT is a run directory (`domino replay --out`), a spec, two of them (a counterfactual
        against its baseline, paired as `domino diff` pairs them), or a sweep directory:

          domino report replays/3ac-celsius-2022.yaml --out 3ac.html
          domino report replays/3ac-celsius-2022.yaml --b-policy no-rehypothecation --out cf.html
          domino report runs/baseline runs/capped --out pair.html
          domino report sweeps/rehyp --out sweep.html

        Runs are replayed again from their specs (deterministically) for the network states and
        balance sheets over time. A spec with known outcomes adds the verify scorecard. The file
        has no URL in it and fetches nothing; the charts are SVG, with a little inline script for
        hover values, legend toggles, zoom and the time scrubber (open it with #t=2022-06-12 to
        start at that moment). The same inputs give the same bytes.
        """)

    @Argument(help: "A run directory, a spec, two of them, or a sweep directory.") var inputs: [String]
    @Option(help: "The HTML file to write.") var out: String
    @Option(name: .customLong("set"), help: "Override for every run: path=value (repeatable).") var both: [String] = []
    @Option(name: .customLong("b-set"), help: "Override for the counterfactual only (repeatable).") var bSet: [String] = []
    @Option(name: .customLong("policy"), help: "Policy set for the first run (repeatable).") var aPolicy: [String] = []
    @Option(name: .customLong("b-policy"), help: "Policy set for a counterfactual of the first input (repeatable).") var bPolicy: [String] = []
    @Option(help: "Cohort whose deposit the trace section follows (default: the first).") var traceCohort: String?
    @Option(help: "Asset of that deposit (default: the cohort's largest claim).") var traceAsset: String?
    @Option(help: "Amount of that deposit, in tokens (default: 10000).") var traceAmount: String?
    @Flag(name: .shortAndLong, help: "No progress messages.") var quiet = false

    func validate() throws {
        guard (1...2).contains(inputs.count) else { throw ValidationError("report takes one or two inputs, not \(inputs.count)") }
        guard out.hasSuffix(".html") || out.hasSuffix(".htm") else { throw ValidationError("--out must name an .html file") }
    }

    func run() throws {
        // An existing --out is replaced only if it is a report this command wrote (its footer says so).
        if let existing = FileManager.default.contents(atPath: out) {
            guard String(decoding: existing, as: UTF8.self).contains(Self.signature) else {
                throw UsageError("--out \(out): exists and is not a domino report; not replaced (remove it or choose another name)")
            }
        }
        let parent = (out as NSString).deletingLastPathComponent
        Staging.cleanStale(in: parent.isEmpty ? "." : parent)
        let page: ReportPage
        var isDirectory: ObjCBool = false
        let first = inputs[0]
        if inputs.count == 1, FileManager.default.fileExists(atPath: first, isDirectory: &isDirectory), isDirectory.boolValue,
           FileManager.default.fileExists(atPath: first + "/" + SweepStore.fileName) {
            let store = try SweepStore(path: first + "/" + SweepStore.fileName)
            let (title, sections) = try SweepView.sections(store: store)
            // A stress directory (a `risk` table) adds the stress sections.
            let stress = try RiskTable.read(store: store) != nil ? try StressView.sections(store: store) : []
            page = ReportPage(title: title, subtitle: ["sweep directory \(first)"], sections: sections + stress)
        } else {
            let diff = DiffCommand(inputs: inputs, both: both, aPolicy: aPolicy, bPolicy: bPolicy, bSet: bSet)
            let sideA = try diff.sideA(), sideB = try diff.sideB()
            note("replaying \(sideA.label)")
            let a = try CapturedRun.replay(path: sideA.specPath, overrides: sideA.overrides, label: sideB == nil ? sideA.label : "A: \(sideA.label)")
            try check(a.run, sideA)
            var runs = [a.run]
            if let sideB {
                note("replaying \(sideB.label)")
                let b = try CapturedRun.replay(path: sideB.specPath, overrides: sideB.overrides, label: "B: \(sideB.label)").run
                try check(b, sideB)
                runs.append(b)
            }
            var trace: (String, String, Int64)? = nil
            if traceCohort != nil || traceAsset != nil || traceAmount != nil {
                let spec = runs[0].spec
                let cohort = traceCohort ?? spec.cohorts.first?.name ?? ""
                let asset = traceAsset ?? spec.cash
                trace = (cohort, asset, try TraceCommand.quantity(traceAmount ?? "10000"))
            }
            let view = RunView(runs: runs, trace: trace)
            var sections = view.sections()
            if let verify = VerifyView.section(runs[0]) { sections.insert(verify, at: min(3, sections.count)) } // after prices, network, timeline
            let spec = runs[0].spec
            var subtitle = ["\(spec.description)", "window \(UTCTime.formatDate(spec.window.from)) – \(UTCTime.formatDate(spec.window.to)) · seed \(spec.seed)"]
            for r in runs { subtitle.append("\(r.label): state hash \(r.run.finalHash)") }
            page = ReportPage(title: runs.count == 1 ? "Domino: \(spec.name)" : "Domino: \(spec.name), counterfactual against baseline",
                              subtitle: subtitle, sections: sections)
        }
        let bytes = Array(page.html.utf8)
        let writer = try AtomicFileWriter(path: out)
        try writer.write(bytes)
        try writer.commit()
        Output.line(out)
    }

    /// In the footer of every report (`ReportPage`): what marks a file as one.
    static let signature = "Written by domino report."

    /// A run directory's re-run must reproduce the state hash it recorded.
    func check(_ run: CapturedRun, _ side: DiffSide) throws {
        if let expected = side.expectedHash, expected != run.run.finalHash {
            throw LogError(.invalidInput, "replaying it again gives state hash \(run.run.finalHash), not the \(expected) its run.json records", file: side.label)
        }
    }

    /// Progress notes: on a terminal only, as progress bars (quiet when piped or with --quiet).
    func note(_ text: String) { if !quiet && CLI.stderrIsTerminal { CLI.writeStderr("domino report: \(text)\n") } }
}

extension DiffCommand {
    /// The pairing of `diff` for the report: A, and B when there are two inputs or B options.
    init(inputs: [String], both: [String], aPolicy: [String], bPolicy: [String], bSet: [String]) {
        self.init()
        a = inputs[0]
        b = inputs.count > 1 ? inputs[1] : nil
        self.both = both
        self.aPolicy = aPolicy
        self.bPolicy = bPolicy
        self.bSet = bSet
        aSet = []
    }

    func sideA() throws -> DiffSide { try side(a, policies: aPolicy, sets: both + aSet) }

    func sideB() throws -> DiffSide? {
        guard b != nil || !bPolicy.isEmpty || !bSet.isEmpty else { return nil }
        return try side(b ?? a, policies: bPolicy, sets: both + bSet)
    }
}
