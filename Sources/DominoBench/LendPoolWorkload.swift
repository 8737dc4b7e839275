/// The canonical benchmark workload `lendpool-v1` (spec: WORKLOAD.md, shared with the C, NumPy,
/// Mesa, … reference implementations).
///
/// One over-collateralised lending pool: `borrowers` borrowers (ETH collateral, USD debt) and
/// `depositors` depositors. Every tick moves the ETH price, accrues interest on every borrower,
/// liquidates the unhealthy ones (which moves the price) and, every 1,000 ticks, lets about 1% of
/// the depositors withdraw and resets the rate.
///
/// Unlike the rest of Domino (integer fixed point) the workload is defined on `Double`: only IEEE
/// `+ - * /` and comparisons, each in the order the spec writes them, no fused multiply-add, sums
/// strictly left to right. So the figures are the same bit for bit as every other implementation's
/// (`expected.json`); that is what shows the work done is the same.
///
/// The borrower pass is split the way the spec allows. Per block of 1,024 borrowers, a
/// branch-free accrue-and-flag loop that the compiler vectorises (`d[i] = d[i] * g`, then flag any
/// `c[i] * PL < d[i]` with `c[i] > 0`). Only for a flagged block, which happens in about one tick in
/// 170 on the full run, a scalar pass then liquidates in ascending index order. It visits only the
/// runs of 64 borrowers that a read-only vector check picks out. Every per-element operation and
/// the accumulation order are those of the spec's single loop; the flags only decide which
/// borrowers the scalar pass can skip because they are certainly healthy.
package struct LendPoolWorkload: Sendable {
    package static let name = "lendpool-v1"

    /// The spec's parameters (§2). Ticks, seed and sizes are per run.
    package enum Parameters {
        package static let initialPrice = 2000.0      // P0
        package static let sigma = 0.002              // half-width of the per-tick return
        /// `[start, end)` tick windows with an extra negative drift per tick.
        package static let crashes: [(start: Int, end: Int, drift: Double)] = [(300, 500, 0.001), (50_000, 52_000, 0.0002)]
        package static let liquidationThreshold = 0.80 // LT
        package static let closeFactor = 0.5          // CLOSE
        package static let bonus = 1.05               // BONUS
        package static let impact = 2e-7              // IMPACT, per ETH sold in one tick
        package static let impactFloor = 0.5          // F_MIN
        package static let epoch = 1000               // ticks between withdrawal rounds
        package static let withdrawProbability = 0.01 // WD_PROB
        package static let optimalUtilisation = 0.8   // U_OPT
        package static let baseRate = 1e-8            // R_BASE
        package static let slope1 = 1e-7              // R_SLOPE1
        package static let slope2 = 3e-6              // R_SLOPE2
        package static let depositLow = 40_000.0      // DEP_LO
        package static let depositSpan = 60_000.0     // DEP_SPAN
        /// Ticks after which (P, n_liq, liq_debt) are recorded, when within the run.
        package static let checkpoints = [1000, 10_000, 100_000]
    }

    package let ticks: Int
    package let seed: UInt64
    package let borrowers: Int
    package let depositors: Int

    /// Borrowers per accrue-and-flag block: `c` and `d` of a block (16 KiB) stay in L1 for the
    /// liquidation pass that follows when the block is flagged.
    static let blockSize = 1024
    /// Borrowers per run that a flagged block is checked in before the scalar liquidation pass.
    static let runSize = 64

    package init(ticks: Int = 100_000, seed: UInt64 = 42, borrowers: Int = 10_000, depositors: Int = 10_000) {
        precondition(ticks >= 0 && borrowers >= 0 && depositors >= 0)
        self.ticks = ticks
        self.seed = seed
        self.borrowers = borrowers
        self.depositors = depositors
    }

    /// `uniform()` of the spec: the top 53 bits of a SplitMix64 draw, scaled exactly into [0, 1).
    @inline(__always)
    static func uniform(_ rng: inout SplitMix64) -> Double {
        Double(rng.next() >> 11) * 0x1p-53
    }

    /// The kinked per-tick borrow-rate model: 1 + rate(utilisation B / D).
    static func growth(debt b: Double, deposits d: Double) -> Double {
        typealias K = Parameters
        var u = d > 0.0 ? b / d : 1.0
        if u > 1.0 { u = 1.0 }
        let rate = u <= K.optimalUtilisation
            ? K.baseRate + K.slope1 * u
            : (K.baseRate + K.slope1 * K.optimalUtilisation) + K.slope2 * (u - K.optimalUtilisation)
        return 1.0 + rate
    }

    /// `((0.0 + x[0]) + x[1]) + …`, strictly left to right.
    static func sequentialSum(_ x: UnsafeMutableBufferPointer<Double>) -> Double {
        var s = 0.0
        for v in x { s += v }
        return s
    }

    /// Runs the workload; only the tick loop is timed (`elapsedSeconds`).
    package func run() -> LendPoolResult {
        typealias K = Parameters
        let nb = borrowers, nd = depositors
        var initRNG = SplitMix64(seed: seed)
        var priceRNG = SplitMix64(seed: seed &+ 1)
        var withdrawRNG = SplitMix64(seed: seed &+ 2)

        let c = UnsafeMutableBufferPointer<Double>.allocate(capacity: nb)
        let d = UnsafeMutableBufferPointer<Double>.allocate(capacity: nb)
        let dep = UnsafeMutableBufferPointer<Double>.allocate(capacity: nd)
        defer { c.deallocate(); d.deallocate(); dep.deallocate() }

        // §3 Initial state, stream INIT in this order.
        for i in 0..<nb {
            let ci = 1.0 + 99.0 * Self.uniform(&initRNG)
            let ltv = 0.30 + 0.45 * Self.uniform(&initRNG)
            c[i] = ci
            d[i] = (ci * K.initialPrice) * ltv
        }
        for j in 0..<nd { dep[j] = K.depositLow + K.depositSpan * Self.uniform(&initRNG) }
        var totalDeposits = Self.sequentialSum(dep)
        var totalDebt = Self.sequentialSum(d)
        var g = Self.growth(debt: totalDebt, deposits: totalDeposits)
        var price = K.initialPrice

        var nLiq = 0, nWithdrawals = 0, nBlocked = 0
        var liqDebt = 0.0, liqColl = 0.0, withdrawn = 0.0
        var checkpoints: [LendPoolCheckpoint] = []

        // Blocks of borrowers, and whether a block has a borrower with no collateral left.
        let blockCount = (nb + Self.blockSize - 1) / Self.blockSize
        let hasWiped = UnsafeMutableBufferPointer<Bool>.allocate(capacity: blockCount)
        hasWiped.initialize(repeating: false)
        defer { hasWiped.deallocate() }
        for i in 0..<nb where c[i] == 0.0 { hasWiped[i / Self.blockSize] = true }

        let clock = ContinuousClock()
        let start = clock.now
        let cBase = c.baseAddress!, dBase = d.baseAddress!
        for t in 0..<ticks {
            // 1. Price.
            let u = Self.uniform(&priceRNG)
            var m = 1.0 + K.sigma * (2.0 * u - 1.0)
            for crash in K.crashes where crash.start <= t && t < crash.end { m = m - crash.drift }
            price = price * m

            // 2. Borrowers: accrue and flag per block; liquidate only in flagged blocks.
            let pl = price * K.liquidationThreshold
            var sold = 0.0
            for b in 0..<blockCount {
                let lo = b * Self.blockSize
                let n = min(Self.blockSize, nb - lo)
                let cb = cBase + lo, db = dBase + lo
                let flagged = hasWiped[b]
                    ? Self.accrueAndFlag(debt: db, collateral: cb, count: n, growth: g, liquidationPrice: pl)
                    : Self.accrueAndFlagSolvent(debt: db, collateral: cb, count: n, growth: g, liquidationPrice: pl)
                guard flagged else { continue }
                // Liquidate in ascending index order, in the runs of the block that hold an
                // unhealthy borrower.
                var run = 0
                while run < n {
                    let end = min(run + Self.runSize, n)
                    defer { run = end }
                    guard Self.anyUnderwater(debt: db + run, collateral: cb + run, count: end - run,
                                             liquidationPrice: pl) else { continue }
                    for i in run..<end {
                        var di = db[i]
                        let ci = cb[i]
                        if ci * pl < di && ci > 0.0 {
                            var repay = di * K.closeFactor
                            var seize = (repay * K.bonus) / price
                            if seize > ci {
                                seize = ci
                                repay = (ci * price) / K.bonus
                            }
                            di = di - repay
                            let left = ci - seize
                            cb[i] = left
                            db[i] = di
                            if left == 0.0 { hasWiped[b] = true }
                            nLiq += 1
                            liqDebt += repay
                            liqColl += seize
                            sold += seize
                        }
                    }
                }
            }

            // 3. Price impact of the collateral sold this tick.
            if sold > 0.0 {
                var f = 1.0 - K.impact * sold
                if f < K.impactFloor { f = K.impactFloor }
                price = price * f
            }

            // 4. Epoch: withdrawals, then a new rate.
            if (t + 1) % K.epoch == 0 {
                totalDebt = Self.sequentialSum(d)
                for j in 0..<nd {
                    let u = Self.uniform(&withdrawRNG)
                    if u < K.withdrawProbability && dep[j] > 0.0 {
                        let available = totalDeposits - totalDebt
                        let amount = dep[j] <= available ? dep[j] : available
                        if amount > 0.0 {
                            dep[j] = dep[j] - amount
                            totalDeposits = totalDeposits - amount
                            nWithdrawals += 1
                            withdrawn += amount
                        } else {
                            nBlocked += 1
                        }
                    }
                }
                g = Self.growth(debt: totalDebt, deposits: totalDeposits)
            }

            // 5. Checkpoints.
            if K.checkpoints.contains(t + 1) {
                checkpoints.append(LendPoolCheckpoint(ticks: t + 1, price: price, liquidations: nLiq, liquidatedDebt: liqDebt))
            }
        }
        let elapsed = Measure.seconds(clock.now - start)

        var wiped = 0
        for ci in c where ci == 0.0 { wiped += 1 }
        return LendPoolResult(
            ticks: ticks, seed: seed, borrowers: nb, depositors: nd,
            price: price, liquidations: nLiq, liquidatedDebt: liqDebt, seizedCollateral: liqColl,
            withdrawals: nWithdrawals, blockedWithdrawals: nBlocked, withdrawn: withdrawn,
            deposits: totalDeposits, debt: Self.sequentialSum(d), collateral: Self.sequentialSum(c),
            wiped: wiped, checkpoints: checkpoints, elapsedSeconds: elapsed)
    }

    /// Accrues interest on `count` borrowers (`d[i] = d[i] * g`) and tells whether any of them is
    /// liquidatable: `c[i] * PL < d[i]` (on the accrued debt) and `c[i] > 0`. Branch-free, so the
    /// compiler vectorises it.
    ///
    /// Out of line on purpose (Swift 6.3.1): inlined into the tick loop, the same code ran about 10%
    /// slower (14% more instructions under callgrind at T = 1000); with a `UInt8` flag instead of
    /// `Int`, LLVM turned the flag into branches and did not vectorise the loop at all.
    @inline(never)
    static func accrueAndFlag(debt d: UnsafeMutablePointer<Double>, collateral c: UnsafePointer<Double>,
                              count: Int, growth g: Double, liquidationPrice pl: Double) -> Bool {
        var any = 0
        for i in 0..<count {
            let di = d[i] * g
            d[i] = di
            let ci = c[i]
            any |= (ci * pl < di ? 1 : 0) & (ci > 0.0 ? 1 : 0)
        }
        return any != 0
    }

    /// Whether `c[i] * PL < d[i]` for any of `count` borrowers, already accrued. Read-only and
    /// branch-free: it narrows a flagged block down to the runs of borrowers the scalar pass has to
    /// visit. It leaves out `c[i] > 0`, so it may pick a run holding only a wiped borrower, which
    /// the scalar pass (full condition) then skips; it never misses an unhealthy one.
    @inline(never)
    static func anyUnderwater(debt d: UnsafePointer<Double>, collateral c: UnsafePointer<Double>,
                              count: Int, liquidationPrice pl: Double) -> Bool {
        var any = 0
        for i in 0..<count {
            any |= c[i] * pl < d[i] ? 1 : 0
        }
        return any != 0
    }

    /// `accrueAndFlag` without the `c[i] > 0` half of the condition: about twice as fast with SSE2
    /// only (the portable x86-64 build), where the second compare and the mask arithmetic cost as
    /// much as the rest. Leaving a condition out can only add flags, never drop one, so this is
    /// right for any block; it gives the same flag as `accrueAndFlag` where every `c[i] > 0`.
    /// The tick loop uses it for blocks with no wiped borrower (`c[i] == 0`, which with debt left
    /// would flag its block every tick). Collateral never goes negative (`seize <= ci`) and a wiped
    /// borrower is never liquidated again, so one "has a wiped borrower" bit per block tells which.
    @inline(never)
    static func accrueAndFlagSolvent(debt d: UnsafeMutablePointer<Double>, collateral c: UnsafePointer<Double>,
                                     count: Int, growth g: Double, liquidationPrice pl: Double) -> Bool {
        var any = 0
        for i in 0..<count {
            let di = d[i] * g
            d[i] = di
            any |= c[i] * pl < di ? 1 : 0
        }
        return any != 0
    }
}

