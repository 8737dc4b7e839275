import DominoLog
import DominoModel
@testable import DominoReplay
import DominoTestFixtures
import Foundation
import Testing

/// `--generator gbm-jump`: its portable math, its calibration by hand, and its paths.
@Suite struct GBMJumpTests {
    @Test func portableMathAgreesWithTheLibrary() {
        for x in [1e-300, 1e-9, 0.001, 0.5, 0.999, 1, 1.000001, 2, 10, 12345.678, 1e30] {
            let ours = PortableMath.log(x), theirs = Foundation.log(x)
            #expect(abs(ours - theirs) <= 4e-16 * max(1, abs(theirs)), "log(\(x)): \(ours) vs \(theirs)")
        }
        for x in [-700.0, -20, -1, -0.3, 0, 1e-12, 0.3, 1, 5.5, 50, 700] {
            let ours = PortableMath.exp(x), theirs = Foundation.exp(x)
            #expect(abs(ours - theirs) <= 1e-15 * theirs, "exp(\(x)): \(ours) vs \(theirs)")
        }
        #expect(PortableMath.exp(0) == 1 && PortableMath.log(1) == 0)
        // Φ⁻¹: 0.975 → 1.959964, 0.5 → 0, symmetric, and the tails (Acklam: within 1.15e-9 relative).
        #expect(abs(PortableMath.normalQuantile(0.975) - 1.959_963_985) < 1e-8)
        #expect(PortableMath.normalQuantile(0.5) == 0)
        #expect(abs(PortableMath.normalQuantile(0.001) + 3.090_232_306) < 1e-8)
        #expect(abs(PortableMath.normalQuantile(0.2) + PortableMath.normalQuantile(0.8)) < 1e-12)
        #expect(PortableMath.open01(0) > 0 && PortableMath.open01(.max) < 1)
    }

    @Test func estimatesByHand() {
        // Eight returns of ±0.01 and one of 0.5: median 0.01; |r − 0.01| sorted 0,0,0,0,0.02,…,0.49,
        // so the MAD is 0.02 and σ̂ = 1.4826 × 0.02 = 0.029652; 4σ̂ = 0.1186 < 0.49: one jump.
        let returns = [0.01, -0.01, 0.01, -0.01, 0.01, -0.01, 0.01, -0.01, 0.5]
        let (a, isJump) = GBMCalibration.estimate(returns, step: 1, k: 4)
        #expect(isJump == [false, false, false, false, false, false, false, false, true])
        #expect(a.jumps == 1 && a.returns == 9)
        #expect(abs(a.lambda - 1.0 / 9) < 1e-15 && a.jumpMean == 0.5 && a.jumpSD == 0)
        // The diffusion: eight values ±0.01, mean 0, sd √(8 × 0.0001 / 7).
        #expect(abs(a.mu) < 1e-18)
        #expect(abs(a.sigma - (8 * 0.0001 / 7).squareRoot()) < 1e-15)
        // At a daily step the same returns are per 24 hours: μ / 24, σ / √24, λ / 24.
        let (d, _) = GBMCalibration.estimate(returns, step: 24, k: 4)
        #expect(abs(d.sigma - a.sigma / 24.0.squareRoot()) < 1e-15 && abs(d.lambda - a.lambda / 24) < 1e-15)
        // With k = 50 nothing is a jump.
        #expect(GBMCalibration.estimate(returns, step: 1, k: 50).asset.jumps == 0)
    }

    @Test func choleskyByHand() {
        // ρ = [[1, 0.6], [0.6, 1]]: L = [[1, 0], [0.6, 0.8]].
        let l = GBMCalibration.cholesky([[1, 0.6], [0.6, 1]])
        #expect(l[0] == [1, 0] && abs(l[1][0] - 0.6) < 1e-15 && abs(l[1][1] - 0.8) < 1e-15)
        // A repeated asset (rows 0 and 1 equal): its own pivot is 0, so it has no shock of its own.
        let r = GBMCalibration.cholesky([[1, 1, 0], [1, 1, 0], [0, 0, 1]])
        #expect(r == [[1, 0, 0], [1, 0, 0], [0, 0, 1]])
        #expect(abs(GBMCalibration.pearson([1, 2, 3], [2, 4, 6]) - 1) < 1e-15)
        #expect(abs(GBMCalibration.pearson([1, 2, 3], [3, 2, 1]) + 1) < 1e-15)
        #expect(GBMCalibration.pearson([1, 1, 1], [1, 2, 3]) == 0)
    }

