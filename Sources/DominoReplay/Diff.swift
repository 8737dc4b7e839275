import DominoLog
import DominoModel
import Foundation

/// One side of a diff: a spec with its overrides (policy sets already turned into assignments).
package struct DiffSide: Sendable {
    package var specPath: String
    package var overrides: [Overrides.Assignment]
    /// How the side was given, for the report (`replays/x.yaml --set …`, or a run directory).
    package var label: String
    /// A run directory's recorded final state hash: the re-run must reproduce it.
    package var expectedHash: String?
    package init(specPath: String, overrides: [Overrides.Assignment], label: String, expectedHash: String? = nil) {
        self.specPath = specPath; self.overrides = overrides; self.label = label; self.expectedHash = expectedHash
    }
}

/// What changed between two runs over the same input log (`domino diff`).
package struct RunDiff: Sendable {
    /// The first input event after which the two model states differ.
    package struct Divergence: Sendable, Equatable {
        /// Index of the input event among all consumed (0-based, over the merged datasets).
        package var index: UInt64
        package var time: Int64
        /// The event's kind (`price`, `withdrawal`, …).
        package var event: String
        /// True when the states differ as the window opens, before the first event in it is
        /// applied: the policies rebuilt the initial book differently.
        package var atSettle: Bool
        /// First differing entity (agent name, `cohort NAME`, `loan LENDER→BORROWER #n`,
        /// `pool NAME`, `market SYMBOL`, `schedule`, `totals`) and field path within it.
        package var entity: String
        package var field: String
        package var a: String
        package var b: String
        /// How many entities differ at that event.
        package var entitiesDiffering: Int
    }

    /// An entity's halt, default or insolvency: avoided, added, moved or unchanged.
    package struct FateChange: Sendable, Equatable {
        package var entity: String
        package var kind: String
        package var a: Int64?
        package var b: Int64?
        package var change: String {
            switch (a, b) {
            case (nil, nil): return "none"
            case (.some, nil): return "avoided"
            case (nil, .some): return "added"
            case let (x?, y?): return x == y ? "unchanged" : "moved"
            }
        }
    }

    package struct LossDelta: Sendable, Equatable {
        package var entity: String
        /// Empty for a platform's total.
        package var cohort: String
        package var a: Int64
        package var b: Int64
    }

    /// The largest difference in one sampled metric series.
    package struct SeriesDelta: Sendable, Equatable {
        package var entity: String
        package var metric: String
        package var time: Int64
        package var a: Int64
        package var b: Int64
        package var magnitude: Int64 { b >= a ? b - a : a - b }
    }

    package var a: DiffSide
    package var b: DiffSide
    package var divergence: Divergence?
    package var hashA: String
    package var hashB: String
    package var fates: [FateChange]
    package var losses: [LossDelta]
    package var cohortLosses: [LossDelta]
    package var measuresA: RunMeasures
    package var measuresB: RunMeasures
    package var series: [SeriesDelta]
    package var events: UInt64

    package var identical: Bool { divergence == nil && hashA == hashB }
}

