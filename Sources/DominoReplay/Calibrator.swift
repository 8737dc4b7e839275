import DominoLog
import DominoModel

/// `domino calibrate`: a deterministic search for the parameter values that minimise the sum of
/// squared errors on the plan's targets over its seeds.
///
/// A scan, then coordinate descent on a grid. The scan (`search.scan` = n > 1) evaluates every
/// combination of n evenly spaced values per parameter (the ends of the ranges included) and
/// starts from the best (ties: the first in order, the last parameter varying fastest); n = 1
/// starts from the middle of every range. A rugged objective — a run that tips into failures
/// or not — can hold a descent from the middle in a poor valley. Then each round moves one
/// parameter at a time to the best of `steps` evenly spaced values (the whole range in the first
/// round, then ± one grid step around the current value), the others held. Ties keep the current
/// value, else the lowest. At most 1 + scan^parameters + parameters × steps × rounds evaluations, each a run of
/// every fit episode at every seed; evaluations are cached, runs go `jobs` at a time, and the
/// result does not depend on the job count.
///
/// Each run is the spec as if written with the values (`--set` applied to the spec itself, not a
/// counterfactual against it), at the k-th verify seed (`VerifyRun.seed`).
package struct Calibrator: Sendable {
    /// The errors of one set of values.
    package struct Evaluation: Sendable {
        package var values: [Int64]
        /// Per target (episodes in plan order, targets in their order), per seed: the signed
        /// error (× 10^8 of a share: outflow points or relative error), nil when not measured.
        package var errors: [[Int64?]]
        /// Per target, per seed: the modelled value as verify prints it.
        package var modelled: [[String]]
        /// Σ error², errors in units of 10^-8 (a missing error counts as 100 points).
        package var objective: Int128

        /// The objective in points² (1 point = 1% of a share, or 1% of relative error).
        package var objectivePoints: Double { Double(objective) / 1e12 }
    }

    package struct Result: Sendable {
        package var best: Evaluation
        package var start: Evaluation
        package var evaluations: Int
        package var runs: Int
        /// Each round's best objective.
        package var trace: [Int128]
    }

    package let plan: CalibrationPlan
    package var jobs: Int

    package init(plan: CalibrationPlan, jobs: Int = 1) { self.plan = plan; self.jobs = max(1, jobs) }

    /// The targets in evaluation order, with their episode's spec name.
    package var targets: [(spec: String, outcome: Spec.KnownOutcome)] {
        plan.fit.flatMap { e in e.targets.map { (e.spec.name, $0) } }
    }

    /// Values as `--set` text (shortest exact decimal).
    package static func text(_ v: Int64) -> String { FixedPoint.format(v, decimals: 8) }

    package func assignments(_ values: [Int64]) -> [Overrides.Assignment] {
        zip(plan.parameters, values).map { Overrides.Assignment(path: $0.path, value: Self.text($1)) }
    }

    /// Evaluates several sets of values, every run `jobs` at a time; results in input order.
    package func evaluate(_ batch: [[Int64]]) throws -> [Evaluation] {
        let episodes = plan.fit, seeds = plan.seeds
        let perValues = episodes.count * seeds
        let sets = batch.map(assignments)
        let runs = try ParallelRuns.map(count: batch.count * perValues, jobs: jobs, progress: nil) { n in
            let (b, rest) = n.quotientAndRemainder(dividingBy: perValues)
            let (e, k) = rest.quotientAndRemainder(dividingBy: seeds)
            var spec = try Replay.loadSpec(path: episodes[e].path, overrides: sets[b])
            spec.seed = VerifyRun.seed(spec.seed, k)
            let run = try VerifyRun.run(spec)
            return episodes[e].targets.map { o in
                let m = OutcomeMeasure(run, o, settings: spec.verify)
                return (m.errorValue, m.modelled)
            }
        }
        return batch.indices.map { b in
            var errors: [[Int64?]] = [], modelled: [[String]] = []
            for (e, episode) in episodes.enumerated() {
                for t in episode.targets.indices {
                    let cells = (0..<seeds).map { runs[b * perValues + e * seeds + $0][t] }
                    errors.append(cells.map(\.0))
                    modelled.append(cells.map(\.1))
                }
            }
            let objective = errors.joined().reduce(Int128(0)) { sum, e in
                let x = Int128(e ?? Fixed.one)
                return sum + x * x
            }
            return Evaluation(values: batch[b], errors: errors, modelled: modelled, objective: objective)
        }
    }

    /// The search. `progress(round, parameter)` after each coordinate step.
    package func run(progress: ((Int, Int) -> Void)? = nil) throws -> Result {
        let params = plan.parameters
        var cache: [[Int64]: Evaluation] = [:] // lookups only
        var runs = 0
        func evaluateAll(_ batch: [[Int64]]) throws {
            // In batch order; the set only answers "seen?" (a scan can hold 100,000 points, and
            // a linear search of the list for each would be quadratic).
            var fresh: [[Int64]] = [], seen: Set<[Int64]> = []
            for v in batch where cache[v] == nil && seen.insert(v).inserted { fresh.append(v) }
            for e in try evaluate(fresh) { cache[e.values] = e }
            runs += fresh.count * plan.fit.count * plan.seeds
        }
        var current = params.map { $0.low + ($0.high - $0.low) / 2 }
        try evaluateAll([current])
        let start = cache[current]!
        if plan.scan > 1 {
            let levels = params.map { p in
                (0..<plan.scan).map { k in p.low + Int64(Int128(p.high - p.low) * Int128(k) / Int128(plan.scan - 1)) }
            }
            var combinations: [[Int64]] = [[]]
            for values in levels { combinations = combinations.flatMap { c in values.map { c + [$0] } } }
            try evaluateAll(combinations)
            var best = cache[combinations[0]]!
            for c in combinations.dropFirst() where cache[c]!.objective < best.objective { best = cache[c]! }
            if best.objective < start.objective { current = best.values }
        }
        var spacing = params.map { _ in Int64(0) }
        var trace: [Int128] = []
        for round in 0..<plan.rounds {
            for (p, parameter) in params.enumerated() {
                let a = round == 0 ? parameter.low : max(parameter.low, current[p] - spacing[p])
                let b = round == 0 ? parameter.high : min(parameter.high, current[p] + spacing[p])
                let steps = Int128(plan.steps - 1)
                let grid = (0...plan.steps - 1).map { k in a + Int64(Int128(b - a) * Int128(k) / steps) }
                spacing[p] = Int64(Int128(b - a) / steps)
                let candidates = grid.map { v -> [Int64] in var x = current; x[p] = v; return x }
                try evaluateAll(candidates)
                var best = cache[current]!
                for c in candidates where cache[c]!.objective < best.objective { best = cache[c]! }
                current = best.values
                progress?(round, p)
            }
            trace.append(cache[current]!.objective)
        }
        return Result(best: cache[current]!, start: start, evaluations: cache.count, runs: runs, trace: trace)
    }
}

extension Calibrator {
    /// Writes `text` to `path` through a temporary name, renamed into place.
    package static func write(_ text: String, to path: String) throws { try RunOutput.write(text, to: path) }
}