    @Test func calibratesTheSmallEpisode() throws {
        // ETH moves once, from $2,000 to $1,000 at hour 48 (3 June 00:00), and is flat for the 191
        // hours after: more than 48 flat hours after the last move are no data, so 48 returns
        // count, all 0 in log but the last, ln 0.5. More than half are equal, so the MAD is 0 and
        // nothing is a jump; the diffusion is that one fall: mean −ln2/48, and sd |ln 0.5|/√48
        // (the sum of squares of one a and 47 zeros about their mean is a²(n − 1)/n).
        let dir = TempDir()
        let spec = try Replay.loadSpec(path: try SmallEpisode.make(in: dir))
        let g = try #require(try Generators.make("gbm-jump", spec: spec) as? GBMJump)
        let eth = try #require(g.calibration.assets.first)
        #expect(g.calibration.assets.count == 1 && eth.symbol == "ETH" && eth.step == 1)
        #expect(eth.returns == 48 && eth.jumps == 0 && eth.lambda == 0)
        let ln2 = 0.693_147_180_559_945_3
        #expect(abs(eth.mu + ln2 / 48) < 1e-15)
        #expect(abs(eth.sigma - ln2 / 48.0.squareRoot()) < 1e-14)
        #expect(g.calibration.correlation == [[1]])
        let text = g.calibration.text(spec: spec.name)
        #expect(text.contains("ETH") && text.contains("hourly") && text.contains("correlation"))
    }

    @Test func pathsAreKeyedRepeatableAndCalibrated() throws {
        let dir = TempDir()
        let spec = try Replay.loadSpec(path: try SmallEpisode.make(in: dir))
        let g = try #require(try Generators.make("gbm-jump", spec: spec) as? GBMJump)
        let a = try g.inputs(seed: 7, path: 3), b = try g.inputs(seed: 7, path: 3), c = try g.inputs(seed: 7, path: 4)
        #expect(a.prices == b.prices && a.prices != c.prices)
        #expect(a.prices.count == 239 && a.replaced == [g.calibration.assets[0].index])
        // vol=0, no jumps: the path is the drift alone, exp(239 μ) × the $2,000 opening, to the 10⁻⁸
        // (μ = −ln2/48 an hour: about $63 after 239 hours).
        let flat = try #require(try Generators.make("gbm-jump:vol=0,jumps=off", spec: spec) as? GBMJump)
        let mu = flat.calibration.assets[0].mu
        let last = try flat.inputs(seed: 7, path: 3).prices.last!
        var x = 0.0
        for _ in 0..<239 { x += mu }
        #expect(last.price.raw == Int64((2000e8 * PortableMath.exp(x)).rounded()))
        #expect(abs(Double(last.price.raw) / 1e8 - 2000 * Foundation.exp(-239 * 0.693_147_180_559_945_3 / 48)) < 1e-6)
        // Over 100 paths the hourly log increments have the calibrated σ (23,900 draws: the sample
        // sd's standard error is about 0.5%; within 3%), and their mean is μ (within 3 SE).
        var sum = 0.0, squares = 0.0, count = 0.0
        for path in 0..<100 {
            for step in g.increments(seed: 11, path: path) { sum += step[0]; squares += step[0] * step[0]; count += 1 }
        }
        let mean = sum / count, sd = ((squares - count * mean * mean) / (count - 1)).squareRoot()
        let sigma = g.calibration.assets[0].sigma
        #expect(abs(sd / sigma - 1) < 0.03)
        #expect(abs(mean - g.calibration.assets[0].mu) < 3 * sigma / count.squareRoot())
        // Replayed: the slow and fast paths agree.
        var options = RunOptions(); options.path = a
        var engine = try ReplayEngine(spec, options: options)
        while try engine.step() {}
        #expect(try engine.finish().finalHash == (try Replay.run(spec, options: options)).finalHash)
        for bad in ["gbm-jump:k=0", "gbm-jump:jumps=maybe", "gbm-jump:vol=-1", "gbm-jump:drift=1", "gbm-jump:k"] {
            #expect(throws: SpecError.self) { _ = try Generators.make(bad, spec: spec) }
        }
    }
}
