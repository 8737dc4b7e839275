@testable import DominoBench
import Testing

/// `lendpool-v1` against the external reference figures (WORKLOAD.md §6 / expected.json, produced
/// by the C, NumPy, Mesa, … implementations): every figure must match bit for bit.
@Suite struct LendPoolWorkloadTests {
    /// expected.json, "1000".
    static let expected1000 = LendPoolResult(
        ticks: 1000, seed: 42, borrowers: 10_000, depositors: 10_000,
        price: 1547.2616198836631, liquidations: 3835,
        liquidatedDebt: 118492805.56380981, seizedCollateral: 73621.53456280073,
        withdrawals: 107, blockedWithdrawals: 0, withdrawn: 7897515.3006159915,
        deposits: 693643275.5758561, debt: 410676470.53123015, collateral: 427502.86411256756,
        wiped: 0,
        checkpoints: [LendPoolCheckpoint(ticks: 1000, price: 1547.2616198836631, liquidations: 3835,
                                         liquidatedDebt: 118492805.56380981)],
        elapsedSeconds: 0)

    @Test func splitMix64FirstValue() {
        var rng = SplitMix64(seed: 42)
        #expect(rng.next() == 0xBDD7_3226_2FEB_6E95)
    }

    @Test func thousandTicksMatchExpectedBitForBit() {
        let result = LendPoolWorkload(ticks: 1000).run()
        let figures = result.figures
        #expect(figures == Self.expected1000)
        // Bit patterns, so a -0.0 / 0.0 or NaN difference could not hide behind ==.
        #expect(figures.price.bitPattern == Self.expected1000.price.bitPattern)
        #expect(figures.liquidatedDebt.bitPattern == Self.expected1000.liquidatedDebt.bitPattern)
        #expect(figures.collateral.bitPattern == Self.expected1000.collateral.bitPattern)
        #expect(result.agentUpdates == 10_000_000)
    }

