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

    package var runCount: Int { grid.runCount }

    package init(specPath: String, grid: Grid) throws {
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
    }

    /// The spec of grid point `p` (its overrides applied to the parsed tree; seed as written).
    package func spec(point p: Int) throws -> Spec {
        try Spec.parse(Overrides.apply(points[p].overrides, to: root))
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
        [("schema", String(SweepStore.schemaVersion)),
         ("spec", specPath),
         ("spec_name", baseSpec.name),
         ("spec_hash", specHash),
         ("grid", grid.json.render()),
         ("seeds", grid.seeds.map(String.init) ?? "spec"),
         ("runs", String(runCount)),
         ("metrics", metrics.description)]
    }

    /// The overrides of run `run` as `domino replay --set` would take them (the seed last).
    package func overrides(ofRun run: Int) -> [Overrides.Assignment] {
        var o = points[grid.point(ofRun: run)].overrides
        if let seed = seed(ofRun: run) { o.append(Overrides.Assignment(path: "seed", value: String(seed))) }
        return o
    }
}
