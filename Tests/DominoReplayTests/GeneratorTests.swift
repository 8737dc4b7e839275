import DominoLog
import DominoModel
@testable import DominoReplay
import DominoTestFixtures
import Foundation
import Testing

/// The scenario generator and the replay of a generated path (`RunOptions.path`), on the
/// hand-computed small episode: USDC at $1 and ETH at $2,000 ($1,000 from 3 June), hourly.
@Suite struct GeneratorTests {
    func t(_ iso: String) -> Int64 { UTCTime.parse(iso)! }

    func stepped(_ spec: Spec, _ options: RunOptions) throws -> ReplayResult {
        var engine = try ReplayEngine(spec, options: options)
        while try engine.step() {}
        return try engine.finish()
    }

    @Test func fallOfHalfOverOneDayLandsAtExactlyHalf() throws {
        let dir = TempDir()
        let spec = try Replay.loadSpec(path: try SmallEpisode.make(in: dir))
        let g = try Generators.make("scenario:fall=50%,days=1,at=2022-06-05", spec: spec)
        let path = try g.inputs(seed: 1, path: 0)
        let eth = spec.assets.firstIndex { $0.symbol == "ETH" }!
        #expect(path.replaced == [eth]) // USDC is cash: it does not fall
        let at = t("2022-06-05T00:00:00Z"), end = at + 86_400_000
        let one: Int64 = 100_000_000
        for tick in path.prices {
            #expect(tick.asset.index == eth)
            if tick.time <= at { #expect(tick.price.raw == (tick.time >= t("2022-06-03T00:00:00Z") ? 1000 : 2000) * one) }
            if tick.time >= end { #expect(tick.price.raw == 500 * one) } // exactly half of the recorded $1,000
            if tick.time > at && tick.time < end { #expect(tick.price.raw < 1000 * one && tick.price.raw > 500 * one) }
        }
        // Halfway through the day, in log space: 1000 × 0.5^0.5.
        let mid = path.prices.first { $0.time == at + 43_200_000 }!
        #expect(mid.price.raw == Int64((1000 * Double(one) * 0.5.squareRoot()).rounded()))
        #expect(path.prices.count == 9 * 24 + 1) // every recorded ETH tick of the window, 1 June to 10 June
        // Replayed: the model's ETH closes at $500, and the slow and fast paths agree.
        var options = RunOptions(); options.path = path
        let fast = try Replay.run(spec, options: options), slow = try stepped(spec, options)
        #expect(fast.model.state.market.assets[eth].price == Price(500 * one))
        #expect(fast.finalHash == slow.finalHash)
        #expect(fast.outcomes == slow.outcomes)
        #expect(fast.inputsApplied == slow.inputsApplied && fast.eventsIgnored == slow.eventsIgnored)
        // Every recorded ETH tick in the window was ignored (replaced by the path's).
        let base = try Replay.run(spec)
        #expect(fast.eventsIgnored == base.eventsIgnored + UInt64(path.prices.count))
        #expect(fast.finalHash != base.finalHash)
    }

    @Test func recordedPathIsTheRecord() throws {
        let dir = TempDir()
        let spec = try Replay.loadSpec(path: try SmallEpisode.make(in: dir))
        var options = RunOptions(); options.path = try Generators.make("recorded", spec: spec).inputs(seed: 1, path: 3)
        let with = try Replay.run(spec, options: options), without = try Replay.run(spec)
        #expect(with.finalHash == without.finalHash)
        #expect(with.outcomes == without.outcomes)
        #expect(with.eventsIgnored == without.eventsIgnored)
    }

    @Test func failedLenderHaltsAtTheFirstWithdrawal() throws {
        // L loses its 400 USDC at midnight on 1 June: the 300 asked at noon finds nothing, so it
        // halts then (a day before the record's halt, when it had 100 for the 200 asked).
        let dir = TempDir()
        let spec = try Replay.loadSpec(path: try SmallEpisode.make(in: dir))
        let g = try Generators.make("scenario:fail=L,at=2022-06-01", spec: spec)
        let path = try g.inputs(seed: 1, path: 0)
        #expect(path.replaced.isEmpty && path.prices.isEmpty && path.inputs.count == spec.assets.count)
        var options = RunOptions(); options.path = path
        let run = try Replay.run(spec, options: options), slow = try stepped(spec, options)
        #expect(run.finalHash == slow.finalHash)
        let l = AgentID(spec.entities.firstIndex { $0.name == "L" }!)
        let halt = run.outcomes.first { $0.kind == .halt && $0.party.agent == l }
        #expect(halt?.time == t("2022-06-01T12:00:00Z"))
        let recordedHalt = try Replay.run(spec).outcomes.first { $0.kind == .halt && $0.party.agent == l }
        #expect(recordedHalt?.time == t("2022-06-02T12:00:00Z"))
    }

    @Test func failedFundDefaultsByTheRules() throws {
        // F loses its 0.4 ETH on 1 June: insolvent at market at once (600 owed, nothing held),
        // found so when it defaults on L's recall.
        let dir = TempDir()
        let spec = try Replay.loadSpec(path: try SmallEpisode.make(in: dir))
        var options = RunOptions()
        options.path = try Generators.make("scenario:fail=F,at=2022-06-01", spec: spec).inputs(seed: 1, path: 0)
        let run = try Replay.run(spec, options: options)
        let f = AgentID(spec.entities.firstIndex { $0.name == "F" }!)
        #expect((0..<spec.assets.count).allSatisfy { run.model.state.agents[f.index].liquid[$0] == .zero })
        #expect(run.outcomes.contains { $0.kind == .default && $0.party.agent == f })
        let insolvent = run.outcomes.first { $0.kind == .insolvency && $0.party.agent == f }
        let defaulted = run.outcomes.first { $0.kind == .default && $0.party.agent == f }
        #expect(insolvent != nil && insolvent!.time == defaulted!.time)
    }

    @Test func keyedDrawsAndBadStrings() throws {
        let dir = TempDir()
        let spec = try Replay.loadSpec(path: try SmallEpisode.make(in: dir))
        let g = try Generators.make("scenario:depeg=ETH,level=0.9,days=2,at=2022-06-02;fail=F,at=2022-06-04", spec: spec)
        let a = try g.inputs(seed: 5, path: 7)
        _ = try g.inputs(seed: 5, path: 1)
        let b = try g.inputs(seed: 5, path: 7)
        #expect(a.prices == b.prices && a.replaced == b.replaced && a.inputs.count == b.inputs.count)
        #expect(a.prices.last!.price.raw == 900 * 100_000_000)
        for bad in ["scenario", "scenario:fall=30%", "scenario:fall=130%,days=1,at=2022-06-02", "scenario:fail=G,at=2022-06-02",
                    "scenario:depeg=ETH,days=1,at=2022-06-02", "scenario:crash=1", "nosuch"] {
            #expect(throws: SpecError.self) { _ = try Generators.make(bad, spec: spec) }
        }
    }

    @Test func rangesAreDrawnPerPathByHand() {
        typealias Span = ScenarioShocks.Span
        // lo + (hi − lo) × share / 10⁸, in integers: 10 + 10 × 0.5 = 15; the top of [0, 1) stays below hi.
        #expect(Span(10, 20).at(50_000_000) == 15)
        #expect(Span(10, 20).at(99_999_999) == 19)
        #expect(Span(7, 7).at(12_345_678) == 7)
        // Dates to the hour: 5.5 hours into a 10-hour range is hour 5.
        let hour: Int64 = 3_600_000
        #expect(Span(0, 10 * hour, grain: hour).at(55_000_000) == 5 * hour)
        #expect(Span(0, 10 * hour, grain: hour).at(0) == 0)
    }

    @Test func scenarioRangesVaryByPathAndRepeat() throws {
        let dir = TempDir()
        let spec = try Replay.loadSpec(path: try SmallEpisode.make(in: dir))
        let g = try #require(try Generators.make("scenario:fall=20%..60%,days=1..3,at=2022-06-04..2022-06-06", spec: spec) as? ScenarioShocks)
        #expect(g.shocks == nil) // no single set of shocks: each path draws its own
        let lo = t("2022-06-04T00:00:00Z"), hi = t("2022-06-06T00:00:00Z")
        var keeps = Set<Int64>(), dates = Set<Int64>()
        for path in 0..<20 {
            let drawn = g.shocks(seed: 9, path: path)
            #expect(drawn == g.shocks(seed: 9, path: path)) // keyed by (seed, path): the same twice
            guard case let .scale(_, keep, at, span)? = drawn.first else { Issue.record("no scale shock"); continue }
            #expect(keep >= 40_000_000 && keep <= 80_000_000) // 100% − 60% … 100% − 20%
            #expect(at >= lo && at <= hi && at % 3_600_000 == 0)
            #expect(span >= 86_400_000 && span <= 3 * 86_400_000)
            keeps.insert(keep); dates.insert(at)
            // The path's last ETH price is the record's $1,000 × keep, exactly.
            let last = try g.inputs(seed: 9, path: path).prices.last!
            #expect(last.price.raw == 1000 * keep)
        }
        #expect(keeps.count > 10 && dates.count > 5) // 20 paths: many sizes and dates
        // A fixed scenario has one set of shocks, the same on every path.
        let fixed = try #require(try Generators.make("scenario:fall=50%,days=1,at=2022-06-05", spec: spec) as? ScenarioShocks)
        #expect(fixed.shocks == fixed.shocks(seed: 1, path: 3))
        for bad in ["scenario:fall=40%..20%,days=1,at=2022-06-02", "scenario:fall=10%..,days=1,at=2022-06-02",
                    "scenario:fall=10%,days=1..0.5,at=2022-06-02", "scenario:fall=10%,days=1,at=2022-06-03..2022-06-02",
                    "scenario:depeg=ETH,level=0.9..x,days=1,at=2022-06-02", "scenario:fall=1..2..3,days=1,at=2022-06-02"] {
            #expect(throws: SpecError.self) { _ = try Generators.make(bad, spec: spec) }
        }
    }

    @Test func recordedReturnsAreHourlyCloses() throws {
        let dir = TempDir()
        let spec = try Replay.loadSpec(path: try SmallEpisode.make(in: dir))
        let r = try RecordedReturns(spec)
        let one: Int64 = 100_000_000
        #expect(r.assets == [spec.assets.firstIndex { $0.symbol == "ETH" }!]) // USDC is cash
        #expect(r.hours == 10 * 24 - 1) // the window runs to the end of 10 June: 239 whole hours from 1 June 00:00
        #expect(r.closes[0].count == r.hours + 1 && r.returns[0].count == r.hours)
        #expect(r.closes[0][0] == 2000 * one && r.closes[0][47] == 2000 * one && r.closes[0][48] == 1000 * one) // 3 June 00:00 is hour 48
        #expect(r.returns[0][47] == RecordedReturns.one / 2)
        #expect(r.returns[0].indices.allSatisfy { $0 == 47 || r.returns[0][$0] == RecordedReturns.one })
    }

    @Test func bootstrapOfTheWholeLengthIsARotation() throws {
        let dir = TempDir()
        let spec = try Replay.loadSpec(path: try SmallEpisode.make(in: dir))
        let r = try RecordedReturns(spec)
        let g = try BlockBootstrap(block: r.hours, recorded: r)
        let one: Int64 = 100_000_000
        for k in 0..<4 {
            let order = g.hours(seed: 3, path: k)
            #expect(order.count == r.hours)
            #expect(order.indices.allSatisfy { order[$0] == (order[0] + $0) % r.hours }) // one block: a rotation
            let path = try g.inputs(seed: 3, path: k)
            let drop = order.firstIndex(of: 47)!
            // ETH opens at $2,000, halves at the hour that draws the recorded drop, and ends at $1,000.
            #expect(path.prices.count == r.hours)
            #expect(path.prices.indices.allSatisfy { path.prices[$0].price.raw == ($0 < drop ? 2000 : 1000) * one })
            #expect(path.prices[drop].time == spec.window.from + Int64(drop + 1) * 3_600_000)
        }
    }

    @Test func bootstrapPathsAreKeyed() throws {
        let dir = TempDir()
        let spec = try Replay.loadSpec(path: try SmallEpisode.make(in: dir))
        let g = try Generators.make("bootstrap:block=1d", spec: spec)
        #expect(g.description == "bootstrap block=24h")
        let a = try g.inputs(seed: 9, path: 4)
        _ = try g.inputs(seed: 9, path: 2); _ = try g.inputs(seed: 10, path: 4)
        let b = try g.inputs(seed: 9, path: 4)
        #expect(a.prices == b.prices)
        let others = try (0..<8).filter { $0 != 4 }.map { try g.inputs(seed: 9, path: $0).prices }
        #expect(others.contains { $0 != a.prices }) // paths differ
        var options = RunOptions(); options.path = a
        var engine = try ReplayEngine(spec, options: options)
        while try engine.step() {}
        #expect(try engine.finish().finalHash == (try Replay.run(spec, options: options)).finalHash) // slow = fast
        for bad in ["bootstrap:block=30m", "bootstrap:len=2d", "bootstrap:block=x"] {
            #expect(throws: SpecError.self) { _ = try Generators.make(bad, spec: spec) }
        }
    }
}
