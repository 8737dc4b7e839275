import DominoModel

/// `--generator gbm-jump[:k=4,jumps=off,vol=1]`: correlated geometric Brownian motion with
/// Poisson jumps, calibrated to the recorded prices of the spec's window (`GBMCalibration`,
/// printed by `domino stress calibrate`). Every hour h of path k, for every non-cash asset i:
///
///     x_i(h+1) = x_i(h) + μ_i + vol · σ_i · (L z)_i + Σ_{j=1..N_i} J_ij,
///     z ~ N(0, I),  N_i ~ Poisson(λ_i),  J_ij ~ N(jump mean_i, jump sd_i),
///
/// x the log price, from the recorded opening price; the price is exp(x), rounded to the model's
/// fixed point (× 10⁸, at least 1). The draws come from `PathRandom` keyed by (seed, k): stream
/// `prices` at index h for the diffusion, stream `shocks` at index h for the jumps, so path k is
/// the same on any job, shard or machine, and hour h's draws do not depend on the others'. All
/// arithmetic is `PortableMath` (no C library function): the same bits everywhere.
package struct GBMJump: PriceGenerator {
    package let calibration: GBMCalibration
    package let jumps: Bool
    /// Multiplies every σ (a stress: vol=1.5 is 50% more volatile than the record).
    package let vol: Double
    let from: Int64, hours: Int
    /// The opening close of each calibrated asset (× 10⁸).
    let opening: [Int64]

    package var description: String {
        "gbm-jump k=\(calibration.k) jumps=\(jumps ? "on" : "off") vol=\(vol)"
    }

    /// Parses `options` (the text after `gbm-jump:`, possibly empty) and calibrates on `spec`.
    package init(_ options: String, spec: Spec) throws {
        func bad(_ why: String) -> SpecError { SpecError(file: "--generator gbm-jump:\(options)", line: nil, why) }
        var k = 4.0, jumps = true, vol = 1.0
        for kv in options.split(separator: ",", omittingEmptySubsequences: true) {
            let p = kv.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard p.count == 2 else { throw bad("'\(kv)' is not key=value (k=4, jumps=on|off, vol=1)") }
            switch p[0] {
            case "k":
                guard let x = Double(p[1]), x >= 1, x <= 20 else { throw bad("k=\(p[1]) is not a threshold in [1, 20] robust standard deviations") }
                k = x
            case "jumps":
                guard p[1] == "on" || p[1] == "off" else { throw bad("jumps=\(p[1]): on or off") }
                jumps = p[1] == "on"
            case "vol":
                guard let x = Double(p[1]), x >= 0, x <= 10 else { throw bad("vol=\(p[1]) is not a multiple of σ in [0, 10]") }
                vol = x
            default:
                throw bad("gbm-jump takes no '\(p[0])' (k, jumps, vol)")
            }
        }
        let recorded = try RecordedReturns(spec)
        self.init(calibration: GBMCalibration(recorded, spec: spec, k: k), recorded: recorded, jumps: jumps, vol: vol)
    }

    package init(calibration: GBMCalibration, recorded: RecordedReturns, jumps: Bool = true, vol: Double = 1) {
        self.calibration = calibration
        self.jumps = jumps
        self.vol = vol
        from = recorded.from
        hours = recorded.hours
        opening = recorded.closes.map { $0[0] }
    }

    /// Path `path`'s log-price increments, hour by hour: increments[h][i].
    package func increments(seed: UInt64, path: Int) -> [[Double]] {
        let assets = calibration.assets, n = assets.count, l = calibration.cholesky
        var out: [[Double]] = []
        out.reserveCapacity(hours)
        var z = [Double](repeating: 0, count: n)
        for h in 0..<hours {
            var diffusion = PathRandom.generator(seed: seed, path: path, stream: .prices, index: UInt64(h))
            for i in 0..<n { z[i] = PortableMath.normalQuantile(PortableMath.open01(diffusion.next())) }
            var shocks = PathRandom.generator(seed: seed, path: path, stream: .shocks, index: UInt64(h))
            var step = [Double](repeating: 0, count: n)
            for i in 0..<n {
                var e = 0.0
                for j in 0...i { e += l[i][j] * z[j] }
                step[i] = assets[i].mu + vol * assets[i].sigma * e
                // Jumps: Poisson(λ) by inversion (one uniform), then one normal per jump.
                let u = PortableMath.open01(shocks.next())
                guard jumps, assets[i].lambda > 0 else { continue }
                var count = 0
                var p = PortableMath.exp(-assets[i].lambda), cumulative = p
                while u > cumulative && count < 50 {
                    count += 1
                    p *= assets[i].lambda / Double(count)
                    cumulative += p
                }
                for _ in 0..<count {
                    step[i] += assets[i].jumpMean + assets[i].jumpSD * PortableMath.normalQuantile(PortableMath.open01(shocks.next()))
                }
            }
            out.append(step)
        }
        return out
    }

    package func inputs(seed: UInt64, path: Int) throws -> PathInputs {
        let hour: Int64 = 3_600_000
        let assets = calibration.assets
        var x = [Double](repeating: 0, count: assets.count) // log price relative to the opening
        var prices: [PathInputs.Tick] = []
        prices.reserveCapacity(hours * assets.count)
        for (h, step) in increments(seed: seed, path: path).enumerated() {
            let time = from + Int64(h + 1) * hour
            for i in assets.indices {
                x[i] += step[i]
                let price = Double(opening[i]) * PortableMath.exp(x[i])
                let raw: Int64 = price.isFinite && price < 9.0e18 ? max(1, Int64(price.rounded())) : Int64.max / 4
                prices.append(.init(time: time, asset: AssetID(assets[i].index), price: Price(raw)))
            }
        }
        return PathInputs(replaced: Set(assets.map(\.index)), prices: prices)
    }
}
