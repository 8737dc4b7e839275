import DominoLog
import DominoReplay
import Foundation

/// A sweep cut into shards, the unit of distributed work: `DIR/plan.json`, written by
/// `domino sweep plan`, read by `sweep run-shard` (on any node) and `sweep merge`.
///
/// It records what identifies the sweep (the spec path as given, the spec hash over the spec,
/// its datasets and policy files, the grid, the seeds, the metrics sampling), every run id in
/// its baseline group (the runs that share one baseline replay), and the shards: lists of run
/// ids. Runs that share a baseline stay in one shard whenever the group fits, so its trace is
/// replayed once; a group larger than a shard is split into pieces (its baseline then replayed
/// once per piece). The file depends only on its inputs and the shard size.
package struct ShardPlan: Codable, Sendable, Equatable {
    package static let fileName = "plan.json"
    package static let shardsDirectory = "shards"
    package static let format = "domino-sweep-plan"

    package struct Axis: Codable, Sendable, Equatable { package var key: String, values: [String] }
    package struct Baseline: Codable, Sendable, Equatable { package var baseline: Int, runs: [Int] }
    package struct Shard: Codable, Sendable, Equatable { package var shard: Int, runs: [Int] }

    package var format: String
    package var schema: Int
    package var spec: String
    package var specName: String
    package var specHash: String
    package var axes: [Axis]
    package var seeds: Int?
    /// A stress study's paths, generator (the `--generator` text, and its description as the
    /// results store it) and seed; absent in a plain sweep's plan.
    package var paths: Int?
    package var generator: String?
    package var generatorDescription: String?
    package var studySeed: UInt64?
    package var metrics: String
    package var runs: Int
    /// The target runs per shard the shards were cut to (from --shard-runs or --shard-seconds).
    package var shardRuns: Int
    package var baselines: [Baseline]
    package var shards: [Shard]

    /// Cuts `plan` (only the runs in `only`, when given) into shards of at most `shardRuns` runs,
    /// baseline groups kept whole where they fit.
    package init(plan: SweepPlan, metrics: MetricsSampling, shardRuns: Int, only: Set<Int>? = nil) {
        precondition(shardRuns >= 1)
        format = Self.format
        schema = SweepStore.schemaVersion
        spec = plan.specPath
        specName = plan.baseSpec.name
        specHash = plan.specHash
        axes = plan.grid.axes.map { Axis(key: $0.key, values: $0.values) }
        seeds = plan.grid.seeds
        paths = plan.grid.paths
        generator = plan.generatorText
        generatorDescription = plan.generator?.description
        studySeed = plan.studySeed
        self.metrics = metrics.description
        runs = plan.runCount
        self.shardRuns = shardRuns
        var groups = [[Int]](repeating: [], count: plan.baselineCount)
        for run in 0..<plan.runCount where only?.contains(run) ?? true { groups[plan.baseline(ofRun: run)].append(run) }
        baselines = groups.enumerated().filter { !$0.element.isEmpty }.map { Baseline(baseline: $0.offset, runs: $0.element) }
        var shards: [Shard] = []
        var current: [Int] = []
        func close() {
            if !current.isEmpty { shards.append(Shard(shard: shards.count, runs: current.sorted())); current = [] }
        }
        for group in baselines {
            if current.count + group.runs.count > shardRuns { close() }
            var rest = group.runs[...]
            while rest.count > shardRuns {
                current = Array(rest.prefix(shardRuns)); close()
                rest = rest.dropFirst(shardRuns)
            }
            current += rest
        }
        close()
        self.shards = shards
    }

    /// The runs per shard that makes a shard take about `seconds` at `runMs` per run.
    package static func shardRuns(seconds: Double, runMs: Double) -> Int {
        max(1, Int((seconds * 1000 / max(runMs, 0.001)).rounded(.down)))
    }

    /// One run's replay time on this machine, in ms (for `--shard-seconds`): the first run of
    /// the plan replayed the way a sweep replays it (against its baseline when a counterfactual),
    /// the fastest of three.
    package static func measureRunMs(_ plan: SweepPlan) throws -> Double {
        let point = plan.points[0]
        let spec = try plan.runSpec(run: 0)
        var options = try plan.runOptions(run: 0)
        if point.counterfactual {
            options.reference = try Replay.run(plan.baselineSpec(ofRun: 0), options: plan.runOptions(run: 0)).model.trace
        }
        var best = Double.infinity
        for _ in 0..<3 {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try Replay.run(spec, options: options)
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        return best
    }

    /// The grid of the plan (as `domino sweep` would parse it).
    package func grid() throws -> Grid { try Grid(axes: axes.map { GridAxis(key: $0.key, values: $0.values) }, seeds: seeds, paths: paths) }

    /// The `sweep` table's rows of the sweep this plan is (as `SweepPlan.meta`).
    package func meta() throws -> [(String, String)] {
        var rows = [("schema", String(schema)), ("spec", spec), ("spec_name", specName), ("spec_hash", specHash),
                    ("grid", try grid().json.render()), ("seeds", seeds.map(String.init) ?? "spec"), ("runs", String(runs)), ("metrics", metrics)]
        if let paths, let generatorDescription, let studySeed {
            rows += [("paths", String(paths)), ("generator", generatorDescription), ("study_seed", String(studySeed))]
        }
        return rows
    }

    /// Reads the spec again (at `specPath`, default the path in the plan) and checks that it is
    /// the sweep that was planned: the same spec hash and grid.
    package func sweepPlan(specPath: String? = nil) throws -> SweepPlan {
        // The generator from its `--generator` text, as planned.
        let plan = try SweepPlan(specPath: specPath ?? spec, grid: try grid(), generator: generator, studySeed: studySeed)
        guard plan.generator?.description == generatorDescription else {
            throw SweepError.failure("\(specPath ?? spec): the generator '\(generator ?? "")' is now '\(plan.generator?.description ?? "")', planned '\(generatorDescription ?? "")'")
        }
        guard plan.specHash == specHash else {
            throw SweepError.failure("\(specPath ?? spec): the spec, its datasets or policy files changed since the plan (spec hash \(plan.specHash.prefix(12))…, planned \(specHash.prefix(12))…)")
        }
        return plan
    }

    // MARK: The file

    package func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }

    /// Writes `DIR/plan.json` (through a temporary name). An existing plan is kept when it is
    /// the same; a different one is refused (a plan's shards would no longer match it).
    package func write(to dir: String) throws {
        let path = dir + "/" + Self.fileName
        let data = try encoded()
        if let existing = FileManager.default.contents(atPath: path) {
            if existing == data { return }
            throw SweepError.usage("\(path) holds a different plan; use another --out or remove it")
        }
        do {
            try FileManager.default.createDirectory(atPath: dir + "/" + Self.shardsDirectory, withIntermediateDirectories: true)
        } catch {
            throw SweepError.failure("\(dir): cannot create the directory: \(error.localizedDescription)")
        }
        try Self.writeAtomically(data, to: path)
    }

    static func writeAtomically(_ data: Data, to path: String) throws {
        let temporary = path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        guard FileManager.default.createFile(atPath: temporary, contents: data) else {
            throw SweepError.failure("\(path): cannot write")
        }
        guard rename(temporary, path) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw SweepError.failure("\(path): cannot rename \(temporary) into place")
        }
    }

    /// Reads `DIR/plan.json`.
    package static func load(dir: String) throws -> ShardPlan {
        let path = dir + "/" + fileName
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SweepError.failure("\(path): no sweep plan here (make one with `domino sweep plan`)")
        }
        let plan: ShardPlan
        do { plan = try JSONDecoder().decode(ShardPlan.self, from: data) } catch {
            throw SweepError.failure("\(path): not a sweep plan (\(error))")
        }
        guard plan.format == format else { throw SweepError.failure("\(path): not a sweep plan (format '\(plan.format)')") }
        guard plan.schema == SweepStore.schemaVersion else {
            throw SweepError.failure("\(path): a plan of schema \(plan.schema), this domino writes schema \(SweepStore.schemaVersion)")
        }
        return plan
    }

    /// Where shard `k` goes in the plan's directory.
    package static func shardPath(dir: String, shard k: Int) -> String {
        dir + "/" + shardsDirectory + "/" + String(format: "shard-%05d.sqlite", k)
    }
}
