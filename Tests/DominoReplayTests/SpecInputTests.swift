import DominoLog
import DominoModel
import DominoReplay
import DominoTestFixtures
import Foundation
import Testing

/// Issue 13 §1, §3 and §4: what a spec or a log may be, and one line saying where it is wrong.
@Suite struct SpecInputTests {
    let dir = TempDir()

    func specError(_ body: () throws -> Void) -> SpecError? {
        do { try body(); return nil } catch let e as SpecError { return e } catch { Issue.record("\(error)"); return nil }
    }

    /// A FIFO given as the spec or a dataset is refused at once (it would block a reader
    /// forever), and a directory as a dataset is reported at the spec's line.
    @Test func aFIFOOrDirectoryIsRefusedWithoutBlocking() throws {
        let fifo = dir.file("pipe.yaml")
        #expect(mkfifo(fifo, 0o600) == 0)
        let e = try #require(specError { _ = try Replay.loadSpec(path: fifo) })
        #expect(e.description == "\(fifo): cannot read the spec: not a regular file (a FIFO)")

        #expect(mkfifo(dir.file("pipe.zst"), 0o600) == 0)
        let path = try SmallEpisode.make(in: dir, spec: SmallEpisode.spec.replacingOccurrences(of: "  - data.zst", with: "  - pipe.zst"))
        let d = try #require(specError { _ = try Replay.run(try Replay.loadSpec(path: path)) })
        #expect(d.line == 5)
        #expect(d.message.hasPrefix("dataset 'pipe.zst': not a regular file (a FIFO)"))

        try FileManager.default.createDirectory(atPath: dir.file("folder.zst"), withIntermediateDirectories: true)
        let folder = try dir.write("folder.yaml", SmallEpisode.spec.replacingOccurrences(of: "  - data.zst", with: "  - folder.zst"))
        let f = try #require(specError { _ = try Replay.run(try Replay.loadSpec(path: folder)) })
        #expect(f.line == 5)
        #expect(f.message.hasPrefix("dataset 'folder.zst' is a directory, not a log file"))
    }

    /// A withdrawal by a cohort the spec does not have, at a platform it does (a misspelling), is
    /// an error with the file and offset, not a skipped event.
    @Test func aFlowOfAnUnknownCohortIsAnError() throws {
        let header = LogHeader(name: "typo", timeRange: .init(start: t("2022-05-25T00:00:00Z"), end: t("2022-06-10T00:00:00Z")),
                               assets: [.init(id: 1, symbol: "USDC", decimals: 6), .init(id: 2, symbol: "ETH", decimals: 8)],
                               entities: [.init(id: 1, name: "L", kind: "lender"), .init(id: 2, name: "retial", kind: "depositors")])
        let data = dir.file("data.zst")
        let w = try LogWriter(path: data, header: header, options: WriterOptions(blockEvents: 64))
        var time = t("2022-05-25T00:00:00Z")
        while time <= t("2022-06-10T00:00:00Z") {
            if time == t("2022-06-01T12:00:00Z") {
                try w.append(Event(time: time, kind: .withdrawalRequest, entity: 2, counterparty: 1, asset: 1, amount: 300_000_000))
            }
            try w.append(Event(time: time, kind: .price, asset: 1, amount: one))
            try w.append(Event(time: time, kind: .price, asset: 2, amount: 2000 * one))
            time += hour
        }
        try w.finish()
        let path = try dir.write("small.yaml", SmallEpisode.spec)
        do {
            _ = try Replay.run(try Replay.loadSpec(path: path))
            Issue.record("the run should have stopped")
        } catch let e as LogError {
            #expect(e.code == .badReference)
            #expect(e.file == data && e.offset != nil)
            #expect(e.message.hasSuffix("at 2022-06-01T12:00:00Z: withdrawal-request by 'retial' at L, which is not one of its cohorts in the spec (retail; did you mean 'retail'?)"))
        }
    }

    /// `window.to` written as a date covers the whole day (its last millisecond); a time is
    /// taken as written (documented in `Spec.window` and docs/spec.md).
    @Test func windowToDateCoversTheWholeDay() throws {
        let path = try SmallEpisode.make(in: dir)
        #expect(try Replay.loadSpec(path: path).window.to == t("2022-06-10T23:59:59Z") + 999)
        let exact = try dir.write("exact.yaml", SmallEpisode.spec.replacingOccurrences(of: "to: 2022-06-10}", with: "to: 2022-06-10T23:59:59Z}"))
        #expect(try Replay.loadSpec(path: exact).window.to == t("2022-06-10T23:59:59Z"))
    }

    /// Messages: a duplicate key at its line, libyaml's nesting limit in words, a bad `--set`
    /// blamed on the option.
    @Test func messagesSayWhereAndWhat() throws {
        let dup = try dir.write("dup.yaml", "name: a\ncash: USDC\nname: b\n")
        #expect(specError { _ = try Replay.loadSpec(path: dup) }?.description == "\(dup):3: duplicate key 'name'")
        let deep = try dir.write("deep.yaml", "a: " + String(repeating: "[", count: 1500) + String(repeating: "]", count: 1500) + "\n")
        let e = try #require(specError { _ = try Replay.loadSpec(path: deep) })
        #expect(e.message == "YAML syntax error: nested too deeply (at most 1000 levels of lists and mappings)")
        let path = try SmallEpisode.make(in: dir)
        let set = try #require(specError { _ = try Replay.loadSpec(path: path, overrides: [.init(path: "model.swapFee", value: "[1]")]) })
        #expect(set.description == "--set model.swapFee=[1]: 'model.swapFee' must be a share like 0.25 or 25%, got a list")
        let seed = try #require(specError { _ = try Replay.loadSpec(path: path, overrides: [.init(path: "seed", value: "-3")]) })
        #expect(seed.description == "--set seed=-3: 'seed' must not be negative")
    }
}
