import DominoModel
import DominoSweep
import Testing

@Suite struct RiskMetricsTests {
    let twenty: [Int64] = (1...20).reversed().map { Int64($0) * 1_000 } // 1,000 … 20,000, unsorted

    @Test func meanRoundsHalfAwayFromZero() {
        #expect(RiskMetrics.mean(twenty) == 10_500)
        #expect(RiskMetrics.mean([1, 2]) == 2)
        #expect(RiskMetrics.mean([-1, -2]) == -2)
        #expect(RiskMetrics.mean([1, 1, 2]) == 1) // 1.33
        #expect(RiskMetrics.mean([]) == 0)
    }

    @Test func lowerEmpiricalQuantile() {
        // ⌈0.95 × 20⌉ = 19th smallest.
        #expect(RiskMetrics.quantile(twenty, .p95) == 19_000)
        // ⌈0.95 × 100⌉ = 95th; ⌈0.95 × 3⌉ = 3rd.
        #expect(RiskMetrics.quantile((1...100).map { Int64($0) }, .p95) == 95)
        #expect(RiskMetrics.quantile([5, 1, 3], .p95) == 5)
        #expect(RiskMetrics.quantile([5, 1, 3], .p05) == 1)
    }

    @Test func expectedShortfallAveragesTheWorstTail() {
        // 20 values: ⌈0.025 × 20⌉ = 1 value, the worst.
        #expect(RiskMetrics.shortfall(twenty, .p975) == 20_000)
        #expect(RiskMetrics.shortfall(twenty, .p99) == 20_000)
        // 100 values 1…100: ES 97.5 averages ⌈2.5⌉ = 3 (98, 99, 100); ES 99 the single worst.
        let hundred = (1...100).map { Int64($0) }
        #expect(RiskMetrics.shortfall(hundred, .p975) == 99)
        #expect(RiskMetrics.shortfall(hundred, .p99) == 100)
        // 200 values: ES 99 averages 2 (199, 200) → 199.5 → 200.
        #expect(RiskMetrics.shortfall((1...200).map { Int64($0) }, .p99) == 200)
    }

    @Test func probabilityIsAShare() {
        #expect(RiskMetrics.probability([true, false, false]) == 33_333_333)
        #expect(RiskMetrics.probability([true, true, false, false]) == Fixed.one / 2)
    }

    @Test func bootstrapIntervalIsDeterministicAndBracketsTheEstimate() {
        let hundred = (1...100).map { Int64($0) * 1_000 }
        let a = RiskMetrics.Resamples(n: 100, seed: 7, point: 3, resamples: 200)
        let b = RiskMetrics.Resamples(n: 100, seed: 7, point: 3, resamples: 200)
        #expect(a.counts == b.counts)
        #expect(a.counts.allSatisfy { $0.reduce(0, +) == 100 })
        let other = RiskMetrics.Resamples(n: 100, seed: 7, point: 4, resamples: 200)
        #expect(a.counts != other.counts)
        for s in [RiskMetrics.Statistic.mean, .quantile(.p95), .shortfall(.p975)] {
            let e = RiskMetrics.estimate(s, hundred, a)
            #expect(e.value == RiskMetrics.statistic(s, hundred))
            #expect(e.low <= e.value && e.value <= e.high)
            #expect(e.low < e.high)
        }
        // A mean of 50,500 over 100 values with sd ≈ 29,000: the 90% interval is about ± 4,800.
        let m = RiskMetrics.estimate(.mean, hundred, a)
        #expect(m.low > 42_000 && m.low < 50_000 && m.high > 51_000 && m.high < 59_000)
        // The resampled statistic equals the plain one on the resample: check one by expanding it.
        let counts = a.counts[0]
        var expanded: [Int64] = []
        for (i, c) in counts.enumerated() { expanded += Array(repeating: hundred[i], count: Int(c)) }
        let one = RiskMetrics.Resamples(n: 100, seed: 7, point: 3, resamples: 1)
        for s in [RiskMetrics.Statistic.mean, .quantile(.p95), .shortfall(.p975)] {
            let e = RiskMetrics.estimate(s, hundred, one)
            #expect(e.low == RiskMetrics.statistic(s, expanded))
            #expect(e.high == e.low)
        }
    }

    @Test func constantSampleHasADegenerateInterval() {
        let e = RiskMetrics.estimate(.quantile(.p95), [7, 7, 7], RiskMetrics.Resamples(n: 3, seed: 1, point: 0))
        #expect(e.value == 7 && e.low == 7 && e.high == 7)
    }
}
