import Foundation

/// A fixed number of worker threads over `0..<count`, results kept by index (`domino verify`
/// over seeds, `domino calibrate` over values × episodes × seeds): the same results whatever
/// the job count. Each worker has a 16 MiB stack, as the sweep's.
enum ParallelRuns {
    static func map<T: Sendable>(count: Int, jobs: Int, progress: ((Int) -> Void)?,
                                 _ body: @escaping @Sendable (Int) throws -> T) throws -> [T] {
        guard count > 0 else { return [] }
        if jobs <= 1 || count == 1 {
            var out: [T] = []
            for k in 0..<count { out.append(try body(k)); progress?(k + 1) }
            return out
        }
        let box = Box<T>(count: count)
        for _ in 0..<min(jobs, count) {
            let thread = Thread {
                while let k = box.take() {
                    let r = Result { try body(k) }
                    box.put(k, r)
                }
            }
            thread.stackSize = 16 << 20
            thread.start()
        }
        var reported = 0
        box.condition.lock()
        while true {
            while box.done == reported && box.done < count { box.condition.wait() }
            let done = box.done
            box.condition.unlock()
            if done > reported { reported = done; progress?(done) }
            box.condition.lock()
            if box.done == count { break }
        }
        let results = box.results
        box.condition.unlock()
        return try results.map { try $0!.get() }
    }

    final class Box<T: Sendable>: @unchecked Sendable {
        let condition = NSCondition()
        var next = 0, done = 0
        let count: Int
        var results: [Result<T, any Error>?]
        init(count: Int) { self.count = count; results = Array(repeating: nil, count: count) }
        func take() -> Int? {
            condition.lock(); defer { condition.unlock() }
            guard next < count else { return nil }
            next += 1
            return next - 1
        }
        func put(_ k: Int, _ r: Result<T, any Error>) {
            condition.lock()
            results[k] = r
            done += 1
            condition.broadcast()
            condition.unlock()
        }
    }
}
