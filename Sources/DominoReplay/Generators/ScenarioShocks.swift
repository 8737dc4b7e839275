import DominoLog
import DominoModel
import Foundation

/// `--generator scenario:SHOCK;SHOCK…`: named shocks pinned onto the recorded path. Each shock
/// is `KIND=VALUE,key=value,…`:
/// - `fall=30%,days=5,at=2022-06-10`: every non-cash, non-stable asset (a stable: its first
///   recorded price in the window is within 10% of $1) falls by 30% over 5 days from `at`,
///   linearly in log space, then follows its recorded returns from the new level;
/// - `depeg=stETH,level=0.90,days=2,at=…`: that asset's price moves to `level` × its recorded
///   price over `days` (the same bridge), then keeps that ratio to the record;
/// - `fail=FTX,at=…`: an entity shock: at `at` the entity loses its liquid holdings (a transfer
///   to outside of each asset); its halt, default and contagion follow from the model's rules.
/// A number or date may be a range `LO..HI` (`fall=20%..40%`, `level=0.85..0.95`, `days=2..7`,
/// `at=2022-06-05..2022-06-15`): path k draws each range uniformly, from `PathRandom` stream
/// `shocks` keyed by (seed, k, shock, field), so a path's shock is the same on any job or shard
/// and the paths of a stress run see shocks of different sizes and dates. A date is drawn to the
/// hour (the record's tick). Without ranges every path has the same prices and shocks (only the
/// assumptions and the depositors' randomness vary by path).
package struct ScenarioShocks: PriceGenerator {
    package enum Shock: Sendable, Equatable {
        /// Assets (model indices) scaled to `keep` (× 10⁸) over [at, at + span].
        case scale(assets: [Int], keep: Int64, at: Int64, span: Int64)
        case fail(agent: Int, at: Int64)
    }

    /// A value of a shock: fixed (`lo == hi`) or a range a path draws from, uniformly.
    package struct Span: Sendable, Equatable {
        package var lo: Int64, hi: Int64
        /// Rounded down to a multiple of this after the draw (1: none; an hour for dates).
        package var grain: Int64 = 1
        package init(_ lo: Int64, _ hi: Int64, grain: Int64 = 1) { self.lo = lo; self.hi = hi; self.grain = grain }
        package var fixed: Bool { lo == hi }
        /// The value at `share` ∈ [0, 1) × 10⁸ of the range: lo + (hi − lo) × share, in integers,
        /// then down to the grain but never below lo.
        package func at(_ share: Int64) -> Int64 {
            if fixed { return lo }
            let v = lo + Int64(Int128(hi - lo) * Int128(share) / 100_000_000)
            return max(lo, v - (v - lo) % grain)
        }
    }

    /// A shock as written: its ranges unresolved.
    package enum Template: Sendable, Equatable {
        case scale(assets: [Int], keep: Span, at: Span, span: Span)
        case fail(agent: Int, at: Span)
    }

    package let description: String
    package let templates: [Template]
    /// The shocks when no value is a range (every path's); nil when a path draws them.
    package var shocks: [Shock]? { templates.contains(where: Self.ranged) ? nil : shocks(seed: 0, path: 0) }
    /// The recorded ticks of the shocked assets within the window, in merge order.
    let recorded: [PathInputs.Tick]
    let assetCount: Int

    /// Parses `options` (the text after `scenario:`) for `spec`, reading its recorded prices.
    package init(_ options: String, spec: Spec) throws {
        description = "scenario:" + options
        func bad(_ why: String) -> SpecError { SpecError(file: "--generator scenario:\(options)", line: nil, why) }
        let ticks = try Self.recordedTicks(spec)
        let symbols = spec.assets.map(\.symbol)
        var first = [Int64?](repeating: nil, count: symbols.count)
        for t in ticks where first[t.asset.index] == nil { first[t.asset.index] = t.price.raw }
        var shocks: [Template] = []
        for part in options.split(separator: ";", omittingEmptySubsequences: true) {
            var fields: [(String, String)] = []
            for kv in part.split(separator: ",") {
                let p = kv.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard p.count == 2 else { throw bad("'\(kv)' is not key=value") }
                fields.append((p[0], p[1]))
            }
            guard let (kind, value) = fields.first else { throw bad("an empty shock") }
            var keys: [String: String] = [:]
            for (k, v) in fields.dropFirst() { keys[k] = v }
            /// `text` or `LO..HI`, each end read by `one`; a range must not run backwards.
            func span(_ key: String, _ text: String, grain: Int64 = 1, _ one: (String) throws -> Int64) throws -> Span {
                let ends = text.components(separatedBy: "..")
                guard ends.count <= 2, !ends.contains(where: \.isEmpty) else { throw bad("\(key)=\(text) is not a value or a range LO..HI") }
                let lo = try one(ends[0]), hi = try one(ends.last!)
                guard lo <= hi else { throw bad("\(key)=\(text): the range runs backwards") }
                return Span(lo, hi, grain: grain)
            }
            func time(_ key: String) throws -> Span {
                guard let text = keys[key] else { throw bad("\(kind) needs \(key)=DATE") }
                return try span(key, text, grain: 3_600_000) { end in
                    guard let t = UTCTime.parse(end.count == 10 ? end + "T00:00:00Z" : end) else { throw bad("\(key)=\(end) is not a date (YYYY-MM-DD)") }
                    return t
                }
            }
            func days() throws -> Span {
                guard let text = keys["days"] else { throw bad("\(kind) needs days=N") }
                return try span("days", text) { end in
                    guard let d = Double(end), d > 0, d <= 3650 else { throw bad("days=\(end) is not a positive number of days") }
                    return Int64((d * 86_400_000).rounded())
                }
            }
            func unknown(_ allowed: [String]) throws {
                for (k, _) in fields.dropFirst() where !allowed.contains(k) { throw bad("\(kind) takes no '\(k)' (\(allowed.joined(separator: ", ")))") }
            }
            switch kind {
            case "fall":
                try unknown(["days", "at"])
                // keep = 100% − fall, × 10⁸: a larger fall keeps less, so the range turns over.
                let falls = try span("fall", value) { end in
                    let pct = end.hasSuffix("%") ? String(end.dropLast()) : end
                    guard let x = Double(pct), x >= 0, x < 100 else { throw bad("fall=\(end) is not a percentage in [0, 100)") }
                    return Int64((x * 1_000_000).rounded())
                }
                let keep = Span(100_000_000 - falls.hi, 100_000_000 - falls.lo)
                let assets = symbols.indices.filter { i in
                    guard symbols[i] != spec.cash, let p = first[i] else { return false }
                    return p < 90_000_000 || p > 110_000_000
                }
                shocks.append(.scale(assets: assets, keep: keep, at: try time("at"), span: try days()))
            case "depeg":
                try unknown(["level", "days", "at"])
                guard let i = symbols.firstIndex(of: value) else { throw bad("depeg: no asset '\(value)' in the spec\(Suggestion.didYouMean(value, in: symbols))") }
                guard let text = keys["level"] else { throw bad("depeg needs level=L (a ratio, e.g. 0.90)") }
                let level = try span("level", text) { end in
                    guard let level = Double(end), level > 0, level <= 10 else { throw bad("depeg needs level=L (a ratio, e.g. 0.90)") }
                    return Int64((level * 100_000_000).rounded())
                }
                shocks.append(.scale(assets: [i], keep: level, at: try time("at"), span: try days()))
            case "fail":
                try unknown(["at"])
                let names = spec.entities.map(\.name)
                guard let a = names.firstIndex(of: value) else { throw bad("fail: no entity '\(value)' in the spec\(Suggestion.didYouMean(value, in: names))") }
                shocks.append(.fail(agent: a, at: try time("at")))
            default:
                throw bad("unknown shock '\(kind)' (one of: fall, depeg, fail)")
            }
        }
        guard !shocks.isEmpty else { throw bad("no shock (e.g. scenario:fall=30%,days=5,at=2022-06-10)") }
        templates = shocks
        var shocked = Set<Int>()
        for case let .scale(assets, _, _, _) in shocks { shocked.formUnion(assets) }
        recorded = ticks.filter { shocked.contains($0.asset.index) }
        assetCount = symbols.count
    }

    /// The recorded price ticks of the spec's datasets within its window, in merge order.
    static func recordedTicks(_ spec: Spec) throws -> [PathInputs.Tick] {
        let scenario = try Scenario(spec: spec)
        var input = try MergedInput(try Replay.openDatasets(spec), scenario: scenario, from: spec.window.from, to: spec.window.to)
        var ticks: [PathInputs.Tick] = []
        while let head = input.head {
            if head.event.kind == .price, head.dataset < spec.datasets.count, case let .price(asset, price)? = try input.input(for: head) {
                ticks.append(.init(time: head.event.time, asset: asset, price: price))
            }
            try input.consume(head)
        }
        return ticks
    }

    /// `price` scaled by the factor of a shock at `time`: 1 before `at`, `keep` (× 10⁸) from
    /// `at + span` on (exact, in integers), and between them `keep` to the power of the share
    /// of the span gone (Double `exp`/`log`, rounded to the nearest integer: reproducible within
    /// one platform's libm). At least 1.
    static func scaled(_ price: Int64, keep: Int64, at: Int64, span: Int64, time: Int64) -> Int64 {
        if time <= at { return price }
        if time >= at + span { return max(1, Int64(Int128(price) * Int128(keep) / 100_000_000)) }
        let share = Double(time - at) / Double(span)
        let factor = exp(log(Double(keep) / 100_000_000) * share)
        return max(1, Int64((Double(price) * factor).rounded()))
    }

    static func ranged(_ t: Template) -> Bool {
        switch t {
        case let .scale(_, keep, at, span): return !(keep.fixed && at.fixed && span.fixed)
        case let .fail(_, at): return !at.fixed
        }
    }

    /// Path `path`'s shocks: each range drawn from stream `shocks` at index 4 × shock + field
    /// (fields: 0 the size, 1 the date, 2 the duration), so adding a shock or a range leaves the
    /// draws of the others alone.
    package func shocks(seed: UInt64, path: Int) -> [Shock] {
        func draw(_ span: Span, _ shock: Int, _ field: UInt64) -> Int64 {
            if span.fixed { return span.lo }
            var g = PathRandom.generator(seed: seed, path: path, stream: .shocks, index: UInt64(shock) * 4 + field)
            return span.at(g.share())
        }
        return templates.enumerated().map { k, t in
            switch t {
            case let .scale(assets, keep, at, span):
                return .scale(assets: assets, keep: draw(keep, k, 0), at: draw(at, k, 1), span: draw(span, k, 2))
            case let .fail(agent, at):
                return .fail(agent: agent, at: draw(at, k, 1))
            }
        }
    }

    package func inputs(seed: UInt64, path: Int) throws -> PathInputs {
        let drawn = shocks(seed: seed, path: path)
        var replaced = Set<Int>()
        for case let .scale(assets, _, _, _) in drawn { replaced.formUnion(assets) }
        var prices = recorded
        for s in drawn {
            guard case let .scale(assets, keep, at, span) = s else { continue }
            var hit = [Bool](repeating: false, count: assetCount)
            for a in assets { hit[a] = true }
            for i in prices.indices where hit[prices[i].asset.index] {
                prices[i].price = Price(Self.scaled(prices[i].price.raw, keep: keep, at: at, span: span, time: prices[i].time))
            }
        }
        var inputs: [(time: Int64, input: Input)] = []
        for s in drawn {
            guard case let .fail(agent, at) = s else { continue }
            for a in 0..<assetCount {
                inputs.append((at, .transfer(from: AgentID(agent), to: nil, asset: AssetID(a), quantity: Quantity(Int64.max / 4))))
            }
        }
        // In time order; shocks at one time keep their order (sorted by time, then position).
        inputs = inputs.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
        return PathInputs(replaced: replaced, prices: prices, inputs: inputs)
    }
}
