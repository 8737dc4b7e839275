import DominoLog
import DominoModel
import Foundation

/// A spec's behavioural inputs: dated public information (`signals:`), dated credit lines and
/// rescues (`creditLines:`), and the behavioural parameters (`behaviour:`, into
/// `Spec.parameters.behaviour`).
package struct BehaviourInputs: Sendable {
    package struct SignalSpec: Sendable {
        package var date: Int64
        /// An entity's name, or nil for the whole market (`about: market`).
        package var about: String?
        package var severity: Int64
        package var kind: String
        package var source: String
        package var line: Int?
    }
    package struct CreditLineSpec: Sendable {
        package var borrower: String
        package var provider: String
        package var amount: Int64
        package var from: Int64
        package var source: String
        package var line: Int?
    }
    package var signals: [SignalSpec] = []
    package var creditLines: [CreditLineSpec] = []
    package init() {}
}

extension Spec {
    package static let behaviourKeys = ["active", "base", "ceiling", "largeCeiling", "instantCeiling", "steepness", "threshold", "largeShift", "noise",
                                       "largeAccount", "drawdown", "ownToken", "loss", "signal", "counterpartySignal", "peerFailure",
                                       "counterpartyFailure", "queue", "gate", "rate", "reuse", "shortfall", "herding", "herdingHalfLife",
                                       "signalFade", "decisionLag", "defenceTrigger", "defenceDays", "insolvencyMargin"]
    static let behaviourDurations: Set<String> = ["herdingHalfLife", "signalFade", "decisionLag"]
    static let signalClasses: [(String, Int64)] = [("low", 25_000_000), ("medium", 50_000_000), ("high", 100_000_000)]
    /// Signal kinds that name a modelled outcome: refused for an entity with that known outcome.
    static let outcomeKinds: [String: KnownOutcome.Metric] = ["halt": .halt, "default": .default, "filing": .insolvency, "insolvency": .insolvency]

    /// Reads `behaviour:`, `signals:` and `creditLines:` (called by `parse` after the outcomes).
    /// Behaviour is on in a spec unless it says `behaviour: {active: false}`.
    mutating func parseBehaviour(_ top: SpecNode.Record) throws {
        var b = parameters.behaviour
        b.active = true
        if let node = top["behaviour"], !node.isNull {
            let r = try node.record(allowed: Self.behaviourKeys)
            for (key, v) in r.items {
                if key == "active" { b.active = try v.bool(); continue }
                let x: Int64
                if Self.behaviourDurations.contains(key) { x = try v.duration() }
                else if key == "largeAccount" { x = try v.fixed() }
                else { x = try v.ratio() }
                guard x >= 0 else { throw v.error("'behaviour.\(key)' must not be negative") }
                switch key {
                case "base": b.base = Ratio(x)
                case "ceiling": b.ceiling = Ratio(x)
                case "largeCeiling": b.largeCeiling = Ratio(x)
                case "instantCeiling": b.instantCeiling = Ratio(x)
                case "steepness": b.steepness = Ratio(x)
                case "threshold": b.threshold = Ratio(x)
                case "largeShift": b.largeShift = Ratio(x)
                case "noise": b.noise = Ratio(x)
                case "largeAccount": b.largeAccount = USD(x)
                case "drawdown": b.drawdown = Ratio(x)
                case "ownToken": b.ownToken = Ratio(x)
                case "loss": b.loss = Ratio(x)
                case "signal": b.signal = Ratio(x)
                case "counterpartySignal": b.counterpartySignal = Ratio(x)
                case "peerFailure": b.peerFailure = Ratio(x)
                case "counterpartyFailure": b.counterpartyFailure = Ratio(x)
                case "queue": b.queue = Ratio(x)
                case "gate": b.gate = Ratio(x)
                case "rate": b.rate = Ratio(x)
                case "reuse": b.reuse = Ratio(x)
                case "shortfall": b.shortfall = Ratio(x)
                case "herding": b.herding = Ratio(x)
                case "herdingHalfLife": b.herdingHalfLife = x
                case "signalFade": b.signalFade = x
                case "decisionLag": b.decisionLag = x
                case "defenceTrigger": b.defenceTrigger = Ratio(x)
                case "defenceDays": b.defenceDays = Ratio(x)
                default: b.insolvencyMargin = Ratio(x)
                }
            }
            if b.ceiling > .one { throw (r["ceiling"] ?? node).error("'behaviour.ceiling' is a share per hour and must be at most 1") }
            if b.base > b.ceiling { throw (r["base"] ?? node).error("'behaviour.base' must not exceed 'behaviour.ceiling'") }
        }
        parameters.behaviour = b
        let names = entities.map(\.name)
        for node in try top["signals"]?.sequence() ?? [] {
            let r = try node.record(allowed: ["date", "about", "severity", "kind", "source"], required: ["date", "about", "severity", "source"])
            let aboutNode = try r.require("about")
            let about = try aboutNode.string()
            guard about == "market" || names.contains(about) else {
                throw aboutNode.error("signal about '\(about)': not an entity of the spec (or 'market')\(Suggestion.didYouMean(about, in: names + ["market"]))")
            }
            let sev = try r.require("severity")
            let text = try sev.string()
            let severity: Int64
            if let c = Self.signalClasses.first(where: { $0.0 == text }) { severity = c.1 } else { severity = try sev.ratio() }
            guard severity >= 0, severity <= Fixed.one else { throw sev.error("a signal's severity must be 0..1 or one of low, medium, high") }
            let kind = try r["kind"]?.string() ?? "news"
            let date = try r.require("date").time()
            let signal = BehaviourInputs.SignalSpec(date: date, about: about == "market" ? nil : about, severity: severity, kind: kind,
                                                    source: try r.require("source").string(), line: node.line)
            try refuseOutcomeSignal(signal, node: node)
            behaviourInputs.signals.append(signal)
        }
        for node in try top["creditLines"]?.sequence() ?? [] {
            let r = try node.record(allowed: ["borrower", "provider", "amount", "from", "source"], required: ["borrower", "provider", "amount", "from", "source"])
            let borrowerNode = try r.require("borrower")
            let borrower = try borrowerNode.string()
            guard names.contains(borrower) else { throw borrowerNode.error("credit line of '\(borrower)': not an entity of the spec\(Suggestion.didYouMean(borrower, in: names))") }
            let amount = try r.require("amount").fixed()
            guard amount >= 0 else { throw try r.require("amount").error("a credit line's amount must not be negative") }
            behaviourInputs.creditLines.append(.init(borrower: borrower, provider: try r.require("provider").string(), amount: amount,
                                                     from: try r.require("from").time(), source: try r.require("source").string(), line: node.line))
        }
    }

