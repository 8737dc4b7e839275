import DominoLog
import DominoModel

/// Compares a spec's runs (one per seed, or one per path with `verify --paths`) with the known
/// outcomes it lists.
///
/// Every row has a class (`Spec.KnownOutcome.Class`): fitted and held-out passes are counted
/// apart, derived rows are shown and never counted. A row passes when more than half of the
/// seeds (paths) land within its tolerance; a `survives` row counts only for an entity under
/// stress (`OutcomeMeasure.Stress`), otherwise it is `unstressed`. Over paths, a row that lands
/// within tolerance on some paths but not on more than half is `narrow (P%)`: it reproduces the
/// record only in a corner of the assumption ranges, and fails like a FAIL.
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
        /// Over paths (`verify --paths`): the 5%, 50% and 95% quantiles of the modelled value,
        /// formatted ("" for an entity not modelled; a survival's median is "survives on k/n").
        package var byPaths = false
        package var low = "", median = "", high = ""

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
            if isUnstressed { return "unstressed" }
            return byPaths && within > 0 ? "narrow (\(percentWithin))" : "FAIL"
        }
        /// Whether the row makes `verify` fail.
        package var fails: Bool { ["FAIL", "FIXED", "not modelled"].contains(result) || isNarrow }
        /// Passes on some paths, not on most.
        package var isNarrow: Bool { result.hasPrefix("narrow") }
        /// The share of seeds (paths) within tolerance, as a rounded percentage: "12%".
        package var percentWithin: String { "\((within * 100 + seeds / 2) / max(seeds, 1))%" }
        /// "5–95%" column: "low … high", or "" without numbers.
        package var interval: String { low.isEmpty ? "" : low == high ? low : "\(low) … \(high)" }
        /// A pass that counts (fitted or held out).
        package var countedPass: Bool { result == "pass" }
        package var shareWithin: String { "\(within)/\(seeds)" }
    }

    package var spec: String
    package var rows: [Row]
    /// The seeds run, in order (the first is the spec's; over paths, each path's model seed).
    package var seeds: [UInt64]
    /// Over paths: the seed the paths are keyed by (`--paths-seed`, default the spec's seed).
    package var pathsSeed: UInt64?
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
    package var narrow: Int { rows.filter(\.isNarrow).count }

    /// The rows of one run (one seed): as `domino report` shows a spec's scorecard. Outflow rows
    /// need the path, which only `VerifyRun` records: they are `not measured` here.
    package init(run: ReplayResult) {
        self.init(runs: [VerifyRun(seed: run.scenario.spec.seed, result: run, paths: nil)])
    }

    /// The rows of a spec's runs over seeds (`runs` in seed order, not empty), or over paths
    /// (`VerifyRun.runPaths`, in path order) when `pathsSeed` is given.
    package init(runs: [VerifyRun], pathsSeed: UInt64? = nil) {
        let first = runs[0].result
        let spec = first.scenario.spec
        self.spec = spec.name
        self.pathsSeed = pathsSeed
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
            var row = Row(id: o.id, entity: o.entity, metric: o.metric.rawValue, outcomeClass: o.outcomeClass,
                          expected: OutcomeMeasure.expected(o), tolerance: OutcomeMeasure.tolerance(o), source: o.source, why: o.why,
                          gap: o.gap, measures: measures, scaledError: scaled,
                          medianError: median.map { OutcomeMeasure.formatError($0, o.metric) } ?? "")
            if pathsSeed != nil {
                row.byPaths = true
                let measured = !measures.contains { [.notModelled, .notMeasured].contains($0.status) }
                if o.metric == .survives && measured {
                    let survived = measures.filter { [.within, .unstressed].contains($0.status) }.count
                    row.median = "survives on \(survived)/\(measures.count)"
                } else if measured {
                    let q = Verification.quantiles(measures.map(\.value), [5, 50, 95])
                    (row.low, row.median, row.high) = (OutcomeMeasure.formatValue(q[0], o.metric),
                                                       OutcomeMeasure.formatValue(q[1], o.metric),
                                                       OutcomeMeasure.formatValue(q[2], o.metric))
                }
            }
            return row
        }
    }

    /// Nearest-rank quantiles (the value at rank ⌈p·n/100⌉ of the sorted values, n ≥ 1) for
    /// percentages `ps`; nil (an event that did not happen) sorts after every value.
    package static func quantiles(_ values: [Int64?], _ ps: [Int]) -> [Int64?] {
        let sorted = values.sorted { a, b in
            switch (a, b) {
            case let (x?, y?): x < y
            case (_?, nil): true
            default: false
            }
        }
        return ps.map { p in sorted[max(0, min(sorted.count - 1, (p * sorted.count + 99) / 100 - 1))] }
    }

    /// The median of the seeds' errors (the mean of the middle two for an even count, rounded
    /// toward zero); nil for none.
    package static func median(_ values: [Int64]) -> Int64? {
        let v = values.sorted()
        guard !v.isEmpty else { return nil }
        return v.count % 2 == 1 ? v[v.count / 2] : (v[v.count / 2 - 1] + v[v.count / 2]) / 2
    }

    package var json: JSON {
        if let pathsSeed { return pathsJSON(pathsSeed) }
        return .object([
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

    /// Over paths: per outcome the median, the 5–95% interval of the modelled value, the paths
    /// within tolerance and each path's modelled value, status and draw.
    func pathsJSON(_ pathsSeed: UInt64) -> JSON {
        .object([
            ("spec", .string(spec)), ("stateHash", .string(stateHash)),
            ("paths", .int(seeds.count)), ("pathsSeed", .string(String(pathsSeed))),
            ("passed", .int(passed)),
            ("heldOut", .object([("passed", .int(passed(.heldOut))), ("rows", .int(total(.heldOut)))])),
            ("fitted", .object([("passed", .int(passed(.fitted))), ("rows", .int(total(.fitted)))])),
            ("derived", .object([("holds", .int(holds)), ("rows", .int(total(.derived)))])),
            ("failed", .int(failed)), ("narrow", .int(narrow)), ("gaps", .int(gaps)), ("unstressed", .int(unstressed)),
            ("outcomes", .array(rows.map { r in
                .object([("id", .string(r.id)), ("entity", .string(r.entity)), ("metric", .string(r.metric)),
                         ("class", .string(r.outcomeClass.rawValue)), ("expected", .string(r.expected)), ("tolerance", .string(r.tolerance)),
                         ("paths", .int(r.seeds)), ("withinTolerance", .int(r.within)), ("pWithin", .string(r.percentWithin)),
                         ("median", .string(r.median)), ("interval", .object([("p5", .string(r.low)), ("p95", .string(r.high))])),
                         ("medianError", .string(r.medianError)),
                         ("pass", .bool(r.countedPass)), ("result", .string(r.result)),
                         ("gap", r.gap.map { .string($0) } ?? .null), ("why", .string(r.why)), ("source", .string(r.source)),
                         ("perPath", .array(zip(seeds, r.measures).enumerated().map { k, sm in
                             let (seed, m) = sm
                             var fields: [(String, JSON)] = [("path", .int(k)), ("seed", .string(String(seed))), ("modelled", .string(m.modelled)),
                                                            ("error", .string(m.error)), ("status", .string(m.status.rawValue))]
                             if let s = m.stress { fields.append(("stress", s.json)) }
                             return .object(fields)
                         }))])
            })),
        ])
    }

    /// The table people read.
    package static func table(_ results: [Verification]) -> String {
        let byPaths = results.contains { $0.pathsSeed != nil }
        let header = byPaths
            ? ["spec", "outcome", "class", "expected", "median", "5–95%", "tolerance", "P(in tol)", "result"]
            : ["spec", "outcome", "class", "expected", "modelled", "error", "tolerance", "seeds in", "median", "result"]
        var rows: [[String]] = [header]
        for v in results {
            for r in v.rows {
                rows.append(byPaths
                    ? [v.spec, r.id, r.outcomeClass.label, r.expected, r.median.isEmpty ? r.modelled : r.median, r.interval, r.tolerance,
                       "\(r.percentWithin) (\(r.shareWithin))", r.result]
                    : [v.spec, r.id, r.outcomeClass.label, r.expected, r.modelled, r.error, r.tolerance,
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
        let unstressed = sum(\.unstressed), gaps = sum(\.gaps), failed = sum(\.failed), narrow = sum(\.narrow)
        if unstressed > 0 { out += "; \(unstressed) survival\(unstressed == 1 ? "" : "s") without stress (not counted)" }
        if gaps > 0 { out += "; \(gaps) known gap\(gaps == 1 ? "" : "s") (reasons in the specs)" }
        out += failed == 0 ? "; no failures" : "; \(failed) FAILED"
        if narrow > 0 { out += " (\(narrow) narrow: within tolerance on some paths, not on most)" }
        let unit = results.contains { $0.pathsSeed != nil } ? "path" : "seed"
        out += " (a row passes on more than half of \(seeds) \(unit)\(seeds == "1" ? "" : "s"))"
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
