import DominoLog
import DominoModel
import Foundation

/// One run of a spec for `domino verify`: the replay at one seed, with the paths its outflow
/// rows need (every platform's customer claims and the prices at the rows' dates).
package struct VerifyRun: Sendable {
    /// The book at one time: customer claims per agent and asset (tokens × 10^8), prices per asset.
    package struct PathPoint: Sendable, Equatable {
        package var claims: [[Int64]]
        package var prices: [Int64]

        /// The net outflow from platform `i` between `self` and `later`: the fall in its claims,
        /// each asset valued at its price here, over its claims valued the same way (× 10^8;
        /// 0 without claims). Deposits count against withdrawals; prices do not move it.
        package func outflow(to later: PathPoint, platform i: Int) -> Int64 {
            var before: Int64 = 0, fall: Int64 = 0
            for a in prices.indices {
                before += Fixed.value(claims[i][a], at: prices[a])
                fall += Fixed.value(claims[i][a] - later.claims[i][a], at: prices[a])
            }
            return before <= 0 ? 0 : Fixed.mulDiv(fall, Fixed.one, before)
        }
    }

    package var seed: UInt64
    package var result: ReplayResult
    /// The path at every `from` and `to` of the spec's outflow rows (nil: not recorded).
    package var paths: [Int64: PathPoint]?
    /// For a run of `verify --paths`: the path's draw of the spec's assumptions.
    package var draw: Assumptions.Draw?

    package init(seed: UInt64, result: ReplayResult, paths: [Int64: PathPoint]?, draw: Assumptions.Draw? = nil) {
        self.seed = seed; self.result = result; self.paths = paths; self.draw = draw
    }

    /// The `k`-th seed of a verify run: the spec's own for k = 0, then SplitMix64 draws from the
    /// spec's seed (stream k), below 2^63 so that `--set seed=N` reproduces any of them.
    package static func seed(_ specSeed: UInt64, _ k: Int) -> UInt64 {
        guard k > 0 else { return specSeed }
        var r = SeededRandom(seed: specSeed, stream: UInt64(k))
        return r.next() >> 1
    }

    /// Runs the spec at `path` with `overrides` at its `k`-th seed. Overrides that are not
    /// shared (`Replay.isShared`) make it a counterfactual against the spec as written, at the
    /// same seed, as `domino replay` runs them. `progress` receives the share of the window done.
    package static func run(path: String, overrides: [Overrides.Assignment], seedIndex k: Int,
                            progress: ((Double) -> Void)? = nil) throws -> VerifyRun {
        var spec = try Replay.loadSpec(path: path, overrides: overrides)
        let seed = Self.seed(spec.seed, k)
        spec.seed = seed
        var options = RunOptions()
        if overrides.contains(where: { !Replay.isShared($0) }) {
            var baseline = try Replay.loadSpec(path: path, overrides: overrides.filter(Replay.isShared))
            baseline.seed = seed
            options.reference = try Replay.run(baseline).model.trace
        }
        return try run(spec, options: options, progress: progress)
    }

    /// Runs `spec` as it is, stepping to each date its outflow rows name to record the path there
    /// (the state before the first input at or after that time).
    package static func run(_ spec: Spec, options: RunOptions = RunOptions(), progress: ((Double) -> Void)? = nil) throws -> VerifyRun {
        var engine = try ReplayEngine(spec, options: options, progress: progress)
        let times = Array(Set(spec.outcomes.filter { $0.metric == .outflow }.flatMap { [$0.from!, $0.to!] })).sorted()
        var paths: [Int64: PathPoint] = [:] // lookups only
        var k = 0
        while k < times.count, let next = engine.nextTime {
            if engine.model.state.settled && next >= times[k] {
                paths[times[k]] = point(engine.model)
                k += 1
            } else {
                _ = try engine.step()
            }
        }
        try engine.consumeAll()
        let result = try engine.finish()
        while k < times.count { paths[times[k]] = point(result.model); k += 1 }
        return VerifyRun(seed: spec.seed, result: result, paths: paths)
    }

    static func point(_ m: Model) -> PathPoint {
        PathPoint(claims: m.state.agents.map { $0.claims.map(\.raw) }, prices: m.state.market.assets.map(\.price.raw))
    }

    /// Runs seeds 0..<seeds of the spec at `path`, `jobs` at a time, each single-threaded; the
    /// runs come back in seed order whatever the job count. `progress(done)` is called on the
    /// calling thread as runs finish.
    package static func runSeeds(path: String, overrides: [Overrides.Assignment], seeds: Int, jobs: Int,
                                 progress: ((Int) -> Void)? = nil) throws -> [VerifyRun] {
        try ParallelRuns.map(count: seeds, jobs: jobs, progress: progress) { k in
            try run(path: path, overrides: overrides, seedIndex: k)
        }
    }

    /// Runs paths 0..<count of the spec at `path` on the recorded prices, `jobs` at a time: path
    /// k is the spec (with `overrides`) with `PathRandom.overrides(seed: pathsSeed, path: k)`
    /// applied, its draw of the assumptions and its model seed. The drawn spec is the path's
    /// spec as written: overrides that are not shared make each path a counterfactual against
    /// it. The runs come back in path order whatever the job count. A drawn value the spec
    /// refuses is an error naming the path, the assumption and the value.
    package static func runPaths(path: String, overrides: [Overrides.Assignment], count: Int, pathsSeed: UInt64?, jobs: Int,
                                 progress: ((Int) -> Void)? = nil) throws -> [VerifyRun] {
        let text = try SpecFile.read(path: path)
        let root = try Overrides.apply(overrides, to: try SpecFile.compose(text, file: path))
        let spec = try Spec.parse(root)
        let seed = pathsSeed ?? spec.seed
        // The draws first (cheap; the tree is not shared between threads), then the runs.
        let draws = try (0..<count).map { k in try PathRandom.overrides(spec, root: root, seed: seed, path: k) }
        return try ParallelRuns.map(count: count, jobs: jobs, progress: progress) { k in
            let (draw, drawn) = draws[k]
            let pathSpec: Spec
            do {
                pathSpec = try Replay.loadSpec(path: path, overrides: overrides + drawn)
            } catch let error as SpecError {
                throw blame(error, path: path, k: k, draw: draw, spec: spec, overrides: overrides)
            }
            var options = RunOptions()
            if overrides.contains(where: { !Replay.isShared($0) }) {
                let baseline = try Replay.loadSpec(path: path, overrides: overrides.filter(Replay.isShared) + drawn)
                options.reference = try Replay.run(baseline).model.trace
            }
            var r = try Self.run(pathSpec, options: options)
            r.draw = draw
            return r
        }
    }

    /// The error of a path whose drawn spec fails: the first assumption whose value alone the
    /// spec refuses (or every drawn value, when none does alone).
    static func blame(_ error: SpecError, path: String, k: Int, draw: Assumptions.Draw, spec: Spec,
                      overrides: [Overrides.Assignment]) -> SpecError {
        for (a, value) in zip(spec.assumptions, draw.values) {
            let own = draw.overrides.filter { $0.path == a.path || $0.path.hasPrefix(a.path + ".") }
            do {
                _ = try Replay.loadSpec(path: path, overrides: overrides + own)
            } catch let e as SpecError {
                let written = own.map { "\($0.path)=\($0.value)" }.joined(separator: ", ")
                return SpecError(file: error.file, line: a.line, "path \(k): assumption '\(a.name)' drew \(FixedPoint.format(value.value, decimals: 8).trimmingTrailingZeros) (\(written)), which the spec refuses: \(e.message)")
            } catch {
                continue
            }
        }
        let written = draw.overrides.map { "\($0.path)=\($0.value)" }.joined(separator: ", ")
        return SpecError(file: error.file, line: error.line, "path \(k): the drawn spec (\(written)) is refused: \(error.message)")
    }
}
