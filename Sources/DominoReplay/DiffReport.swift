import DominoLog

/// `domino diff` output: text for people, canonical JSON for machines.
extension RunDiff {
    package var json: JSON {
        func fate(_ f: FateChange) -> JSON {
            var m: [(String, JSON)] = [("entity", .string(f.entity)), ("kind", .string(f.kind)), ("a", .time(f.a)), ("b", .time(f.b)),
                                       ("change", .string(f.change))]
            if let x = f.a, let y = f.b { m.append(("shiftMs", .int(y - x))) }
            return .object(m)
        }
        func loss(_ l: LossDelta) -> JSON {
            var m: [(String, JSON)] = [("entity", .string(l.entity)), ("a", .fixed(l.a)), ("b", .fixed(l.b)), ("delta", .fixed(l.b - l.a))]
            if !l.cohort.isEmpty { m.append(("cohort", .string(l.cohort))) }
            return .object(m)
        }
        func chain(_ m: RunMeasures) -> JSON {
            .object([
                ("depth", .int(m.contagionDepth)),
                ("failed", .array(m.failures.map { .object([("entity", .string($0.entity)), ("kind", .string($0.kind)), ("time", .time($0.time))]) })),
                ("links", .array(m.chain.map { .object([("from", .string($0.from)), ("to", .string($0.to)), ("time", .time($0.time)), ("via", .string($0.via))]) })),
            ])
        }
        let div: JSON = divergence.map { d in
            .object([("index", .int(Int64(d.index))), ("time", .time(d.time)), ("event", .string(d.event)), ("atWindowStart", .bool(d.atSettle)),
                     ("entity", .string(d.entity)), ("field", .string(d.field)), ("a", .string(d.a)), ("b", .string(d.b)),
                     ("entitiesDiffering", .int(d.entitiesDiffering))])
        } ?? .null
        return .object([
            ("a", .object([("run", .string(a.label)), ("stateHash", .string(hashA))])),
            ("b", .object([("run", .string(b.label)), ("stateHash", .string(hashB))])),
            ("identical", .bool(identical)),
            ("events", .int(Int64(events))),
            ("firstDivergence", div),
            ("fates", .array(fates.filter { $0.change != "unchanged" }.map(fate))),
            ("losses", .object([
                ("depositors", .object([("a", .fixed(measuresA.depositorLosses)), ("b", .fixed(measuresB.depositorLosses)),
                                        ("delta", .fixed(measuresB.depositorLosses - measuresA.depositorLosses))])),
                ("entities", .array(losses.map(loss))),
                ("cohorts", .array(cohortLosses.filter { $0.a != $0.b }.map(loss))),
            ])),
            ("liquidationVolume", .object([("a", .fixed(measuresA.liquidationVolume)), ("b", .fixed(measuresB.liquidationVolume)),
                                           ("delta", .fixed(measuresB.liquidationVolume - measuresA.liquidationVolume))])),
            ("liquidations", .object([("a", .int(measuresA.liquidations)), ("b", .int(measuresB.liquidations))])),
            ("capitalEfficiency", .object([("a", .fixed(measuresA.capitalEfficiency)), ("b", .fixed(measuresB.capitalEfficiency))])),
            ("contagion", .object([("a", chain(measuresA)), ("b", chain(measuresB))])),
            ("series", .array(series.map { s in
                .object([("entity", .string(s.entity)), ("metric", .string(s.metric)), ("time", .time(s.time)),
                         ("a", .fixed(s.a)), ("b", .fixed(s.b)), ("delta", .fixed(s.b - s.a))])
            })),
        ])
    }

