import DominoLog
import Foundation

/// `domino bench log`: writes a synthetic workload, reads it back, and compares decoding with the
/// stock `zstd -dc` on the same file in the same run.
///
/// Nothing here prints: progress goes to `progress`, remarks to `note`, and the figures come back
/// as a `LogBenchReport` (or `LogSweepReport`) for the caller to render.
package struct LogBenchmark {
    package struct Options: Sendable {
        package var events: Int
        package var writer: WriterOptions
        package var seed: UInt64
        /// Where to put the files; nil makes a temporary directory and removes it afterwards.
        package var directory: String?
        package var repeats: Int
        package var sweepBlockSizes: [Int]
        package var sweepLevels: [Int32]
        /// A command that opens and reads the log named by one more argument, then prints its own
        /// peak RSS in bytes (`domino bench log --probe-read-memory`): run as a fresh process for
        /// each file, it measures the reader alone. Nil: in-process sampling only.
        package var readMemoryProbe: [String]?

        package static let defaultEvents = 5_000_000
        package static let defaultRepeats = 5
        package static let defaultSweepBlockSizes = [1_024, 4_096, 16_384, 65_536, 262_144]
        package static let defaultSweepLevels: [Int32] = [3, 9, 19]

        package init(events: Int = Options.defaultEvents, writer: WriterOptions = WriterOptions(), seed: UInt64 = 1,
                    directory: String? = nil, repeats: Int = Options.defaultRepeats,
                    sweepBlockSizes: [Int] = Options.defaultSweepBlockSizes,
                    sweepLevels: [Int32] = Options.defaultSweepLevels, readMemoryProbe: [String]? = nil) {
            self.events = events
            self.writer = writer
            self.seed = seed
            self.directory = directory
            self.repeats = repeats
            self.sweepBlockSizes = sweepBlockSizes
            self.sweepLevels = sweepLevels
            self.readMemoryProbe = readMemoryProbe
        }
    }

    /// `(label, done, total)`: called often during long phases; cheap to ignore.
    package typealias Progress = (String, Int, Int) -> Void

    package let options: Options
    private let progress: Progress
    private let note: (String) -> Void

    package init(options: Options, progress: @escaping Progress = { _, _, _ in }, note: @escaping (String) -> Void = { _ in }) {
        self.options = options
        self.progress = progress
        self.note = note
    }

    /// Bytes of one event stored as a packed fixed-width row (8+1+4+4+4+8+8), for comparison.
    package static let packedRowBytes = 37

    /// What the default run and the sweep start from: the options checked, the working
    /// directory, the mixed workload and the zstd command (if any).
    private func start() throws -> (dir: WorkDirectory, workload: SyntheticWorkload, zstd: ZstdTool?) {
        try validate()
        let dir = try WorkDirectory(options.directory)
        let zstd = ZstdTool.find()
        if zstd == nil { note("no zstd command on PATH: the comparison with zstd -dc is skipped") }
        return (dir, SyntheticWorkload(kind: .mixed, count: options.events, seed: options.seed), zstd)
    }

    // MARK: The default run

    package func run() throws -> LogBenchReport {
        let (dir, workload, zstd) = try start()
        defer { dir.cleanUp() }
        let n = options.events, repeats = options.repeats

        // 1. Generation alone (also gives the header's end time and the expected digest).
        var generated = EventDigest(), lastTime = SyntheticWorkload.start
        var generateSeconds: [Double] = []
        for r in 0..<repeats {
            progress("generate \(r + 1)/\(repeats)", r, repeats)
            let (s, (digest, last)) = Measure.seconds { Self.scan(workload) }
            generateSeconds.append(s)
            generated = digest
            lastTime = last
        }
        let header = workload.header(lastTime: lastTime)

        // 2. Writing, R times over the same path.
        let path = dir.file("bench-mixed.zst")
        var writeSeconds: [Double] = []
        var summary: WriteSummary?
        for r in 0..<repeats {
            let label = "write \(r + 1)/\(repeats)"
            let (s, sum) = try Measure.seconds { try write(workload, header: header, to: path, options: options.writer, label: label) }
            writeSeconds.append(s)
            summary = sum
        }
        guard let summary else { preconditionFailure("repeats ≥ 1 writes at least once") }

        // 3. Decoding against zstd -dc, interleaved so that noise hits both alike.
        var columns = EventColumns()
        let reader = try LogReader(path: path)
        let check = try Self.decodeAll(reader, into: &columns) // warm-up; checks the round trip
        guard check == generated else {
            throw LogError(.badBlock, "decoded events differ from the generated ones (digest \(hex(check.value)) ≠ \(hex(generated.value)))", file: path)
        }
        var decodeSeconds: [Double] = [], openDecodeSeconds: [Double] = [], eventSeconds: [Double] = [], zstdSeconds: [Double] = []
        var startupSeconds: [Double] = [], oneThreadSeconds: [Double] = []
        let emptyPath = dir.file("bench-empty.zst")
        try dir.write(ZstdTool.emptyFrame, to: emptyPath)
        defer { dir.remove(emptyPath) }
        let oneThread = zstd?.supportsNoAsyncIO(emptyPath) ?? false
        for r in 0..<repeats {
            progress("read \(r + 1)/\(repeats)", r, repeats)
            let (d, digest) = try Measure.seconds { try Self.decodeAll(reader, into: &columns) }
            decodeSeconds.append(d)
            if let zstd {
                zstdSeconds.append(try zstd.decompressToNull(path))
                startupSeconds.append(try zstd.decompressToNull(emptyPath))
                if oneThread { oneThreadSeconds.append(try zstd.decompressToNull(path, singleThread: true)) }
            }
            let (o, digest2) = try Measure.seconds { () throws -> EventDigest in
                let fresh = try LogReader(path: path)
                var c = EventColumns()
                return try Self.decodeAll(fresh, into: &c)
            }
            openDecodeSeconds.append(o)
            let (e, digest3) = try Measure.seconds { () throws -> EventDigest in
                var d = EventDigest()
                try reader.forEachEvent { d.add($0) }
                return d
            }
            eventSeconds.append(e)
            guard digest == generated, digest2 == generated, digest3 == generated else {
                throw LogError(.badBlock, "a decoding pass produced different events", file: path)
            }
        }
        progress("read", repeats, repeats)

        // 4. Memory while reading a file of N/8 events and one of N.
        let eighthPath = dir.file("bench-mixed-eighth.zst")
        let eighth = SyntheticWorkload(kind: .mixed, count: max(1, n / 8), seed: options.seed)
        let eighthLast = Self.scan(eighth).lastTime
        _ = try write(eighth, header: eighth.header(lastTime: eighthLast), to: eighthPath, options: options.writer,
                      label: "write 1/8")
        var memoryEighth = try Self.readSamplingMemory(eighthPath)
        var memoryFull = try Self.readSamplingMemory(path)
        if let probe = options.readMemoryProbe {
            progress("memory probe", 0, 2)
            memoryEighth.freshProcessMaxRSS = try Self.runMemoryProbe(probe, eighthPath)
            memoryFull.freshProcessMaxRSS = try Self.runMemoryProbe(probe, path)
        }
        dir.remove(eighthPath)

        // 5. Hourly prices only: size.
        let hourly = try hourlySize(dir)

        let decode = Measure.median(decodeSeconds)
        let zstdMedian = zstd == nil ? nil : Measure.median(zstdSeconds)
        let startupMedian = Measure.median(startupSeconds)
        let mixed = SizeFigures(events: summary.events, blocks: summary.blocks, fileBytes: summary.bytes, rawBytes: summary.rawBytes)
        return LogBenchReport(
            events: n, blockEvents: options.writer.blockEvents, level: Int(options.writer.level), seed: options.seed,
            repeats: repeats, zstdTool: zstd.map { "\($0.path) (\($0.version()))" },
            mixed: mixed, digest: hex(generated.value),
            generate: Timing(samples: generateSeconds, events: n),
            write: Timing(samples: writeSeconds, events: n),
            decode: Timing(samples: decodeSeconds, events: n),
            openDecode: Timing(samples: openDecodeSeconds, events: n),
            eventAPI: Timing(samples: eventSeconds, events: n),
            zstd: zstd == nil ? nil : Timing(samples: zstdSeconds, events: n),
            zstdStartup: zstd == nil ? nil : Timing(samples: startupSeconds, events: 0),
            zstdOneThread: oneThread ? Timing(samples: oneThreadSeconds, events: n) : nil,
            decodeVsZstdOneThread: oneThread ? rounded(decode / Measure.median(oneThreadSeconds), 4) : nil,
            decodeVsZstd: zstdMedian.map { rounded(decode / $0, 4) },
            decodeVsZstdWithoutStartup: zstdMedian.map { rounded(decode / Swift.max($0 - startupMedian, 1e-9), 4) },
            openDecodeVsZstd: zstdMedian.map { rounded(Measure.median(openDecodeSeconds) / $0, 4) },
            hourly: hourly,
            memoryEighth: memoryEighth, memoryFull: memoryFull,
            processMaxRSS: Memory.maxResidentBytes())
    }

    // MARK: The sweep

    /// Block sizes × zstd levels on the mixed workload: size, write speed, decode speed and
    /// decode/zstd for each.
    package func sweep() throws -> LogSweepReport {
        let (dir, workload, zstd) = try start()
        defer { dir.cleanUp() }
        let n = options.events, repeats = options.repeats
        let (generated, lastTime) = Self.scan(workload)
        let header = workload.header(lastTime: lastTime)
        let emptyPath = dir.file("bench-empty.zst")
        try dir.write(ZstdTool.emptyFrame, to: emptyPath)
        defer { dir.remove(emptyPath) }
        let oneThread = zstd?.supportsNoAsyncIO(emptyPath) ?? false
        var rows: [SweepRow] = []
        for level in options.sweepLevels {
            for blockEvents in options.sweepBlockSizes {
                let writer = WriterOptions(blockEvents: blockEvents, level: level)
                let path = dir.file("bench-sweep-b\(blockEvents)-l\(level).zst")
                let label = "block \(blockEvents), level \(level)"
                let (w, summary) = try Measure.seconds { try write(workload, header: header, to: path, options: writer, label: label) }
                var columns = EventColumns()
                let reader = try LogReader(path: path)
                guard try Self.decodeAll(reader, into: &columns) == generated else {
                    throw LogError(.badBlock, "decoded events differ from the generated ones", file: path)
                }
                var decodeSeconds: [Double] = [], zstdSeconds: [Double] = [], oneThreadSeconds: [Double] = []
                for r in 0..<repeats {
                    progress("\(label): read \(r + 1)/\(repeats)", r, repeats)
                    let (d, digest) = try Measure.seconds { try Self.decodeAll(reader, into: &columns) }
                    guard digest == generated else { throw LogError(.badBlock, "a decoding pass produced different events", file: path) }
                    decodeSeconds.append(d)
                    if let zstd {
                        zstdSeconds.append(try zstd.decompressToNull(path))
                        if oneThread { oneThreadSeconds.append(try zstd.decompressToNull(path, singleThread: true)) }
                    }
                }
                let decode = Measure.median(decodeSeconds)
                let z = zstd == nil ? nil : Measure.median(zstdSeconds)
                rows.append(SweepRow(
                    blockEvents: blockEvents, level: Int(level),
                    size: SizeFigures(events: summary.events, blocks: summary.blocks, fileBytes: summary.bytes, rawBytes: summary.rawBytes),
                    write: Timing(samples: [w], events: n),
                    decode: Timing(samples: decodeSeconds, events: n),
                    zstd: zstd == nil ? nil : Timing(samples: zstdSeconds, events: n),
                    zstdOneThread: oneThread ? Timing(samples: oneThreadSeconds, events: n) : nil,
                    decodeVsZstd: z.map { rounded(decode / $0, 4) },
                    decodeVsZstdOneThread: oneThread ? rounded(decode / Measure.median(oneThreadSeconds), 4) : nil))
                if options.directory == nil { dir.remove(path) }
            }
        }
        return LogSweepReport(events: n, seed: options.seed, repeats: repeats,
                              zstdTool: zstd.map { "\($0.path) (\($0.version()))" },
                              defaults: "\(WriterOptions.defaultBlockEvents) events, level \(WriterOptions.defaultLevel)",
                              rows: rows)
    }

    // MARK: Pieces

    private func validate() throws {
        guard options.events >= 8 else { throw LogError(.usage, "--events must be at least 8 (got \(options.events))") }
        guard options.repeats >= 1 else { throw LogError(.usage, "--repeat must be at least 1 (got \(options.repeats))") }
        let blocks = [options.writer.blockEvents] + options.sweepBlockSizes
        for b in blocks where !(1...LogFormat.maxBlockEvents).contains(b) {
            throw LogError(.usage, "block size \(b) events is outside 1…\(LogFormat.maxBlockEvents)")
        }
    }

    /// Generates the workload without writing it: its digest and last time.
    static func scan(_ workload: SyntheticWorkload) -> (digest: EventDigest, lastTime: Int64) {
        var digest = EventDigest()
        var last = SyntheticWorkload.start
        for e in workload {
            digest.add(e)
            last = e.time
        }
        return (digest, last)
    }

    /// Streams the workload into a new log at `path`.
    private func write(_ workload: SyntheticWorkload, header: LogHeader, to path: String, options: WriterOptions,
                       label: String) throws -> WriteSummary {
        let writer = try LogWriter(path: path, header: header, options: options)
        var done = 0
        progress(label, 0, workload.count)
        for e in workload {
            try writer.append(e)
            done += 1
            if done & 0xFFFF == 0 { progress(label, done, workload.count) }
        }
        let summary = try writer.finish()
        progress(label, workload.count, workload.count)
        return summary
    }

    /// `readBlock` over every block, folding every field of every event.
    static func decodeAll(_ reader: LogReader, into columns: inout EventColumns) throws -> EventDigest {
        var digest = EventDigest()
        for i in reader.blockRange() {
            try reader.readBlock(i, into: &columns)
            digest.add(columns)
        }
        return digest
    }

    /// Opens and decodes `path`, sampling the resident set size after every block.
    static func readSamplingMemory(_ path: String) throws -> MemoryFigures {
        let before = Memory.residentBytes() ?? 0
        let reader = try LogReader(path: path)
        var columns = EventColumns()
        var peak = Memory.residentBytes() ?? 0
        for i in reader.blockRange() {
            try reader.readBlock(i, into: &columns)
            peak = max(peak, Memory.residentBytes() ?? 0)
        }
        return MemoryFigures(events: reader.eventCount, fileBytes: reader.fileSize, rssBeforeOpen: before, peakRSSDuringRead: peak)
    }

    /// Opens and reads every block of `path`, for a fresh process measuring the reader alone;
    /// returns the process's peak RSS.
    package static func readForMemoryProbe(_ path: String) throws -> UInt64 {
        let reader = try LogReader(path: path)
        var columns = EventColumns()
        var digest = EventDigest()
        for i in reader.blockRange() {
            try reader.readBlock(i, into: &columns)
            digest.add(columns)
        }
        precondition(digest.count == Int(reader.eventCount))
        return Memory.maxResidentBytes()
    }

    /// Runs `probe + [path]` and reads the byte count it prints.
    static func runMemoryProbe(_ probe: [String], _ path: String) throws -> UInt64 {
        let pipe = Pipe()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: probe[0])
        process.arguments = Array(probe.dropFirst()) + [path]
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0, let bytes = UInt64(text) else {
            throw LogError(.io, "the memory probe (\(probe.joined(separator: " "))) failed on \(path): status \(process.terminationStatus), output '\(text)'")
        }
        return bytes
    }

    /// Writes a year of hourly prices for 10 assets with the run's writer options.
    private func hourlySize(_ dir: WorkDirectory) throws -> SizeFigures {
        let workload = SyntheticWorkload(kind: .hourlyPrices, count: SyntheticWorkload.hourlyYear, seed: options.seed)
        let (digest, last) = Self.scan(workload)
        let path = dir.file("bench-hourly.zst")
        let summary = try write(workload, header: workload.header(lastTime: last), to: path, options: options.writer,
                                label: "write hourly")
        var columns = EventColumns()
        guard try Self.decodeAll(try LogReader(path: path), into: &columns) == digest else {
            throw LogError(.badBlock, "decoded hourly prices differ from the generated ones", file: path)
        }
        return SizeFigures(events: summary.events, blocks: summary.blocks, fileBytes: summary.bytes, rawBytes: summary.rawBytes)
    }
}

