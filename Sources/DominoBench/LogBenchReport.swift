import DominoLog
import Foundation

/// The figures of a `domino bench log` run. Times are in seconds; `median` is what the table shows.
package struct LogBenchReport: Encodable, Sendable {
    package var events: Int
    package var blockEvents: Int
    package var level: Int
    package var seed: UInt64
    package var repeats: Int
    /// The `zstd` command compared against, with its version; nil when none was found.
    package var zstdTool: String?
    package var mixed: SizeFigures
    /// Digest of the generated events, equal to that of every decoding pass.
    package var digest: String
    package var generate: Timing
    /// Generating, validating, encoding, compressing and writing (with the final fsync).
    package var write: Timing
    /// `LogReader.readBlock` over every block of an open reader, folding every field of every event.
    package var decode: Timing
    /// The same, including opening the file (header, index and footer).
    package var openDecode: Timing
    /// `LogReader.forEachEvent`, folding each `Event` it passes.
    package var eventAPI: Timing
    /// `zstd -dc FILE > /dev/null`, process start to exit.
    package var zstd: Timing?
    /// `zstd -dc` of an empty frame: the cost of starting the process, included in `zstd`.
    package var zstdStartup: Timing?
    /// `zstd -dc --no-asyncio FILE > /dev/null`: zstd on one thread, like the reader.
    package var zstdOneThread: Timing?
    package var decodeVsZstdOneThread: Double?
    package var decodeVsZstd: Double?
    /// decode / (zstd − zstdStartup): against zstd's decompression work alone.
    package var decodeVsZstdWithoutStartup: Double?
    package var openDecodeVsZstd: Double?
    /// A year of hourly 2-decimal prices for 10 assets.
    package var hourly: SizeFigures
    package var memoryEighth: MemoryFigures
    package var memoryFull: MemoryFigures
    /// Largest resident set size of the whole process (all phases).
    package var processMaxRSS: UInt64

    package static let decodeTarget = 1.25
    package static let hourlyBytesTarget = 4.0
}

package struct SizeFigures: Encodable, Sendable {
    package var events: UInt64
    package var blocks: Int
    package var fileBytes: UInt64
    /// Sum of the block payloads before zstd.
    package var rawBytes: UInt64

    package var bytesPerEvent: Double { Double(fileBytes) / Double(max(events, 1)) }
    /// Block payload bytes per file byte (zstd's own ratio).
    package var zstdRatio: Double { Double(rawBytes) / Double(max(fileBytes, 1)) }
    /// 37-byte packed rows per file byte.
    package var rowRatio: Double { Double(events) * Double(LogBenchmark.packedRowBytes) / Double(max(fileBytes, 1)) }

    enum CodingKeys: String, CodingKey { case events, blocks, fileBytes, rawBytes, bytesPerEvent, zstdRatio, rowRatio }

    init(events: UInt64, blocks: Int, fileBytes: UInt64, rawBytes: UInt64) {
        self.events = events; self.blocks = blocks; self.fileBytes = fileBytes; self.rawBytes = rawBytes
    }


    package func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(events, forKey: .events)
        try c.encode(blocks, forKey: .blocks)
        try c.encode(fileBytes, forKey: .fileBytes)
        try c.encode(rawBytes, forKey: .rawBytes)
        try c.encode(rounded(bytesPerEvent, 3), forKey: .bytesPerEvent)
        try c.encode(rounded(zstdRatio, 3), forKey: .zstdRatio)
        try c.encode(rounded(rowRatio, 3), forKey: .rowRatio)
    }
}

/// Repeated wall-clock samples of one phase over `events` events.
package struct Timing: Encodable, Sendable {
    package var samples: [Double]
    package var events: Int

    package var median: Double { Measure.median(samples) }
    package var eventsPerSecond: Double { median > 0 ? Double(events) / median : 0 }

    enum CodingKeys: String, CodingKey { case samples, median, eventsPerSecond }

    init(samples: [Double], events: Int) {
        self.samples = samples
        self.events = events
    }


    package func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(samples.map { rounded($0, 6) }, forKey: .samples)
        try c.encode(rounded(median, 6), forKey: .median)
        try c.encode(eventsPerSecond.rounded(), forKey: .eventsPerSecond)
    }
}

/// Resident set size while one file is opened and decoded block by block.
package struct MemoryFigures: Encodable, Sendable {
    package var events: UInt64
    package var fileBytes: UInt64
    package var rssBeforeOpen: UInt64
    /// Largest RSS sampled after opening and after each block.
    package var peakRSSDuringRead: UInt64
    /// Peak RSS of a fresh process that only opens and reads the file (nil when not measured).
    package var freshProcessMaxRSS: UInt64?
}

package struct SweepRow: Encodable, Sendable {
    package var blockEvents: Int
    package var level: Int
    package var size: SizeFigures
    /// One write (workload generation included).
    package var write: Timing
    package var decode: Timing
    package var zstd: Timing?
    /// `zstd -dc --no-asyncio`: zstd on one thread.
    package var zstdOneThread: Timing?
    package var decodeVsZstd: Double?
    package var decodeVsZstdOneThread: Double?
}

package struct LogSweepReport: Encodable, Sendable {
    package var events: Int
    package var seed: UInt64
    package var repeats: Int
    package var zstdTool: String?
    /// `WriterOptions`' defaults in this build.
    package var defaults: String
    package var rows: [SweepRow]
}

// MARK: Rendering

func canonicalJSON(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
}

extension LogBenchReport {
    package func json() throws -> String { try canonicalJSON(self) }

