import DominoLog
import DominoModel

/// Withdrawals and deposits written in the spec (`flows:`), next to the flow logs: a
/// hypothetical scenario needs no import step to make depositors withdraw.
///
/// ```yaml
/// flows:
///   - {cohort: retail, kind: withdraw, asset: USDC, amount: 300, at: 2022-06-01T12:00}
///   - {cohort: retail, kind: deposit, asset: USDC, amount: 10, every: 1d, from: 2022-06-02, to: 2022-06-05}
/// ```
///
/// Each occurrence becomes the model input a flow log's event becomes (`InputMapper`): a
/// `withdraw` is a withdrawal request of the cohort to its platform (`.withdrawal`), a `deposit`
/// a deposit (`.deposit`), `amount` tokens of `asset`. `MergedInput` merges them with the logs'
/// events by time; at the same millisecond the logs' events come first (the spec's flows are a
/// dataset listed after the spec's datasets), and the spec's flows among themselves in the order
/// they are written (then by occurrence). Reference: docs/spec.md, "flows".
extension Spec {
    /// One line of `flows:`: once (`at`) or recurring (`every`, from `from` to `to` inclusive).
    package struct FlowSpec: Sendable, Equatable {
        package enum Kind: String, Sendable, CaseIterable { case withdraw, deposit }
        package var cohort: String
        package var kind: Kind
        package var asset: String
        /// Tokens × 10⁸ (the spec's amounts), > 0.
        package var amount: Int64
        /// The first (or only) time, ms.
        package var from: Int64
        /// The last time an occurrence may fall on (inclusive), ms; `from` for a one-off flow.
        package var to: Int64
        /// The period of a recurring flow (ms, > 0); nil for a one-off flow.
        package var every: Int64?
        package var line: Int?

        package init(cohort: String, kind: Kind, asset: String, amount: Int64, at: Int64) {
            self.cohort = cohort; self.kind = kind; self.asset = asset; self.amount = amount
            from = at; to = at; every = nil; line = nil
        }

        package init(cohort: String, kind: Kind, asset: String, amount: Int64, every: Int64, from: Int64, to: Int64) {
            self.cohort = cohort; self.kind = kind; self.asset = asset; self.amount = amount
            self.from = from; self.to = to; self.every = every; line = nil
        }

        /// How many times it occurs.
        package var occurrences: Int64 {
            guard let every, every > 0, to >= from else { return 1 }
            return (to - from) / every + 1
        }
    }

    /// The keys of one flow.
    package static let flowKeys = ["cohort", "kind", "asset", "amount", "at", "every", "from", "to"]

    /// Most occurrences all of a spec's flows may expand to (they are held in memory).
    package static let maxFlowOccurrences: Int64 = 1_000_000

    /// Parses `flows:` (a list); `window` gives a recurring flow's default `from` and `to`.
    static func parseFlows(_ node: SpecNode, window: (from: Int64, to: Int64)) throws -> [FlowSpec] {
        guard !node.isNull else { return [] }
        return try node.sequence().map { try parseFlow($0, window: window) }
    }

    static func parseFlow(_ node: SpecNode, window: (from: Int64, to: Int64)) throws -> FlowSpec {
        let r = try node.record(allowed: flowKeys, required: ["cohort", "kind", "asset", "amount"])
        let kindNode = try r.require("kind")
        let kindText = try kindNode.string()
        guard let kind = FlowSpec.Kind(rawValue: kindText) else {
            let names = FlowSpec.Kind.allCases.map(\.rawValue)
            throw kindNode.error("unknown flow kind '\(kindText)'\(Suggestion.didYouMean(kindText, in: names)) (kinds: \(names.joined(separator: ", ")))")
        }
        let amountNode = try r.require("amount")
        let amount = try amountNode.fixed()
        guard amount > 0 else { throw amountNode.error("a flow's 'amount' must be positive (tokens), got '\(try amountNode.string())'") }
        let cohort = try r.require("cohort").string(), asset = try r.require("asset").string()
        var flow: FlowSpec
        if let at = r["at"] {
            for key in ["every", "from", "to"] where r[key] != nil {
                throw r[key]!.error("a flow has either 'at' (once) or 'every' with 'from' and 'to' (recurring), not both")
            }
            flow = FlowSpec(cohort: cohort, kind: kind, asset: asset, amount: amount, at: try at.time())
        } else {
            guard let everyNode = r["every"] else {
                throw node.error("a flow needs 'at' (once) or 'every' (recurring, with 'from' and 'to', by default the window's)")
            }
            let every = try everyNode.duration()
            guard every > 0 else { throw everyNode.error("a flow's 'every' must be a positive duration, got '\(try everyNode.string())'") }
            let from = try r["from"]?.time() ?? window.from, to = try r["to"]?.time() ?? window.to
            guard from <= to else { throw (r["from"] ?? node).error("a flow's 'from' is after its 'to'") }
            flow = FlowSpec(cohort: cohort, kind: kind, asset: asset, amount: amount, every: every, from: from, to: to)
        }
        flow.line = node.line
        return flow
    }

