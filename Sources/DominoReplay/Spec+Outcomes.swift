import DominoLog
import DominoModel

/// The known outcomes of a spec (`outcomes:`) and how `domino verify` runs it (`verify:`).
extension Spec {
    /// A dated event, a magnitude or a path from the public record that the model must reproduce.
    package struct KnownOutcome: Sendable {
        package enum Metric: String, Sendable, CaseIterable {
            case halt, `default`, filing, insolvency  // dated: expected date ± tolerance
            case loss                                 // USD recognised by `entity`
            case withdrawnBeforeHalt = "withdrawn-before-halt"
            case hole                                 // liabilities − assets at the end
            case survives                             // no halt, default or insolvency, under stress
            case outflow                              // share of claims paid out between `from` and `to`

            /// A date the model must predict: never a calibration target.
            package var isDated: Bool { [.halt, .default, .filing, .insolvency].contains(self) }
            /// A USD magnitude, compared as a relative error.
            package var isMoney: Bool { [.loss, .withdrawnBeforeHalt, .hole].contains(self) }

            /// The precision of the public record, the widest tolerance a row may have (issue 14 §4):
            /// halts ±2 days, defaults ±3 days of the first public default notice, filings (and
            /// insolvency, which stands for a filing) ±3 days, USD magnitudes ±25%, outflow shares
            /// ±5 points. Milliseconds for dates, shares × 10^8 otherwise; 0 for `survives`.
            package var recordTolerance: Int64 {
                switch self {
                case .halt: return 2 * 86_400_000
                case .default, .filing, .insolvency: return 3 * 86_400_000
                case .loss, .withdrawnBeforeHalt, .hole: return Fixed.one / 4
                case .outflow: return Fixed.one / 20
                case .survives: return 0
                }
            }
        }

        /// What a row tests (issue 14 §4).
        package enum Class: String, Sendable, CaseIterable {
            /// A calibration target (`replays/calibration.yaml`): counted as a fitted pass.
            case fitted
            /// Never used in fitting or in building an input: counted as a held-out pass.
            case heldOut = "held-out"
            /// Follows from the inputs by arithmetic: shown, never counted as a pass.
            case derived
            /// As the table prints it.
            package var label: String { self == .heldOut ? "held out" : rawValue }
        }

        package var id: String
        package var metric: Metric
        package var entity: String
        /// The expected date (dated metrics).
        package var date: Int64?
        /// The period of an `outflow` row.
        package var from: Int64?
        package var to: Int64?
        /// Dated metrics: ± milliseconds.
        package var toleranceTime: Int64
        /// USD (money metrics) or a share × 10^8 (`outflow`).
        package var value: Int64?
        /// Money metrics: ± relative error; `outflow`: ± points; both × 10^8.
        package var toleranceShare: Int64
        package var source: String
        package var outcomeClass: Class
        /// Why the row has its class (which inputs it follows from, or why it is independent of them).
        package var why: String
        /// A known gap: why the model does not reproduce this outcome yet. `verify` reports it
        /// as a gap instead of a failure, and fails if it starts passing (so the note goes).
        package var gap: String? = nil
        package var line: Int?

        package init(id: String, metric: Metric, entity: String, date: Int64? = nil, from: Int64? = nil, to: Int64? = nil,
                     toleranceTime: Int64? = nil, value: Int64? = nil, toleranceShare: Int64? = nil, source: String,
                     outcomeClass: Class, why: String, gap: String? = nil, line: Int? = nil) {
            self.id = id; self.metric = metric; self.entity = entity; self.date = date; self.from = from; self.to = to
            self.toleranceTime = metric.isDated ? (toleranceTime ?? metric.recordTolerance) : 0
            self.value = value
            self.toleranceShare = metric.isDated || metric == .survives ? 0 : (toleranceShare ?? metric.recordTolerance)
            self.source = source; self.outcomeClass = outcomeClass; self.why = why; self.gap = gap; self.line = line
        }
    }

    /// How `domino verify` runs a spec (`verify:`).
    package struct VerifySettings: Sendable, Equatable {
        /// Seeds per verify run (`verify --seeds` overrides it): the spec's own seed, then seeds derived from it.
        package var seeds = 1
        /// A `survives` row counts only for an entity under stress: one that paid out at least
        /// this share of its customer claims at the start (a run) …
        package var stressWithdrawals: Int64 = Fixed.one / 10
        /// … or recognised losses of at least this share of its equity at the start (or started
        /// with no equity). × 10^8.
        package var stressLosses: Int64 = Fixed.one / 4
        package init() {}
    }

    package static let outcomeKeys = ["id", "metric", "entity", "class", "why", "date", "from", "to", "tolerance", "value", "source", "gap"]

