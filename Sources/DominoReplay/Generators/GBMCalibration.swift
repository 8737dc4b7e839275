import DominoModel

/// The calibration of `--generator gbm-jump` to the recorded prices of a spec's window
/// (`RecordedReturns`, the same hourly closes the bootstrap resamples), printed by `domino stress
/// calibrate` (docs/stress.md, "gbm-jump"):
///
/// - **Data that stop.** Returns after an asset's last price move are left out when more than 48
///   hours of them follow it: a series that stops inside the window (LUNA's, on 13 May) is carried
///   forward flat, and those hours are no data.
/// - **Native step.** An asset whose price moves at a median gap of 12 hours or more has daily
///   data (GBTC, ETHE, CEL: carried forward between closes): it is calibrated on 24-hour log
///   returns, the others on hourly ones; every parameter is then stated per hour. A daily close is
///   stamped at 00:00 of its date (datasets/README.md), so for the correlation a daily asset's
///   day-d return pairs with an hourly asset's day d + 1.
/// - **Jumps.** A log return r is a jump when |r − median| > k · σ̂, σ̂ = 1.4826 × the median
///   absolute deviation (a robust σ that the jumps themselves do not inflate; k = 4 unless
///   `k=`; none when the MAD is 0, i.e. more than half the returns are equal). λ = jumps /
///   (returns × step) per hour; the jump size is normal with the mean and
///   standard deviation of the jump returns (0 for fewer than two jumps).
/// - **Diffusion.** μ and σ: the mean and standard deviation (n − 1) of the other returns, per
///   step, then per hour (μ / step, σ / √step). An asset whose σ is 0 (a price that never moves)
///   keeps its opening price.
/// - **Correlation** of the diffusion, on daily (24-hour) log returns of every asset, skipping the
///   days with a jump in either asset of a pair (Pearson); its Cholesky factor L drives the
///   correlated shocks. A pivot at or below 1e−12 (an asset that is a combination of the ones
///   before it, or has no variance) gets no shock of its own: its row keeps what the others give.
///
/// All in Double with `PortableMath` (no C library function), so the same bits on any machine.
package struct GBMCalibration: Sendable, Equatable {
    package struct Asset: Sendable, Equatable {
        package var index: Int
        package var symbol: String
        /// 1 (hourly data) or 24 (daily data).
        package var step: Int
        /// Log returns at the native step, and how many of them were jumps.
        package var returns: Int, jumps: Int
        /// Per hour: drift and volatility of the log price, jump intensity; jump size (log).
        package var mu: Double, sigma: Double, lambda: Double, jumpMean: Double, jumpSD: Double
    }

    package var assets: [Asset]
    /// correlation[i][j] of the assets' diffusion (daily), and its lower Cholesky factor.
    package var correlation: [[Double]]
    package var cholesky: [[Double]]
    /// The jump threshold in robust standard deviations.
    package var k: Double

    package static let hoursPerYear = 8_760.0

    package init(_ recorded: RecordedReturns, spec: Spec, k: Double = 4) {
        self.k = k
        let one = Double(RecordedReturns.one)
        var assets: [Asset] = []
        var dailyJump: [[Bool]] = []
        var daily: [[Double]] = []
        for (i, a) in recorded.assets.enumerated() {
            // A series that stops inside the window (LUNA's, on 13 May) is carried forward flat:
            // those hours are no data, so returns after its last move are left out when more than
            // two days of them follow it.
            var series = recorded.returns[i]
            if let last = series.lastIndex(where: { $0 != RecordedReturns.one }), series.count - 1 - last > 48 {
                series = Array(series[...last])
            }
            let hourly = series.map { PortableMath.log(Double($0) / one) }
            // Daily data: the median gap between the hours whose price moved is half a day or more
            // (LUNA's hourly series, which stops on 13 May, stays hourly).
            let moved = series.indices.filter { series[$0] != RecordedReturns.one }
            let gaps = zip(moved.dropFirst(), moved).map { Double($0 - $1) }
            let step = !gaps.isEmpty && Self.median(gaps) >= 12 ? 24 : 1
            let native = Self.aggregate(hourly, step)
            let (asset, isJump) = Self.estimate(native, step: step, k: k)
            assets.append(Asset(index: a, symbol: spec.assets[a].symbol, step: step, returns: asset.returns, jumps: asset.jumps,
                                mu: asset.mu, sigma: asset.sigma, lambda: asset.lambda, jumpMean: asset.jumpMean, jumpSD: asset.jumpSD))
            // Daily returns for the correlation; a day is a jump day if any of its native returns was one.
            daily.append(Self.aggregate(hourly, 24))
            var days = [Bool](repeating: false, count: hourly.count / 24)
            for (j, jump) in isJump.enumerated() where jump {
                let d = j * step / 24
                if d < days.count { days[d] = true }
            }
            dailyJump.append(days)
        }
        let n = assets.count
        var rho = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for i in 0..<n {
            rho[i][i] = 1
            for j in 0..<i {
                // A daily asset's close is stamped at 00:00 of its trading date, so its day-d
                // return (the step at the end of day d) is the next date's: it pairs with an
                // hourly asset's day d + 1.
                let si = assets[i].step == 24 && assets[j].step == 1 ? 0 : (assets[j].step == 24 && assets[i].step == 1 ? 1 : 0)
                let sj = assets[j].step == 24 && assets[i].step == 1 ? 0 : (assets[i].step == 24 && assets[j].step == 1 ? 1 : 0)
                var x: [Double] = [], y: [Double] = []
                var d = 0
                while d + si < daily[i].count && d + sj < daily[j].count {
                    if !dailyJump[i][d + si] && !dailyJump[j][d + sj] { x.append(daily[i][d + si]); y.append(daily[j][d + sj]) }
                    d += 1
                }
                let r = assets[i].sigma > 0 && assets[j].sigma > 0 ? Self.pearson(x, y) : 0
                rho[i][j] = r; rho[j][i] = r
            }
        }
        self.assets = assets
        correlation = rho
        cholesky = Self.cholesky(rho)
    }

    /// One asset's parameters (per hour) from its log returns at its native step of `step` hours,
    /// and which returns were jumps: |r − median| > k × 1.4826 × MAD (none when the MAD is 0,
    /// i.e. more than half the returns are equal).
    static func estimate(_ native: [Double], step: Int, k: Double) -> (asset: Asset, isJump: [Bool]) {
        let centre = median(native)
        let spread = 1.4826 * median(native.map { abs($0 - centre) })
        let isJump = native.map { spread > 0 && abs($0 - centre) > k * spread }
        let diffusion = zip(native, isJump).filter { !$0.1 }.map(\.0)
        let jumpReturns = zip(native, isJump).filter { $0.1 }.map(\.0)
        let (m, s) = meanSD(diffusion)
        let (jm, js) = jumpReturns.count >= 2 ? meanSD(jumpReturns) : (jumpReturns.first ?? 0, 0)
        let h = Double(step)
        let asset = Asset(index: -1, symbol: "", step: step, returns: native.count, jumps: jumpReturns.count,
                          mu: m / h, sigma: s / h.squareRoot(),
                          lambda: native.isEmpty ? 0 : Double(jumpReturns.count) / (Double(native.count) * h),
                          jumpMean: jm, jumpSD: js)
        return (asset, isJump)
    }

    /// Sums of `step` consecutive values (whole groups only).
    static func aggregate(_ xs: [Double], _ step: Int) -> [Double] {
        guard step > 1 else { return xs }
        return stride(from: 0, to: xs.count - step + 1, by: step).map { s in (s..<(s + step)).reduce(0) { $0 + xs[$1] } }
    }

    /// The median (the mean of the two middle values for an even count; 0 for none).
    static func median(_ xs: [Double]) -> Double {
        guard !xs.isEmpty else { return 0 }
        let s = xs.sorted(), n = s.count
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2
    }

    /// Mean and sample standard deviation (n − 1; 0 for fewer than two values).
    static func meanSD(_ xs: [Double]) -> (Double, Double) {
        guard !xs.isEmpty else { return (0, 0) }
        let m = xs.reduce(0, +) / Double(xs.count)
        guard xs.count > 1 else { return (m, 0) }
        let v = xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count - 1)
        return (m, v.squareRoot())
    }

    /// Pearson's correlation (0 when either side has no variance or fewer than two pairs).
    static func pearson(_ x: [Double], _ y: [Double]) -> Double {
        guard x.count > 1 else { return 0 }
        let (mx, _) = meanSD(x), (my, _) = meanSD(y)
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (a, b) in zip(x, y) { sxy += (a - mx) * (b - my); sxx += (a - mx) * (a - mx); syy += (b - my) * (b - my) }
        guard sxx > 0, syy > 0 else { return 0 }
        return max(-1, min(1, sxy / (sxx * syy).squareRoot()))
    }

    /// The lower Cholesky factor L of a correlation matrix (L Lᵀ = ρ); a pivot ≤ 1e−12 gives a
    /// zero column (see the type's documentation).
    static func cholesky(_ a: [[Double]]) -> [[Double]] {
        let n = a.count
        var l = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for j in 0..<n {
            var d = a[j][j]
            for k in 0..<j { d -= l[j][k] * l[j][k] }
            guard d > 1e-12 else { continue }
            let pivot = d.squareRoot()
            l[j][j] = pivot
            for i in (j + 1)..<max(j + 1, n) {
                var s = a[i][j]
                for k in 0..<j { s -= l[i][k] * l[j][k] }
                l[i][j] = s / pivot
            }
        }
        return l
    }

    /// The calibration as the table `domino stress calibrate` prints.
    package func text(spec: String) -> String {
        func f(_ x: Double, _ digits: Int = 4) -> String {
            guard x.isFinite else { return "—" }
            let scale = [1.0, 10, 100, 1_000, 10_000, 100_000][digits]
            let v = (x * scale).rounded() / scale
            var s = "\(v)"
            if let dot = s.firstIndex(of: ".") {
                let decimals = s.distance(from: s.index(after: dot), to: s.endIndex)
                if decimals < digits { s += String(repeating: "0", count: digits - decimals) }
            } else { s += "." + String(repeating: "0", count: digits) }
            return s
        }
        var lines = ["\(spec): gbm-jump calibration on the recorded hourly closes of the window (jumps beyond \(f(k, 1)) robust σ)",
                     "μ and σ of the log price (the diffusion, jumps removed), annualised (× 8,760 h and × √8,760 h); λ jumps a year; jump size: mean and sd of the log return",
                     ""]
        let header = ["asset", "data", "returns", "jumps", "μ/yr", "σ/yr", "σ/h", "λ/yr", "jump mean", "jump sd"]
        var rows = [header]
        for a in assets {
            rows.append([a.symbol, a.step == 1 ? "hourly" : "daily", "\(a.returns)", "\(a.jumps)",
                         f(a.mu * Self.hoursPerYear), f(a.sigma * Self.hoursPerYear.squareRoot()), f(a.sigma, 5),
                         f(a.lambda * Self.hoursPerYear, 2), f(a.jumpMean), f(a.jumpSD)])
        }
        let widths = header.indices.map { c in rows.map { $0[c].count }.max()! }
        for (r, row) in rows.enumerated() {
            lines.append(row.enumerated().map { c, v in c == 0 || c == 1 ? v.padding(toLength: widths[c], withPad: " ", startingAt: 0) : String(repeating: " ", count: widths[c] - v.count) + v }
                .joined(separator: "  "))
            if r == 0 { lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
        }
        lines.append("")
        lines.append("correlation of the diffusion (daily log returns, jump days left out):")
        let w = max(5, assets.map(\.symbol.count).max() ?? 5)
        lines.append(String(repeating: " ", count: w) + "  " + assets.map { $0.symbol.padding(toLength: 6, withPad: " ", startingAt: 0) }.joined(separator: " "))
        for (i, a) in assets.enumerated() {
            lines.append(a.symbol.padding(toLength: w, withPad: " ", startingAt: 0) + "  "
                         + correlation[i].map { let s = f($0, 2); return String(repeating: " ", count: max(0, 6 - s.count)) + s }.joined(separator: " "))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The calibration as JSON (each number the shortest decimal that reads back as the same Double).
    package func json(spec: String) -> JSON {
        func double(_ x: Double) -> JSON { x.isFinite ? .number("\(x)") : .null }
        return .object([
            ("spec", .string(spec)), ("k", double(k)),
            ("assets", .array(assets.map { a in
                .object([("symbol", .string(a.symbol)), ("step_hours", .int(a.step)), ("returns", .int(a.returns)), ("jumps", .int(a.jumps)),
                         ("mu_per_hour", double(a.mu)), ("sigma_per_hour", double(a.sigma)), ("lambda_per_hour", double(a.lambda)),
                         ("mu_per_year", double(a.mu * Self.hoursPerYear)), ("sigma_per_year", double(a.sigma * Self.hoursPerYear.squareRoot())),
                         ("lambda_per_year", double(a.lambda * Self.hoursPerYear)),
                         ("jump_mean", double(a.jumpMean)), ("jump_sd", double(a.jumpSD))])
            })),
            ("correlation", .array(correlation.map { .array($0.map { double($0) }) })),
        ])
    }
}