    package func text() -> String {
        var out = "domino bench log: \(grouped(events)) mixed events, \(grouped(blockEvents))-event blocks, zstd level \(level), seed \(seed); medians of \(repeats)\n\n"
        out += "size      \(megabytes(mixed.fileBytes)) in \(grouped(mixed.blocks)) blocks: \(fixed(mixed.bytesPerEvent, 2)) bytes/event, "
        out += "zstd ratio \(fixed(mixed.zstdRatio, 2))x on \(megabytes(mixed.rawBytes)) of block payload, \(fixed(mixed.rowRatio, 1))x smaller than 37-byte rows\n\n"
        var rows: [[String]] = [["phase", "seconds", "events/s"]]
        rows.append(["generate only", fixed(generate.median, 3), rate(generate.eventsPerSecond)])
        rows.append(["write (generate, validate, encode, zstd, fsync)", fixed(write.median, 3), rate(write.eventsPerSecond)])
        rows.append(["decode (readBlock every block, fold every field)", fixed(decode.median, 3), rate(decode.eventsPerSecond)])
        rows.append(["open + decode", fixed(openDecode.median, 3), rate(openDecode.eventsPerSecond)])
        rows.append(["forEachEvent (Event values)", fixed(eventAPI.median, 3), rate(eventAPI.eventsPerSecond)])
        if let zstd {
            rows.append(["zstd -dc FILE > /dev/null", fixed(zstd.median, 3), rate(zstd.eventsPerSecond)])
        }
        if let zstdStartup {
            rows.append(["zstd -dc EMPTY > /dev/null (process start)", fixed(zstdStartup.median, 3), ""])
        }
        if let zstdOneThread {
            rows.append(["zstd -dc --no-asyncio FILE > /dev/null (1 thread)", fixed(zstdOneThread.median, 3), rate(zstdOneThread.eventsPerSecond)])
        }
        out += table(rows) + "\n"
        if let ratio = decodeVsZstd, let open = openDecodeVsZstd {
            let verdict = ratio <= LogBenchReport.decodeTarget ? "met" : "MISSED"
            out += "decode / zstd -dc         \(fixed(ratio, 3))x  (target ≤ \(fixed(LogBenchReport.decodeTarget, 2))x: \(verdict))\n"
            out += "open + decode / zstd -dc  \(fixed(open, 3))x\n"
            if let net = decodeVsZstdWithoutStartup {
                out += "decode / (zstd -dc − process start)  \(fixed(net, 3))x\n"
            }
            if let one = decodeVsZstdOneThread {
                out += "decode / zstd -dc --no-asyncio       \(fixed(one, 3))x  (stock zstd ≥ 1.5.3 writes from a second thread)\n"
            }
        } else {
            out += "decode / zstd -dc         n/a (no zstd command)\n"
        }
        if let zstdTool { out += "zstd                      \(zstdTool)\n" }
        let hourlyVerdict = hourly.bytesPerEvent <= LogBenchReport.hourlyBytesTarget ? "met" : "MISSED"
        out += "\nhourly prices (10 assets, 2 decimals, 1 year, \(grouped(hourly.events)) events): \(grouped(hourly.fileBytes)) bytes, "
        out += "\(fixed(hourly.bytesPerEvent, 2)) bytes/event (target ≤ \(fixed(LogBenchReport.hourlyBytesTarget, 0)): \(hourlyVerdict)), zstd ratio \(fixed(hourly.zstdRatio, 2))x\n"
        out += "\nmemory while reading (this process: RSS sampled after every block; fresh process: peak RSS of a process that only reads):\n"
        var memory: [[String]] = [["file", "events", "size", "RSS before open", "peak RSS during read", "growth", "fresh process peak"]]
        for (label, m) in [("1/8 file", memoryEighth), ("full file", memoryFull)] {
            memory.append([label, grouped(m.events), megabytes(m.fileBytes), megabytes(m.rssBeforeOpen), megabytes(m.peakRSSDuringRead),
                           megabytes(m.peakRSSDuringRead &- min(m.peakRSSDuringRead, m.rssBeforeOpen)),
                           m.freshProcessMaxRSS.map(megabytes) ?? "n/a"])
        }
        out += table(memory)
        out += "process max RSS (all phases): \(megabytes(processMaxRSS))\n"
        out += "digest of the events: \(digest) (every decoding pass matched it)\n"
        return out
    }
}

extension LogSweepReport {
    package func json() throws -> String { try canonicalJSON(self) }

    package func text() -> String {
        var out = "domino bench log --sweep: \(grouped(events)) mixed events, seed \(seed); decode and zstd are medians of \(repeats), write is one run\n"
        if let zstdTool { out += "zstd: \(zstdTool)\n" }
        out += "current defaults: \(defaults)\n\n"
        var rows: [[String]] = [["block events", "level", "bytes/event", "file", "write ev/s", "decode ev/s", "zstd -dc ev/s",
                                  "decode/zstd", "decode/zstd 1T"]]
        for r in self.rows {
            rows.append([grouped(r.blockEvents), String(r.level), fixed(r.size.bytesPerEvent, 3), megabytes(r.size.fileBytes),
                         rate(r.write.eventsPerSecond), rate(r.decode.eventsPerSecond),
                         r.zstd.map { rate($0.eventsPerSecond) } ?? "n/a",
                         r.decodeVsZstd.map { fixed($0, 3) + "x" } ?? "n/a",
                         r.decodeVsZstdOneThread.map { fixed($0, 3) + "x" } ?? "n/a"])
        }
        out += table(rows)
        out += "\ndecode/zstd: against stock zstd -dc; 1T: against zstd -dc --no-asyncio (zstd on one thread, as the reader is)\n"
        return out
    }
}
