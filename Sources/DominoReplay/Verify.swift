import DominoLog
import DominoModel

/// Compares a spec's runs (one per seed) with the known outcomes it lists.
///
/// Every row has a class (`Spec.KnownOutcome.Class`): fitted and held-out passes are counted
/// apart, derived rows are shown and never counted. A row passes when more than half of the
/// seeds land within its tolerance; a `survives` row counts only for an entity under stress
/// (`OutcomeMeasure.Stress`), otherwise it is `unstressed`.
package struct Verification: Sendable {
    package struct Row: Sendable {
        package var id: String
        package var entity: String
        package var metric: String
        package var outcomeClass: Spec.KnownOutcome.Class
        package var expected: String
        package var tolerance: String
        package var source: String
        package var why: String
        /// The spec's known-gap note, if any.
        package var gap: String?
        /// One per seed, in seed order (the first is the spec's own seed).
        package var measures: [OutcomeMeasure]
        /// Error over tolerance for the first seed, nil when there is no such number (the
        /// scorecard's dot).
        package var scaledError: Double?
        /// The median of the seeds' errors, formatted; "" when no seed has one.
        package var medianError: String

        package var seeds: Int { measures.count }
        package var within: Int { measures.filter { $0.status == .within }.count }
        package var unstressed: Int { measures.filter { $0.status == .unstressed }.count }
        /// The first seed's modelled value and error.
        package var modelled: String { measures.first?.modelled ?? "" }
        package var error: String { measures.first?.error ?? "" }
        /// Most seeds (more than half) land within tolerance.
        package var pass: Bool { within * 2 > seeds }
        package var notModelled: Bool { measures.first?.status == .notModelled }
        package var notMeasured: Bool { measures.first?.status == .notMeasured }
        /// Survived without stress on most seeds (survived under stress on too few to pass).
        package var isUnstressed: Bool { !pass && (within + unstressed) * 2 > seeds && unstressed > 0 }

        /// pass (or holds, for a derived row), FAIL, unstressed (a survival without stress: not
        /// counted), not modelled (an entity the spec lacks), gap (a known gap, still not
        /// reproduced) or FIXED (a known gap that now passes: a failure until its note goes).
        package var result: String {
            if notMeasured { return "not measured" }
            if notModelled { return gap != nil ? "gap" : "not modelled" }
            if pass { return gap != nil ? "FIXED" : outcomeClass == .derived ? "holds" : "pass" }
            if gap != nil { return "gap" }
            return isUnstressed ? "unstressed" : "FAIL"
        }
        /// Whether the row makes `verify` fail.
        package var fails: Bool { ["FAIL", "FIXED", "not modelled"].contains(result) }
        /// A pass that counts (fitted or held out).
        package var countedPass: Bool { result == "pass" }
        package var shareWithin: String { "\(within)/\(seeds)" }
    }

    package var spec: String
    package var rows: [Row]
    /// The seeds run, in order (the first is the spec's).
    package var seeds: [UInt64]
    /// The state hash of the first seed's run.
    package var stateHash: String

    package func passed(_ c: Spec.KnownOutcome.Class) -> Int { rows.filter { $0.outcomeClass == c && $0.countedPass }.count }
    package func total(_ c: Spec.KnownOutcome.Class) -> Int { rows.filter { $0.outcomeClass == c }.count }
    /// Fitted and held-out passes (derived rows never count).
    package var passed: Int { passed(.fitted) + passed(.heldOut) }
    package var holds: Int { rows.filter { $0.result == "holds" }.count }
    package var failed: Int { rows.filter(\.fails).count }
    package var gaps: Int { rows.filter { $0.result == "gap" }.count }
    package var unstressed: Int { rows.filter { $0.result == "unstressed" }.count }

    /// The rows of one run (one seed): as `domino report` shows a spec's scorecard. Outflow rows
    /// need the path, which only `VerifyRun` records: they are `not measured` here.
    package init(run: ReplayResult) {
        self.init(runs: [VerifyRun(seed: run.scenario.spec.seed, result: run, paths: nil)])
    }

    /// The rows of a spec's runs over seeds (`runs` in seed order, not empty).
    package init(runs: [VerifyRun]) {
        let first = runs[0].result
        let spec = first.scenario.spec
        self.spec = spec.name
        stateHash = first.finalHash
        seeds = runs.map(\.seed)
        rows = spec.outcomes.map { o in
            let measures = runs.map { OutcomeMeasure($0, o, settings: $0.result.scenario.spec.verify) }
            let median = Verification.median(measures.compactMap(\.errorValue))
            var scaled: Double?
            if let e = measures[0].errorValue {
                let tolerance = o.metric.isDated ? o.toleranceTime : o.toleranceShare
                if tolerance > 0 { scaled = Double(e) / Double(tolerance) }
            }
            return Row(id: o.id, entity: o.entity, metric: o.metric.rawValue, outcomeClass: o.outcomeClass,
                       expected: OutcomeMeasure.expected(o), tolerance: OutcomeMeasure.tolerance(o), source: o.source, why: o.why,
                       gap: o.gap, measures: measures, scaledError: scaled,
                       medianError: median.map { OutcomeMeasure.formatError($0, o.metric) } ?? "")
        }
    }

    /// The median of the seeds' errors (the mean of the middle two for an even count, rounded
    /// toward zero); nil for none.
    package static func median(_ values: [Int64]) -> Int64? {
        let v = values.sorted()
        guard !v.isEmpty else { return nil }
        return v.count % 2 == 1 ? v[v.count / 2] : (v[v.count / 2 - 1] + v[v.count / 2]) / 2
    }

    package var json: JSON {
        .object([
            ("spec", .string(spec)), ("stateHash", .string(stateHash)),
            ("seeds", .array(seeds.map { .string(String($0)) })),
            ("passed", .int(passed)),
            ("heldOut", .object([("passed", .int(passed(.heldOut))), ("rows", .int(total(.heldOut)))])),
            ("fitted", .object([("passed", .int(passed(.fitted))), ("rows", .int(total(.fitted)))])),
            ("derived", .object([("holds", .int(holds)), ("rows", .int(total(.derived)))])),
            ("failed", .int(failed)), ("gaps", .int(gaps)), ("unstressed", .int(unstressed)),
            ("outcomes", .array(rows.map { r in
                .object([("id", .string(r.id)), ("entity", .string(r.entity)), ("metric", .string(r.metric)),
                         ("class", .string(r.outcomeClass.rawValue)), ("expected", .string(r.expected)),
                         ("modelled", .string(r.modelled)), ("error", .string(r.error)), ("tolerance", .string(r.tolerance)),
                         ("seeds", .int(r.seeds)), ("withinTolerance", .int(r.within)), ("medianError", .string(r.medianError)),
                         ("pass", .bool(r.countedPass)), ("result", .string(r.result)),
                         ("gap", r.gap.map { .string($0) } ?? .null), ("why", .string(r.why)), ("source", .string(r.source)),
                         ("perSeed", .array(zip(seeds, r.measures).map { seed, m in
                             var fields: [(String, JSON)] = [("seed", .string(String(seed))), ("modelled", .string(m.modelled)),
                                                            ("error", .string(m.error)), ("status", .string(m.status.rawValue))]
                             if let s = m.stress { fields.append(("stress", s.json)) }
                             return .object(fields)
                         }))])
            })),
        ])
    }

    /// The table people read.
    package static func table(_ results: [Verification]) -> String {
        let header = ["spec", "outcome", "class", "expected", "modelled", "error", "tolerance", "seeds in", "median", "result"]
        var rows: [[String]] = [header]
        for v in results {
            for r in v.rows {
                rows.append([v.spec, r.id, r.outcomeClass.label, r.expected, r.modelled, r.error, r.tolerance,
                             r.shareWithin, r.medianError, r.result])
            }
        }
        let widths = header.indices.map { c in rows.map { $0[c].count }.max()! }
        var out = ""
        for (k, row) in rows.enumerated() {
            out += row.enumerated().map { c, cell in cell + String(repeating: " ", count: widths[c] - cell.count) }
                .joined(separator: "  ").trimmingTrailingSpaces() + "\n"
            if k == 0 { out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n" }
        }
        out += "\n" + summary(results) + "\n"
        for v in results {
            for r in v.rows where r.result == "FIXED" { out += "\(v.spec): \(r.id) is marked as a known gap but passes now: remove its gap note\n" }
            for r in v.rows where r.result == "not modelled" { out += "\(v.spec): \(r.id): \(r.entity) is not in the spec: model it, or mark the row as a gap\n" }
        }
        return out
    }

    /// One line: held-out and fitted passes apart, derived rows, unstressed survivals, gaps, failures.
    package static func summary(_ results: [Verification]) -> String {
        func sum(_ f: (Verification) -> Int) -> Int { results.reduce(0) { $0 + f($1) } }
        let seeds = Set(results.map(\.seeds.count)).sorted().map(String.init).joined(separator: "/")
        var out = "held out: \(sum { $0.passed(.heldOut) }) of \(sum { $0.total(.heldOut) }) pass"
        out += "; fitted: \(sum { $0.passed(.fitted) }) of \(sum { $0.total(.fitted) }) pass"
        out += "; derived (not counted): \(sum(\.holds)) of \(sum { $0.total(.derived) }) hold"
        let unstressed = sum(\.unstressed), gaps = sum(\.gaps), failed = sum(\.failed)
        if unstressed > 0 { out += "; \(unstressed) survival\(unstressed == 1 ? "" : "s") without stress (not counted)" }
        if gaps > 0 { out += "; \(gaps) known gap\(gaps == 1 ? "" : "s") (reasons in the specs)" }
        out += failed == 0 ? "; no failures" : "; \(failed) FAILED"
        out += " (a row passes on more than half of \(seeds) seed\(seeds == "1" ? "" : "s"))"
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
