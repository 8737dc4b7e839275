import DominoLog
import DominoModel

/// Compares a run with the known outcomes its spec lists.
package struct Verification: Sendable {
    package struct Row: Sendable {
        package var id: String
        package var entity: String
        package var metric: String
        package var expected: String
        package var modelled: String
        package var error: String
        package var tolerance: String
        package var pass: Bool
        package var heldOut: Bool
        package var source: String
        /// The spec's known-gap note, if any.
        package var gap: String?
        /// pass, FAIL, gap (a known gap, still not reproduced) or FIXED (a known gap that now
        /// passes: a failure until its note is removed from the spec).
        package var result: String {
            switch (pass, gap != nil) {
            case (true, false): return "pass"
            case (false, false): return "FAIL"
            case (false, true): return "gap"
            case (true, true): return "FIXED"
            }
        }
        /// Whether the row makes `verify` fail.
        package var fails: Bool { pass == (gap != nil) }
    }

    package var spec: String
    package var rows: [Row]
    package var stateHash: String
    package var passed: Int { rows.filter(\.pass).count }
    package var failed: Int { rows.filter(\.fails).count }
    package var gaps: Int { rows.filter { $0.gap != nil && !$0.pass }.count }

    package init(run: ReplayResult) {
        let spec = run.scenario.spec
        self.spec = spec.name
        stateHash = run.finalHash
        let m = run.model
        rows = spec.outcomes.map { o in
            let i = run.scenario.agentIndex[o.entity]!
            let agent = m.state.agents[i]
            func date(_ t: Int64?) -> String { t.map { UTCTime.formatDate($0) } ?? "none" }
            func days(_ ms: Int64) -> String {
                let tenths = (abs(ms) * 10 + 43_200_000) / 86_400_000
                return (ms < 0 ? "-" : "+") + "\(tenths / 10).\(tenths % 10)d"
            }
            var row = Row(id: o.id, entity: o.entity, metric: o.metric.rawValue, expected: "", modelled: "", error: "",
                          tolerance: "", pass: false, heldOut: o.heldOut, source: o.source, gap: o.gap)
            switch o.metric {
            case .halt, .default, .insolvency:
                let modelled = o.metric == .halt ? agent.haltedAt : o.metric == .default ? agent.defaultedAt : agent.insolventAt
                row.expected = date(o.date)
                row.modelled = date(modelled)
                row.tolerance = "±" + days(o.toleranceTime).dropFirst()
                if let modelled {
                    let delta = modelled - o.date!
                    row.error = days(delta)
                    row.pass = abs(delta) <= o.toleranceTime
                } else {
                    row.error = "did not happen"
                }
            case .loss, .withdrawnBeforeHalt, .hole:
                let value: Int64
                switch o.metric {
                case .loss: value = agent.recognisedLosses
                case .withdrawnBeforeHalt:
                    value = m.state.cohorts.filter { m.state.agents[$0.platform].name == o.entity }.reduce(0) { $0 + $1.withdrawn }
                default:
                    let sheet = m.balanceSheet(i)
                    value = sheet.liabilities - sheet.assets
                }
                row.expected = Summary.dollars(o.value!)
                row.modelled = Summary.dollars(value)
                let share = o.value! == 0 ? (value == 0 ? 0 : Fixed.one) : Fixed.mulDiv(value - o.value!, Fixed.one, abs(o.value!))
                row.error = Verification.percent(share)
                row.tolerance = "±" + Verification.percent(o.toleranceShare).dropFirst()
                row.pass = abs(share) <= o.toleranceShare
            case .survives:
                let failed = agent.haltedAt ?? agent.defaultedAt ?? agent.insolventAt
                row.expected = "survives"
                row.modelled = failed == nil ? "survives" : "failed \(date(failed))"
                row.error = failed == nil ? "" : "failed"
                row.tolerance = ""
                row.pass = failed == nil
            }
            return row
        }
    }

    /// A share × 10^8 as a signed percentage with no decimals: `+12%`, `-3%`.
    static func percent(_ share: Int64) -> String {
        let p = (abs(share) * 100 + Fixed.one / 2) / Fixed.one
        return (share < 0 ? "-" : "+") + "\(p)%"
    }

    package var json: JSON {
        .object([
            ("spec", .string(spec)), ("stateHash", .string(stateHash)),
            ("passed", .int(passed)), ("failed", .int(failed)), ("gaps", .int(gaps)),
            ("outcomes", .array(rows.map { r in
                .object([("id", .string(r.id)), ("entity", .string(r.entity)), ("metric", .string(r.metric)),
                         ("expected", .string(r.expected)), ("modelled", .string(r.modelled)), ("error", .string(r.error)),
                         ("tolerance", .string(r.tolerance)), ("pass", .bool(r.pass)), ("heldOut", .bool(r.heldOut)),
                         ("result", .string(r.result)), ("gap", r.gap.map { .string($0) } ?? .null), ("source", .string(r.source))])
            })),
        ])
    }

    /// The table people read.
    package static func table(_ results: [Verification]) -> String {
        var rows: [[String]] = [["spec", "outcome", "expected", "modelled", "error", "tolerance", "result"]]
        for v in results {
            for r in v.rows {
                rows.append([v.spec, "\(r.entity) \(r.metric)\(r.heldOut ? " (held out)" : "")", r.expected, r.modelled, r.error,
                             r.tolerance, r.result])
            }
        }
        let widths = (0..<7).map { c in rows.map { $0[c].count }.max()! }
        var out = ""
        for (k, row) in rows.enumerated() {
            out += row.enumerated().map { c, cell in cell + String(repeating: " ", count: widths[c] - cell.count) }
                .joined(separator: "  ").trimmingTrailingSpaces() + "\n"
            if k == 0 { out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n" }
        }
        let passed = results.reduce(0) { $0 + $1.passed }, total = results.reduce(0) { $0 + $1.rows.count }
        let gaps = results.reduce(0) { $0 + $1.gaps }, failed = results.reduce(0) { $0 + $1.failed }
        out += "\n\(passed) of \(total) known outcomes pass"
        if gaps > 0 { out += "; \(gaps) known gap\(gaps == 1 ? "" : "s") (not reproduced yet, reasons in the specs)" }
        out += failed == 0 ? "; no failures\n" : "; \(failed) FAILED\n"
        for v in results {
            for r in v.rows where r.result == "FIXED" { out += "\(v.spec): \(r.id) is marked as a known gap but passes now: remove its gap note\n" }
        }
        return out
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