    package func text(seriesLimit: Int = 10) -> String {
        var out = "A: \(a.label)\n   state \(hashA)\nB: \(b.label)\n   state \(hashB)\n\n"
        guard !identical else { return out + "no divergence: \(NumberText.grouped(Int64(events))) events, identical states throughout\n" }
        if let d = divergence {
            let when = d.atSettle ? "as the window opens (policies rebuilt the initial book), before event" : "after event"
            out += "First divergence: \(when) #\(NumberText.grouped(Int64(d.index))) (\(d.event)) at \(UTCTime.format(d.time))\n"
            out += "  \(d.entity) \(d.field): \(d.a) → \(d.b)"
            out += d.entitiesDiffering > 1 ? "   (\(d.entitiesDiffering) entities differ then)\n" : "\n"
        }
        out += "\nHalts, defaults, insolvencies\n"
        let changed = fates.filter { $0.change != "unchanged" }
        if changed.isEmpty { out += "  (unchanged)\n" }
        for f in changed {
            let x = f.a.map { Self.when($0) } ?? "—", y = f.b.map { Self.when($0) } ?? "—"
            var what = f.change
            if let p = f.a, let q = f.b { what += " " + Self.shift(q - p) }
            out += "  \(NumberText.padded(f.entity, 14)) \(NumberText.padded(f.kind, 11)) \(NumberText.padded(x, 17)) → \(NumberText.padded(y, 17)) \(what)\n"
        }
        out += "\nDepositor losses: \(Summary.dollars(measuresA.depositorLosses)) → \(Summary.dollars(measuresB.depositorLosses)) (\(Self.signed(measuresB.depositorLosses - measuresA.depositorLosses)))\n"
        for l in losses where l.a != 0 || l.b != 0 {
            out += "  \(NumberText.padded(l.entity, 14)) \(NumberText.padded(Summary.dollars(l.a), 10, right: true)) → \(NumberText.padded(Summary.dollars(l.b), 10, right: true))  (\(Self.signed(l.b - l.a)))\n"
            for c in cohortLosses where c.entity == l.entity && c.a != c.b {
                out += "    \(NumberText.padded(c.cohort, 12)) \(NumberText.padded(Summary.dollars(c.a), 10, right: true)) → \(NumberText.padded(Summary.dollars(c.b), 10, right: true))  (\(Self.signed(c.b - c.a)))\n"
            }
        }
        out += "Liquidation volume: \(Summary.dollars(measuresA.liquidationVolume)) → \(Summary.dollars(measuresB.liquidationVolume)) (\(NumberText.grouped(measuresA.liquidations)) → \(NumberText.grouped(measuresB.liquidations)) liquidations)\n"
        out += "Capital efficiency (share of customer assets lent, deployed or pledged): \(Self.percent(measuresA.capitalEfficiency)) → \(Self.percent(measuresB.capitalEfficiency))\n"
        out += "Contagion depth: \(measuresA.contagionDepth) → \(measuresB.contagionDepth)\n"
        out += "  A: \(Self.chainText(measuresA))\n  B: \(Self.chainText(measuresB))\n"
        if !series.isEmpty {
            out += "\nLargest metric differences (of \(series.count) series that differ)\n"
            for s in series.prefix(seriesLimit) {
                out += "  \(NumberText.padded(s.entity, 14)) \(NumberText.padded(s.metric, 16)) \(NumberText.padded(Summary.dollars(s.a), 10, right: true)) → \(NumberText.padded(Summary.dollars(s.b), 10, right: true))  at \(Self.when(s.time))\n"
            }
        }
        return out
    }

    static func when(_ t: Int64) -> String { String(UTCTime.format(t).prefix(16)).replacingOccurrences(of: "T", with: " ") }

    static func shift(_ ms: Int64) -> String {
        let sign = ms < 0 ? "−" : "+"
        let m = abs(ms) / 60_000
        let (d, h, mi) = (m / 1440, m % 1440 / 60, m % 60)
        var parts: [String] = []
        if d > 0 { parts.append("\(d)d") }
        if h > 0 { parts.append("\(h)h") }
        if mi > 0 || parts.isEmpty { parts.append("\(mi)m") }
        return sign + parts.joined(separator: " ")
    }

    static func signed(_ usd: Int64) -> String { usd > 0 ? "+" + Summary.dollars(usd) : usd == 0 ? "±$0" : "−" + Summary.dollars(-usd) }

    static func percent(_ share: Int64) -> String { FixedPoint.format(share / 100_000, decimals: 1) + "%" }

    static func chainText(_ m: RunMeasures) -> String {
        if m.failures.isEmpty { return "nothing failed" }
        let roots = m.failures.filter { f in !m.chain.contains { $0.to == f.entity } }.map { "\($0.entity) (\($0.kind) \(UTCTime.formatDate($0.time)))" }
        var text = "failed first: " + roots.joined(separator: ", ")
        if !m.chain.isEmpty {
            text += "; then " + m.chain.map { "\($0.from) → \($0.to) (\($0.via), \(UTCTime.formatDate($0.time)))" }.joined(separator: ", ")
        }
        return text
    }
}
