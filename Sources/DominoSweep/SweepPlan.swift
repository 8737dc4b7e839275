import DominoLog
import DominoModel
import DominoReplay
import Foundation

/// What a sweep runs: the spec read and composed once, the grid expanded to points with their
/// overrides, the distinct baselines their counterfactuals need, and the hash of every input.
///
/// Each grid point's overrides are, in `--grid` order, the assignments of its policy set (for
/// the `policy` key; none for `none`) and `key=value` for every other key — a later key wins
/// over an earlier one on the same path. The seed is set last. Overrides of `model.*`, `seed`,
/// `window` and asset depth are shared with the baseline (`Replay.isShared`); any other makes
/// the point a counterfactual, replayed against the baseline of its shared overrides and seed,
/// exactly as `domino replay SPEC --set …` does.
///
/// A stress study (`grid.paths`, `domino stress`) runs every point on paths 0…N−1. Path k's
/// assumption draw and model seed (`PathRandom.overrides`, keyed by the study seed) are applied
/// first to every run of path k — they are not counterfactual overrides: the baseline of (shared
/// group, path k) is the spec with them — then the point's overrides, then path k's seed; and
/// every run of path k (baseline and counterfactual) replays the generator's inputs of path k.
package final class SweepPlan: @unchecked Sendable { // immutable after init
    package struct Point: Sendable {
        package var parameters: [GridParameter]
        package var overrides: [Overrides.Assignment]
        package var counterfactual: Bool
        /// Index into `sharedGroups`: the overrides this point shares with its baseline.
        package var sharedGroup: Int
    }

    package let specPath: String
    package let grid: Grid
    /// SHA-256 over the spec file, the policy files of the grid and the datasets.
    package let specHash: String
    /// The spec as written (no overrides).
    package let baseSpec: Spec
    package let points: [Point]
    /// Distinct lists of shared overrides (without the seed); a baseline is one of them × a seed.
    package let sharedGroups: [[Overrides.Assignment]]
    let root: SpecNode
    /// A stress study's generator (nil in a plain sweep), and the `--generator` text that made it
    /// (what a shard plan records: `Generators.make` reads it back).
    package let generator: (any PriceGenerator)?
    package let generatorText: String?
    /// A stress study's seed, which keys every path's draws (`PathRandom`): `--seed`, default the spec's.
    package let studySeed: UInt64?

    package var runCount: Int { grid.runCount }

    /// `generator` and `studySeed` apply only to a grid with paths (default `recorded` and the spec's seed).
    package init(specPath: String, grid: Grid, generator generatorName: String? = nil, studySeed: UInt64? = nil) throws {
        self.specPath = specPath
        self.grid = grid
        guard let data = FileManager.default.contents(atPath: specPath) else {
            throw SweepError.failure("\(specPath): cannot read the spec (missing or unreadable)")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw SweepError.failure("\(specPath): the spec is not UTF-8 text") }
        root = try SpecFile.compose(text, file: specPath)
        baseSpec = try Spec.parse(root)

        var hasher = SHA256()
        func add(_ label: String, _ bytes: [UInt8]) {
            hasher.update(Array("\(label)\n\(bytes.count)\n".utf8))
            hasher.update(bytes)
        }
        add("spec", Array(data))

        // Policy sets: loaded once per distinct name, assignments computed for the spec as written.
        var policies: [String: [Overrides.Assignment]] = [:]
        if let axis = grid.axes.first(where: { $0.key == GridAxis.policyKey }) {
            // Hashed in name order: the same policy files hash the same in any grid order.
            for name in axis.values.sorted() where name != GridAxis.nonePolicy {
                let text: String
                do {
                    let found = try PolicySet.find(name, specPath: specPath)
                    text = found.text
                    policies[name] = found.set.assignments(for: baseSpec)
                } catch let error as SweepError {
                    throw error
                } catch {
                    throw SweepError.usage("--grid policy=\(name): \(error)")
                }
                add("policy \(name)", Array(text.utf8))
            }
        }
        let datasetBase = URL(fileURLWithPath: specPath).deletingLastPathComponent()
        for path in baseSpec.datasets {
            let full = path.hasPrefix("/") ? path : datasetBase.appendingPathComponent(path).standardizedFileURL.path
            guard let bytes = FileManager.default.contents(atPath: full) else {
                throw SweepError.failure("\(specPath): dataset '\(path)' not found (looked for \(full))")
            }
            add("dataset \(path)", Array(bytes))
        }
        specHash = SHA256.hex(hasher.finalize())
        if grid.paths != nil {
            generatorText = generatorName ?? "recorded"
            do { generator = try Generators.make(generatorName ?? "recorded", spec: baseSpec) } catch let error as SpecError {
                throw SweepError.usage(error.description)
            }
            self.studySeed = studySeed ?? baseSpec.seed
        } else {
            guard generatorName == nil, studySeed == nil else { throw SweepError.usage("--generator and --seed need --paths") }
            generator = nil
            generatorText = nil
            self.studySeed = nil
        }

        var points: [Point] = []
        var groups: [[Overrides.Assignment]] = []
        var groupIndex: [String: Int] = [:]
        points.reserveCapacity(grid.pointCount)
        for p in 0..<grid.pointCount {
            let parameters = grid.parameters(ofPoint: p).map { GridParameter(key: $0.key, value: $0.value) }
            var overrides: [Overrides.Assignment] = []
            for parameter in parameters {
                if parameter.key == GridAxis.policyKey {
                    overrides += policies[parameter.value] ?? []
                } else {
                    overrides.append(Overrides.Assignment(path: parameter.key, value: parameter.value))
                }
            }
            let shared = overrides.filter(Replay.isShared)
            let key = shared.map { "\($0.path)=\($0.value)" }.joined(separator: "\n")
            let group: Int
            if let g = groupIndex[key] { group = g } else {
                group = groups.count
                groupIndex[key] = group
                groups.append(shared)
            }
            points.append(Point(parameters: parameters, overrides: overrides,
                                counterfactual: overrides.contains { !Replay.isShared($0) }, sharedGroup: group))
        }
        self.points = points
        sharedGroups = groups
    }

    /// Parses every grid point's spec once (and every baseline's), so a bad override stops the
    /// sweep before anything runs, with the `--grid` value that caused it.
    package func validate() throws {
        for (p, point) in points.enumerated() {
            do { _ = try spec(point: p) } catch let error as SpecError {
                let where_ = point.parameters.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                throw SweepError.usage("grid point \(where_.isEmpty ? "(the spec)" : where_): \(error.description)")
            }
        }
        for g in sharedGroups.indices { _ = try baselineSpec(group: g, seed: nil) }
        if grid.paths != nil {
            // Path 0's draw: a bad assumption range stops the study before anything runs.
            do { _ = try runSpec(run: 0) } catch let error as SpecError {
                throw SweepError.usage("path 0: \(error.description)")
            }
        }
    }

    /// The spec of grid point `p` (its overrides applied to the parsed tree; seed as written).
    package func spec(point p: Int) throws -> Spec {
        try Spec.parse(Overrides.apply(points[p].overrides, to: root))
    }

    /// Path `path`'s assumption draw and model seed as overrides (the seed last); empty in a plain sweep.
    package func pathOverrides(_ path: Int?) throws -> [Overrides.Assignment] {
        guard let path, let studySeed else { return [] }
        return try PathRandom.overrides(baseSpec, root: root, seed: studySeed, path: path).overrides
    }

    /// `overrides` on path `path`: its assumption draw first, then `overrides`, then its seed.
    func onPath(_ path: Int?, _ overrides: [Overrides.Assignment]) throws -> [Overrides.Assignment] {
        let drawn = try pathOverrides(path)
        guard let seed = drawn.last else { return overrides }
        return drawn.dropLast() + overrides + [seed]
    }

    /// The spec run `run` replays (its point's spec, with its seed, or on its path).
    package func runSpec(run: Int) throws -> Spec {
        guard let path = grid.path(ofRun: run) else {
            var spec = try spec(point: grid.point(ofRun: run))
            if let seed = seed(ofRun: run) { spec.seed = seed }
            return spec
        }
        return try Spec.parse(Overrides.apply(try onPath(path, points[grid.point(ofRun: run)].overrides), to: root))
    }

    /// The spec of the baseline run `run` is replayed against (or is): its shared overrides and seed, or path.
    package func baselineSpec(ofRun run: Int) throws -> Spec {
        let group = points[grid.point(ofRun: run)].sharedGroup
        guard let path = grid.path(ofRun: run) else { return try baselineSpec(group: group, seed: seed(ofRun: run)) }
        return try Spec.parse(Overrides.apply(try onPath(path, sharedGroups[group]), to: root))
    }

    /// The options of every replay of run `run` (its baseline's too): its path's generated inputs.
    package func runOptions(run: Int) throws -> RunOptions {
        var options = RunOptions()
        if let path = grid.path(ofRun: run), let generator, let studySeed {
            options.path = try generator.inputs(seed: studySeed, path: path)
        }
        return options
    }

    /// The spec of a baseline: the shared overrides of `group`, then the seed.
    package func baselineSpec(group: Int, seed: UInt64?) throws -> Spec {
        var spec = sharedGroups[group].isEmpty ? baseSpec : try Spec.parse(Overrides.apply(sharedGroups[group], to: root))
        if let seed { spec.seed = seed }
        return spec
    }

    /// The seed of run `run`: 1…N with `--seeds N`, else nil (the spec's own).
    package func seed(ofRun run: Int) -> UInt64? {
        grid.seeds == nil ? nil : UInt64(grid.seedIndex(ofRun: run) + 1)
    }

    /// The baseline of run `run`: an id shared by every run with the same shared overrides and seed.
    package func baseline(ofRun run: Int) -> Int {
        points[grid.point(ofRun: run)].sharedGroup * grid.seedCount + grid.seedIndex(ofRun: run)
    }

    package var baselineCount: Int { sharedGroups.count * grid.seedCount }

    /// The `sweep` table's rows: what identifies the sweep (the spec hash, grid, seeds and
    /// the metrics sampling are compared when it is resumed; the spec path is not).
    package func meta(metrics: MetricsSampling) -> [(String, String)] {
        var rows = [("schema", String(SweepStore.schemaVersion)),
         ("spec", specPath),
         ("spec_name", baseSpec.name),
         ("spec_hash", specHash),
         ("grid", grid.json.render()),
         ("seeds", grid.seeds.map(String.init) ?? "spec"),
         ("runs", String(runCount)),
         ("metrics", metrics.description)]
        if let paths = grid.paths, let generator, let studySeed {
            rows += [("paths", String(paths)), ("generator", generator.description), ("study_seed", String(studySeed))]
        }
        return rows
    }

    /// The overrides of run `run` as `domino replay --set` would take them (the seed last; on a
    /// path, its assumption draw first; the generator's inputs are not overrides).
    package func runOverrides(ofRun run: Int) throws -> [Overrides.Assignment] {
        if grid.paths != nil { return try onPath(grid.path(ofRun: run), points[grid.point(ofRun: run)].overrides) }
        return overrides(ofRun: run)
    }

    /// The overrides of run `run` of a plain sweep as `domino replay --set` would take them (the seed last).
    package func overrides(ofRun run: Int) -> [Overrides.Assignment] {
        var o = points[grid.point(ofRun: run)].overrides
        if let seed = seed(ofRun: run) { o.append(Overrides.Assignment(path: "seed", value: String(seed))) }
        return o
    }
}
