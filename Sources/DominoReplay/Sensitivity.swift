import DominoLog
import DominoModel
import Foundation

/// Global sensitivity of a spec's outcomes over its assumption ranges (`domino sensitivity`):
/// Morris screening. Each point of a `MorrisDesign` over the spec's assumptions becomes shares,
/// `Assumptions.draw` turns them into `--set` overrides, and the spec so drawn is replayed on
/// the recorded prices as a spec variant (not a counterfactual against the spec as written) at
/// the spec's own seed, or averaged over the first `seeds` seeds of `domino verify` (the same
/// seeds at every point, so behavioural noise does not enter the elementary effects).
package struct Sensitivity: Sendable {
    /// One assumption's statistics for one outcome.
    package struct Factor: Sendable {
        package var name: String
        package var effects: MorrisEffects
        package var rank: Int
    }

    /// The ranked factors of one outcome.
    package struct Table: Sendable {
        package var outcome: SensitivityOutcome
        /// By μ* descending (ties by spec order).
        package var factors: [Factor]
        /// Runs on which the event happened (dated outcomes), of `runs`.
        package var happened: Int
        package var runs: Int
        /// The lowest and highest value over the design (the mean over the seeds at each point).
        package var range: (low: Double, high: Double)
    }

    package var spec: String
    package var designSeed: UInt64
    package var design: MorrisDesign
    package var seeds: [UInt64]
    package var assumptions: [Assumption]
    package var tables: [Table]

    package var runs: Int { design.pointCount * seeds.count }

    /// The plan of a sensitivity run: the spec as loaded, its tree and the design.
    package struct Plan: Sendable {
        package var path: String
        /// The spec's text (composed again for each run: a tree is not shared between threads).
        package var text: String
        package var spec: Spec
        package var overrides: [Overrides.Assignment]
        package var outcomes: [SensitivityOutcome]
        package var design: MorrisDesign
        package var designSeed: UInt64
        package var seeds: [UInt64]
        package var runs: Int { design.pointCount * seeds.count }

        /// Loads the spec at `path` with `overrides` (applied before each draw), checks the
        /// outcomes and draws the design: `trajectories` × `levels`, keyed by `designSeed`
        /// (default: the spec's seed).
        package init(path: String, overrides: [Overrides.Assignment], outcomes ids: [String], trajectories: Int,
                     levels: Int, seeds: Int, designSeed: UInt64?) throws {
            self.path = path
            text = try SpecFile.read(path: path)
            let root = try SpecFile.compose(text, file: path)
            spec = try Spec.parse(try Overrides.apply(overrides, to: root))
            self.overrides = overrides
            guard !spec.assumptions.isEmpty else {
                throw SensitivityError("\(path): the spec declares no assumptions (an 'assumptions:' list with ranges; docs/spec.md)")
            }
            outcomes = try SensitivityOutcome.select(ids, spec: spec)
            let key = designSeed ?? spec.seed
            self.designSeed = key
            design = MorrisDesign(factors: spec.assumptions.count, levels: levels, trajectories: trajectories, seed: key)
            let specSeed = spec.seed
            self.seeds = (0..<seeds).map { VerifyRun.seed(specSeed, $0) }
        }

        /// The overrides of design point `n` (the draw, after the command's own).
        package func overrides(point n: Int) throws -> [Overrides.Assignment] {
            try overrides(point: n, root: try SpecFile.compose(text, file: path))
        }

        func overrides(point n: Int, root: SpecNode) throws -> [Overrides.Assignment] {
            let t = design.trajectories[n / (design.factors + 1)].points[n % (design.factors + 1)]
            return overrides + (try Assumptions.draw(spec, root: root, shares: t.map(design.share)).overrides)
        }

        /// Run `n`: design point n / seeds at seed n % seeds; each outcome's value and whether it happened.
        func run(_ n: Int) throws -> [(value: Double, happened: Bool)] {
            let root = try SpecFile.compose(text, file: path)
            var s = try Spec.parse(try Overrides.apply(try overrides(point: n / seeds.count, root: root), to: root))
            s.seed = seeds[n % seeds.count]
            let run = try VerifyRun.run(s)
            return outcomes.map { $0.measure(run) }
        }
    }

    /// Runs the plan, `jobs` runs at a time; the result does not depend on `jobs`.
    /// `progress(done)` is called on the calling thread as runs finish.
    package static func run(_ plan: Plan, jobs: Int, progress: ((Int) -> Void)? = nil) throws -> Sensitivity {
        let measures = try ParallelRuns.map(count: plan.runs, jobs: jobs, progress: progress) { n in try plan.run(n) }
        let m = plan.seeds.count
        let tables = plan.outcomes.enumerated().map { o, outcome in
            // The value at a point: the mean over the seeds, summed in seed order.
            let values = (0..<plan.design.pointCount).map { p in
                (0..<m).reduce(0.0) { $0 + measures[p * m + $1][o].value } / Double(m)
            }
            let stats = MorrisEffects.estimate(plan.design, values: values)
            let order = stats.indices.sorted { stats[$0].muStar != stats[$1].muStar ? stats[$0].muStar > stats[$1].muStar : $0 < $1 }
            let factors = order.enumerated().map { rank, i in Factor(name: plan.spec.assumptions[i].name, effects: stats[i], rank: rank + 1) }
            return Table(outcome: outcome, factors: factors, happened: measures.filter { $0[o].happened }.count, runs: measures.count,
                         range: (values.min()!, values.max()!))
        }
        return Sensitivity(spec: plan.spec.name, designSeed: plan.designSeed, design: plan.design, seeds: plan.seeds,
                           assumptions: plan.spec.assumptions, tables: tables)
    }

    // MARK: Output

    /// The ranked tables people read (`top`: rows per outcome, nil for all).
    package func table(top: Int? = nil) -> String {
        var out = "\(spec): Morris screening, \(design.trajectories.count) trajectories × \(design.factors + 1) points, \(design.levels) levels (Δ = \(design.levels / 2)/\(design.levels - 1)), "
        out += seeds.count == 1 ? "the spec's seed (\(seeds[0]))" : "mean over \(seeds.count) seeds"
        out += "; \(runs) runs; design seed \(designSeed)\n"
        out += "μ* = mean |elementary effect|, the change of the outcome per full range of the assumption; μ its mean (sign), σ its spread\n"
        for t in tables {
            out += "\n\(t.outcome.id) (\(t.outcome.unit.rawValue)): from \(t.outcome.format(t.range.low)) to \(t.outcome.format(t.range.high)) over the design"
            if t.outcome.unit == .days { out += t.outcome.known.map { o in ", days after the window's start; happened on \(t.happened)/\(t.runs) runs" + (t.happened < t.runs ? " (else counted as the window's end + 1 day)" : "") + (o.date.map { ", record " + UTCTime.formatDate($0) } ?? "") } ?? "" }
            out += "\n"
            var rows = [["rank", "assumption", "μ*", "μ", "σ"]]
            for f in t.factors.prefix(top ?? t.factors.count) {
                rows.append([String(f.rank), f.name, t.outcome.format(f.effects.muStar), t.outcome.format(f.effects.mu), t.outcome.format(f.effects.sigma)])
            }
            out += Self.align(rows, right: [0, 2, 3, 4])
        }
        return out
    }

    static func align(_ rows: [[String]], right: Set<Int>) -> String {
        let widths = rows[0].indices.map { c in rows.map { $0[c].count }.max()! }
        var out = ""
        for (k, row) in rows.enumerated() {
            out += row.enumerated().map { c, cell in
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                return right.contains(c) ? pad + cell : cell + pad
            }.joined(separator: "  ").trimmingTrailingSpaces() + "\n"
            if k == 0 { out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n" }
        }
        return out
    }

    /// A number for JSON: 6 significant decimals, fixed (no exponent), the same on every machine.
    static func number(_ v: Double) -> JSON { .number(SensitivityOutcome.fixed(v, 6)) }

    package var json: JSON {
        .object([
            ("spec", .string(spec)), ("method", .string("morris")),
            ("trajectories", .int(design.trajectories.count)), ("levels", .int(design.levels)),
            ("designSeed", .string(String(designSeed))), ("seeds", .array(seeds.map { .string(String($0)) })),
            ("runs", .int(runs)),
            ("assumptions", .array(assumptions.map { a in .object([("name", .string(a.name)), ("path", .string(a.path)), ("why", .string(a.why))]) })),
            ("outcomes", .array(tables.map { t in
                .object([("id", .string(t.outcome.id)), ("unit", .string(t.outcome.unit.rawValue)),
                         ("metric", .string(t.outcome.known?.metric.rawValue ?? (t.outcome.id == SensitivityOutcome.liquidations ? "liquidation-volume" : "depositor-losses"))),
                         ("happened", .int(t.happened)), ("runs", .int(t.runs)),
                         ("low", Self.number(t.range.low)), ("high", Self.number(t.range.high)),
                         ("factors", .array(t.factors.map { f in
                             .object([("rank", .int(f.rank)), ("assumption", .string(f.name)), ("muStar", Self.number(f.effects.muStar)),
                                      ("mu", Self.number(f.effects.mu)), ("sigma", Self.number(f.effects.sigma))])
                         }))])
            })),
        ])
    }
}