    /// A platform's own modelled outcomes are never signals: a signal about an entity is refused
    /// when its kind names one of that entity's known outcomes, or when it falls on the day of
    /// one of its dated known outcomes.
    func refuseOutcomeSignal(_ s: BehaviourInputs.SignalSpec, node: SpecNode) throws {
        guard let about = s.about else { return }
        let day: Int64 = 86_400_000
        for o in outcomes where o.entity == about {
            if let metric = Self.outcomeKinds[s.kind], metric == o.metric {
                throw node.error("signal '\(s.kind)' about \(about) is its known outcome '\(o.id)': the model must produce it, not read it")
            }
            if let date = o.date, [.halt, .default, .insolvency].contains(o.metric), s.date / day == date / day {
                throw node.error("signal about \(about) on \(UTCTime.format(s.date)) falls on the day of its known outcome '\(o.id)': the model must produce it, not read it")
            }
        }
    }

    /// The resolved text of the behavioural sections (run outputs' resolved spec).
    package var resolvedBehaviourText: String {
        let b = parameters.behaviour
        func f(_ v: Int64) -> String { FixedPoint.format(v, decimals: 8) }
        func d(_ v: Int64) -> String { v % 3_600_000 == 0 ? "\(v / 3_600_000)h" : "\(v)ms" }
        var o = "behaviour:\n  active: \(b.active)\n"
        for (k, v) in [("base", b.base.raw), ("ceiling", b.ceiling.raw), ("largeCeiling", b.largeCeiling.raw), ("instantCeiling", b.instantCeiling.raw), ("steepness", b.steepness.raw),
                       ("threshold", b.threshold.raw), ("largeShift", b.largeShift.raw), ("noise", b.noise.raw), ("largeAccount", b.largeAccount.raw),
                       ("drawdown", b.drawdown.raw), ("ownToken", b.ownToken.raw), ("loss", b.loss.raw), ("signal", b.signal.raw),
                       ("counterpartySignal", b.counterpartySignal.raw), ("peerFailure", b.peerFailure.raw), ("counterpartyFailure", b.counterpartyFailure.raw),
                       ("queue", b.queue.raw), ("gate", b.gate.raw), ("rate", b.rate.raw), ("reuse", b.reuse.raw), ("shortfall", b.shortfall.raw),
                       ("herding", b.herding.raw), ("defenceTrigger", b.defenceTrigger.raw), ("defenceDays", b.defenceDays.raw),
                       ("insolvencyMargin", b.insolvencyMargin.raw)] {
            o += "  \(k): \(f(v))\n"
        }
        o += "  herdingHalfLife: \(d(b.herdingHalfLife))\n  signalFade: \(d(b.signalFade))\n  decisionLag: \(d(b.decisionLag))\n"
        o += "signals:" + (behaviourInputs.signals.isEmpty ? " []\n" : "\n" + behaviourInputs.signals.map {
            "  - {date: \(UTCTime.format($0.date)), about: \(JSON.quote($0.about ?? "market")), severity: \(f($0.severity)), kind: \(JSON.quote($0.kind)), source: \(JSON.quote($0.source))}\n"
        }.joined())
        o += "creditLines:" + (behaviourInputs.creditLines.isEmpty ? " []\n" : "\n" + behaviourInputs.creditLines.map {
            "  - {borrower: \(JSON.quote($0.borrower)), provider: \(JSON.quote($0.provider)), amount: \(f($0.amount)), from: \(UTCTime.format($0.from)), source: \(JSON.quote($0.source))}\n"
        }.joined())
        return o
    }
}

extension Scenario {
    /// The model's signals (in time order, ties in spec order) and dated credit lines.
    static func behaviourState(_ spec: Spec, agentIndex: [String: Int], into state: inout ModelState) {
        let signals = spec.behaviourInputs.signals.enumerated().sorted { ($0.element.date, $0.offset) < ($1.element.date, $1.offset) }
        state.signals = signals.map { Signal(time: $0.element.date, subject: $0.element.about.map { AgentID(agentIndex[$0]!) }, severity: Ratio($0.element.severity)) }
    }

    static func creditLines(_ spec: Spec, of entity: String, agentIndex: [String: Int]) -> [CreditLine] {
        spec.behaviourInputs.creditLines.filter { $0.borrower == entity }.map {
            CreditLine(providerName: $0.provider, provider: agentIndex[$0.provider].map { AgentID($0) }, amount: USD($0.amount), from: $0.from)
        }
    }
}
