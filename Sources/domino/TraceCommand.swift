import ArgumentParser
import DominoLog
import DominoModel
import DominoReplay
import DominoReport

struct TraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Follow one deposit through the rehypothecation chain, and see what came back.",
        discussion: """
        Replays SPEC, looks at the balance sheets at --at (the window's start by default), and
        follows AMOUNT of ASSET deposited by COHORT: where the platform lent or deployed it, on
        what terms, what the borrower did with it, the claims outstanding per dollar deposited,
        and at the end of the run what came back, what was lost, and where.

          domino trace replays/3ac-celsius-2022.yaml --cohort celsius-retail --asset USDC --amount 10000

        Balance sheets are pooled, so the deposit is allocated pro rata over each holder's uses of
        the asset (README: "domino trace").
        """)

    @Argument(help: "The spec.") var spec: String
    @Option(help: "The depositor cohort.") var cohort: String
    @Option(help: "The asset deposited (a symbol of the spec).") var asset: String
    @Option(help: "How much, in tokens (e.g. 10000 or 2.5).") var amount: String
    @Option(help: "When to look at the balance sheets (UTC, e.g. 2022-06-01 or 2022-06-01T12:00:00Z); default the window's start.") var at: String?
    @Option(name: .customLong("set"), help: "Override: path=value (repeatable).") var sets: [String] = []
    @Option(name: .customLong("policy"), help: "Policy set: a name in replays/policies/ or a file (repeatable).") var policies: [String] = []
    @Flag(help: "Print the trace as JSON.") var json = false

    static func quantity(_ text: String) throws -> Int64 {
        guard let q = try? FixedPoint.parse(text, decimals: 8), q > 0 else { throw ValidationError("--amount '\(text)' is not a positive number of tokens") }
        return q
    }

    func run() throws {
        try CLI.requireSpec(spec)
        let q = try Self.quantity(amount)
        var moment: Int64? = nil
        if let at {
            guard let t = UTCTime.parse(at.count == 10 ? at + "T00:00:00Z" : at) else { throw ValidationError("--at '\(at)' is not a UTC date or time") }
            moment = t
        }
        let overrides = try Replay.assignments(specPath: spec, policies: policies, overrides: try CLI.assignments(sets))
        let loaded = try CLI.blamingOverrides(spec: spec, overrides) { try Replay.loadSpec(path: spec, overrides: overrides) }
        var reference: BaselineTrace? = nil
        if overrides.contains(where: { !Replay.isShared($0) }) { // a counterfactual runs against its baseline
            reference = try Replay.run(try Replay.loadSpec(path: spec, overrides: overrides.filter(Replay.isShared))).model.trace
        }
        let trace = try DepositTrace.trace(loaded, cohort: cohort, asset: asset, quantity: q, at: moment, reference: reference)
        Output.write(json ? trace.json.render(pretty: true) + "\n" : trace.text)
    }
}
