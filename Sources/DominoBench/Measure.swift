import DominoLog
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Wall-clock timing and summary statistics.
package enum Measure {
    /// Seconds taken by `body` (monotonic clock).
    @inline(never)
    package static func seconds<T>(_ body: () throws -> T) rethrows -> (seconds: Double, value: T) {
        let clock = ContinuousClock()
        let start = clock.now
        let value = try body()
        return (seconds(clock.now - start), value)
    }

    package static func seconds(_ d: Duration) -> Double {
        let (s, attos) = d.components
        return Double(s) + Double(attos) * 1e-18
    }

    /// Median (the mean of the middle two for an even count); 0 for none.
    package static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let s = values.sorted()
        let m = s.count / 2
        return s.count % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2
    }
}

/// The process's memory use, from `/proc/self/statm` and `getrusage` (Linux).
package enum Memory {
    /// Resident set size in bytes now, or nil where `/proc` is missing.
    package static func residentBytes() -> UInt64? {
        let fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 128)
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
        guard n > 0 else { return nil }
        // "size resident shared text lib data dt", in pages.
        let fields = buffer[0..<n].split(separator: 32)
        guard fields.count >= 2, let pages = UInt64(String(decoding: fields[1], as: UTF8.self)) else { return nil }
        return pages * UInt64(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// The largest resident set size the process has had, in bytes.
    package static func maxResidentBytes() -> UInt64 {
        var usage = rusage()
        #if canImport(Glibc)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return UInt64(max(0, usage.ru_maxrss)) * 1024 // kilobytes on Linux
        #else
        getrusage(RUSAGE_SELF, &usage)
        return UInt64(max(0, usage.ru_maxrss)) // bytes on macOS
        #endif
    }
}

/// An order-independent digest of events that reads every field: per field, the wrapping sum and
/// the XOR of its values (as `Int64`), mixed together at the end. Folding decoded columns gives
/// the same digest as folding the generated events, which checks the round trip, and keeps the
/// compiler from skipping any decoding work.
package struct EventDigest: Equatable, Sendable {
    package private(set) var count: Int = 0
    private var sums = SIMD8<UInt64>()
    private var xors = SIMD8<UInt64>()

    package init() {}

    package mutating func add(_ e: Event) {
        count += 1
        let v = SIMD8<UInt64>(UInt64(bitPattern: e.time), UInt64(e.kind.rawValue), UInt64(e.entity),
                              UInt64(e.counterparty), UInt64(e.asset), UInt64(bitPattern: e.amount),
                              UInt64(bitPattern: e.aux), 0)
        sums &+= v
        xors ^= v
    }

    /// Folds the first `columns.count` values of every column: tight loops the compiler vectorises.
    package mutating func add(_ columns: EventColumns) {
        let n = columns.count
        count += n
        Self.fold(columns.time, n, &sums[0], &xors[0])
        Self.fold(columns.kind, n, &sums[1], &xors[1])
        Self.fold(columns.entity, n, &sums[2], &xors[2])
        Self.fold(columns.counterparty, n, &sums[3], &xors[3])
        Self.fold(columns.asset, n, &sums[4], &xors[4])
        Self.fold(columns.amount, n, &sums[5], &xors[5])
        Self.fold(columns.aux, n, &sums[6], &xors[6])
    }

    @inline(__always)
    private static func fold(_ column: [Int64], _ n: Int, _ sum: inout UInt64, _ xor: inout UInt64) {
        column.withUnsafeBufferPointer { p in
            precondition(n <= p.count)
            var s: UInt64 = 0, x: UInt64 = 0
            for i in 0..<n {
                let v = UInt64(bitPattern: p[i])
                s &+= v
                x ^= v
            }
            sum &+= s
            xor ^= x
        }
    }

    /// One 64-bit value of the whole digest.
    package var value: UInt64 {
        var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(count)
        for c in 0..<7 {
            h = Self.mix(h ^ sums[c])
            h = Self.mix(h ^ xors[c])
        }
        return h
    }

    private static func mix(_ v: UInt64) -> UInt64 {
        var z = v &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Runs the stock `zstd` command-line tool.
///
/// Spawned with `posix_spawn` and reaped with `waitpid`, not with Foundation's `Process`, whose
/// `waitUntilExit()` polls its run loop and on Linux rounded every run up by tens of milliseconds
/// (a 86 ms `zstd -dc` measured 101 ms; `zstd --version` 52 ms instead of 1 ms).
package struct ZstdTool: Sendable {
    package let path: String

    /// The first executable `zstd` on `PATH`, else `/usr/bin/zstd`, else nil.
    package static func find() -> ZstdTool? {
        let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init) + ["/usr/bin"]
        for dir in dirs where !dir.isEmpty {
            let candidate = dir + "/zstd"
            if access(candidate, X_OK) == 0 { return ZstdTool(path: candidate) }
        }
        return nil
    }

    /// `zstd --version`'s first line.
    package func version() -> String {
        let pipe = Pipe()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["--version"]
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return "unknown" }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? "unknown"
    }

    /// Seconds taken by `zstd -dc FILE > /dev/null` (spawn to exit, as a shell's `time` sees it).
    /// With `singleThread`, adds `--no-asyncio`: zstd ≥ 1.5.3 otherwise writes from a second
    /// thread, so on a small machine the stock command uses two cores where the reader uses one.
    package func decompressToNull(_ file: String, singleThread: Bool = false) throws -> Double {
        try run(singleThread ? ["-dc", "--no-asyncio", file] : ["-dc", file])
    }

    /// Whether this zstd knows `--no-asyncio` (tried on `file`, a small valid zstd file).
    package func supportsNoAsyncIO(_ file: String) -> Bool {
        (try? run(["-dc", "--no-asyncio", file])) != nil
    }

    /// An empty zstd frame (with checksum): `zstd -dc` on it costs only starting the process.
    package static let emptyFrame: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD, 0x24, 0x00, 0x01, 0x00, 0x00, 0x99, 0xE9, 0xD8, 0x51]

    /// Runs `zstd arguments…` with stdin, stdout and stderr on /dev/null; seconds from spawn to exit.
    func run(_ arguments: [String]) throws -> Double {
        #if canImport(Glibc)
        var actions = posix_spawn_file_actions_t()
        let environment = environ
        #else
        var actions: posix_spawn_file_actions_t? = nil
        let environment = _NSGetEnviron().pointee
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        let clock = ContinuousClock()
        let start = clock.now
        var pid = pid_t()
        let rc = posix_spawn(&pid, path, &actions, nil, argv, environment)
        guard rc == 0 else { throw LogError(.io, "cannot start \(path): \(String(cString: strerror(rc)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw LogError(.io, "waitpid for \(path) failed: \(String(cString: strerror(errno)))") }
        }
        let seconds = Measure.seconds(clock.now - start)
        // WIFEXITED && WEXITSTATUS == 0: the low 7 bits hold the signal, the next 8 the status.
        guard status & 0x7F == 0, (status >> 8) & 0xFF == 0 else {
            throw LogError(.io, "\(path) \(arguments.joined(separator: " ")) failed (wait status \(status))")
        }
        return seconds
    }
}