    /// Checks the flows against the spec: known cohort and asset, times within the window, a
    /// bounded number of occurrences. Called by `validate()`.
    func validateFlows() throws {
        let cohortNames = cohorts.map(\.name), assetNames = assets.map(\.symbol)
        var total: Int64 = 0
        for f in flows {
            guard cohortNames.contains(f.cohort) else {
                throw SpecError(file: file, line: f.line, "a flow names unknown cohort '\(f.cohort)'\(Suggestion.didYouMean(f.cohort, in: cohortNames))")
            }
            guard assetNames.contains(f.asset) else {
                throw SpecError(file: file, line: f.line,
                                "a flow names asset '\(f.asset)', which is not under 'assets'\(Suggestion.didYouMean(f.asset, in: assetNames))")
            }
            guard f.amount > 0 else { throw SpecError(file: file, line: f.line, "a flow's amount must be positive") }
            guard f.from >= window.from, f.to <= window.to, f.from <= f.to else {
                let when = f.every == nil ? "at \(UTCTime.format(f.from))" : "from \(UTCTime.format(f.from)) to \(UTCTime.format(f.to))"
                throw SpecError(file: file, line: f.line,
                                "a flow \(when) is outside the window (\(UTCTime.format(window.from)) to \(UTCTime.format(window.to)))")
            }
            if let every = f.every, every <= 0 { throw SpecError(file: file, line: f.line, "a flow's 'every' must be positive") }
            total += f.occurrences
            guard total <= Spec.maxFlowOccurrences else {
                throw SpecError(file: file, line: f.line,
                                "the flows occur more than \(Spec.maxFlowOccurrences) times in all (limit); use a longer 'every' or a flow log")
            }
        }
    }

    /// Every occurrence of the flows as a model input, in merge order: by time, then in the
    /// order the flows are written. (Spec order = model order: cohort and asset indices are
    /// their positions in `cohorts` and `assets`, as in `Scenario`.)
    package func scheduledFlows() -> [(time: Int64, input: Input)] {
        var out: [(time: Int64, input: Input)] = []
        for f in flows {
            guard let c = cohorts.firstIndex(where: { $0.name == f.cohort }), let a = assets.firstIndex(where: { $0.symbol == f.asset }) else { continue }
            let input: Input = f.kind == .withdraw ? .withdrawal(cohort: CohortID(c), asset: AssetID(a), quantity: Quantity(f.amount))
                                                   : .deposit(cohort: CohortID(c), asset: AssetID(a), quantity: Quantity(f.amount))
            var t = f.from
            while true {
                out.append((t, input))
                guard let every = f.every, t <= f.to - every else { break }
                t += every
            }
        }
        // Stable: equal times keep the order above (flow order, then occurrence).
        return out.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
    }

    /// The `flows:` section of `spec.resolved` (empty when the spec has none, so specs without
    /// flows resolve as before).
    package func renderedFlows() -> String {
        guard !flows.isEmpty else { return "" }
        func f(_ v: Int64) -> String { FixedPoint.format(v, decimals: 8) }
        return "flows:\n" + flows.map { x in
            let when = x.every.map { "every: \(SpecNode.formatDuration($0)), from: \(UTCTime.format(x.from)), to: \(UTCTime.format(x.to))" }
                ?? "at: \(UTCTime.format(x.from))"
            return "  - {cohort: \(JSON.quote(x.cohort)), kind: \(x.kind.rawValue), asset: \(JSON.quote(x.asset)), amount: \(f(x.amount)), \(when)}\n"
        }.joined()
    }
}

extension SpecNode {
    /// A duration as the spec writes it: the largest unit that divides it (`7d`, `36h`, `90s`).
    static func formatDuration(_ ms: Int64) -> String {
        if ms % 86_400_000 == 0 { return "\(ms / 86_400_000)d" }
        if ms % 3_600_000 == 0 { return "\(ms / 3_600_000)h" }
        if ms % 60_000 == 0 { return "\(ms / 60_000)m" }
        if ms % 1000 == 0 { return "\(ms / 1000)s" }
        return "\(ms)ms"
    }
}
