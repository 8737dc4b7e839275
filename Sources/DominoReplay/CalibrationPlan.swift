import DominoLog
import DominoModel
import Foundation

/// A calibration plan (`replays/calibration/calibration.yaml`, `domino calibrate`): which episodes
/// are in the fit with which targets, which whole episodes stay out, the parameters to fit as
/// `--set` paths with ranges, the seeds, and the search's size.
///
/// ```yaml
/// fit:
///   - {spec: ../terra-2022.yaml, targets: [anchor-outflow]}
/// holdOut: [../ftx-2022.yaml]        # at least one whole episode
/// parameters:                        # --set paths, shared by every episode in the fit
///   behaviour.herding: [0, 2]
/// seeds: 3                           # per spec and evaluation
/// search: {scan: 4, steps: 5, rounds: 3} # start from the best of a scan of 4 values per
///                                    # parameter (all combinations; 1: the middle), then a grid
///                                    # of `steps` values per parameter, narrowed each round
/// ```
///
/// A target is an outcome row of its spec with class `fitted`: an outflow share or a USD
/// magnitude. Halt, default and filing dates and survivals are never targets. Every `fitted`
/// row of a fit spec must be a target, and a held-out spec may have none.
package struct CalibrationPlan: Sendable {
    package struct Episode: Sendable {
        package var path: String
        package var spec: Spec
        package var targets: [Spec.KnownOutcome]
    }
    package struct Parameter: Sendable, Equatable {
        package var path: String
        /// The range, × 10^8.
        package var low: Int64, high: Int64
    }

    package var file: String
    package var fit: [Episode]
    package var holdOut: [String]
    package var parameters: [Parameter]
    package var seeds: Int
    /// Values per parameter of the starting scan (every combination, ends of the ranges
    /// included); 1 starts from the middle of every range.
    package var scan: Int = 1
    package var steps: Int
    package var rounds: Int

    package static func load(path: String) throws -> CalibrationPlan {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SpecError(file: path, line: nil, "cannot read the calibration plan (missing or unreadable)")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw SpecError(file: path, line: nil, "the calibration plan is not UTF-8 text") }
        let root = try SpecFile.compose(text, file: path)
        let r = try root.record(allowed: ["fit", "holdOut", "parameters", "seeds", "search"], required: ["fit", "holdOut", "parameters"])
        let base = URL(fileURLWithPath: path).deletingLastPathComponent()
        func resolve(_ p: String) -> String { p.hasPrefix("/") ? p : base.appendingPathComponent(p).standardizedFileURL.path }

        var plan = CalibrationPlan(file: path, fit: [], holdOut: [], parameters: [], seeds: 1, steps: 5, rounds: 3)
        for node in try r.require("holdOut").sequence() {
            let p = resolve(try node.string())
            let spec = try Replay.loadSpec(path: p)
            if let o = spec.outcomes.first(where: { $0.outcomeClass == .fitted }) {
                throw node.error("held-out episode \(spec.name) has a fitted row (\(o.id)): a held-out episode stays out of the fit entirely")
            }
            plan.holdOut.append(p)
        }
        guard !plan.holdOut.isEmpty else { throw try r.require("holdOut").error("at least one whole episode must stay out of the fit") }
        for node in try r.require("fit").sequence() {
            let x = try node.record(allowed: ["spec", "targets"], required: ["spec", "targets"])
            let p = resolve(try x.require("spec").string())
            guard !plan.holdOut.contains(p) else { throw node.error("\(p) is both in the fit and held out") }
            guard !plan.fit.contains(where: { $0.path == p }) else { throw node.error("\(p) is in the fit twice") }
            let spec = try Replay.loadSpec(path: p)
            var targets: [Spec.KnownOutcome] = []
            for t in try x.require("targets").sequence() {
                let id = try t.string()
                guard let o = spec.outcomes.first(where: { $0.id == id }) else {
                    throw t.error("\(spec.name) has no outcome '\(id)'\(Suggestion.didYouMean(id, in: spec.outcomes.map(\.id)))")
                }
                if o.metric.isDated { throw t.error("\(id): a \(o.metric.rawValue) date is never a calibration target (it is what the model must predict)") }
                if o.metric == .survives { throw t.error("\(id): a survival is never a calibration target") }
                guard o.outcomeClass == .fitted else {
                    throw t.error("\(id) is class \(o.outcomeClass.rawValue) in \(spec.name): a target must be declared 'class: fitted' there")
                }
                guard !targets.contains(where: { $0.id == id }) else { throw t.error("\(id) is a target twice") }
                targets.append(o)
            }
            guard !targets.isEmpty else { throw node.error("\(spec.name) is in the fit with no targets") }
            if let o = spec.outcomes.first(where: { $0.outcomeClass == .fitted && !targets.map(\.id).contains($0.id) }) {
                throw node.error("\(spec.name)'s row \(o.id) is class fitted but not a target here: list it, or class it held-out")
            }
            plan.fit.append(Episode(path: p, spec: spec, targets: targets))
        }
        guard !plan.fit.isEmpty else { throw try r.require("fit").error("the fit needs at least one episode") }
        for (key, node) in try r.require("parameters").entries() {
            let range = try node.sequence()
            guard range.count == 2 else { throw node.error("parameter \(key) needs a range [low, high]") }
            let low = try range[0].fixed(), high = try range[1].fixed()
            guard low < high else { throw node.error("parameter \(key): low must be below high") }
            plan.parameters.append(Parameter(path: key, low: low, high: high))
        }
        guard !plan.parameters.isEmpty else { throw try r.require("parameters").error("no parameters to fit") }
        // Every parameter must be a path the fit's specs accept.
        for e in plan.fit {
            let sets = plan.parameters.map { Overrides.Assignment(path: $0.path, value: FixedPoint.format($0.low, decimals: 8)) }
            _ = try Replay.loadSpec(path: e.path, overrides: sets)
        }
        if let n = r["seeds"] {
            let v = try n.integer()
            guard (1...100).contains(v) else { throw n.error("'seeds' must be 1 … 100") }
            plan.seeds = Int(v)
        }
        if let s = r["search"] {
            let x = try s.record(allowed: ["scan", "steps", "rounds"])
            if let n = x["scan"] {
                let v = try n.integer()
                guard (1...21).contains(v) else { throw n.error("'search.scan' must be 1 … 21") }
                var combinations = 1
                for _ in plan.parameters where combinations <= 100_000 { combinations *= Int(v) }
                guard combinations <= 100_000 else {
                    throw n.error("'search.scan' of \(v) values for \(plan.parameters.count) parameters is over 100,000 combinations")
                }
                plan.scan = Int(v)
            }
            if let n = x["steps"] {
                let v = try n.integer()
                guard (2...101).contains(v) else { throw n.error("'search.steps' must be 2 … 101") }
                plan.steps = Int(v)
            }
            if let n = x["rounds"] {
                let v = try n.integer()
                guard (1...20).contains(v) else { throw n.error("'search.rounds' must be 1 … 20") }
                plan.rounds = Int(v)
            }
        }
        return plan
    }
}