package enum Diff {
    /// Replays both sides in lockstep over their (shared) input log, comparing the model states
    /// after every event, then compares their outcomes, losses and metrics.
    package static func compare(_ a: DiffSide, _ b: DiffSide, progress: ((Double) -> Void)? = nil) throws -> RunDiff {
        var baselines: [String: ReplayResult] = [:] // keyed by the shared overrides; lookups only
        func prepare(_ side: DiffSide, _ share: @escaping (Double) -> Void) throws -> (Spec, RunOptions) {
            let key = side.specPath + "\u{0}" + side.overrides.filter(Replay.isShared).map { "\($0.path)=\($0.value)" }.joined(separator: "\u{0}")
            let spec = try Replay.loadSpec(path: side.specPath, overrides: side.overrides)
            var options = RunOptions()
            guard side.overrides.contains(where: { !Replay.isShared($0) }) else { return (spec, options) }
            if baselines[key] == nil {
                baselines[key] = try Replay.run(try Replay.loadSpec(path: side.specPath, overrides: side.overrides.filter(Replay.isShared)), progress: share)
            }
            options.reference = baselines[key]!.model.trace
            return (spec, options)
        }
        let (specA, optionsA) = try prepare(a) { progress?($0 / 4) }
        let (specB, optionsB) = try prepare(b) { progress?(0.25 + $0 / 4) }
        var ra = try ReplayEngine(specA, options: optionsA)
        var rb = try ReplayEngine(specB, options: optionsB, progress: progress.map { p in { p(0.5 + $0 / 2) } })
        var divergence: RunDiff.Divergence? = nil
        while true {
            let settledBefore = ra.model.state.settled
            let (sa, sb) = (try ra.step(), try rb.step())
            guard sa == sb, ra.lastEvent == rb.lastEvent else {
                throw SpecError(file: b.specPath, line: nil, "the two runs do not read the same input log (event \(ra.consumed) differs): diff compares runs over one log")
            }
            guard sa else { break }
            if divergence == nil, let d = firstDifference(ra.model.state, rb.model.state, scenario: ra.scenario) {
                let e = ra.lastEvent!
                // A difference found on a warm-up event (before the window) shows at the window's
                // opening: nothing is dated before the window.
                let opening = specA.window.from
                divergence = RunDiff.Divergence(index: ra.consumed - 1, time: max(e.time, opening), event: e.kind.name,
                                                atSettle: (!settledBefore && ra.model.state.settled) || e.time < opening,
                                                entity: d.entity, field: d.field, a: d.a, b: d.b, entitiesDiffering: d.count)
            }
        }
        let runA = try ra.finish(), runB = try rb.finish()
        if divergence == nil, let d = firstDifference(runA.model.state, runB.model.state, scenario: runA.scenario) {
            divergence = RunDiff.Divergence(index: ra.consumed, time: runA.model.state.time, event: "end of window", atSettle: false,
                                            entity: d.entity, field: d.field, a: d.a, b: d.b, entitiesDiffering: d.count)
        }
        for (side, run) in [(a, runA), (b, runB)] {
            if let expected = side.expectedHash, expected != run.finalHash {
                throw SpecError(file: side.label, line: nil,
                                "the run directory does not reproduce: its summary.json has state \(expected.prefix(16))…, replaying \(side.specPath) gives \(run.finalHash.prefix(16))… (spec or datasets changed since?)")
            }
        }
        return make(a: a, b: b, runA: runA, runB: runB, divergence: divergence, events: ra.consumed)
    }

    static func make(a: DiffSide, b: DiffSide, runA: ReplayResult, runB: ReplayResult, divergence: RunDiff.Divergence?, events: UInt64) -> RunDiff {
        let sa = Summary(run: runA), sb = Summary(run: runB)
        let ma = RunMeasures(run: runA), mb = RunMeasures(run: runB)
        var fates: [RunDiff.FateChange] = []
        for (ea, eb) in zip(sa.entities, sb.entities) {
            for (kind, x, y) in [("halt", ea.halt, eb.halt), ("default", ea.defaulted, eb.defaulted), ("insolvency", ea.insolvency, eb.insolvency)]
            where x != nil || y != nil {
                fates.append(.init(entity: ea.name, kind: kind, a: x, b: y))
            }
        }
        let losses = zip(ma.lossesByEntity, mb.lossesByEntity).map { RunDiff.LossDelta(entity: $0.entity, cohort: "", a: $0.loss, b: $1.loss) }
        let cohortLosses = zip(ma.cohortLosses, mb.cohortLosses).map { RunDiff.LossDelta(entity: $0.platform, cohort: $0.cohort, a: $0.loss, b: $1.loss) }
        return RunDiff(a: a, b: b, divergence: divergence, hashA: runA.finalHash, hashB: runB.finalHash, fates: fates,
                       losses: losses, cohortLosses: cohortLosses, measuresA: ma, measuresB: mb,
                       series: seriesDeltas(runA, runB), events: events)
    }

    /// Per metric series (entity × metric, and prices), the largest absolute difference and when
    /// (the earliest sample at that size); series that never differ are left out. Largest first.
    static func seriesDeltas(_ a: ReplayResult, _ b: ReplayResult) -> [RunDiff.SeriesDelta] {
        let metrics: [(String, KeyPath<EntityMetrics, USD>)] = [
            ("assets", \.assets), ("liabilities", \.liabilities), ("liquid", \.liquid), ("equity", \.equity),
            ("loansOutstanding", \.loansOutstanding),
        ]
        var out: [RunDiff.SeriesDelta] = []
        let names = a.scenario.spec.entities.map(\.name)
        for (i, name) in names.enumerated() {
            let xa = a.entityMetrics.filter { $0.entity == i }, xb = b.entityMetrics.filter { $0.entity == i }
            for (metric, path) in metrics {
                var best: RunDiff.SeriesDelta? = nil
                for (p, q) in zip(xa, xb) {
                    let d = RunDiff.SeriesDelta(entity: name, metric: metric, time: p.time, a: p[keyPath: path].raw, b: q[keyPath: path].raw)
                    if d.magnitude > (best?.magnitude ?? 0) { best = d }
                }
                if let best { out.append(best) }
            }
        }
        for (i, asset) in a.scenario.spec.assets.enumerated() {
            var best: RunDiff.SeriesDelta? = nil
            for (p, q) in zip(a.priceMetrics.filter { $0.asset == i }, b.priceMetrics.filter { $0.asset == i }) {
                let d = RunDiff.SeriesDelta(entity: asset.symbol, metric: "price", time: p.time, a: p.price.raw, b: q.price.raw)
                if d.magnitude > (best?.magnitude ?? 0) { best = d }
            }
            if let best { out.append(best) }
        }
        return out.enumerated().sorted { ($1.element.magnitude, $0.offset) < ($0.element.magnitude, $1.offset) }.map(\.element)
    }

    // MARK: State comparison

    struct StateDifference { var entity: String; var field: String; var a: String; var b: String; var count: Int }

    /// The first difference between two model states, in a fixed order: agents (policies and
    /// model parameters aside — they are the experiment, not its effect), cohorts, loans, pools,
    /// market prices, the schedule, then the totals. Bookkeeping of the baseline comparison and
    /// the random streams are not compared.
    static func firstDifference(_ x: ModelState, _ y: ModelState, scenario: Scenario) -> StateDifference? {
        var found: [(String, Data, Data)] = []
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        func check<T: Encodable & Equatable>(_ name: @autoclosure () -> String, _ p: T, _ q: T) {
            guard p != q else { return }
            found.append((name(), (try? encoder.encode(p)) ?? Data(), (try? encoder.encode(q)) ?? Data()))
        }
        for i in 0..<min(x.agents.count, y.agents.count) {
            var p = x.agents[i]
            p.policy = y.agents[i].policy
            check(p.name, p, y.agents[i])
        }
        for c in 0..<min(x.cohorts.count, y.cohorts.count) { check("cohort \(x.cohorts[c].name)", x.cohorts[c], y.cohorts[c]) }
        for l in 0..<min(x.loans.count, y.loans.count) {
            let loan = x.loans[l]
            check("loan \(x.agents[loan.lender].name)→\(x.agents[loan.borrower].name) #\(l)", loan, y.loans[l])
        }
        for p in 0..<min(x.pools.count, y.pools.count) { check("pool \(x.agents[x.pools[p].agent].name)", x.pools[p], y.pools[p]) }
        for a in 0..<min(x.market.assets.count, y.market.assets.count) {
            check("market \(scenario.spec.assets[a].symbol)", x.market.assets[a], y.market.assets[a])
        }
        check("schedule", x.schedule, y.schedule)
        check("totals", Totals(x), Totals(y))
        guard let first = found.first else { return nil }
        let symbols = scenario.spec.assets.map(\.symbol)
        let (path, va, vb) = firstPath(json(first.1), json(first.2), symbols: symbols)
        return StateDifference(entity: first.0, field: path, a: va, b: vb, count: found.count)
    }

    struct Totals: Codable, Equatable {
        var time: Int64, outside: [Quantity], liquidations: Int64, liquidationVolume: USD
        init(_ s: ModelState) { time = s.time; outside = s.outside; liquidations = s.liquidations; liquidationVolume = s.liquidationVolume }
    }

    static func json(_ data: Data) -> Any { (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) ?? NSNull() }

    /// The first path (keys sorted, list items in order) at which two JSON values differ, with
    /// both values as text. Lists of one number per asset are indexed by asset symbol.
    static func firstPath(_ a: Any, _ b: Any, symbols: [String], path: String = "") -> (String, String, String) {
        switch (a, b) {
        case let (x as [String: Any], y as [String: Any]):
            for key in Set(x.keys).union(y.keys).sorted() {
                let p = path.isEmpty ? key : "\(path).\(key)"
                guard let xv = x[key] else { return (p, "absent", text(y[key]!)) }
                guard let yv = y[key] else { return (p, text(xv), "absent") }
                if !same(xv, yv) { return firstPath(xv, yv, symbols: symbols, path: p) }
            }
        case let (x as [Any], y as [Any]):
            let perAsset = x.count == symbols.count && y.count == symbols.count && x.allSatisfy { $0 is NSNumber }
            for i in 0..<min(x.count, y.count) where !same(x[i], y[i]) {
                if perAsset, let p = x[i] as? NSNumber, let q = y[i] as? NSNumber {
                    // Per-asset quantities are tokens × 10^8.
                    return (path + "[\(symbols[i])]", FixedPoint.format(p.int64Value, decimals: 8), FixedPoint.format(q.int64Value, decimals: 8))
                }
                return firstPath(x[i], y[i], symbols: symbols, path: path + "[\(i)]")
            }
            if x.count != y.count { return (path + ".count", "\(x.count)", "\(y.count)") }
        default: break
        }
        return (path, text(a), text(b))
    }

    static func same(_ a: Any, _ b: Any) -> Bool {
        switch (a, b) {
        case let (x as NSNumber, y as NSNumber): return x == y
        case let (x as String, y as String): return x == y
        case (is NSNull, is NSNull): return true
        case let (x as [Any], y as [Any]): return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case let (x as [String: Any], y as [String: Any]): return x.keys.sorted() == y.keys.sorted() && x.keys.allSatisfy { same(x[$0]!, y[$0]!) }
        default: return false
        }
    }

    static func text(_ v: Any) -> String {
        switch v {
        case let n as NSNumber: return n.stringValue
        case let s as String: return s
        case is NSNull: return "null"
        default:
            let data = (try? JSONSerialization.data(withJSONObject: v, options: [.sortedKeys, .fragmentsAllowed])) ?? Data()
            return String(decoding: data, as: UTF8.self)
        }
    }
}
