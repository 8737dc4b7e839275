import DominoReplay
import Foundation
import GRDB

/// `domino sweep merge DIR`: the shard databases of a plan (`DIR/shards/*.sqlite`) merged into
/// one `results.sqlite` with the same content as a local `domino sweep` of the same plan.
///
/// Before writing anything it checks that every shard has this domino's schema and the plan's
/// sweep identity (spec hash, grid, seeds, metrics sampling), that together they cover every
/// run id of the plan exactly once, and that a run found in two shards (a shard rerun elsewhere)
/// has the same state hash in both — the first shard by name then supplies it. Rows are copied
/// shard by shard with SQL (`INSERT … SELECT`), never through Swift values, into a temporary file
/// written without a journal (renamed into place only when complete).
package struct ShardMerger: Sendable {
    package struct Result: Sendable {
        package var shards: Int, runs: Int, duplicates: Int
        package var path: String
        /// The output existed with the same content: left as it was.
        package var unchanged: Bool
    }

    package var dir: String
    /// Default `DIR/results.sqlite`.
    package var out: String?

    package init(dir: String, out: String? = nil) { self.dir = dir; self.out = out }

    /// The shard databases in the plan's directory, by name.
    package static func shardFiles(dir: String) -> [String] {
        let shards = dir + "/" + ShardPlan.shardsDirectory
        let names = (try? FileManager.default.contentsOfDirectory(atPath: shards)) ?? []
        return names.filter { $0.hasSuffix(".sqlite") }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { shards + "/" + $0 }
    }

    package func merge() throws -> Result {
        let plan = try ShardPlan.load(dir: dir)
        let meta = try plan.meta()
        let files = Self.shardFiles(dir: dir)
        guard !files.isEmpty else { throw SweepError.failure("\(dir)/\(ShardPlan.shardsDirectory): no shard databases to merge") }
        let schema = try SweepStore().schemaLines()

        // Check every shard, and choose which shard supplies each run.
        var owner = [Int](repeating: -1, count: plan.runs)
        var ownerHash = [String](repeating: "", count: plan.runs)
        var duplicates = 0
        let reasons = ["schema": "schema", "spec_hash": "spec hash", "grid": "grid", "seeds": "seeds", "metrics": "metrics sampling", "runs": "run count"]
        for (i, file) in files.enumerated() {
            let store = try SweepStore(existing: file)
            guard try store.schemaLines() == schema else {
                throw SweepError.failure("\(file): not a sweep database of schema \(SweepStore.schemaVersion) (its tables differ)")
            }
            let have = try store.meta()
            for (key, value) in meta where key != "spec" && key != "spec_name" && have[key] != value {
                throw SweepError.failure("\(file): a shard of another sweep (its \(reasons[key] ?? key) differs from the plan's)")
            }
            let rows = try store.read { db in try Row.fetchAll(db, sql: """
                SELECT run_id, state_hash FROM runs UNION ALL SELECT run_id, 'failed: ' || error FROM run_failures ORDER BY run_id
                """) } // a failed run counts as covered; its "hash" is its error
            for row in rows {
                let run: Int = row["run_id"], hash: String = row["state_hash"]
                guard run >= 0 && run < plan.runs else { throw SweepError.failure("\(file): run \(run) is not in the plan (runs 0…\(plan.runs - 1))") }
                if owner[run] >= 0 {
                    guard ownerHash[run] == hash else {
                        throw SweepError.failure("run \(run) is in \(files[owner[run]]) and \(file) with different state hashes (\(ownerHash[run].prefix(12))… and \(hash.prefix(12))…)")
                    }
                    duplicates += 1
                } else {
                    owner[run] = i
                    ownerHash[run] = hash
                }
            }
        }
        let missing = owner.indices.filter { owner[$0] < 0 }
        if !missing.isEmpty {
            var shardOf: [Int: Int] = [:]
            for s in plan.shards { for r in s.runs { shardOf[r] = s.shard } }
            let shards = Array(Set(missing.compactMap { shardOf[$0] })).sorted()
            let ids = missing.prefix(5).map(String.init).joined(separator: ", ") + (missing.count > 5 ? ", …" : "")
            let which = shards.prefix(5).map(String.init).joined(separator: ", ") + (shards.count > 5 ? ", …" : "")
            throw SweepError.failure("\(missing.count) run\(missing.count == 1 ? " is" : "s are") in no shard (run \(ids)); run shard \(which) first")
        }

        // Write into a temporary file, then rename it into place.
        let path = out ?? dir + "/" + SweepStore.fileName
        // `.NAME.tmp-PID` beside it: what a killed merge left is removed by the next (Staging).
        let parent = (path as NSString).deletingLastPathComponent
        Staging.cleanStale(in: parent.isEmpty ? "." : parent)
        let temporary = (parent.isEmpty ? "" : parent + "/") + "." + (path as NSString).lastPathComponent + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: temporary + suffix) }
        do {
            let store = try SweepStore(path: temporary, scratch: true)
            try store.claim(meta)
            for (i, file) in files.enumerated() {
                let picked = owner.indices.filter { owner[$0] == i }
                guard !picked.isEmpty else { continue }
                try store.append(from: file, runs: picked)
            }
            try store.close()
        } catch let error as DatabaseError {
            try? FileManager.default.removeItem(atPath: temporary)
            throw SweepError.failure("\(temporary): \(error.message ?? "\(error)")")
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        if FileManager.default.fileExists(atPath: path) {
            defer { try? FileManager.default.removeItem(atPath: temporary) }
            guard try SweepStore(existing: path).dump() == SweepStore(existing: temporary).dump() else {
                throw SweepError.failure("\(path) exists with other content; not overwritten (remove it or give --out)")
            }
            return Result(shards: files.count, runs: plan.runs, duplicates: duplicates, path: path, unchanged: true)
        }
        guard rename(temporary, path) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw SweepError.failure("\(path): cannot rename \(temporary) into place")
        }
        return Result(shards: files.count, runs: plan.runs, duplicates: duplicates, path: path, unchanged: false)
    }
}