    /// The first 1,000 ticks of a 10,000-tick run are the 1,000-tick run (0.3 s in a debug build).
    @Test func prefixRunIsTheCheckpointOfALongerRun() {
        let short = LendPoolWorkload(ticks: 1000).run()
        let long = LendPoolWorkload(ticks: 10_000).run()
        #expect(long.checkpoints.map(\.ticks) == [1000, 10_000])
        #expect(long.checkpoints.first == LendPoolCheckpoint(ticks: 1000, price: short.price, liquidations: short.liquidations,
                                                               liquidatedDebt: short.liquidatedDebt))
        // expected.json, "10000".
        #expect(long.checkpoints.last == LendPoolCheckpoint(ticks: 10_000, price: 1500.8610776132664, liquidations: 5416,
                                                              liquidatedDebt: 155667738.63858494))
        #expect(long.seizedCollateral == 99621.53122470711)
        #expect(long.withdrawals == 953 && long.blockedWithdrawals == 0 && long.wiped == 0)
        #expect(long.withdrawn == 67250804.23388417)
        #expect(long.deposits == 634289986.6425872)
        #expect(long.debt == 373732338.3405101)
        #expect(long.collateral == 401502.867450662)
    }

    @Test func jsonLineHasTheSpecFieldsAndShortestDoubles() {
        var result = Self.expected1000
        result.elapsedSeconds = 0.5
        let line = result.jsonLine()
        #expect(line.hasPrefix("{\"workload\": \"lendpool-v1\", \"impl\": \"swift-domino\", \"ticks\": 1000, \"seed\": 42, "))
        #expect(line.contains("\"P\": 1547.2616198836631, \"n_liq\": 3835, \"liq_debt\": 118492805.56380981, "))
        #expect(line.contains("\"checkpoints\": {\"1000\": {\"P\": 1547.2616198836631, \"n_liq\": 3835, \"liq_debt\": 118492805.56380981}}"))
        #expect(line.hasSuffix("\"agent_updates\": 10000000, \"elapsed_s\": 0.5, \"updates_per_s\": 20000000.0}"))
    }

    /// The split, blocked borrower pass gives the figures of the spec's single loop, also for pool
    /// sizes around the block (1,024) and run (64) sizes.
    @Test(arguments: [(7 as UInt64, 1, 3), (8, 63, 10), (9, 65, 10), (10, 1025, 200), (11, 2100, 500)])
    func matchesTheSpecLoopLiterally(seed: UInt64, borrowers: Int, depositors: Int) {
        let fast = LendPoolWorkload(ticks: 1500, seed: seed, borrowers: borrowers, depositors: depositors).run()
        let literal = Self.literalRun(ticks: 1500, seed: seed, borrowers: borrowers, depositors: depositors)
        #expect(fast.figures == literal)
        if borrowers > 1 { #expect(fast.liquidations > 0) } // one borrower happens to stay healthy
    }

    /// A borrower with no collateral left and debt is below the liquidation price, but not
    /// liquidatable: only the flag without the `c > 0` half says yes, and both accrue alike.
    @Test func wipedBorrowerDoesNotFlagItsBlock() {
        var c: [Double] = [10, 0, 20, 30, 40]
        var d1: [Double] = [100, 500, 200, 300, 400]
        var d2 = d1
        let g = 1.0000001, pl = 1000.0
        let full = d1.withUnsafeMutableBufferPointer { d in
            c.withUnsafeMutableBufferPointer { c in
                LendPoolWorkload.accrueAndFlag(debt: d.baseAddress!, collateral: c.baseAddress!, count: 5, growth: g, liquidationPrice: pl)
            }
        }
        let solvent = d2.withUnsafeMutableBufferPointer { d in
            c.withUnsafeMutableBufferPointer { c in
                LendPoolWorkload.accrueAndFlagSolvent(debt: d.baseAddress!, collateral: c.baseAddress!, count: 5, growth: g, liquidationPrice: pl)
            }
        }
        #expect(!full && solvent)
        #expect(d1 == d2 && d1 == [100 * g, 500 * g, 200 * g, 300 * g, 400 * g])
        c[3] = 0.25 // 0.25 * 1000 < 300 * g: liquidatable
        let flagged = d1.withUnsafeMutableBufferPointer { d in
            c.withUnsafeMutableBufferPointer { c in
                LendPoolWorkload.accrueAndFlag(debt: d.baseAddress!, collateral: c.baseAddress!, count: 5, growth: g, liquidationPrice: pl)
            }
        }
        #expect(flagged)
    }

    @Test func smallerPoolsAndOtherSeedsRun() {
        let a = LendPoolWorkload(ticks: 1000, seed: 7, borrowers: 100, depositors: 50).run()
        let b = LendPoolWorkload(ticks: 1000, seed: 7, borrowers: 100, depositors: 50).run()
        #expect(a.figures == b.figures)
        #expect(a.checkpoints.map(\.ticks) == [1000])
        let none = LendPoolWorkload(ticks: 0).run()
        #expect(none.agentUpdates == 0 && none.checkpoints.isEmpty && none.price == 2000.0)
        let empty = LendPoolWorkload(ticks: 1000, borrowers: 0, depositors: 0).run()
        #expect(empty.liquidations == 0 && empty.debt == 0 && empty.deposits == 0)
    }

    /// WORKLOAD.md §3–4 written out literally: one loop over the borrowers, plain arrays.
    static func literalRun(ticks: Int, seed: UInt64, borrowers nb: Int, depositors nd: Int) -> LendPoolResult {
        func uniform(_ r: inout SplitMix64) -> Double { Double(r.next() >> 11) * 0x1p-53 }
        func seqsum(_ x: [Double]) -> Double { var s = 0.0; for v in x { s = s + v }; return s }
        func growth(_ b: Double, _ d: Double) -> Double {
            var u = d > 0.0 ? b / d : 1.0
            if u > 1.0 { u = 1.0 }
            let rate = u <= 0.8 ? 1e-8 + 1e-7 * u : (1e-8 + 1e-7 * 0.8) + 3e-6 * (u - 0.8)
            return 1.0 + rate
        }
        var initRNG = SplitMix64(seed: seed), priceRNG = SplitMix64(seed: seed + 1), wdRNG = SplitMix64(seed: seed + 2)
        var c = [Double](repeating: 0, count: nb), d = c, dep = [Double](repeating: 0, count: nd)
        for i in 0..<nb {
            c[i] = 1.0 + 99.0 * uniform(&initRNG)
            let ltv = 0.30 + 0.45 * uniform(&initRNG)
            d[i] = (c[i] * 2000.0) * ltv
        }
        for j in 0..<nd { dep[j] = 40000.0 + 60000.0 * uniform(&initRNG) }
        var D = seqsum(dep), B = seqsum(d)
        var g = growth(B, D), P = 2000.0
        var nLiq = 0, nWd = 0, nBlocked = 0, liqDebt = 0.0, liqColl = 0.0, wdTotal = 0.0
        var checkpoints: [LendPoolCheckpoint] = []
        for t in 0..<ticks {
            let u = uniform(&priceRNG)
            var m = 1.0 + 0.002 * (2.0 * u - 1.0)
            if 300 <= t && t < 500 { m = m - 0.001 }
            if 50_000 <= t && t < 52_000 { m = m - 0.0002 }
            P = P * m
            let PL = P * 0.80
            var sold = 0.0
            for i in 0..<nb {
                var di = d[i] * g
                let ci = c[i]
                if ci * PL < di && ci > 0.0 {
                    var repay = di * 0.5
                    var seize = (repay * 1.05) / P
                    if seize > ci { seize = ci; repay = (ci * P) / 1.05 }
                    di = di - repay
                    c[i] = ci - seize
                    nLiq += 1; liqDebt += repay; liqColl += seize; sold += seize
                }
                d[i] = di
            }
            if sold > 0.0 {
                var f = 1.0 - 2e-7 * sold
                if f < 0.5 { f = 0.5 }
                P = P * f
            }
            if (t + 1) % 1000 == 0 {
                B = seqsum(d)
                for j in 0..<nd {
                    let u = uniform(&wdRNG)
                    if u < 0.01 && dep[j] > 0.0 {
                        let avail = D - B
                        let amt = dep[j] <= avail ? dep[j] : avail
                        if amt > 0.0 { dep[j] = dep[j] - amt; D = D - amt; nWd += 1; wdTotal += amt } else { nBlocked += 1 }
                    }
                }
                g = growth(B, D)
            }
            if [1000, 10_000, 100_000].contains(t + 1) {
                checkpoints.append(LendPoolCheckpoint(ticks: t + 1, price: P, liquidations: nLiq, liquidatedDebt: liqDebt))
            }
        }
        return LendPoolResult(
            ticks: ticks, seed: seed, borrowers: nb, depositors: nd, price: P, liquidations: nLiq,
            liquidatedDebt: liqDebt, seizedCollateral: liqColl, withdrawals: nWd, blockedWithdrawals: nBlocked,
            withdrawn: wdTotal, deposits: D, debt: seqsum(d), collateral: seqsum(c),
            wiped: c.filter { $0 == 0.0 }.count, checkpoints: checkpoints, elapsedSeconds: 0)
    }
}
