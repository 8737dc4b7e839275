import DominoLog
import DominoModel
import DominoReplay
import Foundation

/// libFuzzer target: one short replay over a fuzzed small spec and log.
///
/// The input is a spec's YAML text, then a line `...` (YAML's end of document), then binary
/// event records of 12 bytes each. The log always holds hourly prices of USDC ($1), ETH ($2,000)
/// and BTC ($30,000) from 2022-05-25 to 2022-06-12, for entities L (lender), F (fund), P (pool)
/// and retail (depositors); each record adds an event (kind, entity, counterparty, asset, a
/// time in that range in minutes, a signed amount), and records the log format refuses are left
/// out. The spec's `datasets` is set to that log. So that each run stays short, specs longer
/// than 31 days, with metrics more often than hourly or with more than 2,000 pool positions are
/// skipped (the parser's own limits on these are issue 13's, not the fuzzer's). Any error is
/// fine; a crash, a hang or unbounded memory is not.
enum FuzzReplay {
    static func run(_ data: UnsafePointer<UInt8>, _ size: Int) {
        let bytes = UnsafeBufferPointer(start: data, count: size)
        let marker = Array("\n...\n".utf8)
        var split = size
        if size >= marker.count {
            for i in 0...(size - marker.count) where bytes[i] == marker[0] && Array(bytes[i..<(i + marker.count)]) == marker { split = i; break }
        }
        guard let text = String(validating: bytes[0..<split], as: UTF8.self) else { return }
        let records = split + marker.count <= size ? Array(bytes[(split + marker.count)...]) : []
        let log = scratchFile("replay.zst")
        guard writeLog(records, to: log) else { return }
        do {
            let root = try Overrides.apply([Overrides.Assignment(path: "datasets", value: "[\(log)]")],
                                           to: try SpecFile.compose(text, file: scratchFile("spec.yaml")))
            let spec = try Spec.parse(root)
            guard spec.window.to - spec.window.from <= 31 * 86_400_000, spec.parameters.metricsInterval >= 3_600_000,
                  spec.pools.reduce(0, { $0 + $1.positions.count + $1.generate.reduce(0) { $0 + $1.count } }) <= 2_000 else { return }
            let result = try Replay.run(spec)
            _ = Replay.stateHash(result.model.state)
        } catch {
            _ = "\(error)"
        }
    }
}

extension FuzzReplay {
    static func writeLog(_ records: [UInt8], to path: String) -> Bool {
        let hour: Int64 = 3_600_000, one: Int64 = 100_000_000
        let start = UTCTime.parse("2022-05-25T00:00:00Z")!, end = UTCTime.parse("2022-06-12T00:00:00Z")!
        let header = LogHeader(name: "fuzz", timeRange: .init(start: start, end: end),
                               assets: [.init(id: 1, symbol: "USDC", decimals: 6), .init(id: 2, symbol: "ETH", decimals: 8),
                                        .init(id: 3, symbol: "BTC", decimals: 8)],
                               entities: [.init(id: 1, name: "L", kind: "lender"), .init(id: 2, name: "F", kind: "fund"),
                                          .init(id: 3, name: "P", kind: "pool"), .init(id: 4, name: "retail", kind: "depositors")])
        var events: [Event] = []
        var time = start
        while time <= end {
            events.append(Event(time: time, kind: .price, asset: 1, amount: one))
            events.append(Event(time: time, kind: .price, asset: 2, amount: 2000 * one))
            events.append(Event(time: time, kind: .price, asset: 3, amount: 30_000 * one))
            time += hour
        }
        let minutes = (end - start) / 60_000
        var i = 0
        while i + 12 <= records.count {
            let r = records[i..<(i + 12)]
            let b = Array(r)
            let kind = EventKind(rawValue: b[0] % 9 + 1)
            var magnitude: Int64 = 0
            for k in 6..<12 { magnitude = magnitude << 8 | Int64(b[k]) }
            let amount = b[0] & 0x80 != 0 ? -magnitude : magnitude
            let offset = (Int64(b[4]) << 8 | Int64(b[5])) * 20 % (minutes + 1)
            events.append(Event(time: start + offset * 60_000, kind: kind, entity: UInt32(b[1] % 5), counterparty: UInt32(b[2] % 5),
                                asset: UInt32(b[3] % 4), amount: amount, aux: Int64(b[3] >> 2)))
            i += 12
        }
        let sorted = events.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
        do {
            let w = try LogWriter(path: path, header: header, options: WriterOptions(blockEvents: 256, level: 1))
            let validator = EventValidator(header: header)
            for e in sorted where validator.checkContent(e) == nil { try w.append(e) }
            try w.finish()
            return true
        } catch {
            return false
        }
    }
}