/// (P, n_liq, liq_debt) after `ticks` ticks.
package struct LendPoolCheckpoint: Sendable, Equatable {
    package var ticks: Int
    package var price: Double
    package var liquidations: Int
    package var liquidatedDebt: Double

    package init(ticks: Int, price: Double, liquidations: Int, liquidatedDebt: Double) {
        self.ticks = ticks
        self.price = price
        self.liquidations = liquidations
        self.liquidatedDebt = liquidatedDebt
    }
}

/// The figures of one `lendpool-v1` run (spec §6–7).
package struct LendPoolResult: Sendable, Equatable {
    package var ticks: Int
    package var seed: UInt64
    package var borrowers: Int
    package var depositors: Int
    /// Final ETH price `P`.
    package var price: Double
    /// `n_liq`, `liq_debt` (USD), `liq_coll` (ETH).
    package var liquidations: Int
    package var liquidatedDebt: Double
    package var seizedCollateral: Double
    /// `n_wd`, `n_blocked`, `wd_total` (USD).
    package var withdrawals: Int
    package var blockedWithdrawals: Int
    package var withdrawn: Double
    /// `D`, `B = seqsum(d)`, `C = seqsum(c)` at the end.
    package var deposits: Double
    package var debt: Double
    package var collateral: Double
    /// Borrowers with no collateral left.
    package var wiped: Int
    package var checkpoints: [LendPoolCheckpoint]
    /// Seconds in the tick loop (initial state excluded).
    package var elapsedSeconds: Double

    package init(ticks: Int, seed: UInt64, borrowers: Int, depositors: Int, price: Double, liquidations: Int,
                liquidatedDebt: Double, seizedCollateral: Double, withdrawals: Int, blockedWithdrawals: Int,
                withdrawn: Double, deposits: Double, debt: Double, collateral: Double, wiped: Int,
                checkpoints: [LendPoolCheckpoint], elapsedSeconds: Double) {
        self.ticks = ticks
        self.seed = seed
        self.borrowers = borrowers
        self.depositors = depositors
        self.price = price
        self.liquidations = liquidations
        self.liquidatedDebt = liquidatedDebt
        self.seizedCollateral = seizedCollateral
        self.withdrawals = withdrawals
        self.blockedWithdrawals = blockedWithdrawals
        self.withdrawn = withdrawn
        self.deposits = deposits
        self.debt = debt
        self.collateral = collateral
        self.wiped = wiped
        self.checkpoints = checkpoints
        self.elapsedSeconds = elapsedSeconds
    }

    /// Borrower-ticks simulated: `borrowers * ticks`.
    package var agentUpdates: Int { borrowers * ticks }

    /// Agent-updates per second in the tick loop.
    package var updatesPerSecond: Double { elapsedSeconds > 0 ? Double(agentUpdates) / elapsedSeconds : 0 }

    /// The result with the timing left out: two runs of one configuration are equal this way.
    package var figures: LendPoolResult {
        var r = self
        r.elapsedSeconds = 0
        return r
    }

    /// The spec's one-line JSON object. Doubles are printed as shortest round-trip decimals
    /// (Swift's `description`), so `check.py` can compare them exactly.
    package func jsonLine(impl: String = "swift-domino") -> String {
        func num(_ x: Double) -> String { x.isFinite ? x.description : "null" }
        let points = checkpoints.map {
            "\"\($0.ticks)\": {\"P\": \(num($0.price)), \"n_liq\": \($0.liquidations), \"liq_debt\": \(num($0.liquidatedDebt))}"
        }.joined(separator: ", ")
        let fields = [
            "\"workload\": \"\(LendPoolWorkload.name)\"",
            "\"impl\": \"\(impl)\"",
            "\"ticks\": \(ticks)",
            "\"seed\": \(seed)",
            "\"borrowers\": \(borrowers)",
            "\"depositors\": \(depositors)",
            "\"P\": \(num(price))",
            "\"n_liq\": \(liquidations)",
            "\"liq_debt\": \(num(liquidatedDebt))",
            "\"liq_coll\": \(num(seizedCollateral))",
            "\"n_wd\": \(withdrawals)",
            "\"n_blocked\": \(blockedWithdrawals)",
            "\"wd_total\": \(num(withdrawn))",
            "\"D\": \(num(deposits))",
            "\"B\": \(num(debt))",
            "\"C\": \(num(collateral))",
            "\"wiped\": \(wiped)",
            "\"checkpoints\": {\(points)}",
            "\"agent_updates\": \(agentUpdates)",
            "\"elapsed_s\": \(num(elapsedSeconds))",
            "\"updates_per_s\": \(num(updatesPerSecond.rounded()))",
        ]
        return "{" + fields.joined(separator: ", ") + "}"
    }
}
