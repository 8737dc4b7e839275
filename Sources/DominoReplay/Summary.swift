import DominoLog
import DominoModel

/// Headline figures and the outcome timeline of a run, for people (`text`) and machines
/// (`json`, which is also `summary.json`).
package struct Summary: Sendable {
    package struct Line: Sendable {
        package var time: Int64
        package var kind: String
        package var entity: String
        package var counterparty: String
        package var usd: Int64
        /// Liquidations are aggregated per pool and UTC day: how many.
        package var count: Int
    }

    package struct EntityFate: Sendable {
        package var name: String, role: String
        package var halt: Int64?, defaulted: Int64?, insolvency: Int64?
        package var equity: Int64, recognisedLosses: Int64, reuseAtStart: Int64
        package var status: String {
            if defaulted != nil { return "defaulted" }
            if halt != nil { return "halted" }
            if insolvency != nil { return "insolvent" }
            return "survives"
        }
    }

    package struct CohortLoss: Sendable {
        package var name: String, platform: String, members: Int64
        package var withdrawn: Int64, remaining: Int64, frozen: Int64, loss: Int64
    }

    package var spec: String
    package var seed: UInt64
    package var window: (Int64, Int64)
    package var initialHash: String, stateHash: String
    package var inputs: UInt64, ignored: UInt64
    package var lines: [Line]
    package var entities: [EntityFate]
    package var cohorts: [CohortLoss]
    package var liquidations: Int64, liquidationVolume: Int64
    /// Distress before default: DebtRank-style shock, total loss and amplification.
    package var distress: DistressFigures
    /// The exposure network at the end of the window (`Model.networkEdges`), names resolved.
    package var network: [(edge: NetworkEdge, lender: String, borrower: String, asset: String?)]

    package init(run: ReplayResult) {
        let reuseAtStart = run.reuseAtStart
        let s = run.scenario, m = run.model
        spec = s.spec.name
        seed = s.spec.seed
        window = s.spec.window
        initialHash = run.initialHash
        stateHash = run.finalHash
        inputs = run.inputsApplied
        ignored = run.eventsIgnored
        var lines: [Line] = []
        // The pool (a liquidation's counterparty: the model always names its agent) → index of
        // its line for the current day, in an array by agent index: no dictionary hashing a
        // `Party` per liquidation (half a million in `bench replay`).
        var liquidationDay = [Int](repeating: -1, count: m.state.agents.count)
        for o in run.outcomes {
            let usd = o.usd.raw
            if case .liquidation = o.kind, let pool = o.counterparty.agent?.index { // a pattern: no call to Kind's `==` per outcome
                let day = o.time - (o.time % 86_400_000 + 86_400_000) % 86_400_000
                let i = liquidationDay[pool]
                if i >= 0, lines[i].time == day {
                    lines[i].usd += usd; lines[i].count += 1
                } else {
                    liquidationDay[pool] = lines.count
                    lines.append(Line(time: day, kind: "liquidation", entity: s.partyName(o.counterparty), counterparty: "", usd: usd, count: 1))
                }
                continue
            }
            lines.append(Line(time: o.time, kind: o.kind.rawValue, entity: s.partyName(o.party),
                              counterparty: s.partyName(o.counterparty), usd: usd, count: 1))
        }
        self.lines = lines.sorted { ($0.time, $0.kind == "liquidation" ? 1 : 0) < ($1.time, $1.kind == "liquidation" ? 1 : 0) }
        entities = m.state.agents.indices.map { i in
            let a = m.state.agents[i]
            return EntityFate(name: a.name, role: a.role.rawValue, halt: a.haltedAt, defaulted: a.defaultedAt, insolvency: a.insolventAt,
                              equity: Summary.reported(m.equity(i)), recognisedLosses: a.recognisedLosses.raw, reuseAtStart: reuseAtStart[i])
        }
        cohorts = m.state.cohorts.indices.map { c in
            let cohort = m.state.cohorts[c]
            return CohortLoss(name: cohort.name, platform: m.state.agents[cohort.platform].name, members: cohort.members,
                              withdrawn: cohort.withdrawn.raw, remaining: m.claimsValue(cohort: c).raw, frozen: cohort.frozenRequests.raw,
                              loss: m.cohortLoss(c).raw)
        }
        liquidations = m.state.liquidations
        liquidationVolume = m.state.liquidationVolume.raw
        distress = DistressFigures(metrics: run.entityMetrics, names: m.state.agents.map(\.name))
        network = m.networkEdges().map { e in
            (e, m.state.agents[e.lender].name, m.state.agents[e.borrower].name, e.asset.map { s.spec.assets[$0].symbol })
        }
    }

    package var depositorLosses: Int64 { cohorts.reduce(0) { $0 + $1.loss } }

    package var json: JSON {
        .object([
            ("spec", .string(spec)),
            ("seed", .number(String(seed))),
            ("window", .object([("from", .time(window.0)), ("to", .time(window.1))])),
            ("initialStateHash", .string(initialHash)),
            ("stateHash", .string(stateHash)),
            ("inputs", .number(String(inputs))),
            ("ignoredEvents", .number(String(ignored))),
            ("outcomes", .array(lines.map { l in
                var members: [(String, JSON)] = [("time", .time(l.time)), ("entity", .string(l.entity)), ("kind", .string(l.kind)),
                                                 ("usd", .fixed(l.usd))]
                if !l.counterparty.isEmpty { members.append(("counterparty", .string(l.counterparty))) }
                if l.kind == "liquidation" { members.append(("count", .int(l.count))) }
                return .object(members)
            })),
            ("entities", .object(entities.map { e in
                (e.name, .object([("role", .string(e.role)), ("status", .string(e.status)), ("halt", .time(e.halt)),
                                  ("default", .time(e.defaulted)), ("insolvency", .time(e.insolvency)), ("equity", .fixed(e.equity)),
                                  ("recognisedLosses", .fixed(e.recognisedLosses)),
                                  ("capitalEfficiency", .fixed(e.reuseAtStart))]))
            })),
            ("losses", .object(entities.filter { e in cohorts.contains { $0.platform == e.name } }.map { e in
                let mine = cohorts.filter { $0.platform == e.name }
                return (e.name, .object([
                    ("total", .fixed(mine.reduce(0) { $0 + $1.loss })),
                    ("cohorts", .object(mine.map { c in
                        (c.name, .object([("loss", .fixed(c.loss)), ("withdrawn", .fixed(c.withdrawn)), ("remainingClaims", .fixed(c.remaining)),
                                          ("frozenRequests", .fixed(c.frozen)), ("members", .int(c.members))]))
                    })),
                ]))
            })),
            ("headline", .object([
                ("depositorLosses", .fixed(depositorLosses)),
                ("liquidations", .int(liquidations)),
                ("liquidationVolume", .fixed(liquidationVolume)),
                ("failed", .array(entities.filter { $0.status != "survives" }.map { .string($0.name) })),
            ])),
            ("distress", distress.json),
            ("network", .array(network.map { n in
                .object([("lender", .string(n.lender)), ("borrower", .string(n.borrower)), ("kind", .string(n.edge.kind.rawValue)),
                         ("asset", n.asset.map { .string($0) } ?? .null), ("nominal", .fixed(n.edge.nominal.raw)),
                         ("collateral", .fixed(n.edge.collateral.raw)), ("marked", .fixed(n.edge.marked.raw)), ("loss", .fixed(n.edge.loss.raw))])
            })),
        ])
    }

    /// The timeline and headline figures as a person reads them.
    package var text: String { text(timeline: true) }

    /// The readable summary; without the timeline (`replay --quiet`) only the headline figures.
    package func text(timeline: Bool) -> String {
        var out = "\(spec): \(UTCTime.format(window.0)) … \(UTCTime.format(window.1)), seed \(seed)\n"
        if timeline { out += "\nTimeline (UTC)\n" }
        if timeline && lines.isEmpty { out += "  (no outcomes)\n" }
        for l in lines where timeline {
            let when = l.kind == "liquidation" ? UTCTime.formatDate(l.time) + "      " : String(UTCTime.format(l.time).prefix(16)).replacingOccurrences(of: "T", with: " ")
            var what = l.kind
            if l.kind == "liquidation" { what = "liquidations ×\(l.count)" }
            if l.kind == "halt" { what = "halt, pending withdrawals" } // the amount: withdrawals requested and not paid
            if !l.counterparty.isEmpty { what += (l.kind == "loss" ? " on " : l.kind == "recall" ? " from " : " by ") + l.counterparty }
            out += "  \(when)  \(Summary.pad(l.entity, 16)) \(Summary.pad(what, 34)) \(Summary.pad(Summary.dollars(l.usd), 16, right: true))\n"
        }
        out += "\nDepositor losses: \(Summary.dollars(depositorLosses))\n"
        for e in entities where cohorts.contains(where: { $0.platform == e.name }) {
            let mine = cohorts.filter { $0.platform == e.name }
            out += "  \(Summary.pad(e.name, 14)) \(Summary.pad(Summary.dollars(mine.reduce(0) { $0 + $1.loss }), 16, right: true))"
            out += "   " + mine.map { "\($0.name) \(Summary.dollars($0.loss)) (withdrew \(Summary.dollars($0.withdrawn)))" }.joined(separator: "; ") + "\n"
        }
        out += "Liquidations: \(liquidations) (\(Summary.dollars(liquidationVolume)))\n"
        if let peak = distress.peak, distress.total > 0 {
            out += "Distress at its peak (\(UTCTime.formatDate(peak))): equity lost \(Summary.dollars(distress.shock)) at book, "
            out += "\(Summary.dollars(distress.total)) with claims marked; amplification \(Summary.times(distress.amplification))\n"
        }
        let failed = entities.filter { $0.status != "survives" }
        out += "Failed: " + (failed.isEmpty ? "none" : failed.map { e in
            let when = e.defaulted ?? e.halt ?? e.insolvency!
            return "\(e.name) (\(e.status) \(UTCTime.formatDate(when)))"
        }.joined(separator: ", ")) + "\n"
        let survived = entities.filter { $0.status == "survives" && $0.role != "pool" }.map(\.name)
        if !survived.isEmpty { out += "Survived: " + survived.joined(separator: ", ") + "\n" }
        out += "State hash: \(stateHash)\n"
        return out
    }

    /// Below this (USD × 10^8: $0.000001) an equity is a rounding residue of the fixed-point
    /// arithmetic (each product rounds to 10^-8), not a surplus or a deficit: outputs report it
    /// as 0 (docs/units.md). The model's state, and so the state hash, keeps the exact value.
    package static let equityResidue: Int64 = 100

    /// An equity as outputs report it: 0 when its magnitude is below `equityResidue`.
    package static func reported(_ equity: Int64) -> Int64 { equity.magnitude < UInt64(equityResidue) ? 0 : equity }
    package static func reported(_ equity: USD) -> Int64 { reported(equity.raw) }

    /// `$1.23B`, `$456.7M`, `$12,345`.
    package static func dollars(_ usd: Int64) -> String {
        let v = usd / Fixed.one
        let sign = v < 0 ? "-" : ""
        let a = abs(v)
        if a >= 1_000_000_000 { return sign + "$" + decimal(a, 1_000_000_000) + "B" }
        if a >= 1_000_000 { return sign + "$" + decimal(a, 1_000_000) + "M" }
        return sign + "$" + group(a)
    }

    static func decimal(_ v: Int64, _ unit: Int64) -> String {
        let tenths = (v * 100 / unit + 5) / 10 // rounded to 0.01 then 0.1, half up
        return "\(tenths / 10).\(tenths % 10)"
    }

    static func group(_ v: Int64) -> String { NumberText.grouped(v) }

    /// A ratio × 10^8 as `1.25×` (rounded down to hundredths).
    static func times(_ ratio: Int64) -> String {
        let hundredths = ratio / 1_000_000
        return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)×"
    }

    static func pad(_ s: String, _ w: Int, right: Bool = false) -> String { NumberText.padded(s, w, right: right) }
}