    static func parseOutcome(_ node: SpecNode) throws -> KnownOutcome {
        let r = try node.record(allowed: outcomeKeys, required: ["id", "metric", "entity", "class", "why", "source"])
        let metricNode = try r.require("metric")
        let text = try metricNode.string()
        guard let metric = KnownOutcome.Metric(rawValue: text) else {
            let names = KnownOutcome.Metric.allCases.map(\.rawValue)
            let hint = Suggestion.didYouMean(text, in: names)
            throw metricNode.error("unknown metric '\(text)'\(hint) (metrics: \(names.joined(separator: ", ")))")
        }
        let classNode = try r.require("class")
        let classText = try classNode.string()
        guard let outcomeClass = KnownOutcome.Class(rawValue: classText == "held out" ? "held-out" : classText) else {
            let names = KnownOutcome.Class.allCases.map(\.rawValue)
            let hint = Suggestion.didYouMean(classText, in: names)
            throw classNode.error("unknown class '\(classText)'\(hint) (classes: \(names.joined(separator: ", ")))")
        }
        let id = try r.require("id").string()
        var o = KnownOutcome(id: id, metric: metric, entity: try r.require("entity").string(), source: try r.require("source").string(),
                             outcomeClass: outcomeClass, why: try r.require("why").string(), gap: try r["gap"]?.string(), line: node.line)
        func forbid(_ keys: [String]) throws {
            for k in keys { if let n = r[k] { throw n.error("a \(metric.rawValue) row has no '\(k)'") } }
        }
        switch metric {
        case .halt, .default, .filing, .insolvency:
            try forbid(["from", "to", "value"])
            o.date = try r.require("date").time()
            if let t = r["tolerance"] {
                o.toleranceTime = try t.duration()
                guard o.toleranceTime >= 0 && o.toleranceTime <= metric.recordTolerance else {
                    throw t.error("a \(metric.rawValue) tolerance is at most ±\(metric.recordTolerance / 86_400_000)d (the precision of the record)")
                }
            }
            if outcomeClass == .fitted {
                throw classNode.error("outcome \(id): a \(metric.rawValue) date is never a calibration target (class held-out or derived)")
            }
        case .loss, .withdrawnBeforeHalt, .hole, .outflow:
            try forbid(["date"])
            let valueNode = try r.require("value")
            o.value = metric == .outflow ? try valueNode.ratio() : try valueNode.fixed()
            if let t = r["tolerance"] {
                o.toleranceShare = try t.ratio()
                guard o.toleranceShare >= 0 && o.toleranceShare <= metric.recordTolerance else {
                    let widest = metric == .outflow ? "±5 points (write 5%)" : "±25%"
                    throw t.error("a \(metric.rawValue) tolerance is at most \(widest) (the precision of the record)")
                }
            }
            if metric == .outflow {
                guard o.value! >= 0 && o.value! <= Fixed.one else { throw valueNode.error("an outflow share is between 0 and 100%") }
                o.from = try r.require("from").time()
                o.to = try r.require("to").time()
                guard o.from! < o.to! else { throw try r.require("to").error("outcome \(id): 'from' must be before 'to'") }
            } else {
                try forbid(["from", "to"])
            }
        case .survives:
            try forbid(["date", "from", "to", "value", "tolerance"])
            if outcomeClass == .fitted { throw classNode.error("outcome \(id): a survival is never a calibration target") }
        }
        return o
    }

    static func parseVerifySettings(_ node: SpecNode) throws -> VerifySettings {
        var v = VerifySettings()
        let r = try node.record(allowed: ["seeds", "stress"])
        if let n = r["seeds"] {
            let seeds = try n.integer()
            guard seeds >= 1 && seeds <= 1000 else { throw n.error("'verify.seeds' must be 1 … 1000") }
            v.seeds = Int(seeds)
        }
        if let s = r["stress"] {
            let x = try s.record(allowed: ["withdrawals", "losses"])
            if let n = x["withdrawals"] { v.stressWithdrawals = try n.ratio() }
            if let n = x["losses"] { v.stressLosses = try n.ratio() }
        }
        return v
    }

    /// The outcome rows' own checks: unique ids, and an entity the spec has, unless the row is
    /// a known gap (an entity that failed in the record but is not modelled yet: `not modelled`).
    func validateOutcomes() throws {
        let names = entities.map(\.name)
        var seen: Set<String> = [] // membership only
        for o in outcomes {
            guard seen.insert(o.id).inserted else { throw SpecError(file: file, line: o.line, "two outcomes have the id '\(o.id)'") }
            if !names.contains(o.entity) && o.gap == nil {
                let hint = Suggestion.didYouMean(o.entity, in: names)
                throw SpecError(file: file, line: o.line,
                                "outcome \(o.id) names unknown entity '\(o.entity)'\(hint) (an entity the spec does not model needs a 'gap:' saying so)")
            }
        }
    }
}
