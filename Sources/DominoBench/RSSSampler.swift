import DominoLog
import DominoModel
import DominoReplay
import Foundation

/// Samples the resident set size (`/proc/self/statm`) every 5 ms on a thread of its own, and
/// keeps the largest value: the peak of one phase, which `getrusage`'s process-wide maximum
/// cannot give once an earlier phase was larger.
final class RSSSampler: @unchecked Sendable {
    private let lock = NSLock()
    private var running = false
    private var peak: UInt64 = 0
    private let done = DispatchSemaphore(value: 0)

    func start() {
        peak = Memory.residentBytes() ?? 0
        running = true
        let thread = Thread { [self] in
            while true {
                let rss = Memory.residentBytes() ?? 0
                lock.lock()
                peak = max(peak, rss)
                let more = running
                lock.unlock()
                if !more { break }
                usleep(5_000)
            }
            done.signal()
        }
        thread.start()
    }

    /// Stops sampling; returns the peak (bytes).
    func stop() -> UInt64 {
        lock.lock()
        running = false
        lock.unlock()
        done.wait()
        return max(peak, Memory.residentBytes() ?? 0)
    }
}
