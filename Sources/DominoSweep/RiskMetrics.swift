import DominoModel
import DominoReplay

/// The statistics of `domino stress report` and the `risk` table, over the paths (or seeds) of
/// one grid point. Pure functions on exact fixed point (Int64, × 10⁸; a probability is a share
/// × 10⁸); no floating point, so every figure is the same bytes on any machine.
///
/// Definitions (docs/stress-metrics.md):
/// - **mean**: the sum (in Int128) over n, rounded half away from zero.
/// - **quantile q** (VaR 95, LaR 95): the *lower empirical quantile*, the smallest value x with
///   at least q·n values ≤ x: the ⌈q·n⌉-th smallest (1-based). For 20 values, VaR 95 is the 19th.
/// - **expected shortfall α** (ES 97.5, ES 99): the mean of the ⌈(1 − α)·n⌉ largest values (at
///   least one): for fewer than 40 paths ES 97.5 is the worst value, for fewer than 100 ES 99.
/// - **probability**: the share of paths where the event happened.
/// - **confidence interval**: percentile bootstrap, B resamples (default 1,000) of the n paths
///   with replacement; the interval is the lower empirical 5% and 95% quantiles of the B
///   resampled statistics (a 90% interval). Resample b draws its n indices from
///   `PathRandom.generator(seed:, path: point, stream: .bootstrap, index: b)`: the same resamples
///   for every metric of a point, and the same interval on every machine.
package enum RiskMetrics {
    /// A quantile or level as an exact fraction, num / den.
    package struct Level: Sendable, Equatable {
        package var num: Int, den: Int
        package init(_ num: Int, _ den: Int) { self.num = num; self.den = den }
        package static let p95 = Level(95, 100), p975 = Level(975, 1000), p99 = Level(99, 100), p05 = Level(5, 100)
    }

    /// A statistic of a sample: what the risk table stores for each metric.
    package enum Statistic: Sendable, Equatable {
        case mean, quantile(Level), shortfall(Level)
    }

    package static let defaultResamples = 1_000

    static func divRound(_ sum: Int128, _ n: Int) -> Int64 {
        let d = Int128(n)
        let q = sum / d, r = sum % d
        if 2 * (r < 0 ? -r : r) >= d { return Int64(q + (sum < 0 ? -1 : 1)) }
        return Int64(q)
    }

    /// The mean, rounded half away from zero (0 for no values).
    package static func mean(_ values: [Int64]) -> Int64 {
        guard !values.isEmpty else { return 0 }
        var sum: Int128 = 0
        for v in values { sum += Int128(v) }
        return divRound(sum, values.count)
    }

    /// The 1-based rank of the lower empirical q-quantile of n values: ⌈q·n⌉, at least 1.
    package static func rank(_ q: Level, _ n: Int) -> Int { max(1, (q.num * n + q.den - 1) / q.den) }

    /// How many of n values the α expected shortfall averages: ⌈(1 − α)·n⌉, at least 1.
    static func tail(_ a: Level, _ n: Int) -> Int { max(1, ((a.den - a.num) * n + a.den - 1) / a.den) }

    /// The lower empirical q-quantile (0 for no values).
    package static func quantile(_ values: [Int64], _ q: Level) -> Int64 {
        guard !values.isEmpty else { return 0 }
        return values.sorted()[rank(q, values.count) - 1]
    }

    /// The expected shortfall at α: the mean of the ⌈(1 − α)·n⌉ largest values (0 for no values).
    package static func shortfall(_ values: [Int64], _ a: Level) -> Int64 {
        guard !values.isEmpty else { return 0 }
        let k = tail(a, values.count)
        return mean(Array(values.sorted().suffix(k)))
    }

    /// The share × 10⁸ of `flags` that are true (0 for none).
    package static func probability(_ flags: [Bool]) -> Int64 {
        mean(flags.map { $0 ? Fixed.one : 0 })
    }

    package static func statistic(_ s: Statistic, _ values: [Int64]) -> Int64 {
        switch s {
        case .mean: return mean(values)
        case .quantile(let q): return quantile(values, q)
        case .shortfall(let a): return shortfall(values, a)
        }
    }

    /// The bootstrap resamples of n paths of point `point`: for each resample b, how many times
    /// each path is drawn (counts, n per resample). Shared by all the metrics of the point, and
    /// drawn when used (`fill`): memory holds one resample, never B × n counts.
    package struct Resamples: Sendable {
        package let n: Int, seed: UInt64, point: Int, resamples: Int

        package init(n: Int, seed: UInt64, point: Int, resamples: Int = RiskMetrics.defaultResamples) {
            self.n = n; self.seed = seed; self.point = point; self.resamples = n > 0 ? resamples : 0
        }

        /// Resample b's counts into `c` (n of them).
        package func fill(_ b: Int, into c: inout [Int32]) {
            if c.count != n { c = [Int32](repeating: 0, count: n) } else { for i in c.indices { c[i] = 0 } }
            var g = PathRandom.generator(seed: seed, path: point, stream: .bootstrap, index: UInt64(b))
            for _ in 0..<n { c[Int(g.below(UInt64(n)))] += 1 }
        }

        /// Every resample's counts (for tests and small n).
        package var counts: [[Int32]] {
            (0..<resamples).map { b in var c: [Int32] = []; fill(b, into: &c); return c }
        }
    }

    /// The statistic of `values` with its percentile-bootstrap 90% interval over `resamples`.
    package static func estimate(_ s: Statistic, _ values: [Int64], _ resamples: Resamples) -> (value: Int64, low: Int64, high: Int64) {
        estimateAll([(s, values)], resamples)[0]
    }

    /// `estimate` for several statistics of one point's paths at once: each resample is drawn
    /// once and every statistic walks it (O(n + B × statistics) memory, B × n draws).
    package static func estimateAll(_ items: [(Statistic, [Int64])], _ resamples: Resamples) -> [(value: Int64, low: Int64, high: Int64)] {
        let n = resamples.n
        struct Item { var s: Statistic; var values: [Int64]; var order: [Int]; var value: Int64; var fixed: Bool; var stats: [Int64] }
        var work: [Item] = items.map { s, values in
            precondition(values.count == n)
            let value = statistic(s, values)
            // All paths alike (an entity that never fails): every resample gives the value.
            let fixed = values.isEmpty || resamples.resamples == 0 || values.allSatisfy { $0 == values[0] }
            // The values in ascending order, by path index: a resample's statistic walks its
            // counts in this order (O(n), no sort per resample).
            var order: [Int] = []
            if !fixed, s != .mean { order = (0..<n).sorted { values[$0] != values[$1] ? values[$0] < values[$1] : $0 < $1 } }
            var stats: [Int64] = []
            if !fixed { stats.reserveCapacity(resamples.resamples) }
            return Item(s: s, values: values, order: order, value: value, fixed: fixed, stats: stats)
        }
        if work.contains(where: { !$0.fixed }) {
            var c: [Int32] = []
            for b in 0..<resamples.resamples {
                resamples.fill(b, into: &c)
                for k in work.indices where !work[k].fixed {
                    work[k].stats.append(resampled(work[k].s, work[k].values, work[k].order, c))
                }
            }
        }
        return work.map { item in
            guard !item.fixed else { return (item.value, item.value, item.value) }
            let stats = item.stats.sorted()
            return (item.value, stats[rank(.p05, stats.count) - 1], stats[rank(.p95, stats.count) - 1])
        }
    }

    /// The statistic on one resample: `values` drawn `c[i]` times each; `order` sorts them.
    static func resampled(_ s: Statistic, _ values: [Int64], _ order: [Int], _ c: [Int32]) -> Int64 {
        let n = values.count
        switch s {
        case .mean:
            var sum: Int128 = 0
            for i in 0..<n where c[i] != 0 { sum += Int128(values[i]) * Int128(c[i]) }
            return divRound(sum, n)
        case .quantile(let q):
            let r = rank(q, n)
            var seen = 0
            for i in order {
                seen += Int(c[i])
                if seen >= r { return values[i] }
            }
            return values[order.last!]
        case .shortfall(let a):
            var left = tail(a, n)
            let k = left
            var sum: Int128 = 0
            for i in order.reversed() where c[i] != 0 {
                let take = min(left, Int(c[i]))
                sum += Int128(values[i]) * Int128(take)
                left -= take
                if left == 0 { break }
            }
            return divRound(sum, k)
        }
    }
}
