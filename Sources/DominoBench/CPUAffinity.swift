#if canImport(Glibc)
import Glibc
#endif

/// Runs a benchmark pass on one core (Linux `sched_setaffinity`): the threads it starts inherit
/// the calling thread's mask, so a 1-job pass — its worker *and* its writer or merger thread —
/// shares one core, the serial baseline a speed-up is measured against. Without it the 1-job
/// pass quietly borrows a second core for its writer (about 1.1 cores busy here), which caps
/// the measured 2-job speed-up near 1.8 however well the work scales. Elsewhere (no affinity
/// call) the body runs unpinned and `pinned` says so.
package enum CPUAffinity {
    /// Whether `onOneCore` can pin on this platform.
    package static var available: Bool {
        #if os(Linux)
        return true
        #else
        return false
        #endif
    }

    /// `body` with the calling thread (and every thread it starts) on the first core it may use;
    /// the previous mask restored afterwards, also when `body` throws.
    package static func onOneCore<T>(_ body: () throws -> T) rethrows -> T {
        #if os(Linux)
        // glibc's sched_getaffinity/sched_setaffinity (not in Swift's Glibc module: they need
        // _GNU_SOURCE), looked up by name; a 1,024-CPU mask.
        typealias Get = @convention(c) (Int32, Int, UnsafeMutableRawPointer) -> Int32
        typealias Set = @convention(c) (Int32, Int, UnsafeRawPointer) -> Int32
        guard let handle = dlopen(nil, RTLD_NOW), let g = dlsym(handle, "sched_getaffinity"), let s = dlsym(handle, "sched_setaffinity") else {
            return try body()
        }
        let get = unsafeBitCast(g, to: Get.self), set = unsafeBitCast(s, to: Set.self)
        var old = [UInt64](repeating: 0, count: 16)
        let size = old.count * 8
        guard old.withUnsafeMutableBytes({ get(0, size, $0.baseAddress!) }) == 0,
              let word = old.firstIndex(where: { $0 != 0 }) else { return try body() }
        var one = [UInt64](repeating: 0, count: 16)
        one[word] = UInt64(1) << UInt64(old[word].trailingZeroBitCount)
        guard one.withUnsafeBytes({ set(0, size, $0.baseAddress!) }) == 0 else { return try body() }
        defer { _ = old.withUnsafeBytes { set(0, size, $0.baseAddress!) } }
        return try body()
        #else
        return try body()
        #endif
    }
}