func hex(_ v: UInt64) -> String {
    let s = String(v, radix: 16)
    return String(repeating: "0", count: 16 - s.count) + s
}

/// The directory the benchmark writes in: the one asked for (kept), or a new temporary one
/// (removed by `cleanUp()`).
final class WorkDirectory {
    let path: String
    let temporary: Bool

    init(_ requested: String?) throws {
        if let requested {
            do {
                try FileManager.default.createDirectory(atPath: requested, withIntermediateDirectories: true)
            } catch {
                throw LogError(.io, "cannot create directory: \(error.localizedDescription)", file: requested)
            }
            path = requested
            temporary = false
        } else {
            let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
            var template = Array((base + "/domino-bench-XXXXXX").utf8CString)
            guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
                throw LogError(.io, "cannot create a temporary directory in \(base)")
            }
            path = String(cString: made)
            temporary = true
        }
    }

    func file(_ name: String) -> String { path + "/" + name }

    func remove(_ file: String) { try? FileManager.default.removeItem(atPath: file) }

    func write(_ bytes: [UInt8], to file: String) throws {
        guard FileManager.default.createFile(atPath: file, contents: Data(bytes)) else {
            throw LogError(.io, "cannot create file", file: file)
        }
    }

    func cleanUp() {
        if temporary { try? FileManager.default.removeItem(atPath: path) }
    }
}
